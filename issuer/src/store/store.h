// The issuer's storage: the only part of the issuer that knows SQL, table
// names or Poco Data. Everything above it works on a Tx (one transaction's
// view of the database) through the repository functions declared in
// store/*.h, and never sees a session, a statement or an SQL text.
//
// Reads take a pooled session; writes are serialized on one writer session
// (SQLite has one writer; PostgreSQL writers take an advisory lock), so a
// write transaction always sees the counters as the last writer left them.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "titlecert/issuer/config.h"
#include "titlecert/issuer/problem.h"

namespace Poco::Data {
class Session;
}

namespace titlecert::issuer::store {

class Database;

// One transaction's (or one read's) handle on the database. Only the
// repository implementations in store/ look inside it.
class Tx {
 public:
  explicit Tx(Poco::Data::Session& session) : session_(session) {}
  Poco::Data::Session& session() const { return session_; }

 private:
  Poco::Data::Session& session_;
};

// A row the database refused (a constraint), and why.
struct RefusedRow {
  std::size_t index;
  std::string reason;
};

class Store {
 public:
  // Opens (and for SQLite creates) the database and applies the pending
  // schema migrations.
  static Expected<std::unique_ptr<Store>> open(const Config& config, const std::string& dataDir);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs fn on a pooled reading session; a storage exception becomes a 500
  // Problem named after `what`.
  template <class T>
  Expected<T> read(const char* what, const std::function<Expected<T>(Tx&)>& fn);

  // Runs fn in one write transaction: committed when fn succeeds, rolled
  // back when it returns a Problem or throws. afterCommit runs after a
  // successful commit, still under the write lock (in-memory state that
  // must change together with the database).
  template <class T>
  Expected<T> write(const std::function<Expected<T>(Tx&)>& fn, const std::function<void(const T&)>& afterCommit = {});

  // For a caller that runs its own transactions under the write lock
  // (group commit): hold writeMutex(), then begin, work on writer(),
  // commit or roll back. begin/commit throw what the connector throws.
  std::mutex& writeMutex();
  void beginLocked();
  void commitLocked();
  void rollbackLocked() noexcept;
  Tx writer();

 private:
  explicit Store(std::unique_ptr<Database> db);
  Completion readErased(const char* what, const std::function<Completion(Tx&)>& fn);
  Completion writeErased(const std::function<Completion(Tx&)>& fn, const std::function<void()>& afterCommit);

  std::unique_ptr<Database> db_;
};

// Turns a connector or standard exception into a 500 Problem (the detail
// goes to the log, not to the client).
Problem problemFromException(const char* what, const std::exception& e);

// Runs fn and turns an exception into a 500 Problem.
template <class T>
Expected<T> guarded(const char* what, const std::function<Expected<T>()>& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return problemFromException(what, e);
  }
}

// ---- template definitions -------------------------------------------------

template <class T>
Expected<T> Store::read(const char* what, const std::function<Expected<T>(Tx&)>& fn) {
  std::optional<Expected<T>> result;
  Completion done = readErased(what, [&](Tx& tx) -> Completion {
    result.emplace(fn(tx));
    if (!result->ok()) return result->error();
    return success();
  });
  if (!done.ok()) return done.error();
  return std::move(*result);
}

template <class T>
Expected<T> Store::write(const std::function<Expected<T>(Tx&)>& fn, const std::function<void(const T&)>& afterCommit) {
  std::optional<Expected<T>> result;
  Completion done = writeErased(
      [&](Tx& tx) -> Completion {
        result.emplace(fn(tx));
        if (!result->ok()) return result->error();
        return success();
      },
      [&] {
        if (afterCommit) afterCommit(result->value());
      });
  if (!done.ok()) return done.error();
  return std::move(*result);
}

}  // namespace titlecert::issuer::store
