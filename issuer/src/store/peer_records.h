// Peer regions: another region's pinned root, the version of its bundle
// last imported, and what we took from it to republish in our bundle
// (docs/issuer.md, "Other regions' bundles"). A write function must be
// called inside Store::write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store.h"
#include "titlecert/bytes.h"

namespace titlecert::issuer::store {

struct PeerRegionRecord {
  std::string region;  // a whole code or a prefix ending in '*'
  std::string rootPublicKeyPem;
  std::string rootKid;  // hex
  std::int64_t addedAt = 0;
  // Of the bundle last imported; absent before the first import.
  std::optional<std::uint64_t> bundleVersion;
  std::optional<std::int64_t> bundleIssuedAt, bundleNextUpdate, importedAt;
  std::string bundleSha256, source;
};

// One issuer entry of a peer bundle, as taken (the manifest's scope form).
struct PeerIssuerRecord {
  std::string iss, kid;  // kid hex
  std::string publicKeyPem;
  std::string nameZh, nameEn, issuerRegion;
  std::int64_t validFrom = 0, validTo = 0;
  std::string scope;  // JSON text
};

// One status list of a peer bundle, as coded there (docs/revocation.md).
struct PeerStatusListRecord {
  std::string iss;
  std::uint64_t issued = 0;
  Bytes codedSet;
};

void insertPeerRegion(Tx& tx, const PeerRegionRecord& peer);
std::optional<PeerRegionRecord> findPeerRegion(Tx& tx, const std::string& region);
std::vector<PeerRegionRecord> listPeerRegions(Tx& tx);

// The region whose held status list covers `iss`, if any.
std::optional<std::string> peerRegionHoldingIss(Tx& tx, const std::string& iss);

// Replaces everything held from `peer.region` with what the newly imported
// bundle gave, and records that bundle's version, times and hash.
void replacePeerData(Tx& tx, const PeerRegionRecord& peer, const std::vector<PeerIssuerRecord>& issuers,
                     const std::vector<PeerStatusListRecord>& lists);

// What every peer gave, by region then position.
std::vector<PeerIssuerRecord> allPeerIssuers(Tx& tx);
std::vector<PeerStatusListRecord> allPeerStatusLists(Tx& tx);

}  // namespace titlecert::issuer::store
