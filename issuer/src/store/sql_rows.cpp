#include "sql_rows.h"

#include "database.h"

#include <Poco/Data/Binding.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/String.h>
#include <sqlite3.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <stdexcept>

namespace titlecert::issuer::store {
namespace {

// Rows per multi-row INSERT (other connectors): enough to amortise the
// round trip, far below the parameter limits even for a wide table.
constexpr std::size_t kRowsPerStatement = 128;

using SqliteStatement = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

// SQLITE_STATIC: the row outlives the step that reads it.
int bindSqlite(sqlite3_stmt* st, int pos, const SqlValue& value) {
  struct Binder {
    sqlite3_stmt* st;
    int pos;
    int operator()(const Poco::Int64& v) const { return sqlite3_bind_int64(st, pos, v); }
    int operator()(const std::string& v) const {
      return sqlite3_bind_text(st, pos, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    }
    int operator()(const Poco::Data::BLOB& v) const {
      return sqlite3_bind_blob(st, pos, v.rawContent(), static_cast<int>(v.size()), SQLITE_STATIC);
    }
    int operator()(const Poco::Nullable<Poco::Int64>& v) const {
      return v.isNull() ? sqlite3_bind_null(st, pos) : (*this)(v.value());
    }
    int operator()(const Poco::Nullable<std::string>& v) const {
      return v.isNull() ? sqlite3_bind_null(st, pos) : (*this)(v.value());
    }
  };
  return std::visit(Binder{st, pos}, value);
}

}  // namespace

std::string parenthesisedPlaceholders(std::size_t n) {
  std::string out = "(";
  out.reserve(n * 3 + 2);
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  out += ')';
  return out;
}

void bindValue(Poco::Data::Statement& st, const SqlValue& value) {
  std::visit([&](const auto& v) { st.addBind(Poco::Data::Keywords::bind(v)); }, value);
}

RowsInsert::RowsInsert(const std::string& table, const std::vector<std::string>& columns) : columns_(columns.size()) {
  head_ = "INSERT INTO " + table + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) head_ += (i ? ", " : "") + columns[i];
  head_ += ") VALUES ";
}

void RowsInsert::add(SqlRow row) {
  if (row.size() != columns_) throw std::logic_error("RowsInsert: a row with the wrong number of values");
  rows_.push_back(std::move(row));
}

std::optional<RefusedRow> RowsInsert::execute(Poco::Data::Session& s) const {
  if (rows_.empty()) return std::nullopt;
  return Poco::icompare(s.connector(), "sqlite") == 0 ? executeSqlite(s) : executeGeneric(s);
}

std::optional<RefusedRow> RowsInsert::executeSqlite(Poco::Data::Session& s) const {
  using Poco::Data::SQLite::Utility;
  sqlite3* db = Utility::dbHandle(s);
  const std::string sql = head_ + parenthesisedPlaceholders(columns_);
  sqlite3_stmt* raw = nullptr;
  if (int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr); rc != SQLITE_OK)
    Utility::throwException(db, rc);
  SqliteStatement st(raw, &sqlite3_finalize);
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    for (std::size_t c = 0; c < columns_; ++c)
      if (int rc = bindSqlite(st.get(), static_cast<int>(c + 1), rows_[r][c]); rc != SQLITE_OK)
        Utility::throwException(db, rc);
    const int rc = sqlite3_step(st.get());
    if (rc != SQLITE_DONE) {
      if ((rc & 0xff) == SQLITE_CONSTRAINT) return RefusedRow{r, sqlite3_errmsg(db)};
      Utility::throwException(db, rc);
    }
    sqlite3_reset(st.get());
  }
  return std::nullopt;
}

void RowsInsert::insert(Poco::Data::Session& s, std::size_t from, std::size_t count) const {
  const std::string oneRow = parenthesisedPlaceholders(columns_);
  std::string sql = head_;
  for (std::size_t i = 0; i < count; ++i) sql += (i ? ", " : "") + oneRow;
  Poco::Data::Statement st(s);
  st << store::sql(s, sql);
  for (std::size_t r = from; r < from + count; ++r)
    for (const SqlValue& v : rows_[r]) bindValue(st, v);
  st.execute();
}

// Multi-row INSERTs; when one fails, row by row names the row. All inside
// a savepoint: PostgreSQL refuses every statement of a transaction after
// its first error, unless the work since a savepoint is rolled back.
std::optional<RefusedRow> RowsInsert::executeGeneric(Poco::Data::Session& s) const {
  using Poco::Data::Keywords::now;
  s << "SAVEPOINT rows_insert", now;
  try {
    for (std::size_t from = 0; from < rows_.size(); from += kRowsPerStatement)
      insert(s, from, std::min(kRowsPerStatement, rows_.size() - from));
    s << "RELEASE SAVEPOINT rows_insert", now;
    return std::nullopt;
  } catch (const std::exception&) {
    s << "ROLLBACK TO SAVEPOINT rows_insert", now;
  }
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    try {
      insert(s, r, 1);
    } catch (const std::exception& e) {
      s << "ROLLBACK TO SAVEPOINT rows_insert", now;
      s << "RELEASE SAVEPOINT rows_insert", now;
      return RefusedRow{r, e.what()};
    }
  }
  // Each row alone went in: they are all written.
  s << "RELEASE SAVEPOINT rows_insert", now;
  return std::nullopt;
}

}  // namespace titlecert::issuer::store
