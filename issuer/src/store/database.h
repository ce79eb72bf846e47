// The issuer's database connection (Poco Data; SQLite by default): sessions for readers
// from a pool, one writer session behind a mutex (SQLite has one writer; a
// mutex in front of it keeps the service's threads from queueing on
// SQLITE_BUSY) and the schema's versioned migrations. Internal to store/.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "titlecert/issuer/config.h"
#include "store.h"

namespace titlecert::issuer::store {

// The SQL that differs between connectors. Everything else is plain SQL
// with bound parameters.
struct Dialect {
  std::string name;             // "sqlite" | "postgresql"
  std::string poco;             // Poco connector key ("SQLite", "PostgreSQL")
  std::string beginWrite;       // starts a write transaction
  std::string lockWriters;      // then, one writer at a time across processes (empty: begin does it)
  std::string autoIdType;       // an auto-assigned integer primary key
  std::string blobType;
};
Dialect dialectFor(const std::string& connector);

// The statement text for the session's connector. Statements are written
// with `?` parameters; Poco's PostgreSQL connector passes them through
// unchanged, and PostgreSQL numbers its parameters ($1, $2, ...).
std::string sql(const Poco::Data::Session& s, std::string_view text);

// The newest schema version this build knows.
int latestSchemaVersion();

class Database {
 public:
  // Opens (and for SQLite creates) the database, turns on WAL, foreign keys
  // and full fsync, and applies the pending migrations.
  static Expected<std::unique_ptr<Database>> open(const Config& config, const std::string& dataDir);
  ~Database();

  const Dialect& dialect() const { return dialect_; }
  int schemaVersion() const { return schemaVersion_; }

  // A session for reading (from the pool; returned when it goes out of scope).
  Poco::Data::Session reader();

  // The writer's mutex and session; Store runs the transactions.
  std::mutex& writeMutex() { return writeMutex_; }
  Poco::Data::Session& writerLocked() { return *writer_; }
  void beginLocked();
  void commitLocked();
  void rollbackLocked() noexcept;

 private:
  Database(Dialect d, std::string connection, int poolSize);
  Completion migrate();
  void reviveWriterLocked();
  void throwWhileServerAway() const;

  Dialect dialect_;
  std::string connection_;
  std::unique_ptr<Poco::Data::SessionPool> pool_;
  std::unique_ptr<Poco::Data::Session> writer_;
  std::mutex writeMutex_;
  int schemaVersion_ = 0;
};

}  // namespace titlecert::issuer::store
