// The HTTP layer: the route table (http/routes.h) and one
// handler that authenticates, checks the role, reads the body within its
// limit, calls the Service and writes JSON (errors always as
// {"error", "message"}). Handlers hold only their inputs.
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "http/connection_end.h"
#include "http/language.h"
#include "batch_files.h"
#include "http/console_answers.h"
#include "http/request_bodies.h"
#include "http/peer_endpoints.h"
#include "http/routes.h"
#include "titlecert/crypto.h"
#include "titlecert/issuer/http_answers.h"
#include "titlecert/issuer/http_requests.h"
#include "titlecert/issuer/server.h"

namespace titlecert::issuer {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
using http::Endpoint;
using http::matchPath;
using http::Route;

// What a handler sends back.
struct Reply {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// For a log line: control characters, DEL and backslash as \xNN, so that
// a request cannot add or rewrite lines (a raw path is logged, never its
// percent-decoded form).
std::string escapedForLog(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

// The request target as sent, without the query: never decoded.
std::string rawPath(const std::string& target) { return target.substr(0, target.find('?')); }

Reply jsonReply(int status, std::string body) { return Reply{status, "application/json", std::move(body), {}}; }

class BodyTooLarge : public std::exception {};

// Reads at most `limit` bytes; a declared or actual larger body is refused.
std::string readBody(HTTPServerRequest& request, std::size_t limit) {
  if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(limit)) throw BodyTooLarge();
  std::string body;
  std::istream& in = request.stream();
  char buffer[8192];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > limit) throw BodyTooLarge();
  }
  return body;
}

// Reads and drops what is left of a request body (up to 16 MiB) before the
// answer goes out. A refused request (401, 403, 413 …) leaves its body
// unread; closing a socket with unread input makes the kernel send a reset,
// which can destroy the answer before the client reads it.
bool discardUnreadBody(HTTPServerRequest& request) {
  constexpr std::streamsize kDrainLimit = 16 << 20;
  std::istream& in = request.stream();
  char buffer[8192];
  std::streamsize drained = 0;
  while (in && drained < kDrainLimit) {
    in.read(buffer, sizeof buffer);
    drained += in.gcount();
  }
  return drained < kDrainLimit;
}

std::string bearerToken(const HTTPServerRequest& request) {
  const std::string header = request.get("Authorization", "");
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return {};
  return header.substr(prefix.size());
}

bool allowed(const std::vector<Role>& roles, Role r) {
  for (Role x : roles)
    if (x == r) return true;
  return false;
}

std::string queryValue(const Poco::URI& uri, const std::string& name) {
  for (const auto& [k, v] : uri.getQueryParameters())
    if (k == name) return v;
  return {};
}

class ApiHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiHandler(Service& service) : service_(service) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    const auto started = std::chrono::steady_clock::now();
    Actor actor{-1, Role::Auditor};
    Reply reply;
    std::string path;
    language_ = http::chooseLanguage(request.get("Accept-Language", ""));
    try {
      const Poco::URI uri(request.getURI());
      path = uri.getPath();
      reply = route(request, uri, actor);
    } catch (const BodyTooLarge&) {
      reply = problemReply(tooLarge("the request body is larger than this endpoint accepts"));
    } catch (const Poco::SyntaxException&) {
      reply = problemReply(badRequest("", "the request URI is malformed"));
    } catch (const std::exception& e) {
      Poco::Logger::get("titlecert.issuer.http").error("request failed: " + escapedForLog(e.what()));
      reply = problemReply(internalError("the request could not be handled"));
    }
    // An unauthenticated client's body is never read: the answer goes out
    // with Connection: close and the connection ends (a trickled body
    // would otherwise hold this thread until it is all in). An
    // authenticated client's unread rest is drained; past the drain limit
    // the connection is not reused, so nothing is left to read.
    const bool refuseUnread = actor.tokenId <= 0 && http::announcesBody(request);
    if (refuseUnread || !discardUnreadBody(request)) response.setKeepAlive(false);
    send(response, reply);
    if (refuseUnread) http::closeLingering(request);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    // Never the Authorization header or the body: only what identifies the request.
    Poco::Logger::get("titlecert.issuer.http")
        .information(escapedForLog(request.getMethod()) + " " + escapedForLog(rawPath(request.getURI())) + " " +
                     std::to_string(reply.status) + " " + std::to_string(ms) +
                     "ms" + (actor.tokenId > 0 ? " token=" + std::to_string(actor.tokenId) : std::string()));
  }

 private:
  // An answer whose texts follow Accept-Language says so, for caches too.
  Reply inLanguage(Reply r) const {
    r.headers.emplace_back("Content-Language", std::string(http::languageTag(language_)));
    r.headers.emplace_back("Vary", "Accept-Language");
    return r;
  }

  Reply problemReply(const Problem& p, int status) const {
    Reply r{status, "application/json", problemJson(p, language_), {}};
    // A storage fault passes (the disk freed, the database back): retry soon.
    if (p.code == "STORAGE_UNAVAILABLE") r.headers.emplace_back("Retry-After", "5");
    return inLanguage(std::move(r));
  }
  Reply problemReply(const Problem& p) const { return problemReply(p, httpStatus(p)); }

  template <class T, class F>
  Reply answer(const Expected<T>& r, F&& onSuccess) const {
    if (!r.ok()) return problemReply(r.error());
    return onSuccess(r.value());
  }

  Reply route(HTTPServerRequest& request, const Poco::URI& uri, Actor& actor) {
    auto match = matchPath(uri.getPath());
    if (!match) return problemReply(notFound("no such endpoint: " + uri.getPath()));
    const Route* chosen = nullptr;
    std::string allow;
    for (const Route& r : match->routes) {
      allow += (allow.empty() ? "" : ", ") + r.method;
      if (r.method == request.getMethod()) chosen = &r;
    }
    if (!chosen) {
      Reply r = problemReply(Problem{ProblemKind::Invalid, "METHOD_NOT_ALLOWED", request.getMethod() + " is not allowed here", {}, {}}, 405);
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    if (!chosen->roles.empty()) {
      auto who = service_.authenticate(bearerToken(request));
      if (!who) return problemReply(who.error());
      actor = *who;
      if (!allowed(chosen->roles, actor.role))
        return problemReply(forbidden("the role " + std::string(roleName(actor.role)) + " may not use this endpoint"));
    }
    return dispatch(chosen->endpoint, request, uri, match->param, actor);
  }

  Reply dispatch(Endpoint e, HTTPServerRequest& request, const Poco::URI& uri, const std::string& param, const Actor& actor) {
    const Config& config = service_.config();
    switch (e) {
      case Endpoint::CreateToken: return createToken(readBody(request, config.maxBodyBytes), actor);
      case Endpoint::RevokeToken: return revokeToken(param, actor);
      case Endpoint::Issue: return issueOnce(request, actor);
      case Endpoint::IssueBatch: return issueBatch(request, actor);
      case Endpoint::GetCertificate:
        return answer(service_.certificate(param), [](const Certificate& c) { return jsonReply(200, toJson(c)); });
      case Endpoint::QrPng:
        return answer(service_.qrPng(param), [](const Bytes& png) {
          return Reply{200, "image/png", std::string(png.begin(), png.end()), {}};
        });
      case Endpoint::QrSvg:
        return answer(service_.qrSvg(param), [](const std::string& svg) { return Reply{200, "image/svg+xml", svg, {}}; });
      case Endpoint::CardSvg:
      case Endpoint::CardPdf: return card(e, uri, param);
      case Endpoint::Revoke: return revoke(param, readBody(request, config.maxBodyBytes), actor);
      case Endpoint::Bundle: return bundle(request);
      case Endpoint::Eligibility: return eligibility(readBody(request, config.maxBodyBytes));
      case Endpoint::ListIssuers:
        return answer(service_.issuers(), [](const std::vector<IssuerKey>& k) { return jsonReply(200, issuersJson(k)); });
      case Endpoint::ImportIssuer:
        return importIssuer(readBody(request, config.maxBodyBytes), actor);
      case Endpoint::RotateKey: return rotate(readBody(request, config.maxBodyBytes), actor);
      case Endpoint::KeyCompromised: return keyCompromised(param, readBody(request, config.maxBodyBytes), actor);
      case Endpoint::Audit: return audit(uri);
      case Endpoint::AuditVerify:
        return answer(service_.verifyAudit(), [](const AuditCheck& c) { return jsonReply(200, toJson(c)); });
      case Endpoint::SubmitBatch:
        return answer(http::submitBatchJson(service_, readBody(request, config.maxBatchBodyBytes), actor),
                      [](const std::string& j) { return jsonReply(202, j); });
      case Endpoint::GetBatch:
        return answer(http::batchStatusJson(service_, param, language_),
                      [&](const std::string& j) { return inLanguage(jsonReply(200, j)); });
      case Endpoint::Catalogue: return jsonReply(200, http::catalogueJson(service_));
      case Endpoint::FindCertificates:
        return answer(http::searchJson(service_, queryValue(uri, "q")), [](const std::string& j) { return jsonReply(200, j); });
      case Endpoint::Console: return consolePage(param);
      case Endpoint::Health:
        return jsonReply(200, nlohmann::json{{"status", "ok"}, {"root_key_online", service_.rootKeyOnline()}}.dump());
      case Endpoint::Ready: return ready();
      case Endpoint::ListPeers: return answer(http::peersJson(service_), [](const std::string& j) { return jsonReply(200, j); });
      case Endpoint::AddPeer:
        return answer(http::addPeerJson(service_, readBody(request, config.maxBodyBytes), actor),
                      [](const std::string& j) { return jsonReply(201, j); });
      case Endpoint::ImportPeerBundle:
        return answer(http::importPeerJson(service_, request.getContentType(), readBody(request, config.maxBatchBodyBytes), actor),
                      [](const std::string& j) { return jsonReply(200, j); });
    }
    return problemReply(notFound("no such endpoint"));
  }

  // 200 when every check passes, else 503 with Retry-After; the checks
  // either way.
  Reply ready() {
    nlohmann::ordered_json checks = nlohmann::ordered_json::object();
    bool allOk = true;
    for (const Service::ReadyCheck& c : service_.readiness()) {
      checks[c.name] = c.detail;
      allOk = allOk && c.ok;
    }
    nlohmann::ordered_json j = {{"status", allOk ? "ready" : "not_ready"}, {"checks", checks}};
    Reply r = jsonReply(allOk ? 200 : 503, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!allOk) r.headers.emplace_back("Retry-After", "5");
    return r;
  }

  Reply createToken(const std::string& body, const Actor& actor) {
    auto role = http::readTokenRole(body);
    if (!role) return problemReply(role.error());
    return answer(service_.createToken(*role, actor), [](const NewToken& t) { return jsonReply(201, toJson(t)); });
  }

  Reply eligibility(const std::string& body) {
    auto asked = http::readEligibilityRequest(body, service_.today());
    if (!asked) return problemReply(asked.error());
    return answer(service_.eligibility(*asked), [&](const eligibility::Answer& a) {
      return inLanguage(jsonReply(200, eligibility::answerToJson(a, service_.catalogue(), http::languageTag(language_))));
    });
  }

  Reply keyCompromised(const std::string& kid, const std::string& body, const Actor& actor) {
    auto reason = http::readCompromiseReason(body);
    if (!reason) return problemReply(reason.error());
    return answer(service_.keyCompromised(kid, *reason, actor), [](const KeyChange& k) { return jsonReply(200, toJson(k)); });
  }

  Reply revoke(const std::string& certNo, const std::string& body, const Actor& actor) {
    auto reason = http::readRevocationReason(body);
    if (!reason) return problemReply(reason.error());
    return answer(service_.revoke(certNo, *reason, actor), [](const Certificate& c) { return jsonReply(200, toJson(c)); });
  }

  Reply revokeToken(const std::string& param, const Actor& actor) {
    Poco::Int64 id = 0;
    if (!Poco::NumberParser::tryParse64(param, id) || id <= 0) return problemReply(notFound("no token " + param));
    auto r = service_.revokeToken(id, actor);
    if (!r) return problemReply(r.error());
    return jsonReply(200, nlohmann::json{{"id", id}, {"revoked", true}}.dump());
  }

  // With an Idempotency-Key the first answer (status and body) is stored
  // and given again for the same key and body (docs/issuer.md).
  Reply issueOnce(HTTPServerRequest& request, const Actor& actor) {
    const std::string body = readBody(request, service_.config().maxBodyBytes);
    auto issue = [&] {
      auto issueRequest = readIssueRequest(body);
      if (!issueRequest) return problemReply(issueRequest.error());
      return answer(service_.issue(*issueRequest, actor), [](const Issued& i) { return jsonReply(201, toJson(i)); });
    };
    if (!request.has("Idempotency-Key")) return issue();
    const std::string key = request.get("Idempotency-Key");
    auto claimed = service_.claimIdempotencyKey(key, body, actor);
    if (!claimed) return problemReply(claimed.error());
    if (*claimed) return jsonReply((*claimed)->status, (*claimed)->body);
    Reply reply = issue();
    service_.settleIdempotencyKey(key, actor, reply.status, reply.body);
    return reply;
  }

  Reply importIssuer(const std::string& body, const Actor& actor) {
    auto importRequest = readImportIssuerRequest(body);
    if (!importRequest) return problemReply(importRequest.error());
    return answer(service_.importIssuer(*importRequest, actor), [](const ImportedIssuer& i) { return jsonReply(201, toJson(i)); });
  }

  Reply issueBatch(HTTPServerRequest& request, const Actor& actor) {
    auto file = normaliseBatchFile(readBody(request, service_.config().maxBatchBodyBytes));
    if (!file) return problemReply(file.error());
    auto rows = parseBatch(file->body, file->format);
    if (!rows) return problemReply(rows.error());
    if (rows->size() > service_.config().maxBatchRows)
      return problemReply(tooLarge("at most " + std::to_string(service_.config().maxBatchRows) + " rows per batch"));
    const auto outcomes = service_.issueBatch(*rows, actor);
    std::size_t issued = 0, exists = 0, failed = 0;
    std::string list;
    for (const BatchRowResult& o : outcomes) {
      if (!o.result.ok()) ++failed;
      else if (o.result->existed) ++exists;
      else ++issued;
      if (!list.empty()) list += ',';
      list += batchRowResultJson(o, language_);
    }
    return inLanguage(jsonReply(200, "{\"issued\":" + std::to_string(issued) + ",\"exists\":" + std::to_string(exists) +
                              ",\"failed\":" + std::to_string(failed) + ",\"rows\":[" + list + "]}"));
  }

  Reply bundle(HTTPServerRequest& request) {
    auto bytes = service_.bundle();
    if (!bytes) return problemReply(bytes.error());
    const std::string etag = "\"" + toHex(crypto::sha256(*bytes)).substr(0, 32) + "\"";
    if (request.get("If-None-Match", "") == etag) return Reply{304, "", "", {{"ETag", etag}}};
    return Reply{200, "application/cbor", std::string(bytes->begin(), bytes->end()), {{"ETag", etag}}};
  }

  Reply rotate(const std::string& body, const Actor& actor) {
    auto alg = http::readRotationAlg(body);
    if (!alg) return problemReply(alg.error());
    return answer(service_.rotateKey(*alg, actor), [](const KeyChange& k) { return jsonReply(201, toJson(k)); });
  }

  // card.pdf and card.svg: ?paper=a4|a5 (a5 when absent).
  Reply card(Endpoint e, const Poco::URI& uri, const std::string& certNo) {
    CardPaper paper = CardPaper::A5;
    for (const auto& [k, v] : uri.getQueryParameters()) {
      if (k != "paper") continue;
      if (v == "a4") paper = CardPaper::A4;
      else if (v != "a5") return problemReply(badRequest("paper", "paper: a4 or a5"));
    }
    if (e == Endpoint::CardPdf)
      return answer(service_.cardPdf(certNo, paper), [](const std::string& pdf) { return Reply{200, "application/pdf", pdf, {}}; });
    return answer(service_.cardSvg(certNo, paper),
                  [](const std::string& svg) { return Reply{200, "image/svg+xml; charset=utf-8", svg, {}}; });
  }

  // The console's files; /console (no slash) goes to /console/.
  Reply consolePage(const std::string& path) const {
    if (path == "/console") return Reply{301, "text/plain", "", {{"Location", "/console/"}}};
    const console::Asset* asset = console::findAsset(path);
    if (!asset) return problemReply(notFound("no such page: " + path));
    return Reply{200, std::string(asset->contentType), std::string(asset->body),
                 {{"Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; frame-ancestors 'none'"}}};
  }

  Reply audit(const Poco::URI& uri) {
    Poco::UInt64 after = 0, limit = 100;
    const std::string a = queryValue(uri, "after"), l = queryValue(uri, "limit");
    if ((!a.empty() && !Poco::NumberParser::tryParseUnsigned64(a, after)) ||
        (!l.empty() && (!Poco::NumberParser::tryParseUnsigned64(l, limit) || limit == 0 || limit > 1000)))
      return problemReply(badRequest("limit", "after: a sequence number; limit: 1..1000"));
    return answer(service_.auditPage(after, limit),
                  [](const std::vector<AuditEntry>& page) { return jsonReply(200, auditPageJson(page)); });
  }

  static void send(HTTPServerResponse& response, const Reply& reply) {
    // setStatus alone keeps the reason phrase "OK" whatever the status.
    response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(reply.status));
    for (const auto& [k, v] : reply.headers) response.set(k, v);
    // RFC 6750 §3: a 401 names the scheme the client should use.
    if (reply.status == 401) response.set("WWW-Authenticate", "Bearer");
    response.set("Cache-Control", "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    if (reply.status == 304) {
      response.setContentLength(0);
      response.send().flush();
      return;
    }
    response.setContentType(reply.contentType);
    response.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
    std::ostream& out = response.send();
    out.write(reply.body.data(), static_cast<std::streamsize>(reply.body.size()));
    // Out of the stream's buffer now: a lingering close stops sending next.
    out.flush();
  }

  Service& service_;
  // The request's language (Accept-Language) for every text of the answer.
  Language language_ = Language::Zh;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Service& service) : service_(service) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new ApiHandler(service_); }

 private:
  Service& service_;
};

Poco::Net::Context::Ptr tlsContext(const Config& c) {
  Poco::Net::initializeSSL();
  Poco::Net::Context::Params params;
  params.privateKeyFile = c.tlsPrivateKey;
  params.certificateFile = c.tlsCertificate;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  // TLS 1.2 with forward secrecy and AEAD only (no CBC, no RSA key
  // exchange); TLS 1.3's suites are all AEAD and OpenSSL prefers 1.3.
  params.cipherList = "ECDHE+AESGCM:ECDHE+CHACHA20";
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  ctx->preferServerCiphers();
  ctx->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 | Poco::Net::Context::PROTO_TLSV1 |
                        Poco::Net::Context::PROTO_TLSV1_1);
  // Poco loads the key, then the certificate; OpenSSL silently drops a key
  // that does not match it, and every handshake would fail. Refuse instead.
  if (SSL_CTX_check_private_key(ctx->sslContext()) != 1)
    throw Poco::Net::SSLContextException("the private key is not the certificate's");
  return ctx;
}

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;
  bool tls = false;
  bool stopped = false;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return impl_->port; }
bool HttpServer::tls() const { return impl_->tls; }

void HttpServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->server->stopAll(true);
  impl_->pool->joinAll();
}

Expected<std::unique_ptr<HttpServer>> HttpServer::start(Service& service, const std::string& listen) {
  const Config& config = service.config();
  // The TLS files first, so that an error names them and not the address.
  Poco::Net::Context::Ptr context;
  if (!config.tlsCertificate.empty()) {
    try {
      context = tlsContext(config);
    } catch (const Poco::Exception& e) {
      return badRequest("http.tls.certificate",
                        "http.tls.certificate " + config.tlsCertificate + " / http.tls.private_key " +
                            config.tlsPrivateKey + ": " + e.displayText(),
                        "BAD_CONFIG");
    }
  }
  try {
    auto impl = std::make_unique<Impl>();
    const Poco::Net::SocketAddress address(listen);
    std::unique_ptr<Poco::Net::ServerSocket> socket = http::listenExclusively(address, 64, context);
    impl->tls = static_cast<bool>(context);
    impl->port = socket->address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(config.maxThreads);
    params->setMaxQueued(config.maxQueued);
    params->setKeepAlive(true);
    impl->pool = std::make_unique<Poco::ThreadPool>(2, config.maxThreads);
    impl->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(service), *impl->pool, *socket, params);
    impl->server->start();
    Poco::Logger::get("titlecert.issuer.http")
        .notice(std::string("listening on ") + socket->address().toString() + (impl->tls ? " (TLS)" : " (plain HTTP)"));
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
  } catch (const Poco::Exception& e) {
    if (e.code() == EADDRINUSE)
      return Problem{ProblemKind::Internal, "LISTEN_FAILED",
                     "cannot listen on " + listen + ": the address is already in use (is another server running there?)",
                     "http.listen", {}};
    return Problem{ProblemKind::Internal, "LISTEN_FAILED", "cannot listen on " + listen + ": " + e.displayText(), "http.listen", {}};
  }
}

}  // namespace titlecert::issuer
