#include "support/command.h"

#include <array>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
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

std::vector<std::string> commandWords(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string readWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string rfc3339(std::int64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);  // test times fit a 32-bit time_t
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace titlecert::testing
