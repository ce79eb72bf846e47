#include "integrity.h"

#include <Poco/Logger.h>

#include <limits>

#include "audit_replay.h"
#include "parts.h"
#include "store/audit_chain.h"
#include "store/state_rows.h"
#include "titlecert/zc1.h"

namespace titlecert::issuer {
namespace {

// How many of the newest entries are checked at start: the whole chain is
// checked by `audit verify` and before every bundle.
constexpr std::size_t kEntriesCheckedAtStart = 1000;

Problem refuseToStart(const std::string& why) {
  Poco::Logger::get("titlecert.issuer").error("integrity check failed: " + why);
  return unavailable("refusing to start: " + why + " (run `titlecert-issuer audit verify`; restore the database from a backup)");
}

// The newest `count` entries: consecutive, each linked to the one before,
// each hash recomputed, the last one the head; "" when they hold.
std::string chainTailFault(store::Tx& tx, std::size_t count) {
  const std::optional<store::AuditHeadRow> head = store::auditHead(tx);
  if (!head) return "the audit trail has no head (an issuer's first entries are written by init)";
  const std::uint64_t from = head->seq > count ? head->seq - count : 0;
  std::string prev = store::audit::kGenesis;
  if (from > 0) {
    std::optional<std::string> before = store::auditHashAt(tx, from);
    if (!before) return "audit entry " + std::to_string(from) + " is missing";
    prev = *before;
  }
  std::uint64_t expected = from + 1;
  for (const store::audit::Entry& e : store::audit::page(tx, from, count + 1)) {
    const std::string which = "audit entry " + std::to_string(expected);
    if (e.seq != expected) return which + " is missing";
    if (e.seq > head->seq) return "audit entries after the head (" + std::to_string(head->seq) + ") were added around the service";
    if (e.prevHash != prev) return which + " does not follow the entry before it";
    if (store::audit::rowHash(e.prevHash, e.seq, e.at, e.actor, e.action, e.details) != e.hash) return which + " was altered";
    prev = e.hash;
    ++expected;
  }
  if (expected - 1 != head->seq || prev != head->hash)
    return "the newest audit entries were removed: the chain ends at " + std::to_string(expected - 1) + ", its head says " +
           std::to_string(head->seq);
  return {};
}

Problem payloadFault(const std::string& certNo, const std::string& why) {
  Poco::Logger::get("titlecert.issuer").error("certificate " + certNo + ": stored payload refused: " + why);
  return Problem{ProblemKind::Internal, "INTEGRITY_ERROR",
                 "certificate " + certNo + ": the stored payload " + why + "; it is not served (restore it from a backup)",
                 "", {}};
}

}  // namespace

Completion checkAtStart(store::Store& storage) {
  return storage.read<Done>("integrity check", [](store::Tx& tx) -> Completion {
    const std::string quick = store::databaseQuickCheck(tx);
    if (quick != "ok") return refuseToStart("the database failed its integrity check: " + quick);
    if (std::string fault = chainTailFault(tx, kEntriesCheckedAtStart); !fault.empty()) return refuseToStart(fault);
    return success();
  });
}

Completion requireStateAgrees(store::Tx& tx, const char* what) {
  const std::vector<std::string> differences = stateDifferences(tx);
  if (differences.empty()) return success();
  std::string message = std::string("refusing to ") + what + ": " + std::to_string(differences.size()) +
                        " row(s) differ from the audit trail: " + differences.front();
  Poco::Logger::get("titlecert.issuer").error(message);
  return Problem{ProblemKind::Internal, "AUDIT_MISMATCH", message + " (run `titlecert-issuer audit verify` for all)", "", {}};
}

Completion checkStoredPayload(store::Tx& tx, const std::string& iss, const store::CertificateRecord& c) {
  const std::optional<std::string> pem = store::publicKeyPemOf(tx, iss, c.kid);
  if (!pem) return payloadFault(c.certNo, "names a signing key that is not stored (" + c.kid + ")");
  auto key = crypto::PublicKey::fromPem(*pem);
  if (!key) return payloadFault(c.certNo, "names a stored key that does not read");
  // The window is the audit replay's to prove; here only the signature
  // and the claims count.
  zc1::KeyList keys;
  keys.add(zc1::TrustedKey{iss, *key, 0, std::numeric_limits<std::int64_t>::max(), 0});
  auto opened = zc1::open(c.payload, keys);
  if (!opened) return payloadFault(c.certNo, "does not verify (" + std::string(codeName(opened.error().code)) + ")");
  const zc1::Credential& credential = opened->credential();
  if (credential.certNo != c.certNo || credential.statusIndex != c.statusIndex)
    return payloadFault(c.certNo, "is another certificate's (" + credential.certNo + ")");
  return success();
}

std::optional<bundle::AuditHead> currentAuditHead(store::Tx& tx) {
  const std::optional<store::AuditHeadRow> head = store::auditHead(tx);
  if (!head) return std::nullopt;
  auto hash = fromHex(head->hash);
  if (!hash) return std::nullopt;
  return bundle::AuditHead{head->seq, std::move(*hash)};
}

Expected<AuditCheck> Service::verifyAuditAgainst(ByteView bundleBytes) const {
  auto verified = bundle::open(bundleBytes, parts_->rootPublic);
  if (!verified)
    return badRequest("bundle", "the bundle does not verify against root.pub.pem: " + verified.error().detail, "BAD_BUNDLE");
  const bundle::Contents& c = verified->contents();
  if (!c.auditHead) return badRequest("bundle", "bundle version " + std::to_string(c.version) + " carries no audit head", "BAD_BUNDLE");
  const bundle::AuditHead head = *c.auditHead;
  const std::string version = std::to_string(c.version);
  TC_ASSIGN(AuditCheck check, verifyAudit());
  TC_ASSIGN(std::optional<std::string> stored,
            parts_->storage->read<std::optional<std::string>>(
                "audit verify", [&](store::Tx& tx) -> Expected<std::optional<std::string>> { return store::auditHashAt(tx, head.seq); }));
  std::string fault;
  if (!stored)
    fault = "bundle version " + version + " was signed over audit entry " + std::to_string(head.seq) +
            ", which is no longer in the chain: the history was cut back";
  else if (*stored != toHex(head.hash))
    fault = "audit entry " + std::to_string(head.seq) + " is not the one bundle version " + version +
            " was signed over: the history before it was rewritten";
  if (fault.empty()) return check;
  if (check.intact) check.firstBadSeq = head.seq;
  check.intact = false;
  check.reason = check.reason.empty() ? fault : fault + "; " + check.reason;
  check.differences.insert(check.differences.begin(), fault);
  return check;
}

}  // namespace titlecert::issuer
