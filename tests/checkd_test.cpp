// titlecert-checkd in process: the service on an ephemeral port of
// 127.0.0.1, driven over real HTTP. The clock is the fixed kNow of the
// test world; the rate limiter's clock is the only real one, and the
// limits chosen here make its outcome independent of timing.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <mutex>
#include <sstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/world.h"
#include "titlecert/base45.h"
#include "titlecert/checkd/bundle_source.h"
#include "titlecert/checkd/limits.h"
#include "titlecert/checkd/server.h"
#include "titlecert/qr.h"

using namespace titlecert;
using namespace titlecert::testing;
using namespace titlecert::checkd;
using nlohmann::json;

namespace {

struct Http {
  int status = 0;
  std::string body;
  Poco::Net::HTTPResponse response;
  json asJson() const { return json::parse(body, nullptr, false); }
};

Http call(std::uint16_t port, const std::string& method, const std::string& path, const std::string& body = {},
          const std::string& contentType = "application/json",
          const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (method == "POST") {
    request.setContentType(contentType);
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(request) << body;
  Http out;
  std::istream& in = session.receiveResponse(out.response);
  out.status = out.response.getStatus();
  Poco::StreamCopier::copyToString(in, out.body);
  return out;
}

Http verifyText(std::uint16_t port, const std::string& text) {
  return call(port, "POST", "/v1/verify", json{{"text", text}}.dump());
}

std::string forged(const std::string& text) {
  auto cose = *base45::decode(std::string_view(text).substr(4));
  cose[cose.size() - 3] ^= 0x01;  // a bit of the signature
  return "ZC1:" + base45::encode(cose);
}

std::string revokedText() {
  auto c = sampleTitle();
  c.statusIndex = 13;  // revoked in the world's bundle
  return issueText(c, world().homeEd);
}

std::string pngOf(const std::string& text) {
  auto m = qr::encode(text);
  const Bytes png = qr::toPng(*m, 6);
  return std::string(png.begin(), png.end());
}

std::string signedBundle(std::uint64_t version) {
  auto contents = world().contents;
  contents.version = version;
  const Bytes b = *bundle::sign(contents, world().root);
  return std::string(b.begin(), b.end());
}

std::shared_ptr<TrustStore> emptyTrust() {
  auto store = TrustStore::fromRootPem(world().root.publicKey().pem());
  EXPECT_TRUE(store.ok());
  return std::shared_ptr<TrustStore>(std::move(*store));
}

std::shared_ptr<TrustStore> worldTrust() {
  auto trust = emptyTrust();
  EXPECT_TRUE(trust->offer(world().signedBundle()).ok());
  return trust;
}

class Checkd {
 public:
  explicit Checkd(ServerConfig config = {}, std::shared_ptr<TrustStore> trust = worldTrust()) {
    config.port = 0;
    config.fixedNow = kNow;
    server = std::make_unique<CheckServer>(std::move(trust), config);
    server->start();
  }
  std::uint16_t port() const { return server->port(); }
  std::unique_ptr<CheckServer> server;
};

TEST(Checkd, ValidTextIsOkWithTheVerifierJson) {
  Checkd s;
  const auto r = verifyText(s.port(), issueText(sampleTitle(), world().home));
  ASSERT_EQ(r.status, 200);
  const auto j = r.asJson();
  EXPECT_EQ(j["code"], "OK");
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["input"], "text");
  EXPECT_EQ(j["holder_name"], "张三");
  EXPECT_EQ(r.response.get("Cache-Control", ""), "no-store");
}

TEST(Checkd, RevokedTextIsRevoked) {
  Checkd s;
  const auto j = verifyText(s.port(), revokedText()).asJson();
  EXPECT_EQ(j["code"], "REVOKED");
  EXPECT_EQ(j["valid"], false);
}

TEST(Checkd, TamperedTextIsBadSignature) {
  Checkd s;
  const auto j = verifyText(s.port(), forged(issueText(sampleTitle(), world().home))).asJson();
  EXPECT_EQ(j["code"], "BAD_SIGNATURE");
  EXPECT_TRUE(j["holder_name"].is_null());  // unauthenticated content is never shown
}

TEST(Checkd, HolderIdIsCheckedWhenGiven) {
  Checkd s;
  const auto text = issueText(sampleTitle(), world().home);
  auto j = call(s.port(), "POST", "/v1/verify", json{{"text", text}, {"id", kHolderId}}.dump()).asJson();
  EXPECT_EQ(j["holder_match"], true);
  j = call(s.port(), "POST", "/v1/verify", json{{"text", text}, {"id", "CN:11010519491231002X"}}.dump()).asJson();
  EXPECT_EQ(j["code"], "HOLDER_MISMATCH");
  const auto bad = call(s.port(), "POST", "/v1/verify", json{{"text", text}, {"id", "CN:123"}}.dump());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.asJson()["error"], "BAD_ID_NUMBER");
}

TEST(Checkd, LogsNeitherThePayloadNorTheIdNumber) {
  Checkd s;
  const auto text = issueText(sampleTitle(), world().home);
  std::ostringstream log;
  auto* saved = std::clog.rdbuf(log.rdbuf());
  const auto r = call(s.port(), "POST", "/v1/verify?id=" + kHolderId, json{{"text", text}, {"id", kHolderId}}.dump());
  s.server->stop();  // every handler has finished writing its line
  std::clog.rdbuf(saved);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(log.str().find("POST /v1/verify 200"), std::string::npos);
  EXPECT_EQ(log.str().find(text.substr(4, 20)), std::string::npos);
  EXPECT_EQ(log.str().find("650102199001011239"), std::string::npos);
}

TEST(Checkd, ImageAnswersResultsForEachCode) {
  Checkd s;
  const auto r = call(s.port(), "POST", "/v1/verify", pngOf(revokedText()), "image/png");
  ASSERT_EQ(r.status, 200);
  const auto j = r.asJson();
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(j["results"][0]["code"], "REVOKED");
  EXPECT_EQ(j["results"][0]["input"], "image");
}

TEST(Checkd, ImageWithoutCodeIsNoCodeFound) {
  Checkd s;
  qr::Matrix blank;
  blank.size = 41;
  blank.dark.assign(41 * 41, 0);
  const Bytes png = qr::toPng(blank, 6);
  const auto j = call(s.port(), "POST", "/v1/verify", std::string(png.begin(), png.end()), "image/png").asJson();
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(j["results"][0]["code"], "NO_CODE_FOUND");
}

TEST(Checkd, OversizedTextBodyIs413) {
  Checkd s;
  const auto r = verifyText(s.port(), "ZC1:" + std::string(20000, 'A'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.asJson()["error"], "BODY_TOO_LARGE");
}

TEST(Checkd, ImageOverThePixelLimitIsRefusedFromItsHeader) {
  Checkd s;
  // A PNG signature and an IHDR claiming 20000 x 20000: never decoded.
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x4e\x20\0\0\x4e\x20\x08\x00\0\0\0", 29);
  png += std::string(64, '\0');
  const auto r = call(s.port(), "POST", "/v1/verify", png, "image/png");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.asJson()["error"], "IMAGE_TOO_LARGE");
}

TEST(Checkd, BadJsonIs400AndOtherMediaIs415) {
  Checkd s;
  auto r = call(s.port(), "POST", "/v1/verify", "{\"text\": ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.asJson()["error"], "BAD_JSON");
  r = call(s.port(), "POST", "/v1/verify", "{\"text\": 5}");
  EXPECT_EQ(r.status, 400);
  r = call(s.port(), "POST", "/v1/verify", "ZC1:ABC", "text/plain");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.asJson()["error"], "UNSUPPORTED_MEDIA_TYPE");
}

TEST(Checkd, RateLimitAnswers429WithRetryAfter) {
  ServerConfig c;
  c.ratePerSecond = 0.01;  // one token per 100 s: the bucket cannot refill during the test
  c.rateBurst = 2;
  Checkd s(c);
  const auto text = issueText(sampleTitle(), world().home);
  EXPECT_EQ(verifyText(s.port(), text).status, 200);
  EXPECT_EQ(verifyText(s.port(), text).status, 200);
  const auto r = verifyText(s.port(), text);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.asJson()["error"], "RATE_LIMITED");
  EXPECT_GE(std::stoi(r.response.get("Retry-After", "0")), 1);
}

TEST(Checkd, BehindALoadBalancerTheForwardedAddressIsRateLimited) {
  ServerConfig c;
  c.ratePerSecond = 0.01;
  c.rateBurst = 1;
  c.clientAddressHeader = "X-Forwarded-For";
  Checkd s(c);
  const std::string body = json{{"text", issueText(sampleTitle(), world().home)}}.dump();
  auto from = [&](const std::string& chain) {
    return call(s.port(), "POST", "/v1/verify", body, "application/json", {{"X-Forwarded-For", chain}}).status;
  };
  EXPECT_EQ(from("203.0.113.9, 198.51.100.1"), 200);
  EXPECT_EQ(from("203.0.113.7, 198.51.100.1"), 429);  // the balancer's own entry is the last one
  EXPECT_EQ(from("198.51.100.2"), 200);                // another client, its own bucket
}

TEST(Checkd, EnglishMessagesOnRequest) {
  Checkd s;
  const auto j = call(s.port(), "POST", "/v1/verify?lang=en", json{{"text", revokedText()}}.dump()).asJson();
  EXPECT_EQ(j["message"], "the certificate has been revoked");
}

TEST(Checkd, NoFreeVerificationSlotIsAFast503) {
  ServerConfig c;
  c.verifySlots = 0;
  Checkd s(c);
  const auto r = verifyText(s.port(), issueText(sampleTitle(), world().home));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.response.get("Retry-After", ""), "1");
}

TEST(Checkd, SlowClientDoesNotBlockOthersAndIsCutOff) {
  ServerConfig c;
  c.httpThreads = 4;
  c.readTimeoutMs = 4000;
  Checkd s(c);
  const std::string text = issueText(sampleTitle(), world().home);
  // Promises a 100-byte body, sends 10 bytes, then nothing.
  Poco::Net::StreamSocket slow(Poco::Net::SocketAddress("127.0.0.1", s.port()));
  const std::string head = "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: 100\r\n\r\n{\"text\": \"";
  slow.sendBytes(head.data(), static_cast<int>(head.size()));

  // Answered well before the slow client's read times out: it waited for
  // no one (the bound leaves room for a loaded machine).
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(verifyText(s.port(), text).status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2500));

  slow.setReceiveTimeout(Poco::Timespan(10, 0));
  char buffer[512] = {};
  const int n = slow.receiveBytes(buffer, sizeof buffer - 1);
  EXPECT_NE(std::string(buffer, static_cast<std::size_t>(std::max(n, 0))).find(" 408 "), std::string::npos);
}

TEST(Checkd, ServesPageBundleRootAndHealth) {
  Checkd s;
  const auto page = call(s.port(), "GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"text\""), std::string::npos);
  EXPECT_NE(page.response.get("Content-Security-Policy", "").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(page.response.getContentType(), "text/html; charset=utf-8");
  EXPECT_EQ(call(s.port(), "GET", "/check.js").status, 200);
  const Bytes bundle = world().signedBundle();
  EXPECT_EQ(call(s.port(), "GET", "/bundle").body, std::string(bundle.begin(), bundle.end()));
  EXPECT_EQ(call(s.port(), "GET", "/root.pub.pem").body, world().root.publicKey().pem());
  const auto health = call(s.port(), "GET", "/healthz").asJson();
  EXPECT_EQ(health["bundle_version"], 7);
  EXPECT_EQ(call(s.port(), "GET", "/nothing").status, 404);
  EXPECT_EQ(call(s.port(), "GET", "/v1/verify").status, 405);
}

// A stand-in issuer: GET /v1/bundle answers whatever body the test sets.
class FakeIssuer {
 public:
  FakeIssuer() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~FakeIssuer() { server_->stopAll(true); }
  void serve(std::string body) {
    std::lock_guard lock(mutex_);
    body_ = std::move(body);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/v1/bundle"; }

 private:
  struct Handler : Poco::Net::HTTPRequestHandler {
    explicit Handler(FakeIssuer& i) : issuer(i) {}
    void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
      std::string body;
      {
        std::lock_guard lock(issuer.mutex_);
        body = issuer.body_;
      }
      response.setContentType("application/cbor");
      response.setContentLength64(static_cast<Poco::Int64>(body.size()));
      response.send() << body;
    }
    FakeIssuer& issuer;
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(FakeIssuer& i) : issuer(i) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(issuer);
    }
    FakeIssuer& issuer;
  };

  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::mutex mutex_;
  std::string body_;
};

TEST(CheckdBundle, RefreshFromUrlTakesNewerAndRefusesRollbackAndForgery) {
  FakeIssuer issuer;
  auto trust = emptyTrust();
  BundleRefresher refresher(*trust, issuer.url());
  issuer.serve(signedBundle(7));
  ASSERT_EQ(*refresher.refreshOnce(), 7u);
  Checkd s({}, trust);

  issuer.serve(signedBundle(6));
  auto refused = refresher.refreshOnce();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), Code::BUNDLE_ROLLBACK);
  EXPECT_EQ(call(s.port(), "GET", "/healthz").asJson()["bundle_version"], 7);

  std::string forgedBundle = signedBundle(9);
  forgedBundle[forgedBundle.size() - 3] ^= 0x01;
  issuer.serve(forgedBundle);
  EXPECT_EQ(refresher.refreshOnce().code(), Code::BAD_BUNDLE);

  issuer.serve(signedBundle(8));
  ASSERT_EQ(*refresher.refreshOnce(), 8u);
  EXPECT_EQ(call(s.port(), "GET", "/healthz").asJson()["bundle_version"], 8);
  EXPECT_EQ(call(s.port(), "GET", "/bundle").body, signedBundle(8));
  EXPECT_EQ(verifyText(s.port(), issueText(sampleTitle(), world().home)).asJson()["code"], "OK");
}

TEST(CheckdBundle, FetchFailuresAreErrorValues) {
  FakeIssuer issuer;  // plain HTTP: a TLS handshake with it fails
  const std::string https = "https" + issuer.url().substr(4);
  EXPECT_EQ(fetchUrl(https, kMaxBundleBytes, 500).code(), Code::IO_ERROR);
  EXPECT_EQ(fetchUrl("ftp://127.0.0.1/bundle").code(), Code::INVALID_ARGUMENT);
  issuer.serve(std::string(100, 'x'));
  EXPECT_EQ(fetchUrl(issuer.url(), 99).code(), Code::IO_ERROR);  // over the size cap
  const auto fetched = fetchUrl(issuer.url(), 100);
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(*fetched, std::string(100, 'x'));
}

TEST(CheckdBundle, RefreshIsScheduledBeforeNextUpdate) {
  bundle::Contents c;
  c.issuedAt = kBundleIssuedAt;
  c.nextUpdate = kBundleNextUpdate;  // 30 days: refresh 3 days before
  EXPECT_EQ(secondsUntilRefresh(c, kBundleIssuedAt), 27 * 86400);
  EXPECT_EQ(secondsUntilRefresh(c, kBundleNextUpdate), 300);  // overdue: soon, not in a tight loop
}

TEST(CheckdLimits, TokenBucketPerClient) {
  RateLimiter limiter(1.0, 2.0);
  EXPECT_EQ(limiter.take("a", 0.0), 0);
  EXPECT_EQ(limiter.take("a", 0.0), 0);
  EXPECT_EQ(limiter.take("a", 0.0), 1);
  EXPECT_EQ(limiter.take("b", 0.0), 0);  // another address has its own bucket
  EXPECT_EQ(limiter.take("a", 1.0), 0);  // refilled
}

TEST(CheckdLimits, IdleClientsAreForgotten) {
  RateLimiter limiter(1.0, 2.0);
  for (int i = 0; i < 999; ++i) EXPECT_EQ(limiter.take("10.0.0." + std::to_string(i), 0.0), 0);
  EXPECT_EQ(limiter.clientsRemembered(), 999u);
  EXPECT_EQ(limiter.take("late", 100.0), 0);  // the 1000th: every earlier bucket is full again
  EXPECT_EQ(limiter.clientsRemembered(), 1u);
}

TEST(CheckdLimits, ImageSizeFromHeaders) {
  const auto png = pngOf("ZC1:ABC");
  const auto size = readImageSize(asBytes(png));
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, size->height);
  EXPECT_GT(size->width, 100u);
  // A baseline JPEG: SOI, an APP0 segment, SOF0 of 640 x 480.
  const std::string jpeg("\xff\xd8\xff\xe0\x00\x04\x00\x00\xff\xc0\x00\x0b\x08\x01\xe0\x02\x80\x01\x01\x11\x00", 21);
  const auto j = readImageSize(asBytes(jpeg));
  ASSERT_TRUE(j);
  EXPECT_EQ(j->width, 640u);
  EXPECT_EQ(j->height, 480u);
  EXPECT_FALSE(readImageSize(asBytes(std::string("GIF89a"))));
}

}  // namespace
