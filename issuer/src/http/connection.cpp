#include "http/connection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>
#include <memory>
#include <optional>
#include <strings.h>
#include <type_traits>

#include "http/routes.h"

namespace titlecert::issuer::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kLingerBytes = 1 << 20;
const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool isParseError(const error_code& ec) {
  return &ec.category() == &bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

Request headOf(const bhttp::request<bhttp::string_body>& message, const std::string& peer, bool tls) {
  Request r;
  r.method = std::string(message.method_string());
  r.target = std::string(message.target());
  for (const auto& field : message) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.peer = peer;
  r.tls = tls;
  return r;
}

// Whether the route table names the request a revocation: read from the
// head alone (no token check, which needs a worker), it only decides which
// places of the worker pool the request may take.
bool namesRevocation(const Request& r) {
  const auto match = matchPath(r.rawPath());
  if (!match) return false;
  for (const Route& route : match->routes)
    if (route.method == r.method) return isRevocation(route.endpoint);
  return false;
}

std::shared_ptr<bhttp::response<bhttp::string_body>> responseOf(const Reply& reply, bool close) {
  auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
  res->version(11);
  res->result(static_cast<unsigned>(reply.status));
  for (const auto& [k, v] : reply.headers) res->set(k, v);
  // RFC 6750 §3: a 401 names the scheme the client should use.
  if (reply.status == 401) res->set(bhttp::field::www_authenticate, "Bearer");
  res->set(bhttp::field::cache_control, "no-store");
  res->set("X-Content-Type-Options", "nosniff");
  if (reply.status == 304) {
    res->content_length(0);
  } else {
    res->set(bhttp::field::content_type, reply.contentType);
    res->body() = reply.body;
    res->content_length(reply.body.size());
  }
  res->keep_alive(!close);
  return res;
}

template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  template <class... StreamArgs>
  Connection(ServerParts& parts, ConnectionLimits::Slot slot, std::string peer, StreamArgs&&... streamArgs)
      : parts_(parts), slot_(std::move(slot)), peer_(std::move(peer)), stream_(std::forward<StreamArgs>(streamArgs)...) {}

  void start() {
    if constexpr (kTls) {
      lowest().expires_after(parts_.timeouts.header);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](error_code ec) {
        if (ec) return self->closeNow();
        self->begin();
      });
    } else {
      begin();
    }
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void begin() {
    if (slot_.kind() == ConnectionLimits::Kind::Shed) return writeReply(ApiHandler::overCapacity(), true);
    readHead();
  }

  // Between requests: waits up to the idle timeout for the next one's
  // first bytes, then gives the whole head the header timeout.
  void awaitNextRequest() {
    if (buffer_.size() > 0) return readHead();
    lowest().expires_after(parts_.timeouts.idle);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](error_code ec, std::size_t n) {
      if (ec) return self->closeNow();
      self->buffer_.commit(n);
      self->readHead();
    });
  }

  void readHead() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // The limit is the endpoint's, known after the head (ApiHandler::admit).
    // Not boost::none: Beast 1.74 compares a Content-Length with an empty
    // optional as larger and refuses it.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    lowest().expires_after(parts_.timeouts.header);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](error_code ec, std::size_t) { self->onHead(ec); });
  }

  void onHead(error_code ec) {
    if (ec) {
      if (isParseError(ec)) {
        // The parser leaves what it refused in the buffer.
        const auto unread = buffer_.cdata();
        const Reply reply = ApiHandler::malformed();
        ApiHandler::logMalformed(std::string_view(static_cast<const char*>(unread.data()), unread.size()), reply.status);
        return writeReply(reply, true);
      }
      return closeNow();  // a timeout, the client gone, or a TLS failure
    }
    started_ = Clock::now();
    request_ = headOf(parser_->get(), peer_, kTls);
    keepAlive_ = parser_->get().keep_alive();
    if (request_.announcesBody()) {
      submit([handler = &parts_.handler, head = request_] { return handler->admit(head); },
             [](Connection& self, Admission a) { self.onAdmitted(std::move(a)); });
    } else {
      submit([handler = &parts_.handler, request = request_] {
               Admission a = handler->admit(request);
               Reply reply = handler->answer(request, a);
               return std::make_pair(std::move(reply), a.actor);
             },
             [](Connection& self, std::pair<Reply, Actor> done) { self.finish(done.first, done.second, !self.keepAlive_); });
    }
  }

  // Runs `work` on a worker, then `then` with its result back on this
  // connection's strand; a full pool gets 503 at once, except for the answer
  // step of a request already admitted (`admitted`), which its admission's
  // place covers.
  template <class Work, class Then>
  void submit(Work work, Then then, bool admitted = false) {
    auto self = this->shared_from_this();
    const bool taken = parts_.workers.trySubmit(
        [self, work = std::move(work), then]() mutable {
          auto result = work();
          asio::post(self->stream_.get_executor(), [self, then, result = std::move(result)]() mutable {
            then(*self, std::move(result));
          });
        },
        admitted                    ? WorkerPool::Place::Admitted
        : namesRevocation(request_) ? WorkerPool::Place::Revocation
                                    : WorkerPool::Place::Any);
    if (!taken) finish(ApiHandler::overCapacity(), Actor{-1, Role::Auditor}, true);
  }

  // A refusal leaves the body unread, so the connection cannot be reused.
  void onAdmitted(Admission admission) {
    if (admission.refusal) return finish(*admission.refusal, admission.actor, true);
    admission_ = std::move(admission);
    if (strcasecmp(request_.header("Expect").c_str(), "100-continue") != 0) return readBody();
    lowest().expires_after(parts_.timeouts.write);
    asio::async_write(stream_, asio::buffer(kContinue), [self = this->shared_from_this()](error_code ec, std::size_t) {
      if (ec) return self->closeNow();
      self->readBody();
    });
  }

  void readBody() {
    parser_->body_limit(admission_.bodyLimit);
    lowest().expires_after(parts_.timeouts.body);
    bhttp::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      if (ec == bhttp::error::body_limit)
        return self->finish(ApiHandler::bodyTooLarge(self->admission_.language), self->admission_.actor, true);
      if (ec) return self->closeNow();
      self->request_.body = std::move(self->parser_->get().body());
      self->submit([handler = &self->parts_.handler, request = self->request_, admission = self->admission_] {
                     return handler->answer(request, admission);
                   },
                   [](Connection& me, Reply reply) { me.finish(reply, me.admission_.actor, !me.keepAlive_); },
                   true);
    });
  }

  void finish(const Reply& reply, const Actor& actor, bool close) {
    ApiHandler::log(request_, reply.status,
                    std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_), actor);
    writeReply(reply, close);
  }

  void writeReply(const Reply& reply, bool close) {
    auto response = responseOf(reply, close);
    lowest().expires_after(parts_.timeouts.write);
    bhttp::async_write(stream_, *response, [self = this->shared_from_this(), response, close](error_code ec, std::size_t) {
      if (ec) return self->closeNow();
      if (close) return self->closeLingering();
      self->awaitNextRequest();
    });
  }

  // Stops sending, then reads and drops what still arrives for a bounded
  // time and size: closing with unread input would make the kernel reset
  // the connection under the answer before the client read it.
  void closeLingering() {
    error_code ignored;
    lowest().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    lowest().expires_after(parts_.timeouts.linger);
    drain();
  }

  void drain() {
    lowest().async_read_some(asio::buffer(drainBuffer_), [self = this->shared_from_this()](error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ >= kLingerBytes) return self->closeNow();
      self->drain();
    });
  }

  void closeNow() {
    error_code ignored;
    lowest().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    lowest().socket().close(ignored);
  }

  ServerParts& parts_;
  ConnectionLimits::Slot slot_;
  std::string peer_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;
  Admission admission_;
  bool keepAlive_ = false;
  Clock::time_point started_ = Clock::now();
  std::array<char, 8192> drainBuffer_{};
  std::size_t drained_ = 0;
};

}  // namespace

void serveConnection(asio::ip::tcp::socket socket, ServerParts& parts, ConnectionLimits::Slot slot, std::string peer) {
  if (parts.tls)
    std::make_shared<Connection<TlsStream>>(parts, std::move(slot), std::move(peer), std::move(socket), *parts.tls)->start();
  else
    std::make_shared<Connection<PlainStream>>(parts, std::move(slot), std::move(peer), std::move(socket))->start();
}

}  // namespace titlecert::issuer::http
