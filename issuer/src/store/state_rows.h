// The rows the audit replay compares with the chain (audit_replay.cpp), and
// the database's own integrity check: plain reads of certificates, tokens,
// keys and the audit head, for the code that proves the tables agree with
// the audit trail.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store.h"

namespace titlecert::issuer::store {

struct CertificateState {
  std::string certNo;
  std::string iss;
  std::uint64_t statusIndex = 0;
  std::string kid;            // hex, of the key row the certificate points at ("" when none)
  std::string payloadSha256;  // hex, of the stored payload text
  bool revoked = false;
};
// Every certificate, by cert_no, one row at a time (the payloads are not
// kept in memory).
void forEachCertificateState(Tx& tx, const std::function<void(const CertificateState&)>& visit);

struct TokenState {
  std::int64_t id = 0;
  std::string hash;
  std::string role;
  bool revoked = false;
};
std::vector<TokenState> tokenStates(Tx& tx);

// The stored public key of one key row (any state).
std::optional<std::string> publicKeyPemOf(Tx& tx, const std::string& iss, const std::string& kidHex);

// audit_head: the newest entry's seq and hash; nullopt before the first.
struct AuditHeadRow {
  std::uint64_t seq = 0;
  std::string hash;
};
std::optional<AuditHeadRow> auditHead(Tx& tx);
// The stored hash of entry `seq`, nullopt when there is none.
std::optional<std::string> auditHashAt(Tx& tx, std::uint64_t seq);

// The connector's own integrity check: SQLite's PRAGMA quick_check (every
// page, index and constraint readable and consistent); PostgreSQL checks its
// pages itself (checksums) and has nothing cheap to ask, so "ok". Returns
// "ok" or what the check reported.
std::string databaseQuickCheck(Tx& tx);

}  // namespace titlecert::issuer::store
