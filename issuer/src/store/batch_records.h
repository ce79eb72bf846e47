// Asynchronous batches in the database (tables batches and batch_rows,
// migration 3): a batch's rows are stored when it is submitted, and each
// row's outcome when it is settled, so that an issuer that stops mid-batch
// resumes it where the outcomes end. Also the certificate search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store.h"

namespace titlecert::issuer::store {

struct NewBatchRow {
  std::int64_t line = 0;
  std::string request;  // the row's JSON object text; "" when unreadable
  std::string result;   // "" while pending; an unreadable row is settled at once
};

void insertBatch(Tx& tx, const std::string& id, std::int64_t at, std::int64_t createdBy, const std::string& role,
                 const std::vector<NewBatchRow>& rows, std::size_t failedAtOnce);

struct BatchRecord {
  std::string id, state, role;
  std::int64_t createdBy = 0, createdAt = 0;
  std::int64_t total = 0, done = 0, failed = 0;
};
std::optional<BatchRecord> findBatch(Tx& tx, const std::string& id);
// The settled rows' outcomes, in input order.
std::vector<std::string> batchResults(Tx& tx, const std::string& id);
// The oldest batch still running.
std::optional<BatchRecord> oldestRunningBatch(Tx& tx);

struct PendingRow {
  std::int64_t seq = 0, line = 0;
  std::string request;
};
std::vector<PendingRow> pendingBatchRows(Tx& tx, const std::string& id, std::size_t limit);

struct SettledRow {
  std::int64_t seq = 0;
  std::string result;
  bool failed = false;
};
// Records outcomes of rows still pending (a row another instance settled
// first keeps its outcome and is not counted twice).
void settleBatchRows(Tx& tx, const std::string& id, const std::vector<SettledRow>& rows);
void finishBatch(Tx& tx, const std::string& id, const std::string& state, std::int64_t at);

// Certificate numbers whose number, holder name or masked ID contains
// `text`, newest first.
std::vector<std::string> searchCertificateNumbers(Tx& tx, const std::string& text, std::size_t limit);

}  // namespace titlecert::issuer::store
