// The admin endpoints of peer regions (docs/issuer.md, "Other regions'
// bundles"), as JSON text for the route table in http_server.cpp.
#pragma once

#include <string>
#include <string_view>

#include "titlecert/issuer/service.h"

namespace titlecert::issuer::http {

// POST /v1/peers {"region", "root_public_key_pem"}: the pinned region.
Expected<std::string> addPeerJson(Service& service, std::string_view body, const Actor& by);
// POST /v1/peers/import: an application/cbor body is the peer bundle
// itself; a JSON body {"url"} names where the issuer fetches it.
Expected<std::string> importPeerJson(Service& service, const std::string& contentType, std::string_view body,
                                     const Actor& by);
// GET /v1/peers: {"peers": [...]}.
Expected<std::string> peersJson(const Service& service);

}  // namespace titlecert::issuer::http
