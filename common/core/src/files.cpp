#include "titlecert/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace titlecert::files {
namespace {

Error ioError(const std::string& what, const std::string& path) {
  return makeError(Code::IO_ERROR, what + " " + path + ": " + std::strerror(errno));
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

void syncFolderOf(const std::string& path) {
  auto dir = std::filesystem::path(path).parent_path();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

Result<std::string> read(const std::string& path, std::size_t maxBytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ioError("cannot read", path);
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > maxBytes)
      return makeError(Code::IO_ERROR, path + " is larger than " + std::to_string(maxBytes) + " bytes");
  }
  return data;
}

Status writeAtomically(const std::string& path, ByteView data, unsigned mode) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return ioError("cannot create", tmp);
  Status written = writeAll(fd, data, tmp);
  const bool synced = written.ok() && ::fsync(fd) == 0;
  ::close(fd);
  if (!written.ok()) return written;
  if (!synced) return ioError("cannot sync", tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return ioError("cannot replace", path);
  syncFolderOf(path);
  return Status::Ok();
}

}  // namespace titlecert::files
