// The JSON of peer regions and imports, for the command line.
#include <nlohmann/json.hpp>

#include "titlecert/dates.h"
#include "titlecert/issuer/peer_answers.h"

namespace titlecert::issuer {
namespace {

using Json = nlohmann::ordered_json;

Json peerJson(const PeerRegion& p) {
  Json j = {{"region", p.region}, {"root_kid", p.rootKid}, {"added_at", dates::formatRfc3339(p.addedAt)}};
  if (!p.bundleVersion) {
    j["bundle"] = nullptr;
    return j;
  }
  j["bundle"] = {{"version", *p.bundleVersion},
                 {"issued_at", dates::formatRfc3339(p.bundleIssuedAt.value_or(0))},
                 {"next_update", dates::formatRfc3339(p.bundleNextUpdate.value_or(0))},
                 {"sha256", p.bundleSha256},
                 {"imported_at", dates::formatRfc3339(p.importedAt.value_or(0))},
                 {"source", p.source}};
  return j;
}

}  // namespace

std::string toJson(const PeerRegion& p) { return peerJson(p).dump(); }

std::string toJson(const std::vector<PeerRegion>& peers) {
  Json list = Json::array();
  for (const PeerRegion& p : peers) list.push_back(peerJson(p));
  return Json{{"peers", list}}.dump();
}

std::string toJson(const PeerImport& i) {
  return Json{{"region", i.region},       {"version", i.version}, {"issuers", i.issuers},
              {"status_lists", i.statusLists}, {"skipped", i.skipped}, {"unchanged", i.unchanged}}
      .dump();
}

}  // namespace titlecert::issuer
