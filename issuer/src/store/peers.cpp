// Peer regions and what their imported bundles gave (peer_records.h).
#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include "database.h"
#include "peer_records.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer::store {
namespace {

template <class T>
Poco::Nullable<T> nullable(const std::optional<T>& v) {
  return v ? Poco::Nullable<T>(*v) : Poco::Nullable<T>();
}

PeerRegionRecord peerFromRow(Poco::Data::RecordSet& rs) {
  PeerRegionRecord p;
  p.region = rs["region"].convert<std::string>();
  p.rootPublicKeyPem = rs["root_public_key_pem"].convert<std::string>();
  p.rootKid = rs["root_kid"].convert<std::string>();
  p.addedAt = rs["added_at"].convert<Poco::Int64>();
  if (!rs.isNull("bundle_version")) {
    p.bundleVersion = rs["bundle_version"].convert<Poco::UInt64>();
    p.bundleIssuedAt = rs["bundle_issued_at"].convert<Poco::Int64>();
    p.bundleNextUpdate = rs["bundle_next_update"].convert<Poco::Int64>();
    p.importedAt = rs["imported_at"].convert<Poco::Int64>();
    p.bundleSha256 = rs["bundle_sha256"].convert<std::string>();
    p.source = rs["source"].convert<std::string>();
  }
  return p;
}

const char* kPeerColumns =
    "SELECT region, root_public_key_pem, root_kid, added_at, bundle_version, bundle_issued_at, bundle_next_update,"
    " bundle_sha256, imported_at, source FROM peer_regions";

}  // namespace

void insertPeerRegion(Tx& tx, const PeerRegionRecord& peer) {
  Poco::Data::Session& s = tx.session();
  std::string region = peer.region, pem = peer.rootPublicKeyPem, kid = peer.rootKid;
  Poco::Int64 at = peer.addedAt;
  s << sql(s, "INSERT INTO peer_regions (region, root_public_key_pem, root_kid, added_at) VALUES (?, ?, ?, ?)"),
      use(region), use(pem), use(kid), use(at), now;
}

std::optional<PeerRegionRecord> findPeerRegion(Tx& tx, const std::string& region) {
  Poco::Data::Statement select(tx.session());
  std::string r = region;
  select << sql(tx.session(), std::string(kPeerColumns) + " WHERE region = ?"), use(r), now;
  Poco::Data::RecordSet rs(select);
  if (!rs.moveFirst()) return std::nullopt;
  return peerFromRow(rs);
}

std::vector<PeerRegionRecord> listPeerRegions(Tx& tx) {
  Poco::Data::Statement select(tx.session());
  select << std::string(kPeerColumns) + " ORDER BY region", now;
  Poco::Data::RecordSet rs(select);
  std::vector<PeerRegionRecord> out;
  for (bool more = rs.moveFirst(); more; more = rs.moveNext()) out.push_back(peerFromRow(rs));
  return out;
}

std::optional<std::string> peerRegionHoldingIss(Tx& tx, const std::string& iss) {
  Poco::Data::Session& s = tx.session();
  std::string i = iss;
  Poco::Nullable<std::string> region;
  s << sql(s, "SELECT region FROM peer_status_lists WHERE iss = ?"), use(i), into(region), now;
  if (region.isNull()) return std::nullopt;
  return region.value();
}

void replacePeerData(Tx& tx, const PeerRegionRecord& peer, const std::vector<PeerIssuerRecord>& issuers,
                     const std::vector<PeerStatusListRecord>& lists) {
  Poco::Data::Session& s = tx.session();
  std::string region = peer.region;
  s << sql(s, "DELETE FROM peer_issuers WHERE region = ?"), use(region), now;
  s << sql(s, "DELETE FROM peer_status_lists WHERE region = ?"), use(region), now;
  Poco::Int64 position = 0;
  for (const PeerIssuerRecord& i : issuers) {
    std::string iss = i.iss, kid = i.kid, pem = i.publicKeyPem, zh = i.nameZh, en = i.nameEn, ir = i.issuerRegion;
    std::string scope = i.scope;
    Poco::Int64 from = i.validFrom, to = i.validTo;
    s << sql(s, "INSERT INTO peer_issuers (region, position, iss, kid, public_key_pem, name_zh, name_en, issuer_region,"
                " valid_from, valid_to, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        use(region), use(position), use(iss), use(kid), use(pem), use(zh), use(en), use(ir), use(from), use(to),
        use(scope), now;
    ++position;
  }
  for (const PeerStatusListRecord& l : lists) {
    std::string iss = l.iss;
    Poco::Int64 issued = static_cast<Poco::Int64>(l.issued);
    Poco::Data::BLOB set(l.codedSet.data(), l.codedSet.size());
    s << sql(s, "INSERT INTO peer_status_lists (region, iss, issued, coded_set) VALUES (?, ?, ?, ?)"), use(region),
        use(iss), use(issued), use(set), now;
  }
  Poco::Nullable<Poco::Int64> version;
  if (peer.bundleVersion) version = static_cast<Poco::Int64>(*peer.bundleVersion);
  Poco::Nullable<Poco::Int64> issuedAt = nullable(peer.bundleIssuedAt), nextUpdate = nullable(peer.bundleNextUpdate),
                              importedAt = nullable(peer.importedAt);
  std::string sha = peer.bundleSha256, source = peer.source;
  s << sql(s, "UPDATE peer_regions SET bundle_version = ?, bundle_issued_at = ?, bundle_next_update = ?,"
              " bundle_sha256 = ?, imported_at = ?, source = ? WHERE region = ?"),
      use(version), use(issuedAt), use(nextUpdate), use(sha), use(importedAt), use(source), use(region), now;
}

std::vector<PeerIssuerRecord> allPeerIssuers(Tx& tx) {
  Poco::Data::Statement select(tx.session());
  select << "SELECT iss, kid, public_key_pem, name_zh, name_en, issuer_region, valid_from, valid_to, scope"
            " FROM peer_issuers ORDER BY region, position",
      now;
  Poco::Data::RecordSet rs(select);
  std::vector<PeerIssuerRecord> out;
  for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
    PeerIssuerRecord i;
    i.iss = rs["iss"].convert<std::string>();
    i.kid = rs["kid"].convert<std::string>();
    i.publicKeyPem = rs["public_key_pem"].convert<std::string>();
    i.nameZh = rs["name_zh"].convert<std::string>();
    i.nameEn = rs["name_en"].convert<std::string>();
    i.issuerRegion = rs["issuer_region"].convert<std::string>();
    i.validFrom = rs["valid_from"].convert<Poco::Int64>();
    i.validTo = rs["valid_to"].convert<Poco::Int64>();
    i.scope = rs["scope"].convert<std::string>();
    out.push_back(std::move(i));
  }
  return out;
}

std::vector<PeerStatusListRecord> allPeerStatusLists(Tx& tx) {
  std::vector<std::string> isses;
  std::vector<Poco::Int64> issued;
  std::vector<Poco::Data::BLOB> sets;
  tx.session() << "SELECT iss, issued, coded_set FROM peer_status_lists ORDER BY iss", into(isses), into(issued),
      into(sets), now;
  std::vector<PeerStatusListRecord> out;
  for (std::size_t i = 0; i < isses.size(); ++i)
    out.push_back({isses[i], static_cast<std::uint64_t>(issued[i]),
                   Bytes(sets[i].rawContent(), sets[i].rawContent() + sets[i].size())});
  return out;
}

}  // namespace titlecert::issuer::store
