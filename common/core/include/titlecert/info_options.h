// --help and --version, answered the same way by every program (CONTRACT.md
// "Installed layout and versions"): on standard output, exit status 0, and
// before any other argument is parsed, so they work beside a wrong one.
#ifndef TITLECERT_INFO_OPTIONS_H
#define TITLECERT_INFO_OPTIONS_H

#include <iostream>
#include <optional>
#include <string_view>

namespace titlecert {

// The exit status when argv asks for --help (-h) or --version (printed as
// "PROGRAM VERSION"); nullopt when it asks for neither.
inline std::optional<int> answerInfoOption(int argc, char** argv, std::string_view program,
                                           std::string_view version, std::string_view usage) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--version") {
      std::cout << program << " " << version << "\n";
      return 0;
    }
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return 0;
    }
  }
  return std::nullopt;
}

}  // namespace titlecert

#endif
