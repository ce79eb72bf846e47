// Runs a shell command line from a test and keeps what it printed: the CLI,
// card and terminal tests drive programs the way a user or script would.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace titlecert::testing {

struct CommandRun {
  int exit = -1;    // the exit status; -1 when the command did not exit normally
  std::string out;  // standard output, with standard error unless discarded
};

enum class StandardError { Kept, Discarded };

CommandRun runCommand(const std::string& command, StandardError err = StandardError::Kept);

// The path in single quotes, for a command line (test paths hold no quote).
std::string shellQuote(const std::filesystem::path& path);

// A command line's words (split at spaces: test paths hold none), for exec:
// "qemu-aarch64 -L / /build/titlecert-verify" in a cross build.
std::vector<std::string> commandWords(const std::string& line);

// A file a program wrote, whole ("" when it cannot be read).
std::string readWholeFile(const std::filesystem::path& path);

// Seconds since the epoch as the programs' --now takes it: 2026-11-27T01:00:00Z.
std::string rfc3339(std::int64_t seconds);

}  // namespace titlecert::testing
