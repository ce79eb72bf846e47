// Routes, limits and security headers of the check service. Each request:
// rate limit (per client address) → body within its size and time limit →
// a verification slot or a fast 503 → the verifier. Logs one line per
// request with method, path, status and time — never the body, the query
// or an ID number.
#include "titlecert/checkd/server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <atomic>
#include <cctype>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "assets.h"
#include "http_reply.h"
#include "titlecert/checkd/limits.h"
#include "titlecert/dates.h"
#include "verify_endpoint.h"

namespace titlecert::checkd {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
using Clock = std::chrono::steady_clock;

// The page loads only its own script and style and talks only to this
// origin; the camera preview is a local media stream. 'wasm-unsafe-eval'
// lets the offline page compile its WebAssembly verifier (it allows no JS
// eval); its service worker is a same-origin script (script-src).
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; "
    "media-src 'self' blob: mediastream:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

struct CheckServer::Impl {
  std::shared_ptr<TrustStore> trust;
  ServerConfig config;
  RateLimiter limiter;
  std::atomic<int> verifying{0};
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;

  Impl(std::shared_ptr<TrustStore> t, ServerConfig c)
      : trust(std::move(t)), config(std::move(c)), limiter(config.ratePerSecond, config.rateBurst) {}

  std::int64_t now() const { return config.fixedNow ? *config.fixedNow : static_cast<std::int64_t>(std::time(nullptr)); }
};

namespace {

// Holds one of the verification slots for the life of a request.
class SlotGuard {
 public:
  SlotGuard(std::atomic<int>& inUse, int slots) : inUse_(inUse) { held_ = inUse_.fetch_add(1) < slots; }
  ~SlotGuard() { inUse_.fetch_sub(1); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
  bool held() const { return held_; }

 private:
  std::atomic<int>& inUse_;
  bool held_ = false;
};

double secondsSinceStart() {
  static const auto start = Clock::now();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class CheckHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit CheckHandler(CheckServer::Impl& s) : s_(s) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    const auto started = Clock::now();
    std::string path = "?";
    Reply reply;
    try {
      path = Poco::URI(request.getURI()).getPath();
      reply = route(request, response, path);
    } catch (const std::exception&) {
      reply = errorReply(500, "INTERNAL_ERROR", "the request could not be handled");
    }
    send(response, reply);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    // One write per line, so lines from several threads do not interleave.
    std::clog << ("titlecert-checkd: " + request.getMethod() + " " + path + " " + std::to_string(reply.status) + " " +
                  std::to_string(ms) + "ms\n")
              << std::flush;
  }

 private:
  Reply route(HTTPServerRequest& request, HTTPServerResponse& response, const std::string& path) {
    const std::string& method = request.getMethod();
    if (path == "/v1/verify") {
      if (method != "POST") return withAllow(errorReply(405, "METHOD_NOT_ALLOWED", "use POST"), "POST");
      return verify(request, response);
    }
    if (method != "GET" && method != "HEAD") return withAllow(errorReply(405, "METHOD_NOT_ALLOWED", "use GET"), "GET, HEAD");
    if (path == "/healthz") return health();
    if (path == "/bundle") {
      const auto current = s_.trust->current();
      if (!current) return errorReply(503, "NO_BUNDLE", "no trust bundle loaded yet");
      return Reply{200, "application/cbor", current->bytes, {{"Cache-Control", "no-cache"}}};
    }
    if (path == "/root.pub.pem") return Reply{200, "application/x-pem-file", s_.trust->rootPem(), {}};
    if (const Asset* asset = findAsset(path))
      return Reply{200, std::string(asset->contentType), std::string(asset->body), {{"Cache-Control", "no-cache"}}};
    return errorReply(404, "NOT_FOUND", "no such page");
  }

  static Reply withAllow(Reply r, const std::string& allow) {
    r.headers.emplace_back("Allow", allow);
    return r;
  }

  Reply health() const {
    const auto current = s_.trust->current();
    if (!current) return errorReply(503, "NO_BUNDLE", "no trust bundle loaded yet");
    const auto& c = current->verifier.contents();
    const nlohmann::json j{{"status", "ok"},
                           {"bundle_version", c.version},
                           {"next_update", dates::formatRfc3339(c.nextUpdate)},
                           {"stale", s_.now() >= c.nextUpdate}};
    return Reply{200, "application/json", j.dump(), {}};
  }

  Reply verify(HTTPServerRequest& request, HTTPServerResponse& response) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(s_.config.bodyDeadlineMs);
    if (const int wait = s_.limiter.take(clientOf(request), secondsSinceStart()); wait > 0) {
      if (!drainBody(request, s_.config.maxTextBody, deadline)) response.setKeepAlive(false);
      auto r = errorReply(429, "RATE_LIMITED", "too many requests from this address; try again later");
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    }
    const std::string type = mediaType(request.getContentType());
    if (!isJsonType(type) && !isImageType(type)) {
      if (!drainBody(request, s_.config.maxTextBody, deadline)) response.setKeepAlive(false);
      return errorReply(415, "UNSUPPORTED_MEDIA_TYPE", "send application/json, image/png or image/jpeg");
    }
    const std::size_t limit = isImageType(type) ? s_.config.maxImageBody : s_.config.maxTextBody;
    VerifyRequest v{type, {}, request.get("X-Titlecert-Id", ""), verifier::Lang::Zh, s_.now()};
    switch (readBody(request, limit, deadline, v.body)) {
      case BodyRead::TooLarge:
        if (!drainBody(request, 256 * 1024, deadline)) response.setKeepAlive(false);
        return errorReply(413, "BODY_TOO_LARGE", "the body is larger than " + std::to_string(limit) + " bytes");
      case BodyRead::TooSlow:
        response.setKeepAlive(false);
        return errorReply(408, "REQUEST_TIMEOUT", "the body did not arrive in time");
      case BodyRead::Ok: break;
    }
    const SlotGuard slot(s_.verifying, s_.config.verifySlots);
    if (!slot.held()) {
      auto r = errorReply(503, "BUSY", "the service is busy; try again in a moment");
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    const auto current = s_.trust->current();
    if (!current) return errorReply(503, "NO_BUNDLE", "no trust bundle loaded yet");
    for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters())
      if (name == "lang" && value == "en") v.lang = verifier::Lang::En;
    auto reply = verifyRequest(*current, s_.config, v);
    reply.headers.emplace_back("Cache-Control", "no-store");
    return reply;
  }

  std::string clientOf(const HTTPServerRequest& request) const {
    if (!s_.config.clientAddressHeader.empty()) {
      const std::string list = request.get(s_.config.clientAddressHeader, "");
      std::string last = list.substr(list.rfind(',') == std::string::npos ? 0 : list.rfind(',') + 1);
      std::erase_if(last, [](unsigned char c) { return std::isspace(c); });
      if (!last.empty()) return last;
    }
    return request.clientAddress().host().toString();
  }

  static void send(HTTPServerResponse& response, const Reply& reply) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.contentType);
    response.set("Content-Security-Policy", kContentSecurityPolicy);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Frame-Options", "DENY");
    response.set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
    response.send().write(reply.body.data(), static_cast<std::streamsize>(reply.body.size()));
  }

  CheckServer::Impl& s_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(CheckServer::Impl& s) : s_(s) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new CheckHandler(s_); }

 private:
  CheckServer::Impl& s_;
};

}  // namespace

CheckServer::CheckServer(std::shared_ptr<TrustStore> trust, ServerConfig config)
    : impl_(std::make_unique<Impl>(std::move(trust), std::move(config))) {}

CheckServer::~CheckServer() { stop(); }

void CheckServer::start() {
  const auto& c = impl_->config;
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(c.host, c.port), 64);
  impl_->port = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(c.httpThreads);
  params->setMaxQueued(c.maxQueued);
  params->setKeepAlive(true);
  params->setTimeout(Poco::Timespan(static_cast<long>(c.readTimeoutMs / 1000), (c.readTimeoutMs % 1000) * 1000));
  params->setServerName("titlecert-checkd");
  impl_->pool = std::make_unique<Poco::ThreadPool>(2, c.httpThreads);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*impl_), *impl_->pool, socket, params);
  impl_->server->start();
}

void CheckServer::stop() {
  if (!impl_->server) return;
  impl_->server->stopAll(true);
  impl_->server.reset();
  impl_->pool->joinAll();
}

std::uint16_t CheckServer::port() const { return impl_->port; }

}  // namespace titlecert::checkd
