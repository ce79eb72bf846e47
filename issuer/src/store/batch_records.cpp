// Asynchronous batches and the certificate search (batch_records.h).
#include "batch_records.h"

#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>

#include "database.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer::store {
namespace {

std::optional<BatchRecord> oneBatch(Poco::Data::Session& s, const std::string& whereSql, std::vector<std::string> params) {
  std::vector<std::string> ids, states, roles;
  std::vector<Poco::Int64> createdBy, createdAt, total, done, failed;
  Poco::Data::Statement st(s);
  st << sql(s, "SELECT id, state, role, created_by, created_at, total, done, failed FROM batches " + whereSql),
      into(ids), into(states), into(roles), into(createdBy), into(createdAt), into(total), into(done), into(failed);
  for (auto& p : params) st, use(p);
  st.execute();
  if (ids.empty()) return std::nullopt;
  return BatchRecord{ids[0], states[0], roles[0], createdBy[0], createdAt[0], total[0], done[0], failed[0]};
}

}  // namespace

void insertBatch(Tx& tx, const std::string& id, std::int64_t at, std::int64_t createdBy, const std::string& role,
                 const std::vector<NewBatchRow>& rows, std::size_t failedAtOnce) {
  Poco::Data::Session& s = tx.session();
  std::string i = id, r = role;
  Poco::Int64 when = at, by = createdBy, total = static_cast<Poco::Int64>(rows.size()),
              settled = static_cast<Poco::Int64>(failedAtOnce);
  s << sql(s, "INSERT INTO batches (id, created_at, created_by, role, state, total, done, failed)"
              " VALUES (?, ?, ?, ?, 'running', ?, ?, ?)"),
      use(i), use(when), use(by), use(r), use(total), use(settled), use(settled), now;
  if (rows.empty()) return;
  std::vector<std::string> batchIds(rows.size(), id), requests, results;
  std::vector<Poco::Int64> seqs, lines;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    seqs.push_back(static_cast<Poco::Int64>(k));
    lines.push_back(rows[k].line);
    requests.push_back(rows[k].request);
    results.push_back(rows[k].result);
  }
  s << sql(s, "INSERT INTO batch_rows (batch_id, seq, line, request, result) VALUES (?, ?, ?, ?, ?)"), use(batchIds),
      use(seqs), use(lines), use(requests), use(results), now;
}

std::optional<BatchRecord> findBatch(Tx& tx, const std::string& id) { return oneBatch(tx.session(), "WHERE id = ?", {id}); }

std::optional<BatchRecord> oldestRunningBatch(Tx& tx) {
  return oneBatch(tx.session(), "WHERE state = 'running' ORDER BY created_at, id LIMIT 1", {});
}

std::vector<std::string> batchResults(Tx& tx, const std::string& id) {
  Poco::Data::Session& s = tx.session();
  std::string i = id;
  std::vector<std::string> results;
  s << sql(s, "SELECT result FROM batch_rows WHERE batch_id = ? AND result <> '' ORDER BY seq"), use(i), into(results),
      now;
  return results;
}

std::vector<PendingRow> pendingBatchRows(Tx& tx, const std::string& id, std::size_t limit) {
  Poco::Data::Session& s = tx.session();
  std::string i = id;
  Poco::Int64 n = static_cast<Poco::Int64>(limit);
  std::vector<Poco::Int64> seqs, lines;
  std::vector<std::string> requests;
  s << sql(s, "SELECT seq, line, request FROM batch_rows WHERE batch_id = ? AND result = '' ORDER BY seq LIMIT ?"),
      use(i), use(n), into(seqs), into(lines), into(requests), now;
  std::vector<PendingRow> out;
  for (std::size_t k = 0; k < seqs.size(); ++k) out.push_back({seqs[k], lines[k], requests[k]});
  return out;
}

void settleBatchRows(Tx& tx, const std::string& id, const std::vector<SettledRow>& rows) {
  Poco::Data::Session& s = tx.session();
  Poco::Int64 settled = 0, failed = 0;
  for (const SettledRow& row : rows) {
    std::string i = id, result = row.result;
    Poco::Int64 seq = row.seq;
    Poco::Data::Statement update(s);
    update << sql(s, "UPDATE batch_rows SET result = ?, request = '' WHERE batch_id = ? AND seq = ? AND result = ''"), use(result),
        use(i), use(seq);
    if (update.execute() == 0) continue;
    ++settled;
    if (row.failed) ++failed;
  }
  std::string i = id;
  s << sql(s, "UPDATE batches SET done = done + ?, failed = failed + ? WHERE id = ?"), use(settled), use(failed), use(i),
      now;
}

void finishBatch(Tx& tx, const std::string& id, const std::string& state, std::int64_t at) {
  Poco::Data::Session& s = tx.session();
  std::string i = id, st = state;
  Poco::Int64 when = at;
  s << sql(s, "UPDATE batches SET state = ?, finished_at = ? WHERE id = ? AND state = 'running'"), use(st), use(when),
      use(i), now;
}

std::vector<std::string> searchCertificateNumbers(Tx& tx, const std::string& text, std::size_t limit) {
  Poco::Data::Session& s = tx.session();
  // LIKE's wildcards in the text are matched as themselves.
  std::string pattern = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
    pattern += ch;
  }
  pattern += '%';
  std::string a = pattern, b = pattern, c = pattern;
  Poco::Int64 n = static_cast<Poco::Int64>(limit);
  std::vector<std::string> numbers;
  s << sql(s, "SELECT cert_no FROM certificates WHERE cert_no LIKE ? ESCAPE '\\' OR holder_name LIKE ? ESCAPE '\\'"
              " OR holder_id_masked LIKE ? ESCAPE '\\' ORDER BY issued_at DESC, cert_no LIMIT ?"),
      use(a), use(b), use(c), use(n), into(numbers), now;
  return numbers;
}

}  // namespace titlecert::issuer::store
