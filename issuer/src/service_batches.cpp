// Asynchronous batches (POST /v1/batches) and the certificate search: the
// Service methods declared under "asynchronous batches" in service.h.
//
// A batch's rows are stored when it is submitted, sealed with AES-256-GCM
// under a key derived from the passphrase (the rows carry full ID numbers,
// which the database never holds in clear), and each row's outcome when it
// is settled; the sealed request is dropped then. A restarted issuer
// resumes a running batch at its first unsettled row: a row whose issuance
// committed but whose outcome was not yet recorded is found again by its
// request key and reported "exists".
#include <Poco/Logger.h>
#include <openssl/evp.h>

#include "batch_worker.h"
#include "parts.h"
#include "store/audit_chain.h"
#include "store/batch_records.h"
#include "titlecert/issuer/http_answers.h"
#include "titlecert/issuer/http_requests.h"

namespace titlecert::issuer {
namespace {

constexpr std::size_t kNonceBytes = 12, kTagBytes = 16;

Bytes rowSealingKey(const RequestRules& rules) {
  static constexpr char kLabel[] = "titlecert-batch-rows/1";
  Bytes key(32);
  std::size_t length = 0;
  EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, rules.requestKeySecret.data(), rules.requestKeySecret.size(),
            reinterpret_cast<const unsigned char*>(kLabel), sizeof kLabel - 1, key.data(), key.size(), &length);
  return key;
}

struct CipherContext {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~CipherContext() { EVP_CIPHER_CTX_free(ctx); }
};

// hex(nonce | ciphertext | tag); "" when OpenSSL fails.
std::string seal(const Bytes& key, const std::string& text) {
  auto nonce = crypto::randomBytes(kNonceBytes);
  if (!nonce) return {};
  Bytes out(*nonce);
  out.resize(kNonceBytes + text.size() + kTagBytes);
  CipherContext c;
  int n = 0, tail = 0;
  if (!c.ctx || EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, key.data(), nonce->data()) != 1 ||
      EVP_EncryptUpdate(c.ctx, out.data() + kNonceBytes, &n, reinterpret_cast<const unsigned char*>(text.data()),
                        static_cast<int>(text.size())) != 1 ||
      EVP_EncryptFinal_ex(c.ctx, out.data() + kNonceBytes + n, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes, out.data() + kNonceBytes + text.size()) != 1)
    return {};
  return toHex(out);
}

std::optional<std::string> unseal(const Bytes& key, const std::string& hex) {
  auto bytes = fromHex(hex);
  if (!bytes || bytes->size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::size_t textSize = bytes->size() - kNonceBytes - kTagBytes;
  std::string text(textSize, '\0');
  CipherContext c;
  int n = 0, tail = 0;
  if (!c.ctx || EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, key.data(), bytes->data()) != 1 ||
      EVP_DecryptUpdate(c.ctx, reinterpret_cast<unsigned char*>(text.data()), &n, bytes->data() + kNonceBytes,
                        static_cast<int>(textSize)) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes->data() + kNonceBytes + textSize) != 1 ||
      EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(text.data()) + n, &tail) != 1)
    return std::nullopt;
  return text;
}

}  // namespace

Expected<std::string> Service::submitBatch(const std::vector<BatchRow>& rows, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin, Role::Clerk}));
  if (rows.size() > parts_->config.maxBatchRows)
    return tooLarge("at most " + std::to_string(parts_->config.maxBatchRows) + " rows per batch");
  ISS_ASSIGN_TC(Bytes random, crypto::randomBytes(16));
  const std::string id = toHex(random);
  const Bytes key = rowSealingKey(parts_->rules);
  std::vector<store::NewBatchRow> stored;
  stored.reserve(rows.size());
  std::size_t unreadable = 0;
  for (const BatchRow& row : rows) {
    store::NewBatchRow s{static_cast<std::int64_t>(row.line), {}, {}};
    if (row.request) {
      // The request's canonical JSON reads back as the same request.
      s.request = seal(key, row.request->canonicalText);
      if (s.request.empty()) return internalError("a batch row could not be sealed");
    } else {
      s.result = storedBatchRowResultJson({row.line, row.request.error()});
      ++unreadable;
    }
    stored.push_back(std::move(s));
  }
  auto written = parts_->storage->write<std::string>([&](store::Tx& tx) -> Expected<std::string> {
    const std::int64_t at = parts_->clock.now();
    store::insertBatch(tx, id, at, by.tokenId, std::string(roleName(by.role)), stored, unreadable);
    store::audit::append(tx, at, by, "batch.submit", {{"batch", id}, {"rows", rows.size()}});
    return id;
  });
  if (written && parts_->batchWorker) parts_->batchWorker->wake();
  return written;
}

Expected<BatchStatus> Service::batchStatus(std::string_view batchId) const {
  return parts_->storage->read<BatchStatus>("batch", [&](store::Tx& tx) -> Expected<BatchStatus> {
    auto found = store::findBatch(tx, std::string(batchId));
    if (!found) return notFound("no batch " + std::string(batchId));
    BatchStatus s{found->id,
                  found->state,
                  static_cast<std::size_t>(found->total),
                  static_cast<std::size_t>(found->done),
                  static_cast<std::size_t>(found->failed),
                  found->createdAt,
                  store::batchResults(tx, found->id)};
    return s;
  });
}

std::size_t Service::runBatchStep(std::size_t maxRows) {
  struct Step {
    std::optional<store::BatchRecord> batch;
    std::vector<store::PendingRow> rows;
  };
  auto step = parts_->storage->read<Step>("batch step", [&](store::Tx& tx) -> Expected<Step> {
    Step s{store::oldestRunningBatch(tx), {}};
    if (s.batch) s.rows = store::pendingBatchRows(tx, s.batch->id, std::max<std::size_t>(1, maxRows));
    return s;
  });
  if (!step || !step->batch) return 0;
  const store::BatchRecord& batch = *step->batch;
  auto finish = [&](const std::string& state) {
    auto done = parts_->storage->write<Done>([&](store::Tx& tx) -> Completion {
      const std::int64_t at = parts_->clock.now();
      store::finishBatch(tx, batch.id, state, at);
      store::audit::append(tx, at, Actor{batch.createdBy, Role::Clerk}, "batch." + state, {{"batch", batch.id}});
      return success();
    });
    return done ? std::size_t{1} : std::size_t{0};
  };
  if (step->rows.empty()) return finish("done");

  const Bytes key = rowSealingKey(parts_->rules);
  std::vector<BatchRow> rows;
  for (const auto& pending : step->rows) {
    auto text = unseal(key, pending.request);
    // Sealed under another passphrase: this issuer cannot read the batch.
    if (!text) return finish("failed");
    rows.push_back({static_cast<std::size_t>(pending.line), readIssueRequest(*text)});
  }
  Role role = Role::Clerk;
  roleFromName(batch.role, role);
  const auto outcomes = issueBatch(rows, Actor{batch.createdBy, role});
  std::vector<store::SettledRow> settled;
  for (std::size_t k = 0; k < outcomes.size(); ++k)
    settled.push_back({step->rows[k].seq, storedBatchRowResultJson(outcomes[k]), !outcomes[k].result.ok()});
  auto recorded = parts_->storage->write<Done>([&](store::Tx& tx) -> Completion {
    store::settleBatchRows(tx, batch.id, settled);
    return success();
  });
  if (!recorded) {
    Poco::Logger::get("titlecert.issuer").error("batch " + batch.id + ": outcomes not recorded: " + recorded.error().message);
    return 0;
  }
  return settled.size();
}

void Service::startBatchWorker() {
  if (!parts_->batchWorker) parts_->batchWorker = std::make_unique<BatchWorker>(*this, parts_->config.batchCommitRows);
}

Expected<std::vector<Certificate>> Service::findCertificates(std::string_view text, std::size_t limit) const {
  TC_ASSIGN(auto numbers, parts_->storage->read<std::vector<std::string>>(
                              "search", [&](store::Tx& tx) -> Expected<std::vector<std::string>> {
                                return store::searchCertificateNumbers(tx, std::string(text), limit);
                              }));
  std::vector<Certificate> found;
  for (const std::string& no : numbers) {
    auto c = certificate(no);
    if (c) found.push_back(std::move(*c));
  }
  return found;
}

}  // namespace titlecert::issuer
