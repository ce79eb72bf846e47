// Statements over many rows at once. Poco Data prepares a statement again
// on every execute, and preparing costs SQLite about as much as running an
// INSERT for one row, so issuance writes a group of rows with one prepared
// INSERT and looks them up with one SELECT ... IN (...), not one statement
// per row. With SQLite the INSERT is prepared once through the sqlite3 API
// and run per row; other connectors get multi-row INSERTs through Poco.
#pragma once

#include <Poco/Data/LOB.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store.h"

namespace titlecert::issuer::store {

using SqlValue = std::variant<Poco::Int64, std::string, Poco::Data::BLOB, Poco::Nullable<Poco::Int64>,
                              Poco::Nullable<std::string>>;
using SqlRow = std::vector<SqlValue>;

// "(?, ?, ?)" for n parameters.
std::string parenthesisedPlaceholders(std::size_t n);

// Binds a copy of the value as the statement's next parameter.
void bindValue(Poco::Data::Statement& st, const SqlValue& value);

// Keys per SELECT ... IN (...) statement, far below the parameter limits
// (SQLite 32766, PostgreSQL 65535).
inline constexpr std::size_t kKeysPerStatement = 500;


// One INSERT for many rows.
class RowsInsert {
 public:
  RowsInsert(const std::string& table, const std::vector<std::string>& columns);

  void add(SqlRow row);
  std::size_t size() const { return rows_.size(); }

  // Inserts every row inside the caller's transaction. A row the database
  // refuses is named (rows before it may be written: the caller rolls
  // back); any other failure throws what Poco throws. Under SQLite a
  // refusal is a constraint (SQLITE_CONSTRAINT); elsewhere any error of a
  // row inserted alone.
  std::optional<RefusedRow> execute(Poco::Data::Session& s) const;

 private:
  std::optional<RefusedRow> executeSqlite(Poco::Data::Session& s) const;
  std::optional<RefusedRow> executeGeneric(Poco::Data::Session& s) const;
  void insert(Poco::Data::Session& s, std::size_t from, std::size_t count) const;

  std::string head_;  // INSERT INTO table (columns) VALUES
  std::size_t columns_;
  std::vector<SqlRow> rows_;
};

}  // namespace titlecert::issuer::store
