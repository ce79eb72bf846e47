// The admin endpoints of peer regions: bodies read here, the work done by
// the service (issuer/src/peers.cpp).
#include "http/peer_endpoints.h"

#include <nlohmann/json.hpp>

#include "http/request_bodies.h"
#include "titlecert/issuer/peer_answers.h"

namespace titlecert::issuer::http {
namespace {

// A text field of at most `limit` bytes; a Problem naming it otherwise.
Expected<std::string> textField(const nlohmann::json& body, const char* name, std::size_t limit) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty() ||
      it->get_ref<const std::string&>().size() > limit)
    return badRequest(name, std::string(name) + ": a text of 1 to " + std::to_string(limit) + " bytes");
  return it->get<std::string>();
}

Completion onlyFields(const nlohmann::json& body, std::initializer_list<const char*> names) {
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* n : names) known = known || key == n;
    if (!known) return badRequest(key, key + ": not a field of this request");
  }
  return success();
}

}  // namespace

Expected<std::string> addPeerJson(Service& service, std::string_view body, const Actor& by) {
  TC_ASSIGN(nlohmann::json j, readJsonObject(body));
  TC_TRY(onlyFields(j, {"region", "root_public_key_pem"}));
  TC_ASSIGN(std::string region, textField(j, "region", 13));
  TC_ASSIGN(std::string pem, textField(j, "root_public_key_pem", 4096));
  TC_ASSIGN(PeerRegion added, service.addPeer(AddPeerRequest{region, pem}, by));
  return toJson(added);
}

Expected<std::string> importPeerJson(Service& service, const std::string& contentType, std::string_view body,
                                     const Actor& by) {
  if (contentType.rfind("application/cbor", 0) == 0) {
    TC_ASSIGN(PeerImport imported, service.importPeerBundle(asBytes(body), "POST /v1/peers/import", by));
    return toJson(imported);
  }
  TC_ASSIGN(nlohmann::json j, readJsonObject(body));
  TC_TRY(onlyFields(j, {"url"}));
  TC_ASSIGN(std::string url, textField(j, "url", 2048));
  TC_ASSIGN(PeerImport imported, service.importPeerBundleFromUrl(url, by));
  return toJson(imported);
}

Expected<std::string> peersJson(const Service& service) {
  TC_ASSIGN(std::vector<PeerRegion> peers, service.peers());
  return toJson(peers);
}

}  // namespace titlecert::issuer::http
