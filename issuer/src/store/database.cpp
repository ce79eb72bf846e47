#include "database.h"

#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Nullable.h>
#include <Poco/String.h>

#include <filesystem>

#ifdef TITLECERT_ISSUER_POSTGRESQL
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <libpq-fe.h>
#endif

#include "storage_faults.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer::store {
namespace {

void registerConnectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
#ifdef TITLECERT_ISSUER_POSTGRESQL
    Poco::Data::PostgreSQL::Connector::registerConnector();
#endif
  });
}

// Settings every connection needs. busy_timeout: another process (the CLI
// next to a running server) may hold the write lock for a moment.
void configureSqlite(Poco::Data::Session& s) {
  s << "PRAGMA foreign_keys = ON", now;
  s << "PRAGMA busy_timeout = 10000", now;
  // WAL with synchronous=FULL: every commit is fsynced (durable at once,
  // not only at the next checkpoint).
  s << "PRAGMA synchronous = FULL", now;
  // 32 MiB of page cache (SQLite's default is 2 MB): a batch transaction
  // dirties a page per row in the request_key index; once the cache is
  // full SQLite spills pages to the WAL in the middle of the transaction
  // and writes them again at the commit.
  s << "PRAGMA cache_size = -32768", now;
  // Statement journals in memory: a multi-row INSERT keeps one (to undo
  // itself alone on a refused row), and in a temporary file it costs a
  // write per page.
  s << "PRAGMA temp_store = MEMORY", now;
}

class ConfiguredPool : public Poco::Data::SessionPool {
 public:
  ConfiguredPool(const Dialect& d, const std::string& connection, int maxSessions)
      : SessionPool(d.poco, connection, 1, maxSessions, 60), sqlite_(d.name == "sqlite") {}

 protected:
  void customizeSession(Poco::Data::Session& s) override {
    if (sqlite_) configureSqlite(s);
  }

 private:
  bool sqlite_;
};

// One migration: the statements that take the schema from version-1 to
// version. Append only; never edit a migration that has shipped.
struct Migration {
  int version;
  std::vector<std::string> statements;
};

std::vector<Migration> migrations(const Dialect& d) {
  const std::string id = d.autoIdType;
  const std::string blob = d.blobType;
  return {
      {1,
       {
           "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
           // Gap-free sequences (status index per iss, certificate numbers
           // per prefix), advanced inside the issuing transaction.
           "CREATE TABLE counters (name TEXT PRIMARY KEY, next_value INTEGER NOT NULL)",
           "CREATE TABLE tokens (id " + id +
               ", hash TEXT NOT NULL UNIQUE,"
               " role TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'auditor')),"
               " created_at INTEGER NOT NULL, created_by INTEGER REFERENCES tokens(id), revoked_at INTEGER)",
           "CREATE TABLE issuer_keys (id " + id +
               ", iss TEXT NOT NULL, kid TEXT NOT NULL, alg TEXT NOT NULL,"
               " public_key_pem TEXT NOT NULL, private_key_pem TEXT,"
               " name_zh TEXT NOT NULL, name_en TEXT NOT NULL, region TEXT NOT NULL,"
               " valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL, scope TEXT NOT NULL,"
               " state TEXT NOT NULL CHECK (state IN ('active', 'retired', 'compromised', 'imported')),"
               " created_at INTEGER NOT NULL, closed_at INTEGER, UNIQUE (iss, kid))",
           "CREATE TABLE certificates (cert_no TEXT PRIMARY KEY, iss TEXT NOT NULL,"
           " status_index INTEGER NOT NULL, type TEXT NOT NULL CHECK (type IN ('title', 'qualification')),"
           " holder_name TEXT NOT NULL, holder_id_masked TEXT NOT NULL, idh TEXT NOT NULL,"
           " fields TEXT NOT NULL, claims " +
               blob +
               " NOT NULL, payload TEXT NOT NULL,"
               " key_id INTEGER NOT NULL REFERENCES issuer_keys(id), issued_at INTEGER NOT NULL,"
               " issued_by INTEGER REFERENCES tokens(id), request_key TEXT UNIQUE,"
               " revoked_at INTEGER, revoke_reason TEXT, resigned_at INTEGER,"
               " UNIQUE (iss, status_index))",
           "CREATE INDEX certificates_by_key ON certificates (key_id)",
           "CREATE TABLE superseded_payloads (id " + id +
               ", cert_no TEXT NOT NULL REFERENCES certificates(cert_no),"
               " payload TEXT NOT NULL, key_id INTEGER NOT NULL REFERENCES issuer_keys(id),"
               " superseded_at INTEGER NOT NULL, reason TEXT NOT NULL)",
           "CREATE TABLE audit (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
           " actor INTEGER REFERENCES tokens(id), action TEXT NOT NULL, details TEXT NOT NULL,"
           " prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
           "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,"
           " hash TEXT NOT NULL)",
           "CREATE TABLE bundles (version INTEGER PRIMARY KEY, issued_at INTEGER NOT NULL,"
           " next_update INTEGER NOT NULL, content_hash TEXT NOT NULL,"
           " origin TEXT NOT NULL CHECK (origin IN ('signed', 'loaded')), bytes " +
               blob + " NOT NULL, created_at INTEGER NOT NULL)",
       }},
      {2,
       {
           // POST /v1/certificates answers by Idempotency-Key: key_hash is
           // SHA-256 of token id and key, request_hash of the body.
           "CREATE TABLE idempotency_keys (key_hash TEXT PRIMARY KEY, request_hash TEXT NOT NULL,"
           " status INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL)",
       }},
      {3,
       {
           // POST /v1/batches: the rows are stored at submission and each
           // outcome when settled (result '' while pending), so a restarted
           // issuer resumes a batch where its outcomes end.
           "CREATE TABLE batches (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL,"
           " created_by INTEGER NOT NULL, role TEXT NOT NULL,"
           " state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),"
           " total INTEGER NOT NULL, done INTEGER NOT NULL, failed INTEGER NOT NULL, finished_at INTEGER)",
           "CREATE TABLE batch_rows (batch_id TEXT NOT NULL REFERENCES batches(id), seq INTEGER NOT NULL,"
           " line INTEGER NOT NULL, request TEXT NOT NULL, result TEXT NOT NULL, PRIMARY KEY (batch_id, seq))",
           "CREATE INDEX batches_running ON batches (state, created_at)",
       }},
      {4,
       {
           // Other regions whose trust bundles we republish: the root each
           // is pinned to, the version last imported (never lowered), and
           // what was taken from it (issuer entries, status lists).
           "CREATE TABLE peer_regions (region TEXT PRIMARY KEY, root_public_key_pem TEXT NOT NULL,"
           " root_kid TEXT NOT NULL, added_at INTEGER NOT NULL, bundle_version INTEGER, bundle_issued_at INTEGER,"
           " bundle_next_update INTEGER, bundle_sha256 TEXT, imported_at INTEGER, source TEXT)",
           "CREATE TABLE peer_issuers (region TEXT NOT NULL REFERENCES peer_regions(region), position INTEGER NOT NULL,"
           " iss TEXT NOT NULL, kid TEXT NOT NULL, public_key_pem TEXT NOT NULL, name_zh TEXT NOT NULL,"
           " name_en TEXT NOT NULL, issuer_region TEXT NOT NULL, valid_from INTEGER NOT NULL,"
           " valid_to INTEGER NOT NULL, scope TEXT NOT NULL, PRIMARY KEY (region, position))",
           "CREATE TABLE peer_status_lists (region TEXT NOT NULL REFERENCES peer_regions(region),"
           " iss TEXT NOT NULL UNIQUE, issued INTEGER NOT NULL, coded_set " +
               blob + " NOT NULL, PRIMARY KEY (region, iss))",
       }},
  };
}

// The audit table refuses UPDATE and DELETE (defence in depth; the hash
// chain is what detects a change made around it).
std::vector<std::string> auditTriggers(const Dialect& d) {
  if (d.name == "postgresql")
    return {
        "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
        " 'BEGIN RAISE EXCEPTION ''audit is append-only''; END'",
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    };
  return {
      "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END",
      "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END",
  };
}

}  // namespace

// Writers take turns, as SQLite's BEGIN IMMEDIATE makes them: several
// service instances on one PostgreSQL database take a transaction-scoped
// advisory lock first, and then read committed data is all a writer needs
// (no serialization failures to retry, counters read after the last
// writer committed).
Dialect dialectFor(const std::string& connector) {
  if (connector == "postgresql")
    return {"postgresql", "PostgreSQL", "BEGIN ISOLATION LEVEL READ COMMITTED",
            "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7461010)) AS writers", "BIGSERIAL PRIMARY KEY", "BYTEA"};
  return {"sqlite", "SQLite", "BEGIN IMMEDIATE", "", "INTEGER PRIMARY KEY", "BLOB"};
}

int latestSchemaVersion() { return 4; }

std::string sql(const Poco::Data::Session& s, std::string_view text) {
  if (Poco::icompare(s.connector(), "postgresql") != 0) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  int n = 0;
  bool quoted = false;  // inside '...': a ? there is a character, not a parameter
  for (char c : text) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted)
      out += "$" + std::to_string(++n);
    else
      out += c;
  }
  return out;
}

Problem problemFromException(const char* what, const std::exception& e) {
  std::string detail = e.what();
  if (const auto* pe = dynamic_cast<const Poco::Exception*>(&e)) detail = pe->displayText();
  // A fault of the storage itself is logged once (storage_faults.h) and
  // answered 503: the client retries, nothing is wrong with its request.
  if (const StorageFault fault = storageFaultOf(e); fault != StorageFault::None) {
    noteStorageFault(fault, what, detail);
    return storageProblem(fault);
  }
  Poco::Logger::get("titlecert.issuer").error(std::string("database error in ") + what + ": " + detail);
  return internalError(std::string("storage error (") + what + ")");
}

Database::Database(Dialect d, std::string connection, int poolSize)
    : dialect_(std::move(d)), connection_(std::move(connection)) {
  pool_ = std::make_unique<ConfiguredPool>(dialect_, connection_, poolSize);
  writer_ = std::make_unique<Poco::Data::Session>(dialect_.poco, connection_);
  if (dialect_.name == "sqlite") configureSqlite(*writer_);
}

Database::~Database() {
  writer_.reset();
  if (pool_) pool_->shutdown();
}

namespace {

// The database, its WAL and shared-memory files hold every certificate and
// the encrypted keys: owner only. SQLite gives -wal and -shm the database
// file's mode, so creating the database under umask 077 creates all three
// so; files an older build left readable are tightened.
class OwnerOnlyFiles {
 public:
  explicit OwnerOnlyFiles(const std::string& database) : previous_(::umask(077)) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const std::string file = database + suffix;
      if (::access(file.c_str(), F_OK) == 0) ::chmod(file.c_str(), 0600);
    }
  }
  ~OwnerOnlyFiles() { ::umask(previous_); }
  OwnerOnlyFiles(const OwnerOnlyFiles&) = delete;
  OwnerOnlyFiles& operator=(const OwnerOnlyFiles&) = delete;

 private:
  mode_t previous_;
};

}  // namespace

Expected<std::unique_ptr<Database>> Database::open(const Config& config, const std::string& dataDir) {
  registerConnectors();
  const Dialect d = dialectFor(config.dbConnector);
#ifndef TITLECERT_ISSUER_POSTGRESQL
  if (d.name != "sqlite")
    return badRequest("db.connector", "this build has only the sqlite connector (build with -DTITLECERT_ISSUER_POSTGRESQL=ON)");
#endif
  const std::string connection = config.dbConnection.empty() ? dataDir + "/issuer.db" : config.dbConnection;
  std::optional<OwnerOnlyFiles> ownerOnly;
  if (d.name == "sqlite") ownerOnly.emplace(connection);
  return guarded<std::unique_ptr<Database>>("open", [&]() -> Expected<std::unique_ptr<Database>> {
    std::unique_ptr<Database> db(new Database(d, connection, std::max(config.dbPoolSize, config.maxThreads + 2)));
    if (d.name == "sqlite") {
      std::string mode;
      *db->writer_ << "PRAGMA journal_mode = WAL", into(mode), now;
      if (mode != "wal") return internalError("the database cannot use WAL mode (journal_mode " + mode + ")");
    }
    TC_TRY(db->migrate());
    return db;
  });
}

// While the PostgreSQL server is known to be away, a new pooled session is
// opened only once PQping says it answers: Poco's connector keeps the
// handle (and its socket) of a connection that failed to open, so each
// attempt would leak a descriptor.
Poco::Data::Session Database::reader() {
  throwWhileServerAway();
  return pool_->get();
}

void Database::throwWhileServerAway() const {
#ifdef TITLECERT_ISSUER_POSTGRESQL
  if (dialect_.name != "postgresql" || !storageFaultNoted()) return;
  if (PQping(connection_.c_str()) != PQPING_OK)
    throw Poco::Data::ConnectionFailedException("the PostgreSQL server does not answer");
#endif
}

// A PostgreSQL writer whose connection dropped (the server restarted) is
// reset in place (PQreset: the same handle, its old socket closed, so no
// descriptor is left behind while the server is down). Throws when the
// server is still unreachable.
void Database::reviveWriterLocked() {
#ifdef TITLECERT_ISSUER_POSTGRESQL
  if (dialect_.name != "postgresql" || writer_->isConnected()) return;
  throwWhileServerAway();
  if (auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(writer_->impl())) impl->handle().reset();
  if (!writer_->isConnected())
    throw Poco::Data::ConnectionFailedException("the PostgreSQL server is unreachable (reconnecting at the next write)");
#endif
}

void Database::beginLocked() {
  reviveWriterLocked();
  try {
    *writer_ << dialect_.beginWrite, now;
  } catch (const Poco::Exception&) {
    // A restart since the last write shows only now: BEGIN is the first
    // statement, so it is safe to reconnect and begin again once.
    if (dialect_.name != "postgresql" || writer_->isConnected()) throw;
    reviveWriterLocked();
    *writer_ << dialect_.beginWrite, now;
  }
  if (dialect_.lockWriters.empty()) return;
  int one = 0;
  *writer_ << dialect_.lockWriters, into(one), now;
}
void Database::commitLocked() {
  *writer_ << "COMMIT", now;
  noteWritesWork();
}
void Database::rollbackLocked() noexcept {
  try {
    *writer_ << "ROLLBACK", now;
  } catch (const std::exception& e) {
    // SQLite rolls back by itself on a full disk or an I/O error, and then
    // refuses ROLLBACK: nothing to say. A storage fault gets its one line
    // (storage_faults.h), not one per rollback.
    const auto* pocoError = dynamic_cast<const Poco::Exception*>(&e);
    const std::string what = pocoError ? pocoError->displayText() : e.what();
    if (what.find("no transaction is active") != std::string::npos || storageFaultNoted()) return;
    if (const StorageFault fault = storageFaultOf(e); fault != StorageFault::None)
      noteStorageFault(fault, "rollback", what);
    else
      Poco::Logger::get("titlecert.issuer").error("rollback failed: " + what);
  }
}

Completion Database::migrate() {
  std::lock_guard<std::mutex> lock(writeMutex_);
  Poco::Data::Session& s = *writer_;
  s << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)", now;
  int current = 0;
  s << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(current), now;
  if (current > latestSchemaVersion())
    return internalError("the database has schema version " + std::to_string(current) + ", newer than this build (" +
                         std::to_string(latestSchemaVersion()) + ")");
  for (const Migration& m : migrations(dialect_)) {
    if (m.version <= current) continue;
    beginLocked();
    try {
      for (const std::string& statement : m.statements) s << statement, now;
      if (m.version == 1)
        for (const std::string& statement : auditTriggers(dialect_)) s << statement, now;
      int version = m.version;
      // Migrations record the wall-clock-free value 0: the schema's history
      // is the versions, and the audit trail records when things happened.
      s << sql(s, "INSERT INTO schema_version (version, applied_at) VALUES (?, 0)"), use(version), now;
      commitLocked();
    } catch (...) {
      rollbackLocked();
      throw;
    }
    current = m.version;
  }
  schemaVersion_ = current;
  return success();
}

// ---- Store ---------------------------------------------------------------

Store::Store(std::unique_ptr<Database> db) : db_(std::move(db)) {}
Store::~Store() = default;

Expected<std::unique_ptr<Store>> Store::open(const Config& config, const std::string& dataDir) {
  TC_ASSIGN(auto db, Database::open(config, dataDir));
  return std::unique_ptr<Store>(new Store(std::move(db)));
}

std::mutex& Store::writeMutex() { return db_->writeMutex(); }
void Store::beginLocked() { db_->beginLocked(); }
void Store::commitLocked() { db_->commitLocked(); }
void Store::rollbackLocked() noexcept { db_->rollbackLocked(); }
Tx Store::writer() { return Tx(db_->writerLocked()); }

Completion Store::readErased(const char* what, const std::function<Completion(Tx&)>& fn) {
  try {
    Poco::Data::Session s = db_->reader();
    Tx tx(s);
    return fn(tx);
  } catch (const std::exception& e) {
    return problemFromException(what, e);
  }
}

Completion Store::writeErased(const std::function<Completion(Tx&)>& fn, const std::function<void()>& afterCommit) {
  std::lock_guard<std::mutex> lock(db_->writeMutex());
  try {
    db_->beginLocked();
  } catch (const std::exception& e) {
    return problemFromException("begin", e);
  }
  try {
    Tx tx(db_->writerLocked());
    Completion r = fn(tx);
    if (!r.ok()) {
      db_->rollbackLocked();
      return r;
    }
    db_->commitLocked();
    afterCommit();
    return r;
  } catch (const std::exception& e) {
    db_->rollbackLocked();
    return problemFromException("write", e);
  }
}

}  // namespace titlecert::issuer::store
