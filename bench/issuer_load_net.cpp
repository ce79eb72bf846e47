#include "issuer_load_net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <strings.h>
#include <thread>

namespace issuer_load {
namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The answer read so far, and whether it is whole: the status line, the
// headers, then a Content-Length body or a chunked one.
struct ResponseReader {
  std::string data;
  int status = 0;
  bool closeAfter = false;

  bool whole() {
    const std::size_t end = data.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    if (status == 0 && data.size() > 12) status = std::atoi(data.c_str() + 9);
    const std::string head = data.substr(0, end + 2);
    closeAfter = headerHas(head, "connection:", "close");
    const std::size_t bodyStart = end + 4;
    if (headerHas(head, "transfer-encoding:", "chunked")) return data.find("\r\n0\r\n\r\n", end) != std::string::npos;
    const long length = headerNumber(head, "content-length:");
    if (length < 0) return closeAfter ? false : true;  // no length: a close ends it, else no body
    return data.size() >= bodyStart + static_cast<std::size_t>(length);
  }
  std::string body() const {
    const std::size_t end = data.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : data.substr(end + 4);
  }

  static std::size_t findHeader(const std::string& head, const char* name) {
    const std::size_t n = std::strlen(name);
    for (std::size_t line = head.find("\r\n"); line != std::string::npos; line = head.find("\r\n", line + 2))
      if (head.size() > line + 2 + n && strncasecmp(head.c_str() + line + 2, name, n) == 0) return line + 2 + n;
    return std::string::npos;
  }
  static bool headerHas(const std::string& head, const char* name, const char* value) {
    const std::size_t at = findHeader(head, name);
    if (at == std::string::npos) return false;
    const std::string rest = head.substr(at, head.find("\r\n", at) - at);
    return strcasestr(rest.c_str(), value) != nullptr;
  }
  static long headerNumber(const std::string& head, const char* name) {
    const std::size_t at = findHeader(head, name);
    return at == std::string::npos ? -1 : std::atol(head.c_str() + at);
  }
};

int openSocket() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// errno of a failed connect, send or read, as the report names it.
std::string errorKind(int e) {
  switch (e) {
    case ECONNREFUSED: return "refused";
    case ECONNRESET:
    case EPIPE: return "reset";
    case ETIMEDOUT: return "timeout";
    case EMFILE:
    case ENFILE: return "no-descriptors";
    default: return std::string("errno-") + std::to_string(e);
  }
}

enum class Phase { Idle, Connecting, Sending, Reading };

struct Client {
  int fd = -1;
  Phase phase = Phase::Idle;
  HttpRequest request;
  std::string out;
  std::size_t sent = 0;
  ResponseReader reader;
  Clock::time_point started;
  std::uint64_t count = 0;
  Clock::time_point notBefore;  // a refused client waits a little before it tries again
};

class Driver {
 public:
  Driver(const DriverOptions& o) : o_(o), clients_(static_cast<std::size_t>(o.clients)) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  }
  ~Driver() {
    for (auto& c : clients_)
      if (c.fd >= 0) ::close(c.fd);
    ::close(epoll_);
  }

  std::vector<Outcome> run(const std::atomic<bool>& stop) {
    begin_ = Clock::now();
    for (std::size_t i = 0; i < clients_.size(); ++i) pending_.push_back(i);
    std::vector<epoll_event> events(clients_.size() + 1);
    auto lastSweep = Clock::now();
    while (!stop.load()) {
      startPending();
      const int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), pending_.empty() ? 50 : 5);
      for (int k = 0; k < n; ++k) step(events[static_cast<std::size_t>(k)].data.u64, events[static_cast<std::size_t>(k)].events);
      if (since(lastSweep) > 0.1) {
        sweep();
        lastSweep = Clock::now();
      }
    }
    return std::move(outcomes_);
  }

 private:
  // Clients start their next request here, never from inside finish(): a
  // refused connect fails at once, and must not recurse.
  void startPending() {
    std::vector<std::size_t> due;
    due.swap(pending_);
    const auto now = Clock::now();
    for (std::size_t i : due) {
      if (clients_[i].notBefore > now) pending_.push_back(i);
      else start(i);
    }
  }

  void start(std::size_t i) {
    Client& c = clients_[i];
    c.request = o_.next(static_cast<int>(i), c.count++);
    c.out = requestText(c.request, o_.keepAlive);
    c.sent = 0;
    c.reader = {};
    c.started = Clock::now();
    if (c.fd >= 0) {
      c.phase = Phase::Sending;
      watch(i, EPOLLOUT, EPOLL_CTL_MOD);
      return;
    }
    c.fd = openSocket();
    if (c.fd < 0) return finish(i, 0, errorKind(errno), true);
    const sockaddr_in a = loopback(o_.port);
    const int r = ::connect(c.fd, reinterpret_cast<const sockaddr*>(&a), sizeof a);
    if (r != 0 && errno != EINPROGRESS) return finish(i, 0, errorKind(errno), true);
    c.phase = Phase::Connecting;
    watch(i, EPOLLOUT, EPOLL_CTL_ADD);
  }

  void watch(std::size_t i, std::uint32_t what, int op) {
    epoll_event e{};
    e.events = what | EPOLLRDHUP;
    e.data.u64 = i;
    ::epoll_ctl(epoll_, op, clients_[i].fd, &e);
  }

  void step(std::uint64_t index, std::uint32_t events) {
    const std::size_t i = static_cast<std::size_t>(index);
    Client& c = clients_[i];
    if (c.phase == Phase::Connecting) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) return finish(i, 0, errorKind(err), true);
      c.phase = Phase::Sending;
    }
    if (c.phase == Phase::Sending) {
      const ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN) return finish(i, 0, errorKind(errno), true);
      if (n > 0) c.sent += static_cast<std::size_t>(n);
      if (c.sent == c.out.size()) {
        c.phase = Phase::Reading;
        watch(i, EPOLLIN, EPOLL_CTL_MOD);
      }
      return;
    }
    if (c.phase == Phase::Reading && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) readSome(i);
  }

  void readSome(std::size_t i) {
    Client& c = clients_[i];
    char buffer[16384];
    for (;;) {
      const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        c.reader.data.append(buffer, static_cast<std::size_t>(n));
        if (c.reader.whole()) return finish(i, c.reader.status, {}, c.reader.closeAfter || !o_.keepAlive);
        continue;
      }
      if (n < 0 && errno == EAGAIN) return;
      if (n < 0) return finish(i, 0, errorKind(errno), true);
      // The server closed: an answer without a length ends here.
      if (c.reader.status != 0 && c.reader.data.find("\r\n\r\n") != std::string::npos)
        return finish(i, c.reader.status, {}, true);
      return finish(i, 0, c.reader.data.empty() ? "closed" : "closed-mid-answer", true);
    }
  }

  void finish(std::size_t i, int status, const std::string& error, bool close) {
    Client& c = clients_[i];
    Outcome o;
    o.kind = c.request.kind;
    o.status = status;
    o.error = error;
    o.seconds = since(c.started);
    o.doneAt = since(begin_);
    if (status == 201) o.body = c.reader.body();
    if (close && c.fd >= 0) {
      ::close(c.fd);
      c.fd = -1;
    }
    c.phase = Phase::Idle;
    c.notBefore = status == 0 && error != "timeout" ? Clock::now() + std::chrono::milliseconds(50) : Clock::now();
    if (o_.onOutcome) o_.onOutcome(o);
    outcomes_.push_back(std::move(o));
    pending_.push_back(i);
  }

  // Requests with no whole answer within the timeout end as "timeout".
  void sweep() {
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      Client& c = clients_[i];
      if (c.phase != Phase::Idle && since(c.started) > o_.answerTimeout) finish(i, 0, "timeout", true);
    }
  }

  const DriverOptions& o_;
  std::vector<Client> clients_;
  std::vector<Outcome> outcomes_;
  std::vector<std::size_t> pending_;
  int epoll_ = -1;
  Clock::time_point begin_;
};

}  // namespace

std::string requestText(const HttpRequest& r, bool keepAlive) {
  std::string s = r.method + " " + r.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!r.token.empty()) s += "Authorization: Bearer " + r.token + "\r\n";
  if (!r.body.empty() || r.method == "POST")
    s += "Content-Type: application/json\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n";
  s += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return s + r.body;
}

std::vector<Outcome> drive(const DriverOptions& options, const std::atomic<bool>& stop) {
  Driver d(options);
  return d.run(stop);
}

TrickleReport trickle(int port, int count, double interval, const std::atomic<bool>& stop) {
  TrickleReport report;
  std::vector<int> fds;
  const sockaddr_in a = loopback(port);
  for (int i = 0; i < count; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    // A server that stops accepting must not hold the bench in connect().
    const timeval connectTimeout{3, 0};
    if (fd >= 0) ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &connectTimeout, sizeof connectTimeout);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0) {
      ::fcntl(fd, F_SETFL, O_NONBLOCK);
      fds.push_back(fd);
    } else {
      ++report.failedToOpen;
      if (fd >= 0) ::close(fd);
    }
  }
  report.opened = static_cast<int>(fds.size());
  const std::string header = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  std::vector<bool> open(fds.size(), true);
  std::size_t at = 0;
  auto lastByte = Clock::now() - std::chrono::hours(1);
  while (!stop.load()) {
    if (since(lastByte) >= interval) {
      const char byte = at < header.size() ? header[at] : 'x';
      ++at;
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (!open[i]) continue;
        char sink[512];
        const ssize_t got = ::recv(fds[i], sink, sizeof sink, 0);
        if (got == 0 || (got < 0 && errno != EAGAIN) || ::send(fds[i], &byte, 1, MSG_NOSIGNAL) < 0) {
          open[i] = false;
          ++report.closedByServer;
        }
      }
      lastByte = Clock::now();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int fd : fds) ::close(fd);
  return report;
}

Reply call(int port, const std::string& method, const std::string& path, const std::string& body,
           const std::string& token, double timeout) {
  Reply reply;
  const auto started = Clock::now();
  const int fd = openSocket();
  const sockaddr_in a = loopback(port);
  auto fail = [&](const std::string& why) {
    reply.error = why;
    reply.seconds = since(started);
    if (fd >= 0) ::close(fd);
    return reply;
  };
  if (fd < 0) return fail(errorKind(errno));
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS)
    return fail(errorKind(errno));
  const std::string out = requestText({"call", method, path, body, token}, false);
  std::size_t sent = 0;
  ResponseReader reader;
  while (since(started) < timeout) {
    pollfd p{fd, static_cast<short>(sent < out.size() ? POLLOUT : POLLIN), 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    if (sent < out.size()) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) return fail(errorKind(err));
      const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN) return fail(errorKind(errno));
      if (n > 0) sent += static_cast<std::size_t>(n);
      continue;
    }
    char buffer[16384];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EAGAIN) continue;
    if (n < 0) return fail(errorKind(errno));
    if (n > 0) reader.data.append(buffer, static_cast<std::size_t>(n));
    if ((n > 0 && reader.whole()) || (n == 0 && reader.status != 0)) {
      reply.status = reader.status;
      reply.body = reader.body();
      reply.seconds = since(started);
      ::close(fd);
      return reply;
    }
    if (n == 0) return fail("closed");
  }
  return fail("timeout");
}

long raiseFileLimit() {
  rlimit l{};
  ::getrlimit(RLIMIT_NOFILE, &l);
  l.rlim_cur = l.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &l);
  ::getrlimit(RLIMIT_NOFILE, &l);
  return static_cast<long>(l.rlim_cur);
}

}  // namespace issuer_load
