// The audit trail: an append-only hash chain in the `audit` table.
//
//   hash = SHA-256( prev_hash || "|" || JSON [seq, at, actor, action, details] )
//
// as lowercase hex, where prev_hash is the previous row's hash (64 zeros
// for seq 1), `actor` the token id (null for the local operator) and
// `details` the stored JSON text. audit_head keeps the last seq and hash,
// written in the same transaction, so that removing the newest rows is seen
// too. Details never hold a secret, a token or a full ID number.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer::store {
class RowsInsert;
}

namespace titlecert::issuer::store::audit {

inline const std::string kGenesis(64, '0');

std::string rowHash(const std::string& prevHash, std::uint64_t seq, std::int64_t at, std::int64_t actor,
                    const std::string& action, const std::string& details);

// An entry's details written out ahead, on any thread, so that a writer
// holding the transaction only chains them: the stored text, and that text
// as a JSON string (the form the row hash covers).
struct PreparedDetails {
  std::string text;
  std::string literal;
};
PreparedDetails prepare(const nlohmann::json& details);

// Appends entries inside the caller's write transaction: reads the head
// once, chains the entries in memory, and writes them and the head with a
// few statements in finish(), however many entries one transaction has.
class ChainWriter {
 public:
  explicit ChainWriter(Tx& tx);
  ~ChainWriter();
  ChainWriter(const ChainWriter&) = delete;
  ChainWriter& operator=(const ChainWriter&) = delete;
  void append(std::int64_t at, const Actor& actor, const std::string& action, const nlohmann::json& details);
  void append(std::int64_t at, const Actor& actor, const std::string& action, PreparedDetails details);
  void finish();  // writes the entries and audit_head; call before the commit

 private:
  static std::unique_ptr<RowsInsert> newEntries();

  Tx& tx_;
  std::unique_ptr<RowsInsert> entries_;
  std::uint64_t lastSeq_ = 0;
  bool hadHead_ = false;
  std::string lastHash_;
};

// Appends one entry inside the caller's write transaction.
void append(Tx& tx, std::int64_t at, const Actor& actor, const std::string& action,
            const nlohmann::json& details);

// Walks the whole chain: consecutive seq from 1, each prev_hash the hash
// before it, each hash recomputed, and the head matching the last row.
AuditCheck verify(Tx& tx);

// One stored entry; `details` is the JSON text as hashed.
struct Entry {
  std::uint64_t seq = 0;
  std::int64_t at = 0;
  std::int64_t actor = 0;  // token id; 0: the local operator
  std::string action;
  std::string details;
  std::string prevHash;
  std::string hash;
};

// Entries after `afterSeq`, oldest first, at most `limit`.
std::vector<Entry> page(Tx& tx, std::uint64_t afterSeq, std::size_t limit);

}  // namespace titlecert::issuer::store::audit
