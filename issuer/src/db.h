// The issuer's database (Poco Data; SQLite by default): sessions for readers
// from a pool, one writer session behind a mutex (SQLite has one writer; a
// mutex in front of it keeps the service's threads from queueing on
// SQLITE_BUSY), the schema's versioned migrations, and the guard that turns
// every Poco exception into a Problem. Poco stays in issuer/src.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "titlecert/issuer/config.h"
#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

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

// What goes into the trust bundle changed (a revocation, a key, an
// issuer, a loaded bundle): bumped inside the changing transaction, so that
// every service instance on the database sees it, and read before serving
// a cached bundle.
void bumpContentGeneration(Poco::Data::Session& s);
std::uint64_t contentGeneration(Poco::Data::Session& s);

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

  // Runs fn in one write transaction on the writer session: committed when
  // fn succeeds, rolled back when it returns a Problem or throws. Callers on
  // several threads are served one at a time.
  // afterCommit runs after a successful commit, still under the write lock
  // (in-memory state that must change together with the database).
  template <class T>
  Expected<T> write(const std::function<Expected<T>(Poco::Data::Session&)>& fn,
                    const std::function<void(const T&)>& afterCommit = {});

  // The writer's mutex, for work that must happen in the same critical
  // section as a write (e.g. swapping the in-memory signing key).
  std::mutex& writeMutex() { return writeMutex_; }
  // The writer session, only for a caller that holds writeMutex() and runs
  // its own transaction (batch issuance: savepoints inside one transaction).
  Poco::Data::Session& writerLocked() { return *writer_; }
  void beginLocked();
  void commitLocked();
  void rollbackLocked() noexcept;

 private:
  Database(Dialect d, std::string connection, int poolSize);
  Outcome migrate();

  Dialect dialect_;
  std::string connection_;
  std::unique_ptr<Poco::Data::SessionPool> pool_;
  std::unique_ptr<Poco::Data::Session> writer_;
  std::mutex writeMutex_;
  int schemaVersion_ = 0;
};

// Runs fn and turns a Poco or standard exception into a 500 Problem (the
// detail goes to the log, not to the client).
template <class T>
Expected<T> guarded(const char* what, const std::function<Expected<T>()>& fn);
Problem problemFromException(const char* what, const std::exception& e);

// ---- template definitions -------------------------------------------------

template <class T>
Expected<T> guarded(const char* what, const std::function<Expected<T>()>& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return problemFromException(what, e);
  }
}

template <class T>
Expected<T> Database::write(const std::function<Expected<T>(Poco::Data::Session&)>& fn,
                            const std::function<void(const T&)>& afterCommit) {
  std::lock_guard<std::mutex> lock(writeMutex_);
  try {
    beginLocked();
  } catch (const std::exception& e) {
    return problemFromException("begin", e);
  }
  try {
    Expected<T> r = fn(*writer_);
    if (!r.ok()) {
      rollbackLocked();
      return r;
    }
    commitLocked();
    if (afterCommit) afterCommit(r.value());
    return r;
  } catch (const std::exception& e) {
    rollbackLocked();
    return problemFromException("write", e);
  }
}

}  // namespace titlecert::issuer
