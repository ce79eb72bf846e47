#include "titlecert/terminal_state.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <sstream>

#include "titlecert/files.h"

namespace titlecert::terminal {
namespace {

constexpr std::string_view kHeader = "titlecert-terminal-state 1";
// The state is a few hundred bytes; anything much larger is not one.
constexpr std::size_t kMaxStateBytes = 64 * 1024;

Error badState(const std::string& why) { return makeError(Code::BAD_STATE, "terminal state: " + why); }

Result<std::uint64_t> number(std::string_view name, std::string_view text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range) return badState(std::string(name) + " does not fit 64 bits");
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return badState(std::string(name) + " is not a number");
  return v;
}

}  // namespace

std::string format(const State& s) {
  std::ostringstream out;
  out << kHeader << "\n"
      << "bundle_version " << s.bundleVersion << "\n"
      << "config_version " << s.configVersion << "\n"
      << "clock_floor " << s.clockFloor << "\n";
  for (const auto& r : s.roots) out << "root " << toHex(r) << "\n";
  out << "end\n";  // a file cut short lacks it
  return out.str();
}

Result<State> parse(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  if (!std::getline(in, line) || line != kHeader) return badState("not a titlecert terminal state file");
  State s;
  bool seenBundle = false, seenConfig = false, seenFloor = false, ended = false;
  while (std::getline(in, line)) {
    if (ended) return badState("text after the end line");
    if (line == "end") {
      ended = true;
      continue;
    }
    const auto space = line.find(' ');
    if (space == std::string::npos) return badState("line without a value: " + line);
    const std::string name = line.substr(0, space);
    const std::string_view value = std::string_view(line).substr(space + 1);
    auto once = [&](bool& seen) -> Status {
      if (seen) return badState(name + " given twice");
      seen = true;
      return Status::Ok();
    };
    if (name == "bundle_version") {
      TC_TRY(once(seenBundle));
      TC_ASSIGN(s.bundleVersion, number(name, value));
    } else if (name == "config_version") {
      TC_TRY(once(seenConfig));
      TC_ASSIGN(s.configVersion, number(name, value));
    } else if (name == "clock_floor") {
      TC_TRY(once(seenFloor));
      TC_ASSIGN(auto floor, number(name, value));
      if (floor > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return badState("clock_floor out of range");
      s.clockFloor = static_cast<std::int64_t>(floor);
    } else if (name == "root") {
      auto der = fromHex(value);
      if (!der || der->empty()) return badState("a root is not hex");
      s.roots.push_back(std::move(*der));
    } else {
      return badState("unknown line " + name);
    }
  }
  if (!seenBundle || !seenConfig || !seenFloor || !ended) return badState("incomplete (a field or the end line is missing)");
  return s;
}

Result<State> readState(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return State{};
    return makeError(Code::IO_ERROR, "cannot read " + path + ": " + std::strerror(errno));
  }
  TC_ASSIGN(auto text, files::read(path, kMaxStateBytes));
  auto s = parse(text);
  if (!s) return badState(path + ": " + s.error().detail);
  return s;
}

Status writeState(const std::string& path, const State& s, WriteStep stopBefore) {
  return files::writeAtomically(path, asBytes(format(s)), 0600, stopBefore);
}

}  // namespace titlecert::terminal
