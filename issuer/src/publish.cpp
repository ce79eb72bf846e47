// The trust bundle the service publishes (GET /v1/bundle), loads (a bundle
// signed offline) and describes (export-manifest).
//
// The content hash is SHA-256 over the deterministic CBOR of the contents
// with version, issued_at and next_update set to 0: two bundles with the
// same issuers, catalogue, policy and revocations have the same hash, and a
// new version is signed only when it changes or next_update draws near.
#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>
#include <Poco/Nullable.h>

#include <filesystem>

#include "audit.h"
#include "core.h"
#include "keys.h"
#include "titlecert/bundle.h"
#include "titlecert/cbor.h"
#include "titlecert/dates.h"
#include "titlecert/files.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer {
namespace {

using nlohmann::json;

struct KeyEntryRow {
  bundle::IssuerEntry entry;
  json scope;
  std::string kid;
};

Expected<std::vector<KeyEntryRow>> trustedKeys(Poco::Data::Session& s) {
  Poco::Data::Statement select(s);
  select << "SELECT iss, kid, name_zh, name_en, region, public_key_pem, valid_from, valid_to, scope FROM issuer_keys"
            " WHERE state <> 'compromised' ORDER BY id", now;
  Poco::Data::RecordSet rs(select);
  std::vector<KeyEntryRow> out;
  for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
    auto key = crypto::PublicKey::fromPem(rs["public_key_pem"].convert<std::string>());
    if (!key) return internalError("a stored public key does not read: " + key.error().detail);
    json scopeJson = json::parse(rs["scope"].convert<std::string>(), nullptr, false);
    TC_ASSIGN(auto scope, scopeFromJson(scopeJson, "scope"));
    out.push_back({bundle::IssuerEntry{rs["iss"].convert<std::string>(),
                                       {rs["name_zh"].convert<std::string>(), rs["name_en"].convert<std::string>()},
                                       rs["region"].convert<std::string>(),
                                       *key,
                                       rs["valid_from"].convert<Poco::Int64>(),
                                       rs["valid_to"].convert<Poco::Int64>(),
                                       scope},
                   scopeJson, rs["kid"].convert<std::string>()});
  }
  return out;
}

bundle::StatusList revocations(Poco::Data::Session& s, const std::string& iss) {
  std::string i = iss;
  std::vector<Poco::Int64> indexes;
  std::vector<std::string> numbers;
  s << sql(s, "SELECT status_index, cert_no FROM certificates WHERE iss = ? AND revoked_at IS NOT NULL ORDER BY status_index"),
      use(i), into(indexes), into(numbers), now;
  bundle::StatusList list{iss, {}, {}};
  for (std::size_t k = 0; k < indexes.size(); ++k) list.revoke(static_cast<std::uint64_t>(indexes[k]), numbers[k]);
  return list;
}

// What the bundle should hold when (version and times left at 0).
Expected<bundle::Contents> desiredContents(const Service::Core& core, Poco::Data::Session& s) {
  bundle::Contents c;
  TC_ASSIGN(auto keys, trustedKeys(s));
  for (auto& k : keys) c.issuers.push_back(std::move(k.entry));
  c.catalogue = core.catalogue;
  c.recognition.homeRegion = core.config.effectiveHomeRegion();
  c.recognition.acceptRegions = core.config.acceptRegions;
  bundle::StatusList own = revocations(s, core.config.iss);
  if (!own.bits.empty()) c.revocation.push_back(std::move(own));
  return c;
}

std::string contentHash(bundle::Contents c) {
  c.version = 0;
  c.issuedAt = 0;
  c.nextUpdate = 0;
  return toHex(crypto::sha256(cbor::encode(bundle::toCbor(c))));
}

struct StoredBundle {
  std::uint64_t version = 0;
  std::int64_t nextUpdate = 0;
  std::string hash;
  Bytes bytes;
};

std::optional<StoredBundle> latestBundle(Poco::Data::Session& s) {
  std::vector<Poco::Int64> versions, nextUpdates;
  std::vector<std::string> hashes;
  std::vector<Poco::Data::BLOB> blobs;
  s << "SELECT version, next_update, content_hash, bytes FROM bundles ORDER BY version DESC LIMIT 1", into(versions),
      into(nextUpdates), into(hashes), into(blobs), now;
  if (versions.empty()) return std::nullopt;
  const auto& b = blobs[0];
  return StoredBundle{static_cast<std::uint64_t>(versions[0]), nextUpdates[0], hashes[0],
                      Bytes(b.rawContent(), b.rawContent() + b.size())};
}

void storeBundle(Poco::Data::Session& s, std::uint64_t version, std::int64_t issuedAt, std::int64_t nextUpdate,
                 const std::string& hash, const std::string& origin, const Bytes& bytes, std::int64_t when) {
  Poco::Int64 v = static_cast<Poco::Int64>(version), ia = issuedAt, nu = nextUpdate, at = when;
  std::string h = hash, o = origin;
  Poco::Data::BLOB blob(bytes.data(), bytes.size());
  s << sql(s, "INSERT INTO bundles (version, issued_at, next_update, content_hash, origin, bytes, created_at)"
       " VALUES (?, ?, ?, ?, ?, ?, ?)"),
      use(v), use(ia), use(nu), use(h), use(o), use(blob), use(at), now;
}

// A file name from an iss (printable ASCII, which may hold '/').
std::string fileSafe(const std::string& text) {
  std::string out = text;
  for (char& ch : out)
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
      ch = '_';
  return out;
}

std::int64_t refreshMargin(const Config& c) { return static_cast<std::int64_t>(c.bundleRefreshHours) * 3600; }

}  // namespace

Expected<Bytes> Service::bundle() {
  Core& core = *core_;
  std::lock_guard<std::mutex> lock(core.bundleMutex);
  TC_ASSIGN(const std::uint64_t generation, guarded<std::uint64_t>("bundle", [&]() -> Expected<std::uint64_t> {
              Poco::Data::Session s = core.db->reader();
              return contentGeneration(s);
            }));
  const std::int64_t t = core.now();
  if (core.cachedGeneration == generation && !core.cachedBytes.empty() &&
      t < core.cachedNextUpdate - refreshMargin(core.config))
    return core.cachedBytes;
  auto fresh = core.db->write<StoredBundle>([&](Poco::Data::Session& s) -> Expected<StoredBundle> {
    TC_ASSIGN(auto contents, desiredContents(core, s));
    const std::string hash = contentHash(contents);
    std::optional<StoredBundle> latest = latestBundle(s);
    if (latest && latest->hash == hash && t < latest->nextUpdate - refreshMargin(core.config)) return *latest;
    if (!core.root) {
      if (latest) {
        Poco::Logger::get("titlecert.issuer")
            .warning("the bundle's content changed or next_update is near, but the root key is offline: serving version " +
                     std::to_string(latest->version) + " until a new one is loaded");
        return *latest;
      }
      return unavailable("no bundle yet: the root key is offline; load a bundle signed offline (load-bundle)");
    }
    contents.version = (latest ? latest->version : 0) + 1;
    contents.issuedAt = t;
    contents.nextUpdate = t + static_cast<std::int64_t>(core.config.bundleNextUpdateDays) * 86400;
    auto bytes = bundle::sign(contents, *core.root);
    if (!bytes) return fromError(bytes.error());
    storeBundle(s, contents.version, contents.issuedAt, contents.nextUpdate, hash, "signed", *bytes, t);
    audit::append(s, t, localOperator(), "bundle.publish",
                  {{"version", contents.version}, {"content_hash", hash}, {"next_update", dates::formatRfc3339(contents.nextUpdate)}});
    Poco::Logger::get("titlecert.issuer").notice("trust bundle version " + std::to_string(contents.version) + " signed");
    return StoredBundle{contents.version, contents.nextUpdate, hash, std::move(*bytes)};
  });
  if (!fresh) return fresh.error();
  core.cachedGeneration = generation;
  core.cachedHash = fresh->hash;
  core.cachedBytes = fresh->bytes;
  core.cachedNextUpdate = fresh->nextUpdate;
  return core.cachedBytes;
}

Expected<std::uint64_t> Service::loadBundle(ByteView bytes, const Actor& by) {
  Core& core = *core_;
  TC_TRY(requireRole(by, {Role::Admin}));
  auto verified = bundle::open(bytes, *core.rootPublic);
  if (!verified) return badRequest("bundle", "the bundle does not verify against root.pub.pem: " + verified.error().detail, "BAD_BUNDLE");
  const bundle::Contents& c = verified->contents();
  const std::string hash = contentHash(c);
  Bytes copy(bytes.begin(), bytes.end());
  auto r = core.db->write<std::uint64_t>([&](Poco::Data::Session& s) -> Expected<std::uint64_t> {
    std::optional<StoredBundle> latest = latestBundle(s);
    if (latest && c.version <= latest->version)
      return Problem{409, "BUNDLE_ROLLBACK",
                     "bundle version " + std::to_string(c.version) + " is not above the current version " +
                         std::to_string(latest->version),
                     "version", {}};
    const std::int64_t t = core.now();
    storeBundle(s, c.version, c.issuedAt, c.nextUpdate, hash, "loaded", copy, t);
    audit::append(s, t, by, "bundle.load", {{"version", c.version}, {"content_hash", hash}});
    bumpContentGeneration(s);
    return c.version;
  });
  return r;
}

Outcome Service::exportManifest(const std::string& outDir) {
  Core& core = *core_;
  return guarded<Done>("export manifest", [&]() -> Outcome {
    std::error_code ec;
    std::filesystem::create_directories(outDir, ec);
    if (ec) return internalError("cannot create " + outDir + ": " + ec.message());
    Poco::Data::Session s = core.db->reader();
    TC_ASSIGN(auto keys, trustedKeys(s));
    std::optional<StoredBundle> latest = latestBundle(s);
    const std::int64_t t = core.now();
    nlohmann::ordered_json m;
    m["version"] = (latest ? latest->version : 0) + 1;
    m["issued_at"] = dates::formatRfc3339(t);
    m["next_update"] = dates::formatRfc3339(t + static_cast<std::int64_t>(core.config.bundleNextUpdateDays) * 86400);
    if (core.config.cataloguePath == "default") {
      m["catalogue"] = "default";
    } else {
      std::filesystem::copy_file(core.config.cataloguePath, outDir + "/catalogue.json",
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
    m["issuers"] = issuers;
    m["recognition"] = {{"home_region", core.config.effectiveHomeRegion()}, {"accept_regions", core.config.acceptRegions}};
    nlohmann::ordered_json revoked = nlohmann::ordered_json::array();
    const bundle::StatusList own = revocations(s, core.config.iss);
    for (const auto& n : own.notes)
      revoked.push_back({{"iss", core.config.iss}, {"status_index", n.statusIndex}, {"cert_no", n.certNo}});
    m["revoked"] = revoked;
    auto written = files::writeAtomically(outDir + "/manifest.json", asBytes(m.dump(2) + "\n"));
    if (!written) return fromError(written.error());
    return success();
  });
}

}  // namespace titlecert::issuer
