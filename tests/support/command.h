// Runs a shell command line from a test and keeps what it printed: the CLI,
// card and terminal tests drive programs the way a user or script would.
#pragma once

#include <filesystem>
#include <string>

namespace titlecert::testing {

struct CommandRun {
  int exit = -1;    // the exit status; -1 when the command did not exit normally
  std::string out;  // standard output, with standard error unless discarded
};

enum class StandardError { Kept, Discarded };

CommandRun runCommand(const std::string& command, StandardError err = StandardError::Kept);

// The path in single quotes, for a command line (test paths hold no quote).
std::string shellQuote(const std::filesystem::path& path);

}  // namespace titlecert::testing
