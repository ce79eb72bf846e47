// Test support for the issuer service: a data directory in a fresh temp
// folder, a Service opened on a ManualClock, an HTTP server on an
// OS-assigned port of 127.0.0.1, tokens for each role, and a small Poco
// HTTP client. Nothing here reads the real clock.
#pragma once

#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "titlecert/issuer/server.h"
#include "titlecert/issuer/service.h"

namespace titlecert::testing {

// 2026-11-27T01:00:00Z.
inline constexpr std::int64_t kIssuerNow = 1795741200;
inline const std::string kHolderIdA = "CN:650102199001011239";

// A fast stand-in for the scrypt binding (tests that do not check holder
// binding): the first 16 bytes of SHA-256(id "|" cert_no).
class FastBinder final : public issuer::HolderBinder {
 public:
  Result<idh::Idh> bind(std::string_view normalizedId, std::string_view certNo) const override;
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::string contentType;
  std::string etag;
  std::string contentLanguage;  // the Content-Language header ("" when absent)
  std::string vary;
  nlohmann::json json() const;  // null when the body is not JSON
};

// Where a world's database lives: SQLite in its data directory, or, when
// TITLECERT_TEST_POSTGRESQL holds a libpq connection string without dbname
// (ctest sets it for the "pg." tests, with a throwaway cluster), a fresh
// PostgreSQL database per world, dropped with it.
bool testsOnPostgresql();

struct IssuerWorldOptions {
  crypto::Alg alg = crypto::Alg::EdDSA;
  bool realBinding = false;                    // scrypt instead of FastBinder
  std::vector<std::string> extraProperties;    // appended to issuer.properties before opening
  std::optional<std::string> iss, region;      // init's --iss and --region (another region's issuer)
  bool startServer = true;
  bool examineOnly = false;  // open without the integrity check at start (OpenOptions::examineOnly)
};

class IssuerWorld {
 public:
  explicit IssuerWorld(IssuerWorldOptions options = {});
  ~IssuerWorld();

  // Closes the service (and server) and opens the data directory again.
  void reopen();
  void stop();

  // A second service instance on the same database (as a bureau runs
  // several behind a load balancer): a copy of the data directory, without
  // the SQLite files, pointed at this world's database.
  std::unique_ptr<issuer::Service> openAnotherInstance();

  // Runs SQL on the world's database behind the service's back: true when
  // the database accepted it. tamper() first drops the audit table's
  // append-only triggers, as an attacker with the database would.
  bool trySql(const std::string& sql) const;
  void tamper(const std::string& sql) const;
  // Every value of a query's rows as text, one row per line (throws when
  // the query fails).
  std::string queryText(const std::string& sql) const;

  HttpReply call(const std::string& method, const std::string& path, const std::string& body = {},
                 const std::string& token = {}, const std::string& contentType = "application/json",
                 const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
  HttpReply post(const std::string& path, const nlohmann::json& body, const std::string& token) const;
  HttpReply get(const std::string& path, const std::string& token = {}) const;
  // GET /v1/batches/{id} (as the clerk) until the batch is no longer
  // running, at most ~30 s: its last status.
  nlohmann::json waitForBatch(const std::string& id) const;

  std::string dir;
  std::string passphrase = "issuer-test-passphrase";
  issuer::ManualClock clock{kIssuerNow};
  issuer::InitResult init;
  std::string adminToken, clerkToken, auditorToken;
  std::unique_ptr<issuer::Service> service;
  std::unique_ptr<issuer::HttpServer> server;
  IssuerWorldOptions options;
  std::string postgresqlDatabase;  // empty: SQLite
  std::vector<std::string> otherDirs;  // of openAnotherInstance(), removed with the world

 private:
  void open();
  std::optional<std::string> run(const std::string& sql) const;
};

// A title body (series 4 卫生技术 / 401 / level 3 by review: no route rules)
// with the given holder name.
nlohmann::json titleBody(const std::string& name = "张三", const std::string& id = kHolderIdA);
// A request body as the HTTP layer reads it, for calling the Service directly
// (a body that does not read is a test failure and an empty request).
issuer::IssueRequest requestOf(const nlohmann::json& body);
issuer::ImportIssuerRequest importRequestOf(const nlohmann::json& body);
// A vocational qualification body (101 建造师, level 2).
nlohmann::json qualificationBody(const std::string& name = "李四", const std::string& id = kHolderIdA);

// Valid CN ID numbers (GB 11643 check digit computed): region 650102, born 1990-01-01, sequence n.
std::string cnId(int n);

std::string makeTempDir(const std::string& prefix);

}  // namespace titlecert::testing
