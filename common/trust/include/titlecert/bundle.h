// The trust bundle (CONTRACT.md, "The trust bundle"): a COSE_Sign1 by a root
// key over a deterministic CBOR map holding the version, issued-at and
// next-update times, the trusted issuer keys with their scope, the catalogue,
// the recognition policy and the revocation status lists. The CBOR layout is
// in docs/format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "titlecert/catalogue.h"
#include "titlecert/cbor.h"
#include "titlecert/crypto.h"
#include "titlecert/result.h"
#include "titlecert/revocation_set.h"
#include "titlecert/zc1.h"

namespace titlecert::bundle {

// Hard limits on what a verifier accepts (bundles come from files and
// networks). The catalogue dominates the size.
inline constexpr std::size_t kMaxBundleBytes = 4 << 20;
inline constexpr std::size_t kMaxIssuers = 4096;
inline constexpr std::uint64_t kMaxStatusIssued = std::uint64_t{1} << 23;  // 8 Mi credentials per issuer
// The coded set of one issuer: at most a bitset of kMaxStatusIssued bits
// after its flag and count.
inline constexpr std::size_t kMaxStatusListBytes = kMaxStatusIssued / 8 + 16;

// What an issuer entry may sign. A list that is nullopt means "*".
struct Scope {
  bool titles = false;
  bool qualifications = false;
  std::optional<std::vector<std::uint64_t>> series;
  std::optional<std::vector<std::uint64_t>> specialties;
  std::uint64_t maxLevel = 5;
  std::optional<std::vector<std::uint64_t>> qualificationCodes;

  bool allows(const zc1::Credential& c) const;
};

struct IssuerEntry {
  std::string iss;
  catalogue::Names name;
  std::string region;  // administrative division code, e.g. "650100"
  crypto::PublicKey key;
  std::int64_t validFrom = 0;  // epoch seconds, inclusive
  std::int64_t validTo = 0;    // exclusive
  Scope scope;
};

// Revocation for one iss: the status indices 0..issued-1 the list covers and
// which of them are revoked, as the canonical revocation set
// (docs/revocation.md). Lookups are O(log R) after the bundle is read.
struct StatusList {
  std::string iss;
  revocation::RevocationSet revoked;

  std::uint64_t issued() const { return revoked.issued(); }
  // kRevoked, kNotRevoked, or kOutOfRange for an index >= issued, which no
  // credential may carry (the verifier reports it as REVOKED).
  revocation::Status status(std::uint64_t statusIndex) const { return revoked.lookup(statusIndex); }
};

// The certificate number of a revoked credential, for people. Never in the
// signed bundle: the issuer's database or the unsigned side file beside a
// bundle (titlecert-config) hold them.
struct RevocationNote {
  std::string iss;
  std::uint64_t statusIndex = 0;
  std::string certNo;
};

// The status list of `iss` covering `issued` indices with `revoked` (any
// order, duplicates allowed) revoked; INVALID_ARGUMENT for an index >= issued
// or issued above kMaxStatusIssued.
Result<StatusList> makeStatusList(std::string iss, std::uint64_t issued, std::vector<std::uint64_t> revoked);

// How many indices a list covers when only the revoked ones are known: the
// smallest multiple of kIssuedStep above the highest, so that credentials
// issued after the bundle up to the next step still have a status.
inline constexpr std::uint64_t kIssuedStep = 65536;
std::uint64_t issuedCovering(std::uint64_t highestRevoked);

// Accepted regions: the home region and every accept pattern (a whole code,
// or a prefix ending in '*').
struct Recognition {
  std::string homeRegion;
  std::vector<std::string> acceptRegions;

  // The policy entry that accepts region ("home:650100", "65*"), or nullopt.
  std::optional<std::string> acceptingEntry(std::string_view region) const;
};

// The issuer's audit trail as it stood when the bundle was signed: the
// newest entry's sequence number and hash (docs/issuer.md, "Audit trail").
// Whoever holds the bundle can later check that the issuer's history up to
// that entry was not rewritten. Optional: bundles without it stay valid,
// and a verifier has no use for it.
struct AuditHead {
  std::uint64_t seq = 0;
  Bytes hash;  // SHA-256, 32 bytes

  bool operator==(const AuditHead&) const = default;
};

struct Contents {
  std::uint64_t version = 0;
  std::int64_t issuedAt = 0;
  std::int64_t nextUpdate = 0;
  std::vector<IssuerEntry> issuers;
  catalogue::Catalogue catalogue;
  Recognition recognition;
  std::vector<StatusList> revocation;
  std::optional<AuditHead> auditHead;

  const StatusList* statusListFor(std::string_view iss) const;
};

// Deterministic CBOR form, and back (BAD_BUNDLE naming the field).
cbor::Value toCbor(const Contents& c);
Result<Contents> fromCbor(const cbor::Value& value);

// Signs the contents with the root key: a tagged COSE_Sign1 (ZC1.md §2
// header layout).
Result<Bytes> sign(const Contents& c, const crypto::PrivateKey& root);

// A bundle whose root signature checked. Only open() makes one.
class Verified {
 public:
  const Contents& contents() const { return contents_; }
  const crypto::Kid& rootKid() const { return rootKid_; }
  crypto::Alg rootAlg() const { return rootAlg_; }

 private:
  friend Result<Verified> open(ByteView, const crypto::PublicKey&);
  Contents contents_;
  crypto::Kid rootKid_{};
  crypto::Alg rootAlg_ = crypto::Alg::EdDSA;
};

// Checks the COSE_Sign1 against the pinned root key (kid and alg must match
// the root; no other key is tried), then decodes. Every failure is
// BAD_BUNDLE with a detail.
Result<Verified> open(ByteView bundleBytes, const crypto::PublicKey& root);

// Decodes a bundle WITHOUT checking its signature (for `bundle inspect`
// without --root): nothing read this way may be trusted. signerKid receives
// the kid in the protected header.
Result<Contents> decodeUnverified(ByteView bundleBytes, crypto::Kid& signerKid);

// The authored form, MANIFEST.json, is read by titlecert/bundle_manifest.h.

}  // namespace titlecert::bundle
