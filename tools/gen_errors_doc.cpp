// Writes docs/errors.md to standard output from result_codes.def, so the
// documentation cannot drift from the code (tests compare the two).
#include <iostream>

#include "titlecert/result.h"

int main() {
  std::cout << "# Result codes\n\n"
               "Generated from `common/core/include/titlecert/result_codes.def` by\n"
               "`titlecert-gen-errors-doc` (`scripts/gen-docs.sh`); do not edit by hand.\n"
               "The same list generates the C enum (`TC_<NAME>` in `titlecert/verify.h`)\n"
               "and the C++ enum (`titlecert::Code`). Numbers never change; new codes\n"
               "are appended. 0–17 are verification results in the order the checks\n"
               "run (the first that fails is reported), 50–51 warnings, 100+\n"
               "operational errors.\n\n"
               "| number | code | 中文 | English |\n|---:|---|---|---|\n";
#define TC_RESULT_CODE(name, number, zh, en) \
  std::cout << "| " << number << " | `" #name "` | " << zh << " | " << en << " |\n";
#include "titlecert/result_codes.def"
#undef TC_RESULT_CODE
  return 0;
}
