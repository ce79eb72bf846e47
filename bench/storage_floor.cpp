#include "storage_floor.h"

#include <algorithm>
#include <cstdio>

namespace titlecert::bench {

namespace {

// The unique text columns get a tail no issued value has ('Z' is neither a
// hex digit of a request key nor part of a certificate number), the same
// length as before, so the rows keep their size.
std::string uniqueOfSameLength(std::string text, std::uint64_t serial) {
  char tail[16];
  std::snprintf(tail, sizeof tail, "Z%011llx", static_cast<unsigned long long>(serial));
  const std::string t(tail);
  if (text.size() >= t.size()) text.replace(text.size() - t.size(), t.size(), t);
  else text = t.substr(t.size() - text.size());
  return text;
}

}  // namespace

StorageFloor::StorageFloor(const std::string& issuerDb, const std::string& floorDb, int sampleRows) {
  sqlite3* source = nullptr;
  if (sqlite3_open_v2(issuerDb.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(source);
    fail("open " + issuerDb);
    return;
  }
  std::remove(floorDb.c_str());
  if (sqlite3_open(floorDb.c_str(), &db_) != SQLITE_OK) {
    sqlite3_close(source);
    fail("open " + floorDb);
    return;
  }
  sqlite3_backup* copy = sqlite3_backup_init(db_, "main", source, "main");
  const bool copied = copy && sqlite3_backup_step(copy, -1) == SQLITE_DONE;
  sqlite3_backup_finish(copy);
  sqlite3_close(source);
  if (!copied) {
    fail("copy the issuer's database");
    return;
  }
  // The issuer's settings (configureSqlite and journal_mode in database.cpp).
  if (!exec("PRAGMA journal_mode = WAL") || !exec("PRAGMA foreign_keys = ON") || !exec("PRAGMA synchronous = FULL") ||
      !exec("PRAGMA cache_size = -32768") || !exec("PRAGMA temp_store = MEMORY"))
    return;
  certificates_.name = "certificates";
  audit_.name = "audit";
  if (!readSample("certificates", certificates_, "rowid", sampleRows) ||
      !readSample("audit WHERE action = 'certificate.issue'", audit_, "seq", sampleRows) ||
      audit_.rows.size() != certificates_.rows.size()) {
    fail("not enough issued rows to copy");
    return;
  }
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_, "SELECT (SELECT max(status_index) FROM certificates), (SELECT max(seq) FROM audit)", -1, &st,
                     nullptr);
  if (sqlite3_step(st) == SQLITE_ROW) {
    nextStatusIndex_ = sqlite3_column_int64(st, 0) + 1000000;
    nextSeq_ = sqlite3_column_int64(st, 1) + 1;
  }
  sqlite3_finalize(st);
  if (!prepareInsert(certificates_) || !prepareInsert(audit_)) return;
  if (sqlite3_prepare_v2(db_, "UPDATE counters SET next_value = next_value + ?", -1, &counters_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", -1, &auditHead_, nullptr) !=
          SQLITE_OK)
    fail("prepare the group's updates");
}

StorageFloor::~StorageFloor() {
  for (Table* t : {&certificates_, &audit_}) {
    for (auto& row : t->rows)
      for (auto* v : row) sqlite3_value_free(v);
    sqlite3_finalize(t->insert);
  }
  sqlite3_finalize(counters_);
  sqlite3_finalize(auditHead_);
  sqlite3_close(db_);
}

bool StorageFloor::fail(const std::string& what) {
  error_ = what + (db_ ? std::string(": ") + sqlite3_errmsg(db_) : std::string());
  return false;
}

bool StorageFloor::exec(const char* sql) {
  return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK || fail(sql);
}

bool StorageFloor::readSample(const std::string& source, Table& t, const std::string& orderBy, int limit) {
  const std::string sql = "SELECT * FROM " + source + " ORDER BY " + orderBy + " DESC LIMIT " + std::to_string(limit);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return fail(sql);
  for (int i = 0; i < sqlite3_column_count(st); ++i) t.columns.emplace_back(sqlite3_column_name(st, i));
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::vector<sqlite3_value*> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) row.push_back(sqlite3_value_dup(sqlite3_column_value(st, i)));
    t.rows.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  return !t.rows.empty();
}

bool StorageFloor::prepareInsert(Table& t) {
  std::string sql = "INSERT INTO " + t.name + " (";
  std::string values;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    sql += (i ? ", " : "") + t.columns[i];
    values += i ? ", ?" : "?";
  }
  sql += ") VALUES (" + values + ")";
  return sqlite3_prepare_v2(db_, sql.c_str(), -1, &t.insert, nullptr) == SQLITE_OK || fail(sql);
}

bool StorageFloor::insertRow(Table& t, std::size_t row) {
  sqlite3_reset(t.insert);
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const int at = static_cast<int>(i) + 1;
    sqlite3_value* v = t.rows[row][i];
    const std::string& c = t.columns[i];
    if ((c == "cert_no" || c == "request_key") && sqlite3_value_type(v) == SQLITE_TEXT) {
      const std::string text(reinterpret_cast<const char*>(sqlite3_value_text(v)),
                             static_cast<std::size_t>(sqlite3_value_bytes(v)));
      sqlite3_bind_text(t.insert, at, uniqueOfSameLength(text, serial_).c_str(), -1, SQLITE_TRANSIENT);
    } else if (c == "status_index" && &t == &certificates_) {
      sqlite3_bind_int64(t.insert, at, nextStatusIndex_++);
    } else if (c == "seq" && &t == &audit_) {
      sqlite3_bind_int64(t.insert, at, nextSeq_++);
    } else {
      sqlite3_bind_value(t.insert, at, v);
    }
  }
  return sqlite3_step(t.insert) == SQLITE_DONE || fail("insert into " + t.name);
}

bool StorageFloor::insertAll(std::size_t groupRows) {
  const std::size_t total = certificates_.rows.size();
  for (std::size_t first = 0; first < total; first += groupRows) {
    const std::size_t end = std::min(total, first + groupRows);
    if (!exec("BEGIN IMMEDIATE")) return false;
    for (std::size_t r = first; r < end; ++r) {
      ++serial_;
      if (!insertRow(certificates_, r) || !insertRow(audit_, r)) return exec("ROLLBACK"), false;
    }
    sqlite3_reset(counters_);
    sqlite3_bind_int64(counters_, 1, static_cast<sqlite3_int64>(end - first));
    sqlite3_reset(auditHead_);
    sqlite3_bind_int64(auditHead_, 1, nextSeq_ - 1);
    sqlite3_bind_value(auditHead_, 2, audit_.rows[end - 1].back());  // a hash-sized text
    if (sqlite3_step(counters_) != SQLITE_DONE || sqlite3_step(auditHead_) != SQLITE_DONE)
      return fail("update the group's counters"), exec("ROLLBACK"), false;
    if (!exec("COMMIT")) return false;
  }
  return true;
}

}  // namespace titlecert::bench
