#include "titlecert/passphrase.h"

#include <cstdlib>
#include <fstream>

namespace titlecert {

Result<std::optional<std::string>> readPassphrase(const std::string& passphraseFile) {
  if (!passphraseFile.empty()) {
    std::ifstream in(passphraseFile, std::ios::binary);
    std::string line;
    if (!in || !std::getline(in, line)) return makeError(Code::IO_ERROR, "cannot read passphrase file " + passphraseFile);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return std::optional<std::string>(line);
  }
  if (const char* env = std::getenv(kPassphraseEnv); env && *env) return std::optional<std::string>(env);
  return std::optional<std::string>{};
}

}  // namespace titlecert
