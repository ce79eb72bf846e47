// Where private-key passphrases come from (CONTRACT.md): the file named by
// --passphrase-file, else the environment variable TITLECERT_PASSPHRASE.
// Never from a command-line argument (it would show in `ps`), never logged.
#pragma once

#include <optional>
#include <string>

#include "titlecert/result.h"

namespace titlecert {

inline constexpr const char* kPassphraseEnv = "TITLECERT_PASSPHRASE";

// nullopt when neither is given. A file's trailing newline is dropped.
// IO_ERROR when the file cannot be read.
Result<std::optional<std::string>> readPassphrase(const std::string& passphraseFile);

}  // namespace titlecert
