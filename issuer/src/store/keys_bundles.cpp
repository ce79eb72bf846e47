// Issuer keys (ours, encrypted, and imported ones) and the signed bundles.
#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include "database.h"
#include "records.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer::store {

std::int64_t insertKey(Tx& tx, const KeyRecord& k) {
  Poco::Data::Session& s = tx.session();
  std::string iss = k.iss, kid = k.kid, alg = k.alg, pub = k.publicKeyPem, zh = k.nameZh, en = k.nameEn;
  std::string region = k.region, scope = k.scope, state = k.state;
  Poco::Nullable<std::string> priv;
  if (k.privateKeyPem) priv = *k.privateKeyPem;
  Poco::Int64 from = k.validFrom, to = k.validTo, at = k.createdAt;
  s << sql(s, "INSERT INTO issuer_keys (iss, kid, alg, public_key_pem, private_key_pem, name_zh, name_en, region, valid_from,"
              " valid_to, scope, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      use(iss), use(kid), use(alg), use(pub), use(priv), use(zh), use(en), use(region), use(from), use(to), use(scope),
      use(state), use(at), now;
  Poco::Int64 id = 0;
  s << sql(s, "SELECT id FROM issuer_keys WHERE iss = ? AND kid = ?"), use(iss), use(kid), into(id), now;
  return id;
}

std::optional<KeyRecord> activeKey(Tx& tx, const std::string& iss) {
  Poco::Data::Session& s = tx.session();
  std::string i = iss;
  Poco::Nullable<Poco::Int64> id;
  Poco::Nullable<std::string> pem;
  s << sql(s, "SELECT id, private_key_pem FROM issuer_keys WHERE iss = ? AND state = 'active'"), use(i), into(id),
      into(pem), now;
  if (id.isNull() || pem.isNull()) return std::nullopt;
  KeyRecord k;
  k.id = id.value();
  k.iss = iss;
  k.privateKeyPem = pem.value();
  k.state = "active";
  return k;
}

std::optional<KeyRecord> findKey(Tx& tx, const std::string& iss, const std::string& kid) {
  Poco::Data::Session& s = tx.session();
  std::string i = iss, k = kid;
  Poco::Nullable<Poco::Int64> id;
  std::string alg, state;
  s << sql(s, "SELECT id, alg, state FROM issuer_keys WHERE iss = ? AND kid = ?"), use(i), use(k), into(id), into(alg),
      into(state), now;
  if (id.isNull()) return std::nullopt;
  KeyRecord r;
  r.id = id.value();
  r.iss = iss;
  r.kid = kid;
  r.alg = alg;
  r.state = state;
  return r;
}

void retireActiveKey(Tx& tx, std::int64_t keyId, std::int64_t closeAt, std::int64_t when) {
  Poco::Data::Session& s = tx.session();
  Poco::Int64 id = keyId, to = closeAt, at = when;
  s << sql(s, "UPDATE issuer_keys SET state = 'retired', valid_to = ?, closed_at = ? WHERE id = ? AND state = 'active'"),
      use(to), use(at), use(id), now;
}

void markKeyCompromised(Tx& tx, std::int64_t keyId, std::int64_t when) {
  Poco::Data::Session& s = tx.session();
  Poco::Int64 id = keyId, at = when;
  s << sql(s, "UPDATE issuer_keys SET state = 'compromised', closed_at = ? WHERE id = ?"), use(at), use(id), now;
}

std::vector<KeyRecord> listKeys(Tx& tx, bool trustedOnly) {
  Poco::Data::Statement select(tx.session());
  select << std::string("SELECT id, iss, kid, alg, region, name_zh, name_en, valid_from, valid_to, scope, state, public_key_pem,"
                        " created_at FROM issuer_keys") +
                (trustedOnly ? " WHERE state <> 'compromised'" : "") + " ORDER BY id",
      now;
  Poco::Data::RecordSet rs(select);
  std::vector<KeyRecord> out;
  for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
    KeyRecord k;
    k.id = rs["id"].convert<Poco::Int64>();
    k.iss = rs["iss"].convert<std::string>();
    k.kid = rs["kid"].convert<std::string>();
    k.alg = rs["alg"].convert<std::string>();
    k.region = rs["region"].convert<std::string>();
    k.nameZh = rs["name_zh"].convert<std::string>();
    k.nameEn = rs["name_en"].convert<std::string>();
    k.validFrom = rs["valid_from"].convert<Poco::Int64>();
    k.validTo = rs["valid_to"].convert<Poco::Int64>();
    k.scope = rs["scope"].convert<std::string>();
    k.state = rs["state"].convert<std::string>();
    k.publicKeyPem = rs["public_key_pem"].convert<std::string>();
    k.createdAt = rs["created_at"].convert<Poco::Int64>();
    out.push_back(std::move(k));
  }
  return out;
}

std::optional<StoredBundle> latestBundle(Tx& tx) {
  std::vector<Poco::Int64> versions, nextUpdates, issuedAts;
  std::vector<std::string> hashes;
  std::vector<Poco::Data::BLOB> blobs;
  tx.session() << "SELECT version, next_update, content_hash, bytes, issued_at FROM bundles ORDER BY version DESC LIMIT 1",
      into(versions), into(nextUpdates), into(hashes), into(blobs), into(issuedAts), now;
  if (versions.empty()) return std::nullopt;
  const auto& b = blobs[0];
  return StoredBundle{static_cast<std::uint64_t>(versions[0]), nextUpdates[0], hashes[0],
                      Bytes(b.rawContent(), b.rawContent() + b.size()), issuedAts[0]};
}

void storeBundle(Tx& tx, const StoredBundle& bundle, std::int64_t issuedAt, const std::string& origin, std::int64_t when) {
  Poco::Data::Session& s = tx.session();
  Poco::Int64 v = static_cast<Poco::Int64>(bundle.version), ia = issuedAt, nu = bundle.nextUpdate, at = when;
  std::string h = bundle.hash, o = origin;
  Poco::Data::BLOB blob(bundle.bytes.data(), bundle.bytes.size());
  s << sql(s, "INSERT INTO bundles (version, issued_at, next_update, content_hash, origin, bytes, created_at)"
              " VALUES (?, ?, ?, ?, ?, ?, ?)"),
      use(v), use(ia), use(nu), use(h), use(o), use(blob), use(at), now;
}

}  // namespace titlecert::issuer::store
