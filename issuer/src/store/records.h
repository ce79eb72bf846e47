// The issuer's repositories: what the service reads and writes, as plain
// records, inside a Tx. Settings, tokens and counters are in
// store/small_tables.cpp; certificates in store/certificates.cpp; keys and
// bundles in store/keys_bundles.cpp. A write function must be called
// inside Store::write (or the group-commit transaction).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store.h"
#include "titlecert/bytes.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer::store {

class RowsInsert;

// ---- settings (name -> value, written once) ----
std::string readSetting(Tx& tx, const std::string& name);  // "" when unset
void writeSetting(Tx& tx, const std::string& name, const std::string& value);

// ---- Idempotency-Key answers (POST /v1/certificates) ----
// status 0: claimed, the request still running.
struct IdempotentAnswer {
  std::string requestHash;
  int status = 0;
  std::string body;
};
std::optional<IdempotentAnswer> idempotentAnswer(Tx& tx, const std::string& keyHash);
void claimIdempotencyKey(Tx& tx, const std::string& keyHash, const std::string& requestHash, std::int64_t at);
void settleIdempotencyKey(Tx& tx, const std::string& keyHash, int status, const std::string& body);
void releaseIdempotencyKey(Tx& tx, const std::string& keyHash);

// ---- tokens (stored as their hash) ----
struct TokenRecord {
  std::int64_t id = 0;
  std::string role;
  bool revoked = false;
};
// createdBy 0: the local operator. Returns the new token's id.
std::int64_t insertToken(Tx& tx, const std::string& hash, const std::string& role, std::int64_t createdAt,
                         std::int64_t createdBy);
std::optional<TokenRecord> tokenByHash(Tx& tx, const std::string& hash);
std::optional<TokenRecord> tokenById(Tx& tx, std::int64_t id);
void markTokenRevoked(Tx& tx, std::int64_t id, std::int64_t at);

// ---- counters ----

// What goes into the trust bundle changed (a revocation, a key, an
// issuer, a loaded bundle): bumped inside the changing transaction, so that
// every service instance on the database sees it, and read before serving
// a cached bundle.
void bumpContentGeneration(Tx& tx);
std::uint64_t contentGeneration(Tx& tx);

// The gap-free counters of one transaction (status index per iss,
// certificate numbers per prefix): read once, advanced in memory, written
// back once by flush() before the commit.
class Counters {
 public:
  explicit Counters(Tx& tx) : tx_(tx) {}
  std::uint64_t next(const std::string& name, std::uint64_t first);
  // The value next() would return, without taking it.
  std::uint64_t peek(const std::string& name, std::uint64_t first);
  void flush();

 private:
  struct Entry {
    std::uint64_t value;
    bool stored;
    bool changed;
  };
  Entry& entry(const std::string& name, std::uint64_t first);
  Tx& tx_;
  std::map<std::string, Entry> values_;
};

// ---- certificates ----
struct CertificateRecord {
  std::string certNo;
  std::string fields;  // the issued fields as JSON text
  std::uint64_t statusIndex = 0;
  std::string payload;
  std::string kid;  // hex, of the key that signed `payload`
  std::int64_t issuedAt = 0;
  std::optional<std::int64_t> revokedAt;
  std::string revokeReason;
  std::optional<std::int64_t> resignedAt;
};
std::optional<CertificateRecord> findCertificate(Tx& tx, const std::string& certNo);
void markCertificateRevoked(Tx& tx, const std::string& certNo, std::int64_t at, const std::string& reason);

// The certificates issued for batch-row request keys (each with existed
// set), a few statements for many keys.
std::vector<std::pair<std::string, Issued>> issuedForRequestKeys(Tx& tx, const std::vector<std::string>& requestKeys);
// Which of the numbers are in use.
std::vector<std::string> takenCertificateNumbers(Tx& tx, const std::vector<std::string>& numbers);

struct NewCertificate {
  std::string certNo;
  std::string iss;
  std::uint64_t statusIndex = 0;
  std::string type;  // "title" | "qualification"
  std::string holderName;
  std::string holderIdMasked;
  std::string idhHex;
  std::string fields;  // JSON text
  Bytes claims;
  std::string payload;
  std::int64_t keyId = 0;
  std::int64_t issuedAt = 0;
  std::int64_t issuedBy = 0;  // 0: the local operator
  std::optional<std::string> requestKey;
};

// Many certificates stored with one prepared INSERT (the issuance hot
// path; see sql_rows.h).
class CertificateInserts {
 public:
  CertificateInserts();
  ~CertificateInserts();
  CertificateInserts(const CertificateInserts&) = delete;
  CertificateInserts& operator=(const CertificateInserts&) = delete;
  void add(NewCertificate&& row);
  // A refused row is named; any other failure throws.
  std::optional<RefusedRow> execute(Tx& tx);

 private:
  std::unique_ptr<RowsInsert> rows_;
};

struct SignedCertificate {
  std::string certNo;
  Bytes claims;
  std::string payload;
};
// Every certificate whose current payload `keyId` signed, by status index.
std::vector<SignedCertificate> certificatesSignedBy(Tx& tx, std::int64_t keyId);
// Replaces a certificate's signature (claims re-signed at `at`).
void replaceSignature(Tx& tx, const std::string& certNo, const std::string& payload, const Bytes& claims,
                      std::int64_t keyId, std::int64_t at);
struct SupersededPayload {
  std::string certNo;
  std::string payload;
  std::int64_t keyId = 0;
  std::int64_t at = 0;
  std::string reason;
};
void keepSupersededPayloads(Tx& tx, const std::vector<SupersededPayload>& rows);  // throws when refused

struct RevokedCertificate {
  std::uint64_t statusIndex = 0;
  std::string certNo;
};
std::vector<RevokedCertificate> revokedCertificates(Tx& tx, const std::string& iss);  // by status index

// ---- issuer keys (ours and imported ones) ----
struct KeyRecord {
  std::int64_t id = 0;
  std::string iss, kid, alg;  // kid hex
  std::string publicKeyPem;
  std::optional<std::string> privateKeyPem;  // ours only, encrypted
  std::string nameZh, nameEn, region;
  std::int64_t validFrom = 0, validTo = 0;
  std::string scope;  // JSON text, the manifest's scope form
  std::string state;  // active | retired | compromised | imported
  std::int64_t createdAt = 0;
};
// Returns the new key's id.
std::int64_t insertKey(Tx& tx, const KeyRecord& key);
// The key of `iss` in state 'active', with its private key.
std::optional<KeyRecord> activeKey(Tx& tx, const std::string& iss);
// id, iss, kid, alg and state of a key.
std::optional<KeyRecord> findKey(Tx& tx, const std::string& iss, const std::string& kid);
// Closes an active key's window at `closeAt` (exclusive) and retires it.
void retireActiveKey(Tx& tx, std::int64_t keyId, std::int64_t closeAt, std::int64_t at);
void markKeyCompromised(Tx& tx, std::int64_t keyId, std::int64_t at);
// Every key in insertion order, without private keys; `trustedOnly` leaves
// out the compromised ones.
std::vector<KeyRecord> listKeys(Tx& tx, bool trustedOnly);

// ---- signed trust bundles ----
struct StoredBundle {
  std::uint64_t version = 0;
  std::int64_t nextUpdate = 0;
  std::string hash;
  Bytes bytes;
  std::int64_t issuedAt = 0;
};
std::optional<StoredBundle> latestBundle(Tx& tx);
// origin: "signed" here or "loaded" (signed offline).
void storeBundle(Tx& tx, const StoredBundle& bundle, std::int64_t issuedAt, const std::string& origin, std::int64_t at);

}  // namespace titlecert::issuer::store
