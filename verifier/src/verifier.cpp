#include "titlecert/verifier.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "titlecert/dates.h"
#include "titlecert/files.h"
#include "titlecert/idh.h"

namespace titlecert::verifier {

// Everything a Verifier needs, built once from a verified bundle. Never moved
// after construction: codeCheck and the key index point into it.
struct Verifier::State : zc1::KeyLookup {
  explicit State(bundle::Verified v) : verified(std::move(v)), codeCheck(verified.contents().catalogue) {
    const auto& issuers = verified.contents().issuers;
    keys.reserve(issuers.size());
    for (std::size_t i = 0; i < issuers.size(); ++i) {
      const auto& e = issuers[i];
      keys.push_back(zc1::TrustedKey{e.iss, e.key, e.validFrom, e.validTo, i});
      byKid.emplace(e.key.kid(), i);
    }
  }

  void find(std::string_view iss, const crypto::Kid& kid, std::vector<const zc1::TrustedKey*>& out) const override {
    auto [lo, hi] = byKid.equal_range(kid);
    for (auto it = lo; it != hi; ++it)
      if (keys[it->second].iss == iss) out.push_back(&keys[it->second]);
  }

  const bundle::Contents& contents() const { return verified.contents(); }

  bundle::Verified verified;
  catalogue::CodeCheck codeCheck;
  std::vector<zc1::TrustedKey> keys;
  std::multimap<crypto::Kid, std::size_t> byKid;
};

namespace {

// The bundle's times bound the clock: a terminal whose clock is behind the
// newest data it holds (the bundle's issued-at, or the latest signed time
// it has seen) is wrong, so that time is used instead.
std::int64_t effectiveNow(const bundle::Contents& b, std::int64_t now, std::int64_t clockFloor,
                          std::vector<Code>& warnings) {
  const std::int64_t floor = std::max(b.issuedAt, clockFloor);
  if (now < floor) {
    warnings.push_back(Code::CLOCK_BEHIND);
    now = floor;
  }
  if (now >= b.nextUpdate) warnings.push_back(Code::BUNDLE_STALE);
  return now;
}

const bundle::IssuerEntry* entryInScope(const bundle::Contents& b, const zc1::Opened& opened) {
  for (const auto* signer : opened.signers()) {
    const auto& entry = b.issuers[signer->entry];
    if (entry.scope.allows(opened.credential())) return &entry;
  }
  return nullptr;
}

Status checkTime(const zc1::Credential& c, std::int64_t now) {
  const auto t = static_cast<std::uint64_t>(now < 0 ? 0 : now);
  if (c.nbf && t < *c.nbf) return makeError(Code::NOT_YET_VALID, "now is before nbf");
  if (c.exp && t >= *c.exp) return makeError(Code::EXPIRED, "now is at or after exp");
  return Status::Ok();
}

// REVOKED for an index the issuer's list marks revoked, and for one at or
// beyond the indices the list covers: the bundle cannot vouch for a status
// it does not hold, and REVOKED keeps the table's order (BAD_CLAIMS would
// rank before checks that already passed). No list: nothing is revoked.
Status checkRevocation(const bundle::Contents& b, const zc1::Credential& c) {
  const auto* list = b.statusListFor(c.iss);
  if (!list) return Status::Ok();
  switch (list->status(c.statusIndex)) {
    case revocation::Status::kNotRevoked: return Status::Ok();
    case revocation::Status::kRevoked: return makeError(Code::REVOKED, "listed as revoked in the bundle");
    case revocation::Status::kOutOfRange: break;
  }
  return makeError(Code::REVOKED, "status index " + std::to_string(c.statusIndex) + " is beyond the " +
                                      std::to_string(list->issued()) + " the bundle's status list covers");
}

// Every equivalence row of the catalogue for this qualification and level;
// none without a row (ZC1.md §5).
std::vector<EquivalenceResult> equivalencesOf(const catalogue::Catalogue& cat, const zc1::Credential& c) {
  std::vector<EquivalenceResult> out;
  const auto* q = c.qualification();
  if (!q) return out;
  for (const auto* row : cat.equivalencesFor(q->qualification, q->level)) {
    EquivalenceResult r;
    r.kind = row->kind;
    r.series = row->series;
    r.titleLevel = row->titleLevel;
    r.titleName = cat.titleName(row->series, row->specialty.value_or(0), row->titleLevel);
    r.fromDate = dates::addYears(static_cast<std::int64_t>(q->dateObtained), static_cast<int>(row->years));
    r.row = row;
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<RecognitionResult> recognitionOf(const bundle::Contents& b, const bundle::IssuerEntry& issuer) {
  if (issuer.region == b.recognition.homeRegion) return std::nullopt;  // home credentials need no recognition
  RecognitionResult r;
  r.region = issuer.region;
  r.policyEntry = b.recognition.acceptingEntry(issuer.region);
  r.accepted = r.policyEntry.has_value();
  return r;
}

// Holder binding; INVALID_ARGUMENT for an ID that does not normalise.
Result<bool> holderMatches(const zc1::Credential& c, const std::string& idNumber) {
  TC_ASSIGN(auto normalized, idh::normalize(idNumber));
  TC_ASSIGN(auto derived, idh::derive(normalized, c.certNo));
  return derived == c.idh;
}

void fail(Outcome& o, const Error& e) {
  o.code = e.code;
  o.detail = e.detail;
}

}  // namespace

Result<Verifier> Verifier::create(ByteView bundleBytes, const crypto::PublicKey& root, std::uint64_t minVersion) {
  TC_ASSIGN(auto verified, bundle::open(bundleBytes, root));
  if (verified.contents().version < minVersion)
    return makeError(Code::BUNDLE_ROLLBACK, "bundle version " + std::to_string(verified.contents().version) +
                                                " is below the accepted version " + std::to_string(minVersion));
  return Verifier(std::make_shared<const State>(std::move(verified)));
}

const bundle::Contents& Verifier::contents() const { return state_->contents(); }

Outcome Verifier::verify(std::string_view text, std::int64_t now, const VerifyOptions& options) const {
  const auto& b = state_->contents();
  Outcome o;
  if (options.idNumber) {
    if (auto id = idh::normalize(*options.idNumber); !id) {
      fail(o, makeError(Code::INVALID_ARGUMENT, "--id: " + id.error().detail));
      return o;
    }
  }
  o.effectiveNow = effectiveNow(b, now, options.clockFloor, o.warnings);
  if (text.size() > kMaxInputLength) {
    // Longer than any ZC1 code can be: refuse before decoding anything.
    fail(o, makeError(text.substr(0, 4) == zc1::kPrefix ? Code::BAD_CBOR : Code::NOT_ZC1, "input too long"));
    return o;
  }
  auto opened = zc1::open(text, *state_, &state_->codeCheck);
  if (!opened) {
    fail(o, opened.error());
    return o;
  }
  const auto& c = opened->credential();
  o.credential = c;
  const auto* inScope = entryInScope(b, *opened);
  o.issuer = inScope ? inScope : &b.issuers[opened->signers().front()->entry];
  o.equivalences = equivalencesOf(b.catalogue, c);
  o.recognition = recognitionOf(b, *o.issuer);
  if (options.idNumber) {
    auto match = holderMatches(c, *options.idNumber);
    if (match) o.holderMatch = *match;
  }

  // The checks after the signature, in table order; the first failure wins.
  o.code = Code::OK;
  if (!inScope) fail(o, makeError(Code::OUT_OF_SCOPE, "the issuer's trust entry does not allow this credential"));
  else if (auto t = checkTime(c, o.effectiveNow); !t) fail(o, t.error());
  else if (auto r = checkRevocation(b, c); !r) fail(o, r.error());
  else if (o.recognition && !o.recognition->accepted) fail(o, makeError(Code::NOT_RECOGNIZED, "region " + o.issuer->region + " is not accepted here"));
  else if (o.holderMatch == false) fail(o, makeError(Code::HOLDER_MISMATCH, "the ID number does not match idh"));
  return o;
}

Outcome Verifier::noCodeFound(std::int64_t now, const VerifyOptions& options) const {
  Outcome o;
  o.effectiveNow = effectiveNow(state_->contents(), now, options.clockFloor, o.warnings);
  fail(o, makeError(Code::NO_CODE_FOUND, "no QR code found in the image"));
  return o;
}

Outcome Verifier::codesSkipped(std::int64_t now, const VerifyOptions& options) const {
  Outcome o;
  o.effectiveNow = effectiveNow(state_->contents(), now, options.clockFloor, o.warnings);
  fail(o, makeError(Code::CODES_SKIPPED, "the image holds more QR codes than are read"));
  return o;
}

// ---- anti-rollback state --------------------------------------------------------

Result<std::uint64_t> readHighestVersion(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::uint64_t{0};
  std::string line;
  std::getline(in, line);
  std::uint64_t v = 0;
  if (line.empty() || line.size() > 20 || line.find_first_not_of("0123456789") != std::string::npos)
    return makeError(Code::IO_ERROR, "state file " + path + " is corrupt");
  for (char ch : line) v = v * 10 + static_cast<std::uint64_t>(ch - '0');
  return v;
}

Status writeHighestVersion(const std::string& path, std::uint64_t version) {
  return files::writeAtomically(path, asBytes(std::to_string(version) + "\n"));
}

}  // namespace titlecert::verifier
