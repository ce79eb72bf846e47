// What peer regions' imported bundles add to ours (issuer/src/peers.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "store/store.h"
#include "titlecert/bundle.h"
#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

// Appends the peers' issuer entries (with their region) and status lists
// to `c`, leaving out an entry or a list `c` already holds.
Completion appendPeerContents(store::Tx& tx, bundle::Contents& c);

// The same for a manifest (export-manifest, root key offline): the peers'
// issuer entries (their key files written to outDir), their revoked
// indices, and each list's count of issued indices in `issued`.
Completion appendPeerManifest(store::Tx& tx, const std::string& outDir, nlohmann::ordered_json& issuers,
                              nlohmann::ordered_json& revoked, nlohmann::ordered_json& issued);

}  // namespace titlecert::issuer
