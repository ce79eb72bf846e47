// A bare TCP client for the server tests that need what an HTTP library
// hides: the status line as sent, a body sent slowly or not at all, and
// whether the server closed or reset the connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace titlecert::testing {

class RawConnection {
 public:
  RawConnection(std::uint16_t port);  // connects to 127.0.0.1:port (throws when it cannot)
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool send(const std::string& bytes);  // false when the server is gone
  // What arrives within `wait`, until `until` has been seen (or the
  // server closes its side).
  std::string receiveUntil(const std::string& until, std::chrono::milliseconds wait);

  enum class End { Open, Closed, Reset };
  // Reads and drops what arrives for at most `wait`: how the connection ended.
  End awaitEnd(std::chrono::milliseconds wait);
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// The number of descriptors this process has open (/proc/self/fd).
int openDescriptors();

}  // namespace titlecert::testing
