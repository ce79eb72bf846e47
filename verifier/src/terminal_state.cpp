#include "titlecert/terminal_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
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

Error ioError(const std::string& what, const std::string& path) {
  return makeError(Code::IO_ERROR, what + " " + path + ": " + std::strerror(errno));
}

Error stopped(WriteStep step) {
  return makeError(Code::IO_ERROR, "state write stopped before step " + std::to_string(static_cast<int>(step)));
}

Status writeAll(int fd, ByteView data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ioError("cannot write", path);
    done += static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

Status syncFolderOf(const std::string& path) {
  const auto dir = std::filesystem::path(path).parent_path();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ioError("cannot open the folder of", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : ioError("cannot sync the folder of", path);
}

// Writes the temp file; stops before stopBefore when it is one of its steps.
Status writeTemp(const std::string& tmp, ByteView data, WriteStep stopBefore) {
  if (stopBefore == WriteStep::CreateTemp) return stopped(stopBefore);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ioError("cannot create", tmp);
  const bool torn = stopBefore == WriteStep::WriteTemp;
  Status s = writeAll(fd, torn ? data.first(data.size() / 2) : data, tmp);
  if (s.ok() && torn) s = stopped(stopBefore);
  if (s.ok() && stopBefore == WriteStep::SyncTemp) s = stopped(stopBefore);
  if (s.ok() && ::fsync(fd) != 0) s = ioError("cannot sync", tmp);
  ::close(fd);
  return s;
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
    return ioError("cannot read", path);
  }
  TC_ASSIGN(auto text, files::read(path, kMaxStateBytes));
  auto s = parse(text);
  if (!s) return badState(path + ": " + s.error().detail);
  return s;
}

Status writeState(const std::string& path, const State& s, WriteStep stopBefore) {
  const std::string text = format(s);
  const std::string tmp = path + ".tmp";
  TC_TRY(writeTemp(tmp, asBytes(text), stopBefore));
  if (stopBefore == WriteStep::Rename) return stopped(stopBefore);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return ioError("cannot replace", path);
  if (stopBefore == WriteStep::SyncFolder) return stopped(stopBefore);
  return syncFolderOf(path);
}

}  // namespace titlecert::terminal
