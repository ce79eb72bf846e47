// Other regions' bundles: pinning a peer root, importing a peer bundle,
// and putting what it gave into our bundle (docs/issuer.md, "Other
// regions' bundles").
//
// Only issuer entries of the peer's own region and their status lists are
// taken: the peer's catalogue, recognition policy and the entries it
// republishes from third regions (or from us) are not, so a peer vouches
// for its own issuers only.
#include "peer_contents.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "parts.h"
#include "keys.h"
#include "store/audit_chain.h"
#include "store/peer_records.h"
#include "store/records.h"
#include "titlecert/bundle_manifest.h"
#include "titlecert/dates.h"
#include "titlecert/files.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;

bool isRegionPattern(const std::string& p) {
  const std::string digits = !p.empty() && p.back() == '*' ? p.substr(0, p.size() - 1) : p;
  return !digits.empty() && digits.size() <= 12 && digits.find_first_not_of("0123456789") == std::string::npos;
}

bool regionMatches(const std::string& pattern, const std::string& region) {
  if (!pattern.empty() && pattern.back() == '*') return region.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  return region == pattern;
}

PeerRegion fromRecord(const store::PeerRegionRecord& r) {
  return PeerRegion{r.region,   r.rootKid,          r.addedAt,    r.bundleVersion, r.bundleIssuedAt,
                    r.bundleNextUpdate, r.importedAt, r.bundleSha256, r.source};
}

Problem rollback(const std::string& message) { return Problem{ProblemKind::Conflict, "BUNDLE_ROLLBACK", message, "version", {}}; }

// What of a verified peer bundle we take.
struct Taken {
  std::vector<store::PeerIssuerRecord> issuers;
  std::vector<store::PeerStatusListRecord> lists;
  std::size_t skipped = 0;
};

Taken takeFrom(const bundle::Contents& c, const std::string& pattern, const std::string& ownIss) {
  Taken t;
  std::set<std::string> takenIss;
  for (const bundle::IssuerEntry& e : c.issuers) {
    if (e.iss == ownIss || !regionMatches(pattern, e.region)) {
      ++t.skipped;
      continue;
    }
    takenIss.insert(e.iss);
    t.issuers.push_back({e.iss, toHex(e.key.kid()), e.key.pem(), e.name.zh, e.name.en, e.region, e.validFrom, e.validTo,
                         bundle::scopeToJson(e.scope)});
  }
  for (const bundle::StatusList& s : c.revocation)
    if (takenIss.count(s.iss)) t.lists.push_back({s.iss, s.issued(), s.revoked.encode()});
  return t;
}

// 409 when an iss taken here is held from another peer region: two regions
// cannot both speak for one issuer's revocations.
Completion requireIssOwnedHere(store::Tx& tx, const Taken& t, const std::string& region) {
  for (const store::PeerStatusListRecord& l : t.lists) {
    const std::optional<std::string> holder = store::peerRegionHoldingIss(tx, l.iss);
    if (holder && *holder != region)
      return conflict("issuer " + l.iss + " is already held from peer region " + *holder);
  }
  return success();
}

// The pinned peer for a bundle's home region, and the bundle opened with its root.
struct OpenedPeerBundle {
  store::PeerRegionRecord peer;
  bundle::Contents contents;
};

Expected<OpenedPeerBundle> openPeerBundle(store::Tx& tx, ByteView bytes, const Config& config) {
  if (bytes.size() > bundle::kMaxBundleBytes) return badRequest("bundle", "a bundle is at most 4 MiB", "BAD_BUNDLE");
  crypto::Kid signer{};
  auto unverified = bundle::decodeUnverified(bytes, signer);
  if (!unverified) return badRequest("bundle", "not a trust bundle: " + unverified.error().detail, "BAD_BUNDLE");
  const std::string home = unverified->recognition.homeRegion;
  if (home == config.effectiveHomeRegion())
    return badRequest("bundle", "the bundle's home region " + home + " is our own", "BAD_BUNDLE");
  std::optional<store::PeerRegionRecord> peer;
  for (store::PeerRegionRecord& p : store::listPeerRegions(tx))
    if (regionMatches(p.region, home)) peer = std::move(p);
  if (!peer) return notFound("no peer region is pinned for the bundle's home region " + home + " (peer add first)");
  auto root = crypto::PublicKey::fromPem(peer->rootPublicKeyPem);
  if (!root) return internalError("the pinned root of " + peer->region + " does not read");
  auto verified = bundle::open(bytes, *root);
  if (!verified)
    return badRequest("bundle", "the bundle does not verify against the root pinned for " + peer->region + ": " +
                                    verified.error().detail,
                      "BAD_BUNDLE");
  return OpenedPeerBundle{std::move(*peer), verified->contents()};
}

}  // namespace

Completion appendPeerContents(store::Tx& tx, bundle::Contents& c) {
  for (const store::PeerIssuerRecord& i : store::allPeerIssuers(tx)) {
    auto key = crypto::PublicKey::fromPem(i.publicKeyPem);
    if (!key) return internalError("a peer issuer's stored key does not read: " + key.error().detail);
    const bool held = std::any_of(c.issuers.begin(), c.issuers.end(),
                                  [&](const bundle::IssuerEntry& e) { return e.iss == i.iss && e.key.kid() == key->kid(); });
    if (held) continue;  // imported here by hand as well: one entry is enough
    TC_ASSIGN(auto scope, scopeFromJson(json::parse(i.scope, nullptr, false), "scope"));
    c.issuers.push_back(bundle::IssuerEntry{i.iss, {i.nameZh, i.nameEn}, i.issuerRegion, *key, i.validFrom, i.validTo, scope});
  }
  for (store::PeerStatusListRecord& l : store::allPeerStatusLists(tx)) {
    if (c.statusListFor(l.iss)) continue;  // our own iss is never taken; kept safe anyway
    auto set = revocation::RevocationSet::decode(l.issued, l.codedSet);
    if (!set) return internalError("a peer status list does not decode: " + set.error().detail);
    c.revocation.push_back(bundle::StatusList{l.iss, std::move(set).value()});
  }
  return success();
}

Completion appendPeerManifest(store::Tx& tx, const std::string& outDir, nlohmann::ordered_json& issuers,
                              nlohmann::ordered_json& revoked, nlohmann::ordered_json& issued) {
  for (const store::PeerIssuerRecord& i : store::allPeerIssuers(tx)) {
    std::string file = "peer-" + i.iss + "-" + i.kid + ".pub.pem";
    for (char& ch : file)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '.') ch = '_';
    const bool held = std::any_of(issuers.begin(), issuers.end(), [&](const nlohmann::ordered_json& e) {
      return e.value("iss", "") == i.iss && e.value("public_key_file", "").find(i.kid) != std::string::npos;
    });
    if (held) continue;
    auto key = crypto::PublicKey::fromPem(i.publicKeyPem);
    if (!key) return internalError("a peer issuer's stored key does not read: " + key.error().detail);
    auto written = files::writeAtomically(outDir + "/" + file, asBytes(i.publicKeyPem));
    if (!written) return fromError(written.error());
    issuers.push_back({{"iss", i.iss},
                       {"name", {{"zh", i.nameZh}, {"en", i.nameEn}}},
                       {"region", i.issuerRegion},
                       {"alg", std::string(crypto::algName(key->alg()))},
                       {"public_key_file", file},
                       {"valid_from", dates::formatRfc3339(i.validFrom)},
                       {"valid_to", dates::formatRfc3339(i.validTo)},
                       {"scope", nlohmann::ordered_json::parse(i.scope, nullptr, false)}});
  }
  for (const store::PeerStatusListRecord& l : store::allPeerStatusLists(tx)) {
    auto set = revocation::RevocationSet::decode(l.issued, l.codedSet);
    if (!set) return internalError("a peer status list does not decode: " + set.error().detail);
    issued[l.iss] = l.issued;
    for (std::uint64_t index : set->revokedIndices()) revoked.push_back({{"iss", l.iss}, {"status_index", index}});
  }
  return success();
}

Expected<PeerRegion> Service::addPeer(const AddPeerRequest& request, const Actor& by) {
  Parts& parts = *parts_;
  TC_TRY(requireRole(by, {Role::Admin}));
  if (!isRegionPattern(request.region))
    return badRequest("region", "region: a region code (digits) or a prefix ending in '*'");
  if (regionMatches(request.region, parts.config.effectiveHomeRegion()))
    return badRequest("region", "region: covers our own home region " + parts.config.effectiveHomeRegion());
  auto root = crypto::PublicKey::fromPem(request.rootPublicKeyPem);
  if (!root) return badRequest("root_public_key_pem", "root_public_key_pem: " + root.error().detail);
  if (root->kid() == parts.rootPublic.kid()) return badRequest("root_public_key_pem", "root_public_key_pem: that is our own root");
  return parts.storage->write<PeerRegion>([&](store::Tx& tx) -> Expected<PeerRegion> {
    for (const store::PeerRegionRecord& p : store::listPeerRegions(tx))
      if (p.region == request.region) return conflict("peer region " + request.region + " is already pinned");
    store::PeerRegionRecord peer;
    peer.region = request.region;
    peer.rootPublicKeyPem = root->pem();
    peer.rootKid = toHex(root->kid());
    peer.addedAt = parts.clock.now();
    store::insertPeerRegion(tx, peer);
    store::audit::append(tx, peer.addedAt, by, "peer.add", {{"region", peer.region}, {"root_kid", peer.rootKid}});
    return fromRecord(peer);
  });
}

Expected<PeerImport> Service::importPeerBundle(ByteView bytes, const std::string& source, const Actor& by) {
  Parts& parts = *parts_;
  TC_TRY(requireRole(by, {Role::Admin}));
  const std::string sha = toHex(crypto::sha256(bytes));
  return parts.storage->write<PeerImport>([&](store::Tx& tx) -> Expected<PeerImport> {
    TC_ASSIGN(OpenedPeerBundle opened, openPeerBundle(tx, bytes, parts.config));
    store::PeerRegionRecord& peer = opened.peer;
    const bundle::Contents& c = opened.contents;
    PeerImport result{peer.region, c.version, 0, 0, 0, false};
    if (peer.bundleVersion && c.version <= *peer.bundleVersion) {
      if (c.version == *peer.bundleVersion && sha == peer.bundleSha256) {
        result.unchanged = true;
        return result;
      }
      return rollback("peer bundle version " + std::to_string(c.version) + " is not above the version held, " +
                      std::to_string(*peer.bundleVersion));
    }
    if (peer.bundleIssuedAt && c.issuedAt < *peer.bundleIssuedAt)
      return rollback("the peer bundle's issued_at is before the one held");
    const Taken taken = takeFrom(c, peer.region, parts.config.iss);
    TC_TRY(requireIssOwnedHere(tx, taken, peer.region));
    const std::int64_t at = parts.clock.now();
    peer.bundleVersion = c.version;
    peer.bundleIssuedAt = c.issuedAt;
    peer.bundleNextUpdate = c.nextUpdate;
    peer.bundleSha256 = sha;
    peer.importedAt = at;
    peer.source = source;
    store::replacePeerData(tx, peer, taken.issuers, taken.lists);
    result.issuers = taken.issuers.size();
    result.statusLists = taken.lists.size();
    result.skipped = taken.skipped;
    store::audit::append(tx, at, by, "peer.import",
                         {{"region", peer.region},
                          {"version", c.version},
                          {"issued_at", dates::formatRfc3339(c.issuedAt)},
                          {"bundle_sha256", sha},
                          {"source", source},
                          {"issuers", result.issuers},
                          {"status_lists", result.statusLists},
                          {"skipped", result.skipped}});
    store::bumpContentGeneration(tx);
    if (c.nextUpdate <= at)
      Poco::Logger::get("titlecert.issuer")
          .warning("peer bundle of " + peer.region + " is past its next_update: re-import a newer one soon");
    return result;
  });
}

Expected<std::vector<PeerRegion>> Service::peers() const {
  using Peers = std::vector<PeerRegion>;
  return parts_->storage->read<Peers>("peers", [&](store::Tx& tx) -> Expected<Peers> {
    Peers out;
    for (const store::PeerRegionRecord& r : store::listPeerRegions(tx)) out.push_back(fromRecord(r));
    return out;
  });
}

}  // namespace titlecert::issuer
