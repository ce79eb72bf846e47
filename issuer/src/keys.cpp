#include "keys.h"

#include <Poco/Logger.h>

#include "parts.h"
#include "audit_replay.h"
#include "store/audit_chain.h"
#include "store/records.h"
#include "titlecert/bundle_manifest.h"
#include "titlecert/cbor.h"
#include "titlecert/dates.h"
#include "titlecert/zc1.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;

// A new key's window: from when for issuer.key_validity_days.
std::int64_t validityEnd(const Config& config, std::int64_t from) {
  return from + static_cast<std::int64_t>(config.keyValidityDays) * 86400;
}

// Re-signs one stored credential with `key`, keeping its number, status
// index and binding; the old payload is kept as superseded.
// The claims re-signed with `key` (iat now; number and index unchanged).
struct Resigned {
  Bytes claims;
  std::string payload;
  std::uint64_t statusIndex;
};

Resigned resign(const std::string& certNo, ByteView storedClaims, const OwnKey& key, std::int64_t when) {
  auto value = cbor::decode(storedClaims, cbor::zc1Profile());
  if (!value) throw std::runtime_error("stored claims of " + certNo + " do not decode");
  auto credential = zc1::decodeClaims(*value);
  if (!credential) throw std::runtime_error("stored claims of " + certNo + " do not read: " + credential.error().detail);
  zc1::Credential c = *credential;
  c.iat = static_cast<std::uint64_t>(when);
  auto claims = zc1::encodeClaims(c);
  auto payload = claims ? zc1::issueClaims(*claims, key.key) : Result<std::string>(claims.error());
  if (!claims || !payload) throw std::runtime_error("re-signing " + certNo + " failed");
  return {std::move(*claims), std::move(*payload), c.statusIndex};
}

// Every credential the compromised key signed, re-signed with `key`: the
// old payloads kept as superseded, and an audit entry each, in
// the caller's transaction and its audit chain.
std::size_t resignAll(store::Tx& tx, store::audit::ChainWriter& chain, std::int64_t compromisedId, const OwnKey& key,
                      std::int64_t when, const Actor& by) {
  std::vector<store::SignedCertificate> signedByIt = store::certificatesSignedBy(tx, compromisedId);
  std::vector<store::SupersededPayload> superseded;
  superseded.reserve(signedByIt.size());
  for (const store::SignedCertificate& old : signedByIt) {
    Resigned r = resign(old.certNo, old.claims, key, when);
    superseded.push_back({old.certNo, old.payload, compromisedId, when, "key compromised"});
    store::replaceSignature(tx, old.certNo, r.payload, r.claims, key.id, when);
    chain.append(when, by, "certificate.resign",
                 {{"cert_no", old.certNo},
                  {"status_index", r.statusIndex},
                  {"kid", key.kidHex},
                  {"payload_sha256", toHex(crypto::sha256(asBytes(r.payload)))}});
  }
  store::keepSupersededPayloads(tx, superseded);
  return signedByIt.size();
}

}  // namespace

json everythingScope() {
  return {{"types", {"title", "qualification"}}, {"series", "*"}, {"specialties", "*"}, {"max_level", 5},
          {"qualifications", "*"}};
}

Expected<bundle::Scope> scopeFromJson(const json& scope, const std::string& path) {
  auto s = bundle::scopeFromJson(scope.dump(), path, Code::INVALID_ARGUMENT);
  if (!s) return fromError(s.error());
  return std::move(s).value();
}

std::int64_t insertOwnKey(store::Tx& tx, const Config& config, const crypto::PrivateKey& key,
                          const std::string& encryptedPem, std::int64_t validFrom, std::int64_t validTo,
                          std::int64_t when) {
  store::KeyRecord k;
  k.iss = config.iss;
  k.kid = toHex(key.publicKey().kid());
  k.alg = std::string(crypto::algName(key.alg()));
  k.publicKeyPem = key.publicKey().pem();
  k.privateKeyPem = encryptedPem;
  k.nameZh = config.nameZh;
  k.nameEn = config.nameEn;
  k.region = config.region;
  k.validFrom = validFrom;
  k.validTo = validTo;
  k.scope = everythingScope().dump();
  k.state = "active";
  k.createdAt = when;
  return store::insertKey(tx, k);
}

// A fresh signing key stored (encrypted) as the active one, in the caller's
// transaction.
static OwnKey storeNewKey(store::Tx& tx, const Config& config, const NewKey& fresh, std::int64_t when) {
  const std::int64_t id = insertOwnKey(tx, config, fresh.key, fresh.encryptedPem, when, validityEnd(config, when), when);
  return OwnKey{id, fresh.key, toHex(fresh.key.publicKey().kid()), when};
}

Expected<KeyChange> Service::rotateKey(std::optional<crypto::Alg> alg, const Actor& by) {
  Parts& parts = *parts_;
  TC_TRY(requireRole(by, {Role::Admin}));
  TC_ASSIGN(NewKey fresh, parts.keys.generate(alg.value_or(parts.keys.activeAlg())));
  std::optional<OwnKey> installed;
  auto r = parts.storage->write<KeyChange>(
      [&](store::Tx& tx) -> Expected<KeyChange> {
        parts.keys.refresh(tx);
        const std::int64_t when = parts.clock.now();
        KeyChange change;
        if (const std::optional<OwnKey> current = parts.keys.active()) {
          // With the clock behind the active key's not-before the old
          // key's window would end before it starts.
          if (when < current->validFrom)
            return unavailable("the clock (" + dates::formatRfc3339(when) + ") is before the signing key's valid_from (" +
                               dates::formatRfc3339(current->validFrom) + "): fix the clock");
          // +1: what the old key signed in this very second stays inside its window.
          store::retireActiveKey(tx, current->id, when + 1, when);
          change.retiredKid = current->kidHex;
        }
        installed = storeNewKey(tx, parts.config, fresh, when);
        change.kid = installed->kidHex;
        change.alg = std::string(crypto::algName(fresh.key.alg()));
        json details = storedKeyFacts(tx, parts.config.iss, change.kid);
        details["retired_kid"] = change.retiredKid;
        if (!change.retiredKid.empty()) details["retired_valid_to"] = when + 1;
        store::audit::append(tx, when, by, "key.rotate", details);
        store::bumpContentGeneration(tx);
        return change;
      },
      [&](const KeyChange&) { parts.keys.install(installed); });
  if (r.ok()) {
    Poco::Logger::get("titlecert.issuer").notice("signing key rotated: new kid " + r->kid + ", retired " + r->retiredKid);
  }
  return r;
}

Expected<KeyChange> Service::keyCompromised(std::string_view kidHex, const std::optional<std::string>& givenReason,
                                            const Actor& by) {
  Parts& parts = *parts_;
  TC_TRY(requireRole(by, {Role::Admin}));
  if (givenReason && givenReason->size() > 500) return badRequest("reason", "reason: a text of at most 500 bytes");
  const std::string reason = givenReason.value_or("key compromised");
  const std::string kid(kidHex);
  // A replacement is made in case the compromised key is the active one.
  TC_ASSIGN(NewKey fresh, parts.keys.generate(parts.keys.activeAlg()));
  std::optional<OwnKey> installed;
  auto r = parts.storage->write<KeyChange>(
      [&](store::Tx& tx) -> Expected<KeyChange> {
        parts.keys.refresh(tx);
        const std::int64_t when = parts.clock.now();
        auto row = store::findKey(tx, parts.config.iss, kid);
        if (!row) return notFound("no signing key " + kid + " of " + parts.config.iss);
        if (row->state == "compromised") return conflict("key " + kid + " is already marked compromised");
        store::markKeyCompromised(tx, row->id, when);
        KeyChange change;
        change.retiredKid = kid;
        installed = parts.keys.active();
        const bool madeNewKey = row->state == "active" || !installed;
        if (madeNewKey) installed = storeNewKey(tx, parts.config, fresh, when);
        change.kid = installed->kidHex;
        change.alg = std::string(crypto::algName(installed->key.alg()));
        store::audit::ChainWriter chain(tx);
        change.resigned = resignAll(tx, chain, row->id, *installed, when, by);
        json details = {{"kid", kid}, {"reason", reason}, {"new_kid", change.kid}, {"resigned", change.resigned}};
        if (madeNewKey) details["new_key"] = storedKeyFacts(tx, parts.config.iss, change.kid);
        chain.append(when, by, "key.compromised", details);
        chain.finish();
        store::bumpContentGeneration(tx);
        return change;
      },
      [&](const KeyChange&) { parts.keys.install(installed); });
  if (r.ok()) {
    Poco::Logger::get("titlecert.issuer")
        .warning("key " + kid + " marked compromised; " + std::to_string(r->resigned) + " credential(s) re-signed with " + r->kid);
  }
  return r;
}

Expected<ImportedIssuer> Service::importIssuer(const ImportIssuerRequest& request, const Actor& by) {
  Parts& parts = *parts_;
  TC_TRY(requireRole(by, {Role::Admin}));
  const std::string& iss = request.iss;
  if (!isPrintableAscii(iss)) return badRequest("iss", "iss: printable ASCII");
  if (iss == parts.config.iss) return badRequest("iss", "iss: our own iss gets keys through /v1/keys/rotate");
  const std::string& region = request.region;
  if (region.find_first_not_of("0123456789") != std::string::npos) return badRequest("region", "region: digits");
  auto key = crypto::PublicKey::fromPem(request.publicKeyPem);
  if (!key) return badRequest("public_key_pem", "public_key_pem: " + key.error().detail);
  if (request.alg && *request.alg != key->alg()) return badRequest("alg", "alg: does not match the key");
  const catalogue::Names name = request.name.value_or(catalogue::Names{iss, iss});
  if (!isValidUtf8(name.zh) || !isValidUtf8(name.en) || name.zh.size() > 200 || name.en.size() > 200)
    return badRequest("name", "name: UTF-8 texts of at most 200 bytes");
  if (request.validTo <= request.validFrom)
    return badRequest("valid_to", "valid_to: an RFC 3339 UTC time after valid_from");
  const std::string scope = bundle::scopeToJson(request.scope);
  const std::string kid = toHex(key->kid());
  const std::string algName(crypto::algName(key->alg()));
  return parts.storage->write<ImportedIssuer>([&](store::Tx& tx) -> Expected<ImportedIssuer> {
    if (store::findKey(tx, iss, kid)) return conflict("issuer " + iss + " already has the key " + kid);
    const std::int64_t at = parts.clock.now();
    store::KeyRecord imported;
    imported.iss = iss;
    imported.kid = kid;
    imported.alg = algName;
    imported.publicKeyPem = key->pem();
    imported.nameZh = name.zh;
    imported.nameEn = name.en;
    imported.region = region;
    imported.validFrom = request.validFrom;
    imported.validTo = request.validTo;
    imported.scope = scope;
    imported.state = "imported";
    imported.createdAt = at;
    store::insertKey(tx, imported);
    store::audit::append(tx, at, by, "issuer.import", storedKeyFacts(tx, iss, kid));
    store::bumpContentGeneration(tx);
    return ImportedIssuer{iss, kid, algName, region};
  });
}

Expected<std::vector<IssuerKey>> Service::issuers() const {
  using Keys = std::vector<IssuerKey>;
  return parts_->storage->read<Keys>("issuers", [&](store::Tx& tx) -> Expected<Keys> {
    Keys out;
    for (store::KeyRecord& k : store::listKeys(tx, false))
      out.push_back(IssuerKey{std::move(k.iss), std::move(k.kid), std::move(k.alg), std::move(k.region),
                              std::move(k.nameZh), std::move(k.nameEn), k.validFrom, k.validTo, std::move(k.scope),
                              std::move(k.state), std::move(k.publicKeyPem)});
    return out;
  });
}

}  // namespace titlecert::issuer
