// Other regions' trust bundles, republished in ours (docs/issuer.md,
// "Other regions' bundles"): an admin pins a peer region's root key, then
// imports that region's signed bundle from a file or a URL; its issuer
// entries and status lists go into our bundle, so that its revocations
// reach our terminals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace titlecert::issuer {

// `peer add`, POST /v1/peers.
struct AddPeerRequest {
  std::string region;  // a whole region code, or a prefix ending in '*' ("44*")
  std::string rootPublicKeyPem;
};

// A pinned peer region and the bundle last imported from it.
struct PeerRegion {
  std::string region;
  std::string rootKid;  // hex
  std::int64_t addedAt = 0;
  std::optional<std::uint64_t> bundleVersion;  // absent before the first import
  std::optional<std::int64_t> bundleIssuedAt, bundleNextUpdate, importedAt;
  std::string bundleSha256, source;  // the file or URL it came from
};

// What one import took.
struct PeerImport {
  std::string region;
  std::uint64_t version = 0;
  std::size_t issuers = 0;       // entries taken
  std::size_t statusLists = 0;   // lists taken
  std::size_t skipped = 0;       // entries of other regions, or of our own iss, left out
  bool unchanged = false;        // the very bundle already held
};

}  // namespace titlecert::issuer
