// The HTTP server: an event loop (Boost.Asio) owns the listening socket and
// every connection; a worker pool runs the requests (http/api_handler.h).
// A connection costs a worker only while its request is being handled.
#include <Poco/Logger.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <sys/resource.h>

#include <csignal>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cerrno>
#include <optional>
#include <thread>
#include <vector>

#include "http/api_handler.h"
#include "http/connection.h"
#include "http/connection_limits.h"
#include "http/worker_pool.h"
#include "titlecert/issuer/server.h"

namespace titlecert::issuer {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

// The last OpenSSL error's text, the queue cleared.
std::string openSslReason() {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = ERR_reason_error_string(code);
  ERR_clear_error();
  return reason ? reason : "unknown error";
}

// TLS 1.2 with forward secrecy and AEAD only (no CBC, no RSA key exchange);
// TLS 1.3's suites are all AEAD and OpenSSL prefers 1.3. Throws
// std::runtime_error naming the fault.
std::unique_ptr<asio::ssl::context> tlsContext(const Config& c) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                   asio::ssl::context::single_dh_use);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1)
    throw std::runtime_error("no usable cipher suite");
  if (SSL_CTX_use_certificate_chain_file(native, c.tlsCertificate.c_str()) != 1)
    throw std::runtime_error("Error loading certificate from file " + c.tlsCertificate + ": " + openSslReason());
  // A key that does not match the certificate is refused by OpenSSL here
  // (every handshake would fail otherwise); say so in those words.
  if (SSL_CTX_use_PrivateKey_file(native, c.tlsPrivateKey.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(native) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      throw std::runtime_error("the private key is not the certificate's");
    }
    throw std::runtime_error("Error loading private key from file " + c.tlsPrivateKey + ": " + openSslReason());
  }
  return ctx;
}

// Descriptors this process may open: the soft limit raised to the hard one
// (a server holds one per connection).
long descriptorBudget() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur == RLIM_INFINITY ? 1L << 20 : static_cast<long>(limit.rlim_cur);
}

// The configured caps, kept inside the descriptors there are (128 left for
// the database, logs and files); a quarter of the rest for shedding.
http::ConnectionLimits limitsFor(const Config& c) {
  const long budget = std::max(64L, descriptorBudget() - 128);
  const long serving = std::max(1L, std::min<long>(c.maxConnections, budget * 3 / 4));
  const long shedding = std::max(1L, std::min<long>(budget - serving, std::max(64L, serving / 4)));
  return http::ConnectionLimits(static_cast<int>(serving), c.maxConnectionsPerClient, static_cast<int>(shedding));
}

http::ConnectionTimeouts timeoutsOf(const Config& c) {
  using std::chrono::milliseconds;
  return {milliseconds(c.headerTimeoutMs), milliseconds(c.bodyTimeoutMs), milliseconds(c.idleTimeoutMs),
          milliseconds(c.writeTimeoutMs), milliseconds(c.lingerMs)};
}

// While alive, the calling thread blocks the termination signals, so the
// threads it starts inherit the mask: SIGTERM and SIGINT then reach the
// thread that waits for them (the command line's sigwait) and never end
// the process from a loop or worker; SIGPIPE is never wanted.
class TerminationSignalsBlocked {
 public:
  TerminationSignalsBlocked() {
    sigset_t blocked;
    sigemptyset(&blocked);
    for (int signal : {SIGINT, SIGTERM, SIGQUIT, SIGPIPE}) sigaddset(&blocked, signal);
    pthread_sigmask(SIG_BLOCK, &blocked, &previous_);
  }
  ~TerminationSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  TerminationSignalsBlocked(const TerminationSignalsBlocked&) = delete;
  TerminationSignalsBlocked& operator=(const TerminationSignalsBlocked&) = delete;

 private:
  sigset_t previous_{};
};

Problem listenFailed(const std::string& listen, const std::string& why) {
  return Problem{ProblemKind::Internal, "LISTEN_FAILED", "cannot listen on " + listen + ": " + why, "http.listen", {}};
}

}  // namespace

struct HttpServer::Impl {
  Impl(Service& service, const Config& config)
      : handler(service),
        workers(config.maxThreads, config.maxQueued),
        limits(limitsFor(config)),
        parts{handler, workers, timeoutsOf(config), nullptr},
        acceptor(io),
        pause(io) {}

  // Accepts until the acceptor closes; while even the shedding allowance
  // is used up, or descriptors run out, it waits a moment and tries again.
  void accept() {
    if (limits.sheddingFull()) return waitThenAccept();
    acceptor.async_accept(asio::make_strand(io), [this](error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) return waitThenAccept();
      error_code ignored;
      const auto remote = socket.remote_endpoint(ignored);
      const std::string peer = remote.address().to_string();
      http::serveConnection(std::move(socket), parts, limits.enter(peer), peer);
      accept();
    });
  }

  void waitThenAccept() {
    pause.expires_after(std::chrono::milliseconds(20));
    pause.async_wait([this](error_code ec) {
      if (!ec) accept();
    });
  }

  http::ApiHandler handler;
  http::WorkerPool workers;
  http::ConnectionLimits limits;
  std::unique_ptr<asio::ssl::context> tls;
  http::ServerParts parts;
  // Declared last: destroyed first, with the connections it still holds.
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::steady_timer pause;
  std::vector<std::thread> loops;
  std::uint16_t port = 0;
  bool stopped = false;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return impl_->port; }
bool HttpServer::tls() const { return impl_->tls != nullptr; }

void HttpServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  // Requests in progress finish; their answers are not written.
  impl_->io.stop();
  for (std::thread& t : impl_->loops) t.join();
  // The loops are gone: the port is freed here, not when the server is
  // destroyed.
  error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->workers.join();
}

Expected<std::unique_ptr<HttpServer>> HttpServer::start(Service& service, const std::string& listen) {
  const Config& config = service.config();
  const TerminationSignalsBlocked forNewThreads;
  auto impl = std::make_unique<Impl>(service, config);
  // The TLS files first, so that an error names them and not the address.
  if (!config.tlsCertificate.empty()) {
    try {
      impl->tls = tlsContext(config);
      impl->parts.tls = impl->tls.get();
    } catch (const std::exception& e) {
      return badRequest("http.tls.certificate",
                        "http.tls.certificate " + config.tlsCertificate + " / http.tls.private_key " +
                            config.tlsPrivateKey + ": " + e.what(),
                        "BAD_CONFIG");
    }
  }
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return listenFailed(listen, "expected HOST:PORT");
  error_code ec;
  std::string host = listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  tcp::resolver resolver(impl->io);
  const auto found = resolver.resolve(host, listen.substr(colon + 1), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || found.empty()) return listenFailed(listen, ec ? ec.message() : "no such address");
  const tcp::endpoint endpoint = found.begin()->endpoint();
  // SO_REUSEADDR but never SO_REUSEPORT: a second server on the same port
  // fails here instead of sharing it and taking half the requests.
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (ec == asio::error::address_in_use)
    return listenFailed(listen, "the address is already in use (is another server running there?)");
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return listenFailed(listen, ec.message());
  impl->port = impl->acceptor.local_endpoint().port();
  impl->accept();
  for (int i = 0; i < config.ioThreads; ++i) impl->loops.emplace_back([io = &impl->io] { io->run(); });
  Poco::Logger::get("titlecert.issuer.http")
      .notice("listening on " + impl->acceptor.local_endpoint().address().to_string() + ":" + std::to_string(impl->port) +
              (impl->tls ? " (TLS)" : " (plain HTTP)"));
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

}  // namespace titlecert::issuer
