// The storage floor of issuance: what a durable SQLite commit of issued
// rows costs with no signing and no validation at all. The issuer's own
// database is copied (same schema, indexes, triggers, and the rows already
// in it, so the index depth is the same), opened with the issuer's settings
// (WAL, synchronous=FULL, foreign keys, page cache, temp store: see
// issuer/src/store/database.cpp), and rows the issuer wrote are inserted
// again (certificates and their audit entries, byte for byte the same size,
// only the unique columns changed), in groups of the issuer's commit size,
// with the counter and audit-head updates a group makes, one COMMIT each.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

namespace titlecert::bench {

class StorageFloor {
 public:
  // Copies `issuerDb` to `floorDb` and reads up to `sampleRows` of the
  // latest certificates and audit entries; ok() is false on any failure.
  StorageFloor(const std::string& issuerDb, const std::string& floorDb, int sampleRows);
  ~StorageFloor();
  StorageFloor(const StorageFloor&) = delete;
  StorageFloor& operator=(const StorageFloor&) = delete;

  bool ok() const { return db_ != nullptr && !certificates_.rows.empty() && error_.empty(); }
  const std::string& error() const { return error_; }
  std::size_t sampleRows() const { return certificates_.rows.size(); }

  // Inserts every sampled row once, `groupRows` per durable transaction.
  bool insertAll(std::size_t groupRows);

 private:
  struct Table {
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::vector<sqlite3_value*>> rows;
    sqlite3_stmt* insert = nullptr;
  };
  bool readSample(const std::string& source, Table& t, const std::string& orderBy, int limit);
  bool prepareInsert(Table& t);
  bool insertRow(Table& t, std::size_t row);
  bool exec(const char* sql);
  bool fail(const std::string& what);

  sqlite3* db_ = nullptr;
  Table certificates_, audit_;
  sqlite3_stmt* counters_ = nullptr;
  sqlite3_stmt* auditHead_ = nullptr;
  std::int64_t nextStatusIndex_ = 0, nextSeq_ = 0;
  std::uint64_t serial_ = 0;  // makes the unique text columns unique again
  std::string error_;
};

}  // namespace titlecert::bench
