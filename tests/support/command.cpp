#include "support/command.h"

#include <array>
#include <cstdio>
#include <sys/wait.h>

namespace titlecert::testing {

CommandRun runCommand(const std::string& command, StandardError err) {
  CommandRun r;
  const std::string line = command + (err == StandardError::Kept ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = popen(line.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) r.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Built by appending: g++ 12 at -O3 misreads "'" + string&& as an overlapping copy (-Wrestrict).
std::string shellQuote(const std::filesystem::path& path) {
  std::string quoted = "'";
  quoted += path.string();
  quoted += '\'';
  return quoted;
}

}  // namespace titlecert::testing
