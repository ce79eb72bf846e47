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

Error stopped(const std::string& path, WriteStep step) {
  return makeError(Code::IO_ERROR, "write of " + path + " stopped before step " + std::to_string(static_cast<int>(step)));
}

Status syncFolderOf(const std::string& path) {
  const auto dir = std::filesystem::path(path).parent_path();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ioError("cannot open the folder of", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : ioError("cannot sync the folder of", path);
}

// Writes and syncs the temp file, stopping before stopBefore when it is one
// of these steps.
Status writeTemp(const std::string& path, const std::string& tmp, ByteView data, unsigned mode, WriteStep stopBefore) {
  if (stopBefore == WriteStep::CreateTemp) return stopped(path, stopBefore);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return ioError("cannot create", tmp);
  const bool torn = stopBefore == WriteStep::WriteTemp;
  Status s = writeAll(fd, torn ? data.first(data.size() / 2) : data, tmp);
  if (s.ok() && (torn || stopBefore == WriteStep::SyncTemp)) s = stopped(path, stopBefore);
  if (s.ok() && ::fsync(fd) != 0) s = ioError("cannot sync", tmp);
  ::close(fd);
  return s;
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

Status writeAtomically(const std::string& path, ByteView data, unsigned mode, WriteStep stopBefore) {
  const std::string tmp = path + ".tmp";
  TC_TRY(writeTemp(path, tmp, data, mode, stopBefore));
  if (stopBefore == WriteStep::Rename) return stopped(path, stopBefore);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return ioError("cannot replace", path);
  if (stopBefore == WriteStep::SyncFolder) return stopped(path, stopBefore);
  return syncFolderOf(path);
}

}  // namespace titlecert::files
