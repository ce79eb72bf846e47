// The trust bundle the service publishes (GET /v1/bundle), loads (a bundle
// signed offline) and describes (export-manifest).
//
// The content hash is SHA-256 over the deterministic CBOR of the contents
// with version, issued_at and next_update set to 0: two bundles with the
// same issuers, catalogue, policy and revocations have the same hash, and a
// new version is signed only when it changes or next_update draws near.
#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>

#include "integrity.h"
#include "parts.h"
#include "keys.h"
#include "peer_contents.h"
#include "store/audit_chain.h"
#include "store/records.h"
#include "titlecert/bundle.h"
#include "titlecert/cbor.h"
#include "titlecert/dates.h"
#include "titlecert/files.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;

struct KeyEntryRow {
  bundle::IssuerEntry entry;
  json scope;
  std::string kid;
};

Expected<std::vector<KeyEntryRow>> trustedKeys(store::Tx& tx) {
  std::vector<KeyEntryRow> out;
  for (const store::KeyRecord& k : store::listKeys(tx, true)) {
    auto key = crypto::PublicKey::fromPem(k.publicKeyPem);
    if (!key) return internalError("a stored public key does not read: " + key.error().detail);
    json scopeJson = json::parse(k.scope, nullptr, false);
    TC_ASSIGN(auto scope, scopeFromJson(scopeJson, "scope"));
    out.push_back({bundle::IssuerEntry{k.iss, {k.nameZh, k.nameEn}, k.region, *key, k.validFrom, k.validTo, scope},
                   scopeJson, k.kid});
  }
  return out;
}

// The issuer's own status list: every revoked index, over the indices
// handed out so far rounded up to a step, so that the bundle changes only
// when a revocation is made or a step is crossed, and credentials issued
// after it up to the step still have a status. nullopt when nothing was
// revoked.
Expected<std::optional<bundle::StatusList>> revocations(store::Tx& tx, const std::string& iss) {
  std::vector<std::uint64_t> revoked;
  for (const store::RevokedCertificate& r : store::revokedCertificates(tx, iss)) revoked.push_back(r.statusIndex);
  if (revoked.empty()) return std::optional<bundle::StatusList>{};
  store::Counters counters(tx);
  const std::uint64_t handedOut = counters.peek("status:" + iss, 0);
  auto list = bundle::makeStatusList(iss, bundle::issuedCovering(std::max(handedOut, revoked.back() + 1) - 1), revoked);
  if (!list) return internalError(list.error().detail);
  return std::optional<bundle::StatusList>(std::move(list).value());
}

// What the bundle should hold when (version and times left at 0).
Expected<bundle::Contents> desiredContents(const Config& config, const catalogue::Catalogue& catalogue, store::Tx& tx) {
  bundle::Contents c;
  TC_ASSIGN(auto keys, trustedKeys(tx));
  for (auto& k : keys) c.issuers.push_back(std::move(k.entry));
  c.catalogue = catalogue;
  c.recognition.homeRegion = config.effectiveHomeRegion();
  c.recognition.acceptRegions = config.acceptRegions;
  TC_ASSIGN(auto own, revocations(tx, config.iss));
  if (own) c.revocation.push_back(std::move(*own));
  TC_TRY(appendPeerContents(tx, c));
  return c;
}

std::string contentHash(bundle::Contents c) {
  c.version = 0;
  c.issuedAt = 0;
  c.nextUpdate = 0;
  c.auditHead.reset();
  return toHex(crypto::sha256(cbor::encode(bundle::toCbor(c))));
}

using store::StoredBundle;

// A file name from an iss (printable ASCII, which may hold '/').
std::string fileSafe(const std::string& text) {
  std::string out = text;
  for (char& ch : out)
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
      ch = '_';
  return out;
}

std::int64_t refreshMargin(const Config& c) { return static_cast<std::int64_t>(c.bundleRefreshHours) * 3600; }

// The newest stored bundle while its content is current and next_update
// is not near; else a new version signed with the root key and stored (or,
// with the root key offline, the newest one still).
Expected<StoredBundle> latestOrSigned(store::Tx& tx, const Config& config, const catalogue::Catalogue& catalogue,
                                      const std::optional<crypto::PrivateKey>& root, std::int64_t t) {
  TC_ASSIGN(auto contents, desiredContents(config, catalogue, tx));
  const std::string hash = contentHash(contents);
  std::optional<StoredBundle> latest = store::latestBundle(tx);
  if (latest && latest->hash == hash && t < latest->nextUpdate - refreshMargin(config)) return *latest;
  if (!root) {
    if (latest) {
      Poco::Logger::get("titlecert.issuer")
          .warning("the bundle's content changed or next_update is near, but the root key is offline: serving version " +
                   std::to_string(latest->version) + " until a new one is loaded");
      return *latest;
    }
    return unavailable("no bundle yet: the root key is offline; load a bundle signed offline (load-bundle)");
  }
  TC_TRY(requireStateAgrees(tx, "sign a bundle"));
  // Whoever holds this bundle can later check the history up to here
  // (`audit verify --against`); left out of the content hash.
  contents.auditHead = currentAuditHead(tx);
  contents.version = (latest ? latest->version : 0) + 1;
  // Never before the previous bundle's issued_at (a clock set back):
  // verifiers take the newer issued_at as the newer bundle.
  contents.issuedAt = latest ? std::max(t, latest->issuedAt) : t;
  contents.nextUpdate = contents.issuedAt + static_cast<std::int64_t>(config.bundleNextUpdateDays) * 86400;
  auto bytes = bundle::sign(contents, *root);
  if (!bytes) return fromError(bytes.error());
  StoredBundle made{contents.version, contents.nextUpdate, hash, std::move(*bytes), contents.issuedAt};
  store::storeBundle(tx, made, contents.issuedAt, "signed", t);
  store::audit::append(tx, t, localOperator(), "bundle.publish",
                       {{"version", contents.version}, {"content_hash", hash}, {"next_update", dates::formatRfc3339(contents.nextUpdate)}});
  Poco::Logger::get("titlecert.issuer").notice("trust bundle version " + std::to_string(contents.version) + " signed");
  return made;
}

}  // namespace

Expected<Bytes> Service::bundle() {
  Parts& parts = *parts_;
  const std::int64_t t = parts.clock.now();
  auto generation = [&] {
    return parts.storage->read<std::uint64_t>("bundle", [](store::Tx& tx) -> Expected<std::uint64_t> {
      return store::contentGeneration(tx);
    });
  };
  // Runs on the cache's refresh thread: the parts outlive it, `t` is copied.
  auto make = [&parts, t](const std::function<void()>& writeLockTaken) {
    return parts.storage->write<StoredBundle>([&](store::Tx& tx) {
      writeLockTaken();
      return latestOrSigned(tx, parts.config, parts.catalogue, parts.root, t);
    });
  };
  return parts.bundleCache.serve(generation, t, refreshMargin(parts.config), make);
}

Expected<std::uint64_t> Service::loadBundle(ByteView bytes, const Actor& by) {
  Parts& parts = *parts_;
  TC_TRY(requireRole(by, {Role::Admin}));
  auto verified = bundle::open(bytes, parts.rootPublic);
  if (!verified) return badRequest("bundle", "the bundle does not verify against root.pub.pem: " + verified.error().detail, "BAD_BUNDLE");
  const bundle::Contents& c = verified->contents();
  const std::string hash = contentHash(c);
  const StoredBundle loaded{c.version, c.nextUpdate, hash, Bytes(bytes.begin(), bytes.end()), c.issuedAt};
  auto r = parts.storage->write<std::uint64_t>([&](store::Tx& tx) -> Expected<std::uint64_t> {
    std::optional<StoredBundle> latest = store::latestBundle(tx);
    if (latest && c.version <= latest->version)
      return Problem{ProblemKind::Conflict, "BUNDLE_ROLLBACK",
                     "bundle version " + std::to_string(c.version) + " is not above the current version " +
                         std::to_string(latest->version),
                     "version", {}};
    if (latest && c.issuedAt < latest->issuedAt)
      return Problem{ProblemKind::Conflict, "BUNDLE_ROLLBACK", "the bundle's issued_at is before the current bundle's", "issued_at", {}};
    const std::int64_t t = parts.clock.now();
    store::storeBundle(tx, loaded, c.issuedAt, "loaded", t);
    store::audit::append(tx, t, by, "bundle.load", {{"version", c.version}, {"content_hash", hash}});
    store::bumpContentGeneration(tx);
    return c.version;
  });
  return r;
}

Completion Service::exportManifest(const std::string& outDir) {
  Parts& parts = *parts_;
  return parts.storage->read<Done>("export manifest", [&](store::Tx& tx) -> Completion {
    std::error_code ec;
    std::filesystem::create_directories(outDir, ec);
    if (ec) return internalError("cannot create " + outDir + ": " + ec.message());
    TC_TRY(requireStateAgrees(tx, "export a manifest"));
    TC_ASSIGN(auto keys, trustedKeys(tx));
    std::optional<StoredBundle> latest = store::latestBundle(tx);
    const std::int64_t t = parts.clock.now();
    nlohmann::ordered_json m;
    m["version"] = (latest ? latest->version : 0) + 1;
    m["issued_at"] = dates::formatRfc3339(t);
    m["next_update"] = dates::formatRfc3339(t + static_cast<std::int64_t>(parts.config.bundleNextUpdateDays) * 86400);
    if (parts.config.cataloguePath == "default") {
      m["catalogue"] = "default";
    } else {
      std::filesystem::copy_file(parts.config.cataloguePath, outDir + "/catalogue.json",
                                 std::filesystem::copy_options::overwrite_existing, ec);
      if (ec) return internalError("cannot copy the catalogue: " + ec.message());
      m["catalogue"] = "catalogue.json";
    }
    nlohmann::ordered_json issuers = nlohmann::ordered_json::array();
    for (const auto& k : keys) {
      const std::string file = fileSafe(k.entry.iss) + "-" + k.kid + ".pub.pem";
      auto written = files::writeAtomically(outDir + "/" + file, asBytes(k.entry.key.pem()));
      if (!written) return fromError(written.error());
      issuers.push_back({{"iss", k.entry.iss},
                         {"name", {{"zh", k.entry.name.zh}, {"en", k.entry.name.en}}},
                         {"region", k.entry.region},
                         {"alg", std::string(crypto::algName(k.entry.key.alg()))},
                         {"public_key_file", file},
                         {"valid_from", dates::formatRfc3339(k.entry.validFrom)},
                         {"valid_to", dates::formatRfc3339(k.entry.validTo)},
                         {"scope", k.scope}});
    }
    nlohmann::ordered_json revoked = nlohmann::ordered_json::array(), issued = nlohmann::ordered_json::object();
    TC_TRY(appendPeerManifest(tx, outDir, issuers, revoked, issued));
    m["issuers"] = issuers;
    m["recognition"] = {{"home_region", parts.config.effectiveHomeRegion()}, {"accept_regions", parts.config.acceptRegions}};
    for (const store::RevokedCertificate& r : store::revokedCertificates(tx, parts.config.iss))
      revoked.push_back({{"iss", parts.config.iss}, {"status_index", r.statusIndex}, {"cert_no", r.certNo}});
    m["revoked"] = revoked;
    if (!issued.empty()) m["issued"] = issued;
    if (const std::optional<bundle::AuditHead> head = currentAuditHead(tx))
      m["audit_head"] = {{"seq", head->seq}, {"hash", toHex(head->hash)}};
    auto written = files::writeAtomically(outDir + "/manifest.json", asBytes(m.dump(2) + "\n"));
    if (!written) return fromError(written.error());
    return success();
  });
}

}  // namespace titlecert::issuer
