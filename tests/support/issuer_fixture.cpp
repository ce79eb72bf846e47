#include "support/issuer_fixture.h"

#include <chrono>
#include <thread>
#include <gtest/gtest.h>

#include "titlecert/issuer/http_requests.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <sqlite3.h>

#ifdef TITLECERT_TEST_POSTGRESQL_SUPPORT
#include <libpq-fe.h>
#endif

#include "titlecert/crypto.h"

namespace titlecert::testing {
namespace {

std::string postgresqlBase() {
  const char* base = std::getenv("TITLECERT_TEST_POSTGRESQL");
  return base ? base : "";
}

// Runs SQL (several statements allowed) and returns every value of the
// rows it answers, one row per line; nullopt when the database refused it.
std::optional<std::string> postgresqlRun(const std::string& conninfo, const std::string& sql) {
#ifdef TITLECERT_TEST_POSTGRESQL_SUPPORT
  PGconn* c = PQconnectdb(conninfo.c_str());
  std::optional<std::string> out;
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK) {
      out.emplace();
      for (int row = 0; row < PQntuples(r); ++row) {
        for (int col = 0; col < PQnfields(r); ++col) *out += std::string(PQgetvalue(r, row, col)) + "|";
        *out += "\n";
      }
    }
    PQclear(r);
  }
  PQfinish(c);
  return out;
#else
  (void)conninfo;
  (void)sql;
  throw std::runtime_error("TITLECERT_TEST_POSTGRESQL is set, but the tests were built without PostgreSQL");
#endif
}

std::optional<std::string> sqliteRun(const std::string& file, const std::string& sql) {
  sqlite3* h = nullptr;
  std::optional<std::string> out;
  if (sqlite3_open(file.c_str(), &h) == SQLITE_OK) {
    std::string text;
    auto collect = [](void* into, int columns, char** values, char**) {
      auto* t = static_cast<std::string*>(into);
      for (int i = 0; i < columns; ++i) *t += std::string(values[i] ? values[i] : "") + "|";
      *t += "\n";
      return 0;
    };
    if (sqlite3_exec(h, sql.c_str(), collect, &text, nullptr) == SQLITE_OK) out = std::move(text);
  }
  sqlite3_close(h);
  return out;
}

}  // namespace

bool testsOnPostgresql() { return !postgresqlBase().empty(); }

Result<idh::Idh> FastBinder::bind(std::string_view normalizedId, std::string_view certNo) const {
  const Bytes h = crypto::sha256(asBytes(std::string(normalizedId) + "|" + std::string(certNo)));
  idh::Idh out{};
  std::copy(h.begin(), h.begin() + 16, out.begin());
  return out;
}

nlohmann::json HttpReply::json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

std::string makeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string cnId(int n) {
  static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char checks[] = "10X98765432";
  char body[24];
  std::snprintf(body, sizeof body, "65010219900101%03d", n % 1000);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * weights[i];
  return std::string("CN:") + body + checks[sum % 11];
}

nlohmann::json titleBody(const std::string& name, const std::string& id) {
  return {{"type", "title"}, {"holder", {{"name", name}, {"id", id}}}, {"series", 4}, {"specialty", 401}, {"level", 3},
          {"route", "review"}, {"granted", "2026-11-20"}, {"approval_no", "新高人社职〔2026〕12号"}, {"employer", "新疆某医院"}};
}

nlohmann::json qualificationBody(const std::string& name, const std::string& id) {
  return {{"type", "qualification"}, {"holder", {{"name", name}, {"id", id}}}, {"qualification", 101}, {"level", 2},
          {"obtained", "2023-06-30"}, {"qualification_no", "S2023-0001"}};
}

IssuerWorld::IssuerWorld(IssuerWorldOptions o) : options(std::move(o)) {
  dir = makeTempDir("titlecert-issuer");
  std::filesystem::remove(dir);  // init creates it (and refuses an existing database only)
  issuer::InitOptions initOptions{dir, passphrase, options.alg, options.iss, options.region, std::nullopt, std::nullopt};
  if (testsOnPostgresql()) {
    auto random = crypto::randomBytes(6);
    if (!random) throw std::runtime_error("no random bytes");
    postgresqlDatabase = "w_" + toHex(*random);
    if (!postgresqlRun(postgresqlBase() + " dbname=postgres", "CREATE DATABASE " + postgresqlDatabase))
      throw std::runtime_error("cannot create the PostgreSQL database " + postgresqlDatabase);
    initOptions.dbConnector = "postgresql";
    initOptions.dbConnection = postgresqlBase() + " dbname=" + postgresqlDatabase;
  }
  auto r = issuer::Service::init(initOptions, clock);
  if (!r) throw std::runtime_error("init failed: " + r.error().message);
  this->init = *r;
  adminToken = this->init.adminToken;
  if (!options.extraProperties.empty()) {
    std::ofstream props(dir + "/issuer.properties", std::ios::app);
    for (const auto& line : options.extraProperties) props << line << "\n";
  }
  open();
  auto token = [&](issuer::Role role) {
    auto t = service->createToken(role, issuer::localOperator());
    if (!t) throw std::runtime_error("token failed");
    return t->token;
  };
  clerkToken = token(issuer::Role::Clerk);
  auditorToken = token(issuer::Role::Auditor);
}

IssuerWorld::~IssuerWorld() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  for (const auto& other : otherDirs) std::filesystem::remove_all(other, ec);
  if (!postgresqlDatabase.empty())
    postgresqlRun(postgresqlBase() + " dbname=postgres", "DROP DATABASE IF EXISTS " + postgresqlDatabase + " WITH (FORCE)");
}

std::unique_ptr<issuer::Service> IssuerWorld::openAnotherInstance() {
  const std::string other = makeTempDir("titlecert-issuer-b");
  otherDirs.push_back(other);
  for (const char* file : {"issuer.properties", "root.pem", "root.pub.pem"})
    std::filesystem::copy_file(dir + "/" + file, other + "/" + file, std::filesystem::copy_options::overwrite_existing);
  if (postgresqlDatabase.empty()) {
    std::ofstream props(other + "/issuer.properties", std::ios::app);
    props << "db.connection = " << dir << "/issuer.db\n";
  }
  issuer::OpenOptions o{other, passphrase, nullptr};
  if (!options.realBinding) o.binder = std::make_shared<FastBinder>();
  auto s = issuer::Service::open(o, clock);
  if (!s) throw std::runtime_error("opening another instance failed: " + s.error().message);
  return std::move(s).value();
}

std::optional<std::string> IssuerWorld::run(const std::string& sql) const {
  if (postgresqlDatabase.empty()) return sqliteRun(dir + "/issuer.db", sql);
  return postgresqlRun(postgresqlBase() + " dbname=" + postgresqlDatabase, sql);
}

bool IssuerWorld::trySql(const std::string& sql) const { return run(sql).has_value(); }

std::string IssuerWorld::queryText(const std::string& sql) const {
  auto text = run(sql);
  if (!text) throw std::runtime_error("the query failed: " + sql);
  return *text;
}

void IssuerWorld::tamper(const std::string& sql) const {
  const std::string dropTriggers = postgresqlDatabase.empty()
                                       ? "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; "
                                       : "DROP TRIGGER IF EXISTS audit_no_update ON audit; DROP TRIGGER IF EXISTS audit_no_delete ON audit; ";
  if (!trySql(dropTriggers + sql)) throw std::runtime_error("tampering failed: " + sql);
}

void IssuerWorld::open() {
  issuer::OpenOptions o{dir, passphrase, nullptr};
  o.examineOnly = options.examineOnly;
  if (!options.realBinding) o.binder = std::make_shared<FastBinder>();
  auto s = issuer::Service::open(o, clock);
  if (!s) throw std::runtime_error("open failed: " + s.error().message);
  service = std::move(s).value();
  if (options.startServer) {
    auto srv = issuer::HttpServer::start(*service, "127.0.0.1:0");
    if (!srv) throw std::runtime_error("server failed: " + srv.error().message);
    server = std::move(srv).value();
  }
}

void IssuerWorld::stop() {
  server.reset();
  service.reset();
}

void IssuerWorld::reopen() {
  stop();
  open();
}

HttpReply IssuerWorld::call(const std::string& method, const std::string& path, const std::string& body,
                            const std::string& token, const std::string& contentType,
                            const std::vector<std::pair<std::string, std::string>>& headers) const {
  Poco::Net::HTTPClientSession session("127.0.0.1", server->port());
  session.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
  for (const auto& [k, v] : headers) request.set(k, v);
  if (method == "POST" || method == "PUT") {
    request.setContentType(contentType);
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  std::ostream& out = session.sendRequest(request);
  out << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpReply reply;
  reply.status = static_cast<int>(response.getStatus());
  reply.contentType = response.getContentType();
  reply.etag = response.get("ETag", "");
  reply.contentLanguage = response.get("Content-Language", "");
  reply.vary = response.get("Vary", "");
  std::ostringstream data;
  Poco::StreamCopier::copyStream(in, data);
  reply.body = data.str();
  return reply;
}

HttpReply IssuerWorld::post(const std::string& path, const nlohmann::json& body, const std::string& token) const {
  return call("POST", path, body.dump(), token);
}

HttpReply IssuerWorld::get(const std::string& path, const std::string& token) const { return call("GET", path, {}, token); }

issuer::IssueRequest requestOf(const nlohmann::json& body) {
  auto request = issuer::readIssueRequest(body.dump());
  EXPECT_TRUE(request.ok()) << request.error().message;
  return request.ok() ? std::move(request).value() : issuer::IssueRequest{};
}

nlohmann::json IssuerWorld::waitForBatch(const std::string& id) const {
  nlohmann::json status;
  for (int i = 0; i < 600; ++i) {
    status = get("/v1/batches/" + id, clerkToken).json();
    if (status["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return status;
}

issuer::ImportIssuerRequest importRequestOf(const nlohmann::json& body) {
  auto request = issuer::readImportIssuerRequest(body.dump());
  EXPECT_TRUE(request.ok()) << request.error().message;
  return request.ok() ? std::move(request).value() : issuer::ImportIssuerRequest{};
}

}  // namespace titlecert::testing
