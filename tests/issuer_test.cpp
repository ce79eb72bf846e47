// The issuer service over HTTP (in-process server on an OS-assigned port of
// 127.0.0.1, Poco's HTTP client): every endpoint, the role matrix, bad
// input, concurrency, and the end-to-end path to the offline verifier.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <chrono>
#include <map>
#include <mutex>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "support/issuer_fixture.h"
#include "titlecert/bundle_manifest.h"
#include "titlecert/dates.h"
#include "titlecert/files.h"
#include "titlecert/idh.h"
#include "titlecert/issuer/http_answers.h"
#include "titlecert/issuer/http_requests.h"
#include "titlecert/issuer/payload_size.h"
#include "titlecert/scan.h"
#include "titlecert/verifier.h"

namespace titlecert::testing {
namespace {

using nlohmann::json;

Bytes toBytesOf(const std::string& s) { return Bytes(s.begin(), s.end()); }

IssuerWorldOptions noServer() {
  IssuerWorldOptions o;
  o.startServer = false;
  return o;
}
IssuerWorldOptions sm2WithRealBinding() {
  IssuerWorldOptions o;
  o.alg = crypto::Alg::SM2_SM3;
  o.realBinding = true;
  return o;
}
IssuerWorldOptions withProperties(std::vector<std::string> lines) {
  IssuerWorldOptions o;
  o.extraProperties = std::move(lines);
  return o;
}

crypto::PublicKey rootOf(const IssuerWorld& w) {
  auto pem = files::read(w.dir + "/root.pub.pem");
  return *crypto::PublicKey::fromPem(*pem);
}

// Verifies a payload with the bundle the service serves now.
verifier::Outcome verifyWithServedBundle(const IssuerWorld& w, const std::string& payload, std::int64_t at,
                                         std::optional<std::string> id = std::nullopt) {
  const HttpReply b = w.get("/v1/bundle");
  EXPECT_EQ(b.status, 200);
  auto v = verifier::Verifier::create(toBytesOf(b.body), rootOf(w));
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().detail);
  verifier::VerifyOptions o;
  o.idNumber = id;
  return v->verify(payload, at, o);
}

std::uint64_t bundleVersion(const IssuerWorld& w) {
  const HttpReply b = w.get("/v1/bundle");
  auto opened = bundle::open(toBytesOf(b.body), rootOf(w));
  EXPECT_TRUE(opened.ok());
  return opened->contents().version;
}

// ---- init and the basic flow -------------------------------------------------


TEST(IssuerInit, PrintsTheContractJsonAndRefusesASecondInit) {
  IssuerWorld w;
  const json j = json::parse(issuer::toJson(w.init));
  EXPECT_TRUE(j["admin_token"].is_string());
  EXPECT_EQ(j["root_public_key"], w.dir + "/root.pub.pem");
  EXPECT_EQ(j["issuer"]["iss"], "CN-65-GXQ");
  EXPECT_EQ(j["issuer"]["alg"], "EdDSA");
  EXPECT_EQ(j["issuer"]["kid"].get<std::string>().size(), 16u);
  EXPECT_EQ(std::filesystem::exists(w.dir + "/issuer.db"), !testsOnPostgresql());
  EXPECT_TRUE(std::filesystem::exists(w.dir + "/root.pem"));
  EXPECT_TRUE(std::filesystem::exists(w.dir + "/issuer.properties"));
  auto pem = files::read(w.dir + "/root.pem");
  EXPECT_NE(pem->find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  issuer::InitOptions again{w.dir, w.passphrase, crypto::Alg::EdDSA, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  auto second = issuer::Service::init(again, w.clock);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(issuer::httpStatus(second.error()), 409);
}

TEST(IssuerInit, RefusesToRunWithoutAPassphraseOrWithAWrongOne) {
  IssuerWorld w(noServer());
  w.stop();
  auto none = issuer::Service::open({w.dir, "", nullptr}, w.clock);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().field, "passphrase");
  auto wrong = issuer::Service::open({w.dir, "not-the-passphrase", nullptr}, w.clock);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "BAD_PASSPHRASE");
}

// A lost or truncated database must not come back as a blank issuer: only
// init makes one.
TEST(IssuerInit, RefusesToOpenAMissingOrEmptyDatabase) {
  IssuerWorld w(noServer());
  w.stop();
  auto expectRefused = [&](const std::string& what) {
    auto opened = issuer::Service::open({w.dir, w.passphrase, nullptr}, w.clock);
    ASSERT_FALSE(opened.ok()) << what;
    EXPECT_EQ(opened.error().kind, issuer::ProblemKind::Unavailable) << what;
    EXPECT_NE(opened.error().message.find("blank issuer"), std::string::npos) << opened.error().message;
  };
  if (testsOnPostgresql()) {
    ASSERT_TRUE(w.trySql("DROP SCHEMA public CASCADE; CREATE SCHEMA public"));
    expectRefused("an empty PostgreSQL database");
    return;
  }
  for (const char* file : {"/issuer.db", "/issuer.db-wal", "/issuer.db-shm"}) std::filesystem::remove(w.dir + file);
  expectRefused("a missing issuer.db");
  EXPECT_FALSE(std::filesystem::exists(w.dir + "/issuer.db"));
  std::ofstream(w.dir + "/issuer.db").flush();
  expectRefused("an empty issuer.db");
  EXPECT_EQ(std::filesystem::file_size(w.dir + "/issuer.db"), 0u);
}

// Keys are encrypted at rest with the passphrase: "a" protects nothing.
TEST(IssuerInit, RefusesAPassphraseShorterThanTwelveCharacters) {
  issuer::ManualClock clock{kIssuerNow};
  for (const std::string& weak : {std::string("a"), std::string("elevenchars"), std::string("密码密码密码密码密码密")}) {
    const std::string dir = makeTempDir("titlecert-weak");
    std::filesystem::remove(dir);
    auto r = issuer::Service::init({dir, weak, crypto::Alg::EdDSA, std::nullopt, std::nullopt, std::nullopt, std::nullopt}, clock);
    ASSERT_FALSE(r.ok()) << weak;
    EXPECT_EQ(r.error().kind, issuer::ProblemKind::Invalid);
    EXPECT_EQ(r.error().field, "passphrase");
    EXPECT_FALSE(std::filesystem::exists(dir + "/root.pem"));
    std::filesystem::remove_all(dir);
  }
  const std::string dir = makeTempDir("titlecert-twelve");
  std::filesystem::remove(dir);
  EXPECT_TRUE(issuer::Service::init({dir, "twelve-chars", crypto::Alg::EdDSA, std::nullopt, std::nullopt, std::nullopt,
                                     std::nullopt}, clock).ok());
  std::filesystem::remove_all(dir);
}

unsigned modeOf(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

// Under a permissive umask the database, its WAL and the keys are made
// owner-only, and a database left readable is tightened at open.
TEST(IssuerInit, DatabaseWalAndKeyFilesAreOwnerOnly) {
  if (testsOnPostgresql()) GTEST_SKIP() << "the database is not a file here";
  const mode_t before = ::umask(022);
  {
    IssuerWorld w;
    ASSERT_EQ(w.post("/v1/certificates", titleBody(), w.clerkToken).status, 201);
    for (const char* file : {"/issuer.db", "/issuer.db-wal", "/issuer.db-shm", "/root.pem", "/issuer.properties"})
      EXPECT_EQ(modeOf(w.dir + file), 0600u) << file;
    w.stop();
    ::chmod((w.dir + "/issuer.db").c_str(), 0644);
    w.reopen();
    EXPECT_EQ(modeOf(w.dir + "/issuer.db"), 0600u);
  }
  ::umask(before);
}

TEST(IssuerHttp, IssuesATitleAndAnswersItsFieldsWithoutTheFullIdNumber) {
  IssuerWorld w;
  const HttpReply r = w.post("/v1/certificates", titleBody(), w.clerkToken);
  ASSERT_EQ(r.status, 201) << r.body;
  const json issued = r.json();
  EXPECT_EQ(issued["cert_no"], "650100-2026-000001");
  EXPECT_EQ(issued["status_index"], 0);
  EXPECT_EQ(issued["payload"].get<std::string>().rfind("ZC1:", 0), 0u);
  EXPECT_EQ(issued["links"]["qr_png"], "/v1/certificates/650100-2026-000001/qr.png");
  EXPECT_EQ(issued["links"]["qr_svg"], "/v1/certificates/650100-2026-000001/qr.svg");

  const HttpReply g = w.get("/v1/certificates/650100-2026-000001", w.auditorToken);
  ASSERT_EQ(g.status, 200);
  const json c = g.json();
  EXPECT_EQ(c["holder"]["name"], "张三");
  EXPECT_EQ(c["holder"]["id"], "CN:*****************9");
  EXPECT_EQ(g.body.find("199001011239"), std::string::npos);
  EXPECT_EQ(c["title_name"]["zh"], "主治医师");
  EXPECT_EQ(c["route"]["id"], "review");
  EXPECT_EQ(c["status_index"], 0);
  EXPECT_EQ(c["payload"], issued["payload"]);
  EXPECT_EQ(c["issued_at"], dates::formatRfc3339(kIssuerNow));
  EXPECT_TRUE(c["revoked"].is_null());

  const HttpReply q = w.post("/v1/certificates", qualificationBody(), w.adminToken);
  ASSERT_EQ(q.status, 201) << q.body;
  EXPECT_EQ(q.json()["cert_no"], "650100-2026-000002");
  EXPECT_EQ(q.json()["status_index"], 1);
  const json qc = w.get("/v1/certificates/650100-2026-000002", w.clerkToken).json();
  EXPECT_EQ(qc["qualification"]["code"], 101);
  EXPECT_EQ(qc["level"]["code"], 2);
  EXPECT_EQ(w.get("/v1/certificates/nope", w.clerkToken).status, 404);
}

// On SQLite the files themselves (and the WAL) are searched byte by byte;
// on PostgreSQL every row of every table, as text.
TEST(IssuerHttp, TheFullIdNumberIsNeverStored) {
  IssuerWorld w;
  ASSERT_EQ(w.post("/v1/certificates", titleBody(), w.clerkToken).status, 201);
  w.stop();
  std::string stored;
  if (testsOnPostgresql()) {
    for (const char* table : {"settings", "counters", "tokens", "issuer_keys", "certificates", "superseded_payloads",
                              "audit", "audit_head", "bundles", "schema_version"})
      stored += w.queryText(std::string("SELECT t::text FROM ") + table + " t");
  } else {
    auto db = files::read(w.dir + "/issuer.db");
    auto wal = files::read(w.dir + "/issuer.db-wal");
    stored = *db + (wal ? *wal : "");
  }
  EXPECT_EQ(stored.find("650102199001011239"), std::string::npos);
  EXPECT_NE(stored.find("CN:*****************9"), std::string::npos);
}

// The masked form reveals at most 4 characters of the value whatever the
// ID type, wherever it appears: the answer, the audit, the store (the card:
// issuer_card_test.cpp).
TEST(IssuerHttp, TheMaskedIdShowsAtMostFourCharactersOfAnyIdType) {
  IssuerWorld w;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"CN:650102199001011239", "CN:*****************9"},
      {"PP-KAZ:N12345678", "PP-KAZ:******678"},
      {"HKMO:H1234567890123456789", "HKMO:****************6789"},
      {"TW:A12", "TW:**2"},
  };
  for (const auto& [id, expected] : cases) {
    const HttpReply r = w.post("/v1/certificates", titleBody("张三", id), w.clerkToken);
    ASSERT_EQ(r.status, 201) << id << " " << r.body;
    const std::string base = "/v1/certificates/" + r.json()["cert_no"].get<std::string>();
    const std::string masked = w.get(base, w.auditorToken).json()["holder"]["id"].get<std::string>();
    EXPECT_EQ(masked, expected) << id;
    const std::string value = masked.substr(masked.find(':') + 1);
    EXPECT_LE(value.size() - std::count(value.begin(), value.end(), '*'), 4u) << masked;
  }
  const std::string audit = w.get("/v1/audit", w.auditorToken).body;
  const std::string stored = w.queryText("SELECT holder_id_masked FROM certificates");
  for (const auto& [id, expected] : cases) {
    EXPECT_NE(audit.find(expected), std::string::npos) << expected;
    EXPECT_NE(stored.find(expected), std::string::npos) << expected;
    EXPECT_EQ(audit.find(id.substr(id.find(':') + 1)), std::string::npos) << id;
  }
}

TEST(IssuerHttp, QrImagesAndThePrintableCard) {
  IssuerWorld w;
  const json issued = w.post("/v1/certificates", titleBody(), w.clerkToken).json();
  const std::string base = "/v1/certificates/" + issued["cert_no"].get<std::string>();
  const HttpReply png = w.get(base + "/qr.png", w.clerkToken);
  ASSERT_EQ(png.status, 200);
  EXPECT_EQ(png.contentType, "image/png");
  EXPECT_EQ(png.body.substr(1, 3), "PNG");
  EXPECT_EQ(w.get(base + "/qr.png", w.clerkToken).body, png.body);  // the cached image
  const HttpReply svg = w.get(base + "/qr.svg", w.auditorToken);
  ASSERT_EQ(svg.status, 200);
  EXPECT_EQ(svg.contentType, "image/svg+xml");
  EXPECT_NE(svg.body.find("<svg"), std::string::npos);
  // The printable card's text and QR are checked in issuer_card_test.cpp.
  const HttpReply card = w.get(base + "/card.svg", w.auditorToken);
  ASSERT_EQ(card.status, 200);
  EXPECT_NE(card.body.find("<path"), std::string::npos);
  EXPECT_EQ(card.body.find("199001011239"), std::string::npos);
  EXPECT_EQ(w.get(base + "/card.pdf", w.auditorToken).contentType, "application/pdf");
  EXPECT_EQ(w.get("/v1/certificates/nope/qr.png", w.clerkToken).status, 404);
}

// ---- roles ---------------------------------------------------------------------

struct Call {
  std::string method, path, body;
  std::set<std::string> allowed;  // roles; empty: public
};

TEST(IssuerHttp, RoleMatrixEveryEndpointEveryRole) {
  IssuerWorld w;
  const std::string no = w.post("/v1/certificates", titleBody(), w.clerkToken).json()["cert_no"];
  const std::string c = "/v1/certificates/" + no;
  const std::set<std::string> admin{"admin"}, writers{"admin", "clerk"}, readers{"admin", "clerk", "auditor"},
      auditors{"admin", "auditor"};
  const std::vector<Call> calls = {
      {"POST", "/v1/tokens", R"({"role": "auditor"})", admin},
      {"DELETE", "/v1/tokens/999", "", admin},
      {"POST", "/v1/certificates", titleBody("王五").dump(), writers},
      {"POST", "/v1/certificates:batch", titleBody("赵六").dump() + "\n", writers},
      {"GET", c, "", readers},
      {"GET", c + "/qr.png", "", readers},
      {"GET", c + "/qr.svg", "", readers},
      {"GET", c + "/card.svg", "", readers},
      {"GET", c + "/card.pdf", "", readers},
      {"POST", "/v1/certificates/missing/revoke", R"({"reason": "x"})", writers},
      {"GET", "/v1/bundle", "", {}},
      {"POST", "/v1/eligibility", R"({"on": "2026-07-01", "person": {}, "target": {"series": 5, "specialty": 501, "level": 2}})", writers},
      {"GET", "/v1/issuers", "", readers},
      {"POST", "/v1/issuers", "{}", admin},
      {"POST", "/v1/keys/0000000000000000/compromised", "{}", admin},
      {"GET", "/v1/audit", "", auditors},
      {"GET", "/v1/audit/verify", "", auditors},
      {"GET", "/v1/health", "", {}},
  };
  const std::vector<std::pair<std::string, std::string>> who = {
      {"none", ""}, {"bad", "tc_" + std::string(64, 'a')}, {"garbage", "not a token"},
      {"admin", w.adminToken}, {"clerk", w.clerkToken}, {"auditor", w.auditorToken}};
  for (const Call& call : calls) {
    for (const auto& [role, token] : who) {
      const HttpReply r = w.call(call.method, call.path, call.body, token);
      const std::string what = call.method + " " + call.path + " as " + role + ": " + std::to_string(r.status) + " " + r.body;
      EXPECT_FALSE(r.json().is_null() && r.contentType == "application/json") << what;
      if (call.allowed.empty()) {
        EXPECT_TRUE(r.status < 400) << what;
      } else if (role == "none" || role == "bad" || role == "garbage") {
        EXPECT_EQ(r.status, 401) << what;
        EXPECT_EQ(r.json()["error"], "UNAUTHORIZED") << what;
      } else if (!call.allowed.count(role)) {
        EXPECT_EQ(r.status, 403) << what;
        EXPECT_EQ(r.json()["error"], "FORBIDDEN") << what;
      } else {
        EXPECT_NE(r.status, 401) << what;
        EXPECT_NE(r.status, 403) << what;
        EXPECT_LT(r.status, 500) << what;
      }
    }
  }
  // Rotation last: it changes the signing key.
  EXPECT_EQ(w.call("POST", "/v1/keys/rotate", "{}", "").status, 401);
  EXPECT_EQ(w.call("POST", "/v1/keys/rotate", "{}", w.clerkToken).status, 403);
  EXPECT_EQ(w.call("POST", "/v1/keys/rotate", "{}", w.auditorToken).status, 403);
  EXPECT_EQ(w.call("POST", "/v1/keys/rotate", "{}", w.adminToken).status, 201);
}

std::int64_t bundleIssuedAt(const IssuerWorld& w) {
  auto opened = bundle::open(toBytesOf(w.get("/v1/bundle").body), rootOf(w));
  EXPECT_TRUE(opened.ok());
  return opened.ok() ? opened->contents().issuedAt : 0;
}

// A clock set back after a rotation: no credential with an iat before the
// signing key's valid_from, and no bundle issued before the previous one.
TEST(IssuerHttp, AClockBehindTheKeysWindowRefusesToSignAndBundlesNeverGoBack) {
  IssuerWorld w;
  w.clock.set(kIssuerNow + 1000);
  ASSERT_EQ(w.call("POST", "/v1/keys/rotate", "{}", w.adminToken).status, 201);
  const HttpReply issued = w.post("/v1/certificates", titleBody(), w.clerkToken);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::int64_t firstIssuedAt = bundleIssuedAt(w);
  EXPECT_EQ(firstIssuedAt, kIssuerNow + 1000);
  const std::uint64_t firstVersion = bundleVersion(w);

  w.clock.set(kIssuerNow + 500);
  const HttpReply refused = w.call("POST", "/v1/certificates", titleBody().dump(), w.clerkToken, "application/json",
                                   {{"Accept-Language", "en"}});
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_NE(refused.body.find("valid_from"), std::string::npos) << refused.body;
  EXPECT_EQ(w.call("POST", "/v1/keys/rotate", "{}", w.adminToken).status, 503);
  EXPECT_EQ(w.queryText("SELECT COUNT(*) FROM certificates"), "1|\n");

  // A revocation with the clock behind: a new bundle, its time not going back.
  const std::string certNo = issued.json()["cert_no"];
  ASSERT_EQ(w.post("/v1/certificates/" + certNo + "/revoke", {{"reason", "test"}}, w.clerkToken).status, 200);
  EXPECT_GT(bundleVersion(w), firstVersion);
  EXPECT_GE(bundleIssuedAt(w), firstIssuedAt);
  EXPECT_EQ(verifyWithServedBundle(w, issued.json()["payload"], kIssuerNow + 2000).code, Code::REVOKED);
}

// A retried POST with the same Idempotency-Key and body gets the first
// answer, even after a restart; the same key with another body is 409.
TEST(IssuerHttp, AnIdempotencyKeyAnswersTheFirstResultAndSurvivesARestart) {
  IssuerWorld w;
  auto post = [&](const json& body, const std::string& key, const std::string& token) {
    return w.call("POST", "/v1/certificates", body.dump(), token, "application/json", {{"Idempotency-Key", key}});
  };
  const HttpReply first = post(titleBody(), "order-42", w.clerkToken);
  ASSERT_EQ(first.status, 201) << first.body;
  const HttpReply again = post(titleBody(), "order-42", w.clerkToken);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(w.queryText("SELECT COUNT(*) FROM certificates"), "1|\n");
  EXPECT_EQ(post(titleBody("王五"), "order-42", w.clerkToken).status, 409);

  json invalid = titleBody();
  invalid.erase("series");
  const HttpReply refused = post(invalid, "order-43", w.clerkToken);
  ASSERT_EQ(refused.status, 400);
  EXPECT_EQ(post(invalid, "order-43", w.clerkToken).body, refused.body);
  EXPECT_EQ(post(titleBody(), std::string(256, 'k'), w.clerkToken).status, 400);

  w.reopen();
  const HttpReply afterRestart = post(titleBody(), "order-42", w.clerkToken);
  EXPECT_EQ(afterRestart.status, 201);
  EXPECT_EQ(afterRestart.body, first.body);
  // Keys belong to a token: another token's "order-42" is its own request.
  const HttpReply otherToken = post(titleBody(), "order-42", w.adminToken);
  ASSERT_EQ(otherToken.status, 201);
  EXPECT_NE(otherToken.json()["cert_no"], first.json()["cert_no"]);
  EXPECT_EQ(w.queryText("SELECT COUNT(*) FROM certificates"), "2|\n");
}

// Every text logged on one logger while it lives.
class CapturedLog final : public Poco::Channel {
 public:
  explicit CapturedLog(const std::string& logger) : logger_(Poco::Logger::get(logger)), before_(logger_.getChannel()) {
    logger_.setChannel(Poco::Channel::Ptr(this, true));
  }
  ~CapturedLog() override = default;
  void restore() { logger_.setChannel(before_); }
  void log(const Poco::Message& m) override {
    std::lock_guard<std::mutex> lock(mu_);
    texts_.push_back(m.getText());
  }
  // The first text containing `part`, waiting up to 5 s (the line is
  // logged after the answer is sent).
  std::optional<std::string> find(const std::string& part) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (const auto& t : texts_)
          if (t.find(part) != std::string::npos) return t;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
  }

 private:
  Poco::Logger& logger_;
  Poco::Channel::Ptr before_;
  std::mutex mu_;
  std::vector<std::string> texts_;
};

TEST(IssuerHttp, RequestPathsAreLoggedRawWithControlCharactersEscaped) {
  IssuerWorld w;
  Poco::AutoPtr<CapturedLog> captured(new CapturedLog("titlecert.issuer.http"));
  w.get("/v1/certificates/x%0aGET%20/v1/audit%20200", w.clerkToken);
  w.get("/v1/certificates/y\x1b[2J\x7f", w.clerkToken);
  const auto encoded = captured->find("/v1/certificates/x");
  const auto raw = captured->find("/v1/certificates/y");
  captured->restore();
  ASSERT_TRUE(encoded);
  EXPECT_NE(encoded->find("/v1/certificates/x%0aGET%20/v1/audit%20200 "), std::string::npos) << *encoded;
  EXPECT_EQ(encoded->find('\n'), std::string::npos) << *encoded;
  ASSERT_TRUE(raw);
  EXPECT_NE(raw->find("/v1/certificates/y\\x1b[2J\\x7f"), std::string::npos) << *raw;
  EXPECT_EQ(raw->find('\x1b'), std::string::npos) << *raw;
}

TEST(IssuerHttp, ABodyRepeatingAKeyIsRefused) {
  IssuerWorld w;
  const std::string body = titleBody().dump();
  for (const std::string& repeated : {"{\"level\":5," + body.substr(1),
                                      std::string(body).replace(body.find("\"holder\":{") + 10, 0, "\"name\":\"王五\",")}) {
    const HttpReply r = w.call("POST", "/v1/certificates", repeated, w.clerkToken);
    EXPECT_EQ(r.status, 400) << repeated;
    EXPECT_EQ(r.json()["error"], "BAD_JSON") << r.body;
  }
  EXPECT_EQ(w.queryText("SELECT COUNT(*) FROM certificates"), "0|\n");
  EXPECT_EQ(w.call("POST", "/v1/certificates", body, w.clerkToken).status, 201);
}

TEST(IssuerHttp, TokensAreCreatedShownOnceAndRevoked) {
  IssuerWorld w;
  const HttpReply r = w.post("/v1/tokens", {{"role", "clerk"}}, w.adminToken);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string token = r.json()["token"];
  const int id = r.json()["id"];
  EXPECT_EQ(w.post("/v1/certificates", titleBody(), token).status, 201);
  EXPECT_EQ(w.post("/v1/tokens", {{"role", "root"}}, w.adminToken).status, 400);
  EXPECT_EQ(w.call("DELETE", "/v1/tokens/" + std::to_string(id), "", w.adminToken).status, 200);
  EXPECT_EQ(w.post("/v1/certificates", titleBody(), token).status, 401);
  EXPECT_EQ(w.call("DELETE", "/v1/tokens/" + std::to_string(id), "", w.adminToken).status, 409);
  // Stored hashed: the token text is nowhere in the database.
  const std::string audit = w.get("/v1/audit?limit=1000", w.auditorToken).body;
  EXPECT_EQ(audit.find(token), std::string::npos);
  EXPECT_NE(audit.find("token.create"), std::string::npos);
  EXPECT_NE(audit.find("token.revoke"), std::string::npos);
}

// ---- bad input -------------------------------------------------------------------

TEST(IssuerHttp, MalformedJsonAndWrongShapesAre400WithJsonErrors) {
  IssuerWorld w;
  for (const std::string body : {"{", "not json", "[1, 2]", "\"text\"", "{\"type\": \"title\",}", ""}) {
    const HttpReply r = w.call("POST", "/v1/certificates", body, w.clerkToken);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.json()["error"], "BAD_JSON") << body;
    EXPECT_TRUE(r.json()["message"].is_string());
  }
  EXPECT_EQ(w.call("POST", "/v1/tokens", "{", w.adminToken).json()["error"], "BAD_JSON");
  EXPECT_EQ(w.call("POST", "/v1/certificates/x/revoke", "{", w.clerkToken).json()["error"], "BAD_JSON");
  EXPECT_EQ(w.call("POST", "/v1/issuers", "[]", w.adminToken).json()["error"], "BAD_JSON");
  EXPECT_EQ(w.call("POST", "/v1/eligibility", "{", w.clerkToken).status, 400);
  const HttpReply notFound = w.get("/v1/nothing", w.adminToken);
  EXPECT_EQ(notFound.status, 404);
  EXPECT_EQ(notFound.json()["error"], "NOT_FOUND");
  const HttpReply method = w.call("PUT", "/v1/bundle", "", "");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.json()["error"], "METHOD_NOT_ALLOWED");
}

TEST(IssuerHttp, UnknownCodesAndBadFieldsNameTheField) {
  IssuerWorld w;
  struct Case {
    std::function<void(json&)> change;
    std::string field;
    std::string code = "INVALID_ARGUMENT";
  };
  const std::vector<Case> cases = {
      {[](json& b) { b["series"] = 999; }, "series"},
      {[](json& b) { b["specialty"] = 501; }, "specialty"},
      {[](json& b) { b["level"] = 9; }, "level"},
      {[](json& b) { b["route"] = "bribery"; }, "route"},
      {[](json& b) { b["route"] = 1; }, "route"},
      {[](json& b) { b["committee"] = 1; }, "committee"},
      {[](json& b) { b["granted"] = "2026-13-01"; }, "granted"},
      {[](json& b) { b["series"] = "5"; }, "series"},
      {[](json& b) { b["series"] = -5; }, "series"},
      {[](json& b) { b["type"] = "diploma"; }, "type"},
      {[](json& b) { b.erase("holder"); }, "holder"},
      {[](json& b) { b["holder"].erase("name"); }, "holder.name"},
      {[](json& b) { b["holder"]["id"] = "CN:650102199001011234"; }, "holder.id", "BAD_ID_NUMBER"},
      {[](json& b) { b["holder"]["id"] = "650102199001011239"; }, "holder.id", "BAD_ID_NUMBER"},
      {[](json& b) { b["holder"]["nickname"] = "x"; }, "holder.nickname"},
      {[](json& b) { b["colour"] = "red"; }, "colour"},
      {[](json& b) { b["qualification"] = 101; }, "qualification"},
      {[](json& b) { b["holder"]["name"] = std::string(129, 'a'); }, "holder.name"},
      {[](json& b) { b["holder"]["name"] = std::string(51, 'x') + "张张张张张张张张张张张张张张张张张张张张张张张张张张张"; }, "holder.name"},
      {[](json& b) { b["holder"]["name"] = "a\u0001b"; }, "holder.name"},
      {[](json& b) { b["approval_no"] = std::string(65, '1'); }, "approval_no"},
      {[](json& b) { b["employer"] = std::string(97, 'e'); }, "employer"},
      {[](json& b) { b["cert_no"] = std::string(33, '1'); }, "cert_no"},
      {[](json& b) { b["cert_no"] = "a/b"; }, "cert_no"},
      {[](json& b) { b["cert_no"] = "空"; }, "cert_no"},
  };
  for (const Case& c : cases) {
    json body = titleBody();
    c.change(body);
    const HttpReply r = w.post("/v1/certificates", body, w.clerkToken);
    EXPECT_EQ(r.status, 400) << body.dump() << " -> " << r.body;
    EXPECT_EQ(r.json()["error"], c.code) << r.body;
    EXPECT_EQ(r.json()["field"], c.field) << r.body;
  }
  json q = qualificationBody();
  q["level"] = 7;
  EXPECT_EQ(w.post("/v1/certificates", q, w.clerkToken).json()["field"], "level");
  q = qualificationBody();
  q["qualification"] = 99999;
  EXPECT_EQ(w.post("/v1/certificates", q, w.clerkToken).json()["field"], "qualification");
  q = qualificationBody();
  q["qualification_no"] = std::string(33, 'Q');
  EXPECT_EQ(w.post("/v1/certificates", q, w.clerkToken).json()["field"], "qualification_no");
  // Nothing was issued: the first good request still gets index 0.
  EXPECT_EQ(w.post("/v1/certificates", titleBody(), w.clerkToken).json()["status_index"], 0);
}

TEST(IssuerHttp, FieldsAtTheirLimitsAreAccepted) {
  IssuerWorld w;
  json body = titleBody(std::string(128, 'N'));
  body["approval_no"] = std::string(64, 'A');
  body["employer"] = std::string(96, 'E');
  body["cert_no"] = std::string(32, '9');
  const HttpReply r = w.post("/v1/certificates", body, w.clerkToken);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["cert_no"], std::string(32, '9'));
}

TEST(IssuerHttp, SqlInjectionShapedStringsAreStoredVerbatim) {
  IssuerWorld w;
  const std::vector<std::string> nasty = {"Robert'); DROP TABLE certificates;--", "' OR '1'='1", "\"; DELETE FROM audit; --",
                                          "张三' UNION SELECT hash FROM tokens --"};
  for (std::size_t i = 0; i < nasty.size(); ++i) {
    json body = titleBody(nasty[i]);
    body["employer"] = nasty[(i + 1) % nasty.size()];
    body["approval_no"] = "x'||(SELECT 1)||'";
    const HttpReply r = w.post("/v1/certificates", body, w.clerkToken);
    ASSERT_EQ(r.status, 201) << r.body;
    const json c = w.get("/v1/certificates/" + r.json()["cert_no"].get<std::string>(), w.clerkToken).json();
    EXPECT_EQ(c["holder"]["name"], nasty[i]);
    EXPECT_EQ(c["employer"], nasty[(i + 1) % nasty.size()]);
    EXPECT_EQ(c["approval_no"], "x'||(SELECT 1)||'");
  }
  const HttpReply r = w.post("/v1/certificates/' OR 1=1 --/revoke", {{"reason", "x"}}, w.clerkToken);
  EXPECT_NE(r.status, 200);
  auto check = w.service->verifyAudit();
  EXPECT_TRUE(check->intact);
  EXPECT_EQ(w.get("/v1/certificates/650100-2026-000004", w.clerkToken).status, 200);
}

TEST(IssuerHttp, GivenCertNumbersAreKeptAndADuplicateIs409) {
  IssuerWorld w;
  json body = titleBody();
  body["cert_no"] = "650100-2026-000002";  // a committee's number, ahead of the sequence
  const HttpReply first = w.post("/v1/certificates", body, w.clerkToken);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["cert_no"], "650100-2026-000002");
  const HttpReply again = w.post("/v1/certificates", body, w.clerkToken);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json()["error"], "CONFLICT");
  // The sequence skips the number taken by hand; indexes stay dense.
  const json a = w.post("/v1/certificates", titleBody(), w.clerkToken).json();
  const json b = w.post("/v1/certificates", titleBody(), w.clerkToken).json();
  EXPECT_EQ(a["cert_no"], "650100-2026-000001");
  EXPECT_EQ(b["cert_no"], "650100-2026-000003");
  EXPECT_EQ(a["status_index"], 1);
  EXPECT_EQ(b["status_index"], 2);
}

TEST(IssuerHttp, BodiesOverTheLimitAre413) {
  IssuerWorld w;
  const HttpReply r = w.call("POST", "/v1/certificates", std::string(70 * 1024, ' '), w.clerkToken);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["error"], "BODY_TOO_LARGE");
}

TEST(IssuerHttp, APayloadTooLargeForTheQrLimitIsRefusedNamingTheLongestFields) {
  IssuerWorld w(withProperties({"certificate.max_qr_version = 11"}));
  json body = titleBody(std::string(60, 'N'));
  body["employer"] = std::string(90, 'E');
  const HttpReply r = w.post("/v1/certificates", body, w.clerkToken);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"], "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(r.json()["field"], "employer");
  EXPECT_NE(r.json()["message"].get<std::string>().find("holder.name"), std::string::npos);
  json small = qualificationBody("王");
  small.erase("qualification_no");
  EXPECT_EQ(w.post("/v1/certificates", small, w.clerkToken).status, 201);
}

TEST(IssuerCore, ThePayloadSizeEstimateIsExact) {
  IssuerWorld w(noServer());
  for (auto alg : {crypto::Alg::EdDSA, crypto::Alg::SM2_SM3, crypto::Alg::ES256}) {
    auto key = crypto::PrivateKey::generate(alg);
    zc1::Credential c;
    c.iss = "CN-65-GXQ";
    c.iat = 1795741200;
    c.certNo = "650100-2026-000001";
    c.holderName = "张三";
    c.catalogueVersion = 1;
    c.statusIndex = 70000;
    c.body = zc1::TitleBody{5, 501, 4, 1, 20777, std::string(64, 'a'), 6501, std::nullopt};
    auto text = zc1::issue(c, *key);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(issuer::payloadTextLength(c, alg), text->size());
  }
}

// ---- concurrency -------------------------------------------------------------------

TEST(IssuerHttp, ConcurrentIssuanceFrom8ThreadsGivesUniqueNumbersAndDenseIndexes) {
  IssuerWorld w;
  constexpr int kThreads = 8, kEach = 6;
  std::vector<std::vector<json>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const HttpReply r = w.post("/v1/certificates", titleBody("持有人" + std::to_string(t * kEach + i), cnId(t * kEach + i)),
                                   t % 2 ? w.clerkToken : w.adminToken);
        results[t].push_back(r.status == 201 ? r.json() : json{{"status", r.status}, {"body", r.body}});
      }
    });
  for (auto& t : threads) t.join();
  std::set<std::string> numbers;
  std::set<std::uint64_t> indexes;
  for (const auto& list : results)
    for (const json& r : list) {
      ASSERT_TRUE(r.contains("cert_no")) << r.dump();
      numbers.insert(r["cert_no"].get<std::string>());
      indexes.insert(r["status_index"].get<std::uint64_t>());
    }
  EXPECT_EQ(numbers.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(indexes.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(*indexes.begin(), 0u);
  EXPECT_EQ(*indexes.rbegin(), static_cast<std::uint64_t>(kThreads * kEach - 1));
  EXPECT_EQ(*numbers.rbegin(), "650100-2026-000048");
  EXPECT_TRUE(w.service->verifyAudit()->intact);
}

// ---- batch -----------------------------------------------------------------------------

TEST(IssuerHttp, BatchJsonLinesReportsEachRowAndARerunFindsTheIssuedRows) {
  IssuerWorld w;
  json bad = titleBody("坏行");
  bad["series"] = 999;
  const std::string body = titleBody("甲", cnId(1)).dump() + "\n" + bad.dump() + "\n{not json\n\n" +
                           qualificationBody("乙", cnId(2)).dump() + "\r\n";
  const HttpReply r = w.call("POST", "/v1/certificates:batch", body, w.clerkToken, "application/x-ndjson");
  ASSERT_EQ(r.status, 200) << r.body;
  const json report = r.json();
  EXPECT_EQ(report["issued"], 2);
  EXPECT_EQ(report["failed"], 2);
  ASSERT_EQ(report["rows"].size(), 4u);
  EXPECT_EQ(report["rows"][0]["status"], "issued");
  EXPECT_EQ(report["rows"][0]["line"], 1);
  EXPECT_EQ(report["rows"][1]["status"], "error");
  EXPECT_EQ(report["rows"][1]["field"], "series");
  EXPECT_EQ(report["rows"][2]["error"], "BAD_JSON");
  EXPECT_EQ(report["rows"][3]["line"], 5);
  EXPECT_EQ(report["rows"][3]["status_index"], 1);  // the failing rows took no index
  const HttpReply again = w.call("POST", "/v1/certificates:batch", body, w.clerkToken, "application/x-ndjson");
  EXPECT_EQ(again.json()["issued"], 0);
  EXPECT_EQ(again.json()["exists"], 2);
  EXPECT_EQ(again.json()["rows"][0]["cert_no"], report["rows"][0]["cert_no"]);
}

TEST(IssuerHttp, BatchCsvWithQuotedCells) {
  IssuerWorld w;
  const std::string csv =
      "\xEF\xBB\xBFtype,holder_name,holder_id,series,specialty,level,route,granted,employer,qualification,obtained\r\n"
      "title,张三," + cnId(3).substr(3) + ",4,401,3,review,2026-11-20,\"新疆某医院, 内科\",,\r\n"
      "qualification,\"李\"\"四\"," + cnId(4) + ",,,2,,,,101,2023-06-30\r\n"
      "title,王五," + cnId(5) + ",4,401,3,review,2026-11-20,,,\r\n";
  const HttpReply r = w.call("POST", "/v1/certificates:batch", csv, w.clerkToken, "text/csv; charset=utf-8");
  ASSERT_EQ(r.status, 200) << r.body;
  const json report = r.json();
  EXPECT_EQ(report["rows"][0]["status"], "error");  // an ID without its TYPE: prefix
  EXPECT_EQ(report["rows"][0]["field"], "holder.id");
  EXPECT_EQ(report["rows"][1]["status"], "issued") << report.dump();
  EXPECT_EQ(report["rows"][2]["status"], "issued");
  const json c = w.get("/v1/certificates/" + report["rows"][1]["cert_no"].get<std::string>(), w.clerkToken).json();
  EXPECT_EQ(c["holder"]["name"], "李\"四");
  const HttpReply badHeader = w.call("POST", "/v1/certificates:batch", "name,colour\nx,y\n", w.clerkToken, "text/csv");
  EXPECT_EQ(badHeader.status, 400);
  EXPECT_EQ(badHeader.json()["error"], "BAD_CSV");
  const HttpReply notUtf8 = w.call("POST", "/v1/certificates:batch", "type\n\xff\xfe\n", w.clerkToken, "text/csv");
  EXPECT_EQ(notUtf8.status, 400);
}

// ---- revocation, bundle ---------------------------------------------------------------

// Two service instances on one database (SQLite file or PostgreSQL): their
// writers take turns, so numbers and indexes stay unique and dense and the
// audit chain whole; a revocation through one shows in the other's bundle,
// and a key rotated through one is the key the other signs with next.
TEST(IssuerInstances, TwoInstancesOnOneDatabaseShareNumbersBundleAndKeys) {
  IssuerWorld w(noServer());
  std::unique_ptr<issuer::Service> other = w.openAnotherInstance();
  issuer::Service* instances[] = {w.service.get(), other.get()};
  constexpr int kThreadsEach = 3, kEach = 10;
  std::vector<std::vector<issuer::Issued>> issued(2 * kThreadsEach);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreadsEach; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int n = t * kEach + i;
        auto r = instances[t % 2]->issue(requestOf(titleBody("双实例" + std::to_string(n), cnId(n))), issuer::localOperator());
        if (r) issued[t].push_back(*r);
      }
    });
  for (auto& t : threads) t.join();
  std::set<std::string> numbers;
  std::set<std::uint64_t> indexes;
  for (const auto& list : issued)
    for (const auto& r : list) {
      numbers.insert(r.certNo);
      indexes.insert(r.statusIndex);
    }
  constexpr std::size_t kAll = 2 * kThreadsEach * kEach;
  ASSERT_EQ(numbers.size(), kAll);
  ASSERT_EQ(indexes.size(), kAll);
  EXPECT_EQ(*indexes.rbegin(), kAll - 1);
  EXPECT_TRUE(w.service->verifyAudit()->intact);

  // A revocation through the first shows in the second's next bundle.
  auto before = other->bundle();
  ASSERT_TRUE(before.ok()) << before.error().message;
  const std::string revoked = issued[0][0].certNo;
  ASSERT_TRUE(w.service->revoke(revoked, "test", issuer::localOperator()).ok());
  auto after = other->bundle();
  ASSERT_TRUE(after.ok());
  EXPECT_NE(*after, *before);
  auto openedBefore = bundle::open(*before, rootOf(w));
  auto openedAfter = bundle::open(*after, rootOf(w));
  ASSERT_TRUE(openedBefore.ok() && openedAfter.ok());
  EXPECT_EQ(openedAfter->contents().version, openedBefore->contents().version + 1);

  // A key rotated through the second is the key the first signs with next.
  auto change = other->rotateKey(std::nullopt, issuer::localOperator());
  ASSERT_TRUE(change.ok()) << change.error().message;
  auto next = w.service->issue(requestOf(titleBody("轮换后", cnId(900))), issuer::localOperator());
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->kid, change->kid);
  EXPECT_TRUE(w.service->verifyAudit()->intact);
}

TEST(IssuerHttp, BundleBytesAreStableUntilTheContentChanges) {
  IssuerWorld w;
  const HttpReply a = w.get("/v1/bundle");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.contentType, "application/cbor");
  ASSERT_EQ(w.post("/v1/certificates", titleBody(), w.clerkToken).status, 201);  // issuing changes nothing in it
  w.clock.advance(3600);
  const HttpReply b = w.get("/v1/bundle");
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(w.call("GET", "/v1/bundle", "", "", "", {{"If-None-Match", a.etag}}).status, 304);
  w.reopen();  // and across a restart
  EXPECT_EQ(w.get("/v1/bundle").body, a.body);
  // Near next-update (30 days, refreshed 72 h before) a new version is signed.
  w.clock.advance(28 * 86400);
  const HttpReply c = w.get("/v1/bundle");
  EXPECT_NE(c.body, a.body);
  EXPECT_EQ(bundleVersion(w), 2u);
}

TEST(IssuerEndToEnd, IssueOverHttpScanTheQrVerifyThenRevoke) {
  IssuerWorld w(sm2WithRealBinding());
  const HttpReply issued = w.post("/v1/certificates", titleBody(), w.clerkToken);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string certNo = issued.json()["cert_no"];
  const HttpReply png = w.get("/v1/certificates/" + certNo + "/qr.png", w.clerkToken);
  ASSERT_EQ(png.status, 200);
  auto image = scan::loadImage(toBytesOf(png.body));
  ASSERT_TRUE(image.ok());
  const auto texts = scan::readQrTexts(scan::viewOf(*image));
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], issued.json()["payload"]);
  const std::uint64_t v1 = bundleVersion(w);
  auto ok = verifyWithServedBundle(w, texts[0], w.clock.now(), kHolderIdA);
  EXPECT_EQ(ok.code, Code::OK) << ok.detail;
  EXPECT_EQ(ok.holderMatch, std::optional<bool>(true));

  w.clock.advance(60);
  const HttpReply revoked = w.post("/v1/certificates/" + certNo + "/revoke", {{"reason", "材料造假"}}, w.clerkToken);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(revoked.json()["revoked"]["reason"], "材料造假");
  EXPECT_EQ(w.post("/v1/certificates/" + certNo + "/revoke", {{"reason", "again"}}, w.clerkToken).status, 409);
  EXPECT_EQ(w.post("/v1/certificates/" + certNo + "/revoke", json::object(), w.clerkToken).status, 400);
  EXPECT_GT(bundleVersion(w), v1);
  auto gone = verifyWithServedBundle(w, texts[0], w.clock.now());
  EXPECT_EQ(gone.code, Code::REVOKED);
  EXPECT_FALSE(w.get("/v1/certificates/" + certNo, w.auditorToken).json()["revoked"].is_null());
}

// ---- keys -------------------------------------------------------------------------------

TEST(IssuerKeys, RotationKeepsWhatTheOldKeySignedValid) {
  IssuerWorld w;
  const json a = w.post("/v1/certificates", titleBody("甲"), w.clerkToken).json();
  w.clock.advance(600);
  const HttpReply rotated = w.post("/v1/keys/rotate", {{"alg", "ES256"}}, w.adminToken);
  ASSERT_EQ(rotated.status, 201) << rotated.body;
  EXPECT_EQ(rotated.json()["retired_kid"], w.init.kid);
  EXPECT_EQ(rotated.json()["alg"], "ES256");
  w.clock.advance(600);
  const json b = w.post("/v1/certificates", titleBody("乙"), w.clerkToken).json();
  EXPECT_EQ(b["kid"], rotated.json()["kid"]);
  EXPECT_EQ(verifyWithServedBundle(w, a["payload"], w.clock.now()).code, Code::OK);
  EXPECT_EQ(verifyWithServedBundle(w, b["payload"], w.clock.now()).code, Code::OK);
  const json issuers = w.get("/v1/issuers", w.auditorToken).json()["issuers"];
  ASSERT_EQ(issuers.size(), 2u);
  EXPECT_EQ(issuers[0]["state"], "retired");
  EXPECT_EQ(issuers[0]["valid_to"], dates::formatRfc3339(kIssuerNow + 601));
  EXPECT_EQ(issuers[1]["state"], "active");
  // The new key survives a restart (encrypted at rest, reloaded).
  w.reopen();
  const json c = w.post("/v1/certificates", titleBody("丙"), w.clerkToken).json();
  EXPECT_EQ(c["kid"], rotated.json()["kid"]);
}

TEST(IssuerKeys, ACompromisedKeyIsRemovedAndWhatItSignedIsResignedWithTheSameNumbers) {
  IssuerWorld w;
  const json a = w.post("/v1/certificates", titleBody("甲"), w.clerkToken).json();
  const json b = w.post("/v1/certificates", qualificationBody("乙"), w.clerkToken).json();
  ASSERT_EQ(w.post("/v1/certificates/" + b["cert_no"].get<std::string>() + "/revoke", {{"reason", "x"}}, w.clerkToken).status, 200);
  EXPECT_EQ(verifyWithServedBundle(w, a["payload"], w.clock.now()).code, Code::OK);
  w.clock.advance(3600);
  const HttpReply r = w.post("/v1/keys/" + w.init.kid + "/compromised", {{"reason", "laptop stolen"}}, w.adminToken);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["resigned"], 2);
  EXPECT_NE(r.json()["kid"], w.init.kid);
  const json a2 = w.get("/v1/certificates/" + a["cert_no"].get<std::string>(), w.clerkToken).json();
  const json b2 = w.get("/v1/certificates/" + b["cert_no"].get<std::string>(), w.clerkToken).json();
  EXPECT_EQ(a2["status_index"], a["status_index"]);
  EXPECT_EQ(b2["status_index"], b["status_index"]);
  EXPECT_NE(a2["payload"], a["payload"]);
  EXPECT_EQ(a2["kid"], r.json()["kid"]);
  // The old payload no longer verifies with the new bundle; the new one does.
  EXPECT_EQ(verifyWithServedBundle(w, a["payload"], w.clock.now()).code, Code::UNKNOWN_KID);
  EXPECT_EQ(verifyWithServedBundle(w, a2["payload"], w.clock.now()).code, Code::OK);
  EXPECT_EQ(verifyWithServedBundle(w, b2["payload"], w.clock.now()).code, Code::REVOKED);
  EXPECT_EQ(w.post("/v1/keys/" + w.init.kid + "/compromised", json::object(), w.adminToken).status, 409);
  EXPECT_EQ(w.post("/v1/keys/0011223344556677/compromised", json::object(), w.adminToken).status, 404);
  const json c = w.post("/v1/certificates", titleBody("丙"), w.clerkToken).json();
  EXPECT_EQ(c["kid"], r.json()["kid"]);
  EXPECT_EQ(c["status_index"], 2);
  EXPECT_TRUE(w.service->verifyAudit()->intact);
}

TEST(IssuerKeys, ImportingAnotherIssuersKeyPutsItInTheBundleWithItsScope) {
  IssuerWorld w;
  auto enterprise = crypto::PrivateKey::generate(crypto::Alg::EdDSA);
  const json body = {{"iss", "CN-65-GXQ-E0001"},
                     {"name", {{"zh", "新疆某生物医药有限公司（自主评审）"}, {"en", "Xinjiang Biomedical Co."}}},
                     {"region", "650100"},
                     {"alg", "EdDSA"},
                     {"public_key_pem", enterprise->publicKey().pem()},
                     {"valid_from", "2026-01-01T00:00:00Z"},
                     {"valid_to", "2031-01-01T00:00:00Z"},
                     {"scope", {{"types", {"title"}}, {"series", {5}}, {"specialties", {501}}, {"max_level", 3}}}};
  const HttpReply r = w.post("/v1/issuers", body, w.adminToken);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["kid"], toHex(enterprise->publicKey().kid()));
  EXPECT_EQ(w.post("/v1/issuers", body, w.adminToken).status, 409);
  json bad = body;
  bad["scope"]["max_level"] = 9;
  EXPECT_EQ(w.post("/v1/issuers", bad, w.adminToken).json()["field"], "scope.max_level");
  bad = body;
  bad["alg"] = "ES256";
  EXPECT_EQ(w.post("/v1/issuers", bad, w.adminToken).json()["field"], "alg");
  bad = body;
  bad["iss"] = "CN-65-GXQ";
  EXPECT_EQ(w.post("/v1/issuers", bad, w.adminToken).status, 400);

  // A credential the enterprise signs verifies in scope, and is out of scope above its level.
  zc1::Credential c;
  c.iss = "CN-65-GXQ-E0001";
  c.iat = static_cast<std::uint64_t>(w.clock.now());
  c.certNo = "E0001-2026-0001";
  c.holderName = "赵六";
  c.catalogueVersion = 1;
  c.body = zc1::TitleBody{5, 501, 3, 7, 20777, std::nullopt, std::nullopt, std::nullopt};
  EXPECT_EQ(verifyWithServedBundle(w, *zc1::issue(c, *enterprise), w.clock.now()).code, Code::OK);
  std::get<zc1::TitleBody>(c.body).level = 4;
  EXPECT_EQ(verifyWithServedBundle(w, *zc1::issue(c, *enterprise), w.clock.now()).code, Code::OUT_OF_SCOPE);
}

// ---- eligibility -------------------------------------------------------------------------

TEST(IssuerHttp, EligibilityAndTheRouteCheckAtIssuance) {
  IssuerWorld w;
  const json request = {{"on", "2026-07-01"},
                        {"person", {{"education", {{{"level", "bachelor"}, {"full_time", true}, {"graduated", "2025-07-01"}}}},
                                    {"technical_work_since", "2025-07-15"}}},
                        {"target", {{"series", 5}, {"specialty", 501}, {"level", 2}}}};
  const HttpReply e = w.post("/v1/eligibility", request, w.clerkToken);
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(e.json()["target"]["title_name"]["zh"], "助理工程师");
  EXPECT_FALSE(e.json()["routes"].empty());

  // Engineering by review has rules: a person is required, and checked.
  json title = titleBody();
  title["series"] = 5;
  title["specialty"] = 501;
  title["level"] = 4;
  const HttpReply noPerson = w.post("/v1/certificates", title, w.clerkToken);
  EXPECT_EQ(noPerson.status, 400) << noPerson.body;
  EXPECT_EQ(noPerson.json()["field"], "person");
  title["person"] = request["person"];
  const HttpReply refused = w.post("/v1/certificates", title, w.clerkToken);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.json()["error"], "ROUTE_NOT_ELIGIBLE");
  EXPECT_TRUE(refused.json()["missing"].is_array());
  EXPECT_FALSE(refused.json()["missing"].empty());
  json overridden = title;
  overridden.erase("person");
  overridden["override"] = {{"reason", "高层次人才 committee decision"}};
  EXPECT_EQ(w.post("/v1/certificates", overridden, w.clerkToken).status, 403);
  const HttpReply ok = w.post("/v1/certificates", overridden, w.adminToken);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_NE(w.get("/v1/audit?limit=1000", w.auditorToken).body.find("高层次人才 committee decision"), std::string::npos);
}

// ---- audit -------------------------------------------------------------------------------

std::vector<issuer::BatchRow> batchOf(std::size_t count, std::size_t firstLine = 1) {
  std::vector<issuer::BatchRow> rows;
  for (std::size_t i = 0; i < count; ++i)
    rows.push_back({firstLine + i,
                    issuer::readIssueRequest(titleBody("批" + std::to_string(firstLine + i), cnId(static_cast<int>(firstLine + i))).dump())});
  return rows;
}

std::string certNoOf(int seq) {
  char no[32];
  std::snprintf(no, sizeof no, "650100-2026-%06d", seq);
  return no;
}

// 300 rows in groups of 200 (the first group written with more than one
// INSERT, after its first eighth committed on its own): numbers taken by
// hand before, in the database, are skipped, indexes stay dense, progress
// comes once per committed group, and the audit chain holds.
TEST(IssuerBatch, ManyGroupsSkipNumbersTakenByHandAndKeepIndexesDense) {
  IssuerWorld w(withProperties({"batch.commit_rows = 200"}));
  for (int taken : {3, 130}) {
    json body = titleBody("手工" + std::to_string(taken), cnId(1000 + taken));
    body["cert_no"] = certNoOf(taken);
    ASSERT_EQ(w.post("/v1/certificates", body, w.clerkToken).status, 201);
  }
  std::vector<std::pair<std::size_t, std::size_t>> progress;  // (rows in the group, done)
  const auto outcomes = w.service->issueBatch(batchOf(300), issuer::localOperator(),
                                              [&](std::span<const issuer::BatchRowResult> committed, std::size_t done, std::size_t total) {
                                                EXPECT_EQ(total, 300u);
                                                progress.emplace_back(committed.size(), done);
                                              });
  EXPECT_EQ(progress, (std::vector<std::pair<std::size_t, std::size_t>>{{25, 25}, {175, 200}, {100, 300}}));
  ASSERT_EQ(outcomes.size(), 300u);
  std::set<std::string> numbers;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].result.ok()) << i << ": " << outcomes[i].result.error().message;
    EXPECT_EQ(outcomes[i].line, i + 1);
    EXPECT_EQ(outcomes[i].result->statusIndex, i + 2) << "the two issued by hand took 0 and 1";
    numbers.insert(outcomes[i].result->certNo);
  }
  std::set<std::string> expected;
  for (int seq = 1; seq <= 302; ++seq)
    if (seq != 3 && seq != 130) expected.insert(certNoOf(seq));
  EXPECT_EQ(numbers, expected);
  const auto check = w.service->verifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->intact) << check->reason;
  EXPECT_EQ(check->entries, 1u /*init*/ + 1 /*key*/ + 3 /*admin, clerk, auditor tokens*/ + 2 + 300);
  // A rerun finds every row by its request key, in one group or several.
  const auto again = w.service->issueBatch(batchOf(300), issuer::localOperator());
  for (std::size_t i = 0; i < again.size(); ++i) {
    ASSERT_TRUE(again[i].result.ok());
    EXPECT_TRUE(again[i].result->existed);
    EXPECT_EQ(again[i].result->certNo, outcomes[i].result->certNo);
  }
}

// The stored key of a batch row is pinned: HMAC-SHA256 keyed by
// scrypt(passphrase, "titlecert-issuer/request-key|" + salt), over
// "titlecert-batch-row/1|" and the row's canonical JSON (sorted keys,
// compact, the holder ID normalised and the name in NFC). Were it to
// change, a re-run of an old batch would no longer find its rows and would
// issue them again.
TEST(IssuerBatch, TheRequestKeyOfABatchRowIsPinned) {
  IssuerWorld w(noServer());
  const auto outcomes = w.service->issueBatch(batchOf(1), issuer::localOperator());
  ASSERT_EQ(outcomes.size(), 1u);
  ASSERT_TRUE(outcomes[0].result.ok()) << outcomes[0].result.error().message;
  // Both are hex; the query's text ends the value with a separator.
  auto leadingHex = [](const std::string& text) { return text.substr(0, text.find_first_not_of("0123456789abcdef")); };
  const std::string salt = leadingHex(w.queryText("SELECT value FROM settings WHERE name = 'request_key_salt'"));
  const std::string stored = leadingHex(w.queryText("SELECT request_key FROM certificates WHERE request_key IS NOT NULL"));
  ASSERT_EQ(salt.size(), 32u);
  ASSERT_EQ(stored.size(), 64u);
  const std::string canonical =
      "titlecert-batch-row/1|"
      R"({"approval_no":"新高人社职〔2026〕12号","employer":"新疆某医院","granted":"2026-11-20",)"
      R"("holder":{"id":"CN:650102199001010017","name":"批1"},"level":3,"route":"review","series":4,"specialty":401,)"
      R"("type":"title"})";
  auto secret = crypto::scrypt(asBytes(w.passphrase), asBytes("titlecert-issuer/request-key|" + salt), 16384, 8, 1, 32);
  ASSERT_TRUE(secret.ok());
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t macLength = 0;
  ASSERT_TRUE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret->data(), secret->size(),
                        reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), mac, sizeof mac,
                        &macLength));
  EXPECT_EQ(stored, toHex(ByteView(mac, macLength)));
}

// The HTTP layer types a body without the catalogue: a well-formed one
// comes out as fields, the first ill-typed field is named, and the row's
// canonical text is the body as given (a null stays, the ID is normalised).
TEST(IssuerRequests, TheBodyReaderTypesFieldsNamesTheFirstBadOneAndKeepsTheRowAsGiven) {
  json body = titleBody("读", cnId(7));
  body["approval_no"] = nullptr;
  auto request = issuer::readIssueRequest(body.dump());
  ASSERT_TRUE(request.ok()) << request.error().message;
  ASSERT_NE(request->title(), nullptr);
  EXPECT_EQ(request->title()->series, 4u);
  EXPECT_EQ(request->title()->route, "review");
  EXPECT_EQ(request->title()->granted, *dates::parseDate("2026-11-20"));
  EXPECT_FALSE(request->title()->approvalNo.has_value());
  EXPECT_NE(request->canonicalText.find(R"("approval_no":null)"), std::string::npos) << request->canonicalText;
  EXPECT_NE(request->canonicalText.find(*idh::normalize(cnId(7))), std::string::npos) << request->canonicalText;
  body["level"] = "3";
  body["specialty"] = "401";
  auto bad = issuer::readIssueRequest(body.dump());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "INVALID_ARGUMENT");
  EXPECT_EQ(bad.error().field, "specialty") << bad.error().message;
}

// A row the database itself refuses while the group is written (here a
// trigger stands in for any storage-level refusal) fails alone: the group
// is written again without it, the others keep dense indexes.
TEST(IssuerBatch, ARowTheDatabaseRefusesFailsAloneAndTheOthersStayDense) {
  IssuerWorld w(noServer());
  w.stop();
  if (testsOnPostgresql())
    w.tamper("CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS"
             " 'BEGIN IF NEW.holder_name = ''批7'' THEN RAISE EXCEPTION ''refused by the test''; END IF; RETURN NEW; END';"
             " CREATE TRIGGER refuse_one BEFORE INSERT ON certificates FOR EACH ROW EXECUTE FUNCTION refuse_one();");
  else
    w.tamper("CREATE TRIGGER refuse_one BEFORE INSERT ON certificates WHEN NEW.holder_name = '批7'"
             " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
  w.reopen();
  const auto outcomes = w.service->issueBatch(batchOf(20), issuer::localOperator());
  ASSERT_EQ(outcomes.size(), 20u);
  std::uint64_t nextIndex = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].line == 7) {
      EXPECT_FALSE(outcomes[i].result.ok());
      continue;
    }
    ASSERT_TRUE(outcomes[i].result.ok()) << outcomes[i].line << ": " << outcomes[i].result.error().message;
    EXPECT_EQ(outcomes[i].result->statusIndex, nextIndex++);
  }
  EXPECT_EQ(nextIndex, 19u);
  const auto check = w.service->verifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->intact) << check->reason;
}

// A COMMIT the database refuses in the middle of a batch (a deferred
// constraint stands in for a failed fsync or a lost connection): the
// writer had signed the group after it ahead, with the numbers that
// commit would have left. That group gets the refused group's numbers
// instead, signed again: no number is answered twice, and every row
// answered issued is stored with the very payload it was given, which
// verifies and names its own number and index.
TEST(IssuerBatch, AFailedCommitInAPipelinedBatchReusesNoNumberAndLosesNoAnsweredRow) {
  IssuerWorld w(withProperties({"batch.commit_rows = 100"}));
  w.stop();
  if (testsOnPostgresql())
    w.tamper("CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS"
             " 'BEGIN IF NEW.holder_name = ''批250'' THEN RAISE EXCEPTION ''refused at commit by the test''; END IF;"
             " RETURN NULL; END';"
             " CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON certificates DEFERRABLE INITIALLY DEFERRED"
             " FOR EACH ROW EXECUTE FUNCTION refuse_commit();");
  else
    w.tamper("CREATE TABLE commit_gate_parent (id INTEGER PRIMARY KEY);"
             " CREATE TABLE commit_gate (ref INTEGER REFERENCES commit_gate_parent (id) DEFERRABLE INITIALLY DEFERRED);"
             " CREATE TRIGGER refuse_commit AFTER INSERT ON certificates WHEN NEW.holder_name = '批250'"
             " BEGIN INSERT INTO commit_gate VALUES (1); END;");
  w.reopen();
  const auto outcomes = w.service->issueBatch(batchOf(500), issuer::localOperator());
  ASSERT_EQ(outcomes.size(), 500u);
  std::set<std::string> numbers;
  std::set<std::uint64_t> indexes;
  std::map<std::string, const issuer::Issued*> answered;
  for (const auto& o : outcomes) {
    const bool inRefusedGroup = o.line >= 201 && o.line <= 300;
    ASSERT_EQ(o.result.ok(), !inRefusedGroup) << o.line;
    if (!o.result.ok()) continue;
    EXPECT_TRUE(numbers.insert(o.result->certNo).second) << o.result->certNo << " answered twice";
    EXPECT_TRUE(indexes.insert(o.result->statusIndex).second) << o.result->statusIndex << " answered twice";
    answered[o.result->certNo] = &*o.result;
  }
  // The refused group's numbers and indexes went to the group after it.
  std::set<std::string> expected;
  for (int seq = 1; seq <= 400; ++seq) expected.insert(certNoOf(seq));
  EXPECT_EQ(numbers, expected);
  EXPECT_EQ(*indexes.rbegin(), 399u);
  EXPECT_EQ(outcomes[300].result->certNo, certNoOf(201));
  EXPECT_EQ(w.queryText("SELECT COUNT(*) FROM certificates").substr(0, 3), "400");
  const HttpReply b = w.get("/v1/bundle");
  ASSERT_EQ(b.status, 200);
  auto v = verifier::Verifier::create(toBytesOf(b.body), rootOf(w));
  ASSERT_TRUE(v.ok());
  for (const auto& [no, issued] : answered) {
    auto stored = w.service->certificate(no);
    ASSERT_TRUE(stored.ok()) << no << ": " << stored.error().message;
    EXPECT_EQ(stored->payload, issued->payload) << no;
    const auto outcome = v->verify(issued->payload, w.clock.now(), {});
    ASSERT_TRUE(outcome.valid()) << no << ": " << outcome.detail;
    EXPECT_EQ(outcome.credential->certNo, no);
    EXPECT_EQ(outcome.credential->statusIndex, issued->statusIndex) << no;
  }
  const auto check = w.service->verifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->intact) << check->reason;
}

TEST(IssuerAudit, TheChainListsEveryChangeAndIsAppendOnly) {
  IssuerWorld w;
  const std::string no = w.post("/v1/certificates", titleBody(), w.clerkToken).json()["cert_no"];
  w.post("/v1/certificates/" + no + "/revoke", {{"reason", "x"}}, w.clerkToken);
  const json page = w.get("/v1/audit?limit=1000", w.auditorToken).json();
  std::vector<std::string> actions;
  for (const auto& e : page["entries"]) actions.push_back(e["action"]);
  for (const char* a : {"service.init", "key.create", "token.create", "certificate.issue", "certificate.revoke"})
    EXPECT_NE(std::find(actions.begin(), actions.end(), a), actions.end()) << a;
  EXPECT_EQ(page["entries"][0]["prev_hash"], std::string(64, '0'));
  EXPECT_EQ(page.dump().find("199001011239"), std::string::npos);
  const json second = w.get("/v1/audit?after=2&limit=1", w.auditorToken).json();
  ASSERT_EQ(second["entries"].size(), 1u);
  EXPECT_EQ(second["entries"][0]["seq"], 3);
  EXPECT_EQ(w.get("/v1/audit?limit=0", w.auditorToken).status, 400);
  const json verified = w.get("/v1/audit/verify", w.auditorToken).json();
  EXPECT_EQ(verified["intact"], true);
  // The table refuses changes through SQL (triggers).
  EXPECT_FALSE(w.trySql("UPDATE audit SET action = 'x' WHERE seq = 1"));
  EXPECT_FALSE(w.trySql("DELETE FROM audit WHERE seq = 1"));
  EXPECT_TRUE(w.trySql("SELECT COUNT(*) FROM audit"));
}

TEST(IssuerAudit, VerifyDetectsAnAlteredRow) {
  IssuerWorld w(noServer());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(w.service->issue(requestOf(titleBody()), issuer::localOperator()).ok());
  w.stop();
  w.tamper("UPDATE audit SET details = replace(details, 'status_index\":0', 'status_index\":7') WHERE seq = 6;");
  w.options.examineOnly = true;
  w.reopen();
  const auto check = w.service->verifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->intact);
  EXPECT_EQ(check->firstBadSeq, 6u);
}

TEST(IssuerAudit, VerifyDetectsADeletedRowAnywhere) {
  for (const std::string where : {"seq = 4", "seq = (SELECT MAX(seq) FROM audit)"}) {
    IssuerWorld w(noServer());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(w.service->issue(requestOf(titleBody()), issuer::localOperator()).ok());
    w.stop();
    w.tamper("DELETE FROM audit WHERE " + where + ";");
    w.options.examineOnly = true;
    w.reopen();
    const auto check = w.service->verifyAudit();
    ASSERT_TRUE(check.ok());
    EXPECT_FALSE(check->intact) << where;
    EXPECT_FALSE(check->reason.empty());
  }
}

TEST(IssuerAudit, VerifyDetectsReorderedRows) {
  IssuerWorld w(noServer());
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(w.service->issue(requestOf(titleBody()), issuer::localOperator()).ok());
  w.stop();
  w.tamper("UPDATE audit SET seq = 100 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 6; UPDATE audit SET seq = 6 WHERE seq = 100;");
  w.options.examineOnly = true;
  w.reopen();
  EXPECT_FALSE(w.service->verifyAudit()->intact);
}

// ---- the root key offline ----------------------------------------------------------------------

TEST(IssuerBundle, ExportManifestBuildOfflineLoadTheSignedBundle) {
  IssuerWorld w;
  const std::string no = w.post("/v1/certificates", titleBody(), w.clerkToken).json()["cert_no"];
  w.post("/v1/certificates/" + no + "/revoke", {{"reason", "x"}}, w.clerkToken);
  const std::uint64_t served = bundleVersion(w);
  // The bureau moves the root key off the service.
  const std::string offline = makeTempDir("titlecert-offline");
  std::filesystem::rename(w.dir + "/root.pem", offline + "/root.pem");
  w.reopen();
  EXPECT_FALSE(w.service->rootKeyOnline());
  w.clock.advance(86400);
  const std::string out = offline + "/manifest";
  ASSERT_TRUE(w.service->exportManifest(out).ok());
  // ... builds the bundle there (what titlecert-config bundle build does) ...
  auto manifest = files::read(out + "/manifest.json");
  ASSERT_TRUE(manifest.ok());
  EXPECT_EQ(json::parse(*manifest)["version"], served + 1);
  EXPECT_EQ(json::parse(*manifest)["revoked"][0]["cert_no"], no);
  auto contents = bundle::fromManifest(*manifest, out);
  ASSERT_TRUE(contents.ok()) << contents.error().detail;
  auto root = crypto::PrivateKey::fromPem(*files::read(offline + "/root.pem"), w.passphrase);
  auto signedBundle = bundle::sign(*contents, *root);
  ASSERT_TRUE(signedBundle.ok());
  // ... and loads it into the service, which serves it as it is.
  auto loaded = w.service->loadBundle(*signedBundle, issuer::localOperator());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(*loaded, served + 1);
  const HttpReply b = w.get("/v1/bundle");
  EXPECT_EQ(toBytesOf(b.body), *signedBundle);
  EXPECT_EQ(w.get("/v1/bundle").body, b.body);
  // Rollback and a bundle signed by another root are refused.
  EXPECT_EQ(w.service->loadBundle(*signedBundle, issuer::localOperator()).error().code, "BUNDLE_ROLLBACK");
  auto otherRoot = crypto::PrivateKey::generate(crypto::Alg::EdDSA);
  contents->version += 5;
  EXPECT_EQ(w.service->loadBundle(*bundle::sign(*contents, *otherRoot), issuer::localOperator()).error().code, "BAD_BUNDLE");
  std::filesystem::remove_all(offline);
}

TEST(IssuerBundle, WithoutTheRootKeyAndNoBundleLoadedTheBundleIs503) {
  IssuerWorld w;
  std::filesystem::remove(w.dir + "/root.pem");
  w.reopen();
  const HttpReply b = w.get("/v1/bundle");
  EXPECT_EQ(b.status, 503);
  EXPECT_EQ(b.json()["error"], "UNAVAILABLE");
}

}  // namespace
}  // namespace titlecert::testing
