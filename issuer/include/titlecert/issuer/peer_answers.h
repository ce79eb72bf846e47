// The JSON forms of peer regions and imports (titlecert-issuer peer ...).
#pragma once

#include <string>
#include <vector>

#include "titlecert/issuer/peers.h"

namespace titlecert::issuer {

// {"region", "root_kid", "added_at", "bundle": null | {"version", "issued_at", "next_update", "sha256", "imported_at", "source"}}
std::string toJson(const PeerRegion& p);
std::string toJson(const std::vector<PeerRegion>& peers);
// {"region", "version", "issuers", "status_lists", "skipped", "unchanged"}
std::string toJson(const PeerImport& i);

}  // namespace titlecert::issuer
