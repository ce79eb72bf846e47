// Nothing served silently wrong: the checks that stand between the
// database and what the issuer hands out (docs/issuer.md, "What the audit
// proves").
#pragma once

#include <cstdint>
#include <string>

#include "store/records.h"
#include "store/store.h"
#include "titlecert/bundle.h"

namespace titlecert::issuer {

// At start: the database's own check (SQLite PRAGMA quick_check) and the
// newest audit entries (links, hashes, the head). 503 UNAVAILABLE naming
// what failed: a damaged database must not serve.
Completion checkAtStart(store::Store& storage);

// Before a bundle is signed or a manifest exported: the tables must be the
// state the audit chain proves (500 AUDIT_MISMATCH naming the first rows
// that differ).
Completion requireStateAgrees(store::Tx& tx, const char* what);

// Before a stored payload is served or rendered: it opens with the stored
// key of `iss` it names and carries this certificate's number and status
// index. A changed byte is a 500 INTEGRITY_ERROR naming the certificate
// (and an error in the log), never an answer or a QR that fails to verify.
Completion checkStoredPayload(store::Tx& tx, const std::string& iss, const store::CertificateRecord& c);

// The audit head at this moment, for the bundle being signed (nullopt
// before the first entry).
std::optional<bundle::AuditHead> currentAuditHead(store::Tx& tx);

}  // namespace titlecert::issuer
