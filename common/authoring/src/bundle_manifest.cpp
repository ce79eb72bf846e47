// MANIFEST.json (CONTRACT.md) -> bundle contents. Every error names the
// field, e.g. "issuers[0].valid_to: expected an RFC 3339 UTC time ...".
#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "titlecert/bundle_manifest.h"
#include "titlecert/catalogue_json.h"
#include "titlecert/dates.h"
#include "titlecert/files.h"

namespace titlecert::bundle {
namespace {

using nlohmann::json;

Error badManifest(const std::string& path, const std::string& what) {
  return makeError(Code::BAD_MANIFEST, path + ": " + what);
}

Result<const json*> member(const json& obj, const std::string& path, const char* key) {
  if (!obj.is_object()) return badManifest(path, "not an object");
  auto it = obj.find(key);
  if (it == obj.end()) return badManifest(path + "." + key, "missing");
  return &*it;
}

Result<std::string> textField(const json& obj, const std::string& path, const char* key) {
  TC_ASSIGN(auto v, member(obj, path, key));
  if (!v->is_string()) return badManifest(path + "." + key, "not a string");
  return v->get<std::string>();
}

Result<std::uint64_t> uintField(const json& obj, const std::string& path, const char* key) {
  TC_ASSIGN(auto v, member(obj, path, key));
  if (!v->is_number_unsigned()) return badManifest(path + "." + key, "not a non-negative integer");
  return v->get<std::uint64_t>();
}

Result<std::int64_t> timeField(const json& obj, const std::string& path, const char* key) {
  TC_ASSIGN(auto text, textField(obj, path, key));
  auto t = dates::parseRfc3339(text);
  if (!t) return badManifest(path + "." + key, t.error().detail);
  return *t;
}

std::string resolve(const std::string& baseDir, const std::string& path) {
  if (path.empty() || path[0] == '/' || baseDir.empty()) return path;
  return baseDir + "/" + path;
}

Result<std::optional<std::vector<std::uint64_t>>> codeList(const json& scope, const std::string& path, const char* key) {
  auto it = scope.find(key);
  if (it == scope.end() || (it->is_string() && it->get<std::string>() == "*"))
    return std::optional<std::vector<std::uint64_t>>{};
  if (!it->is_array()) return badManifest(path + "." + key, "neither \"*\" nor a list of codes");
  std::vector<std::uint64_t> codes;
  for (const auto& c : *it) {
    if (!c.is_number_unsigned()) return badManifest(path + "." + key, "a code is not a non-negative integer");
    codes.push_back(c.get<std::uint64_t>());
  }
  return std::optional<std::vector<std::uint64_t>>{std::move(codes)};
}

Result<Scope> readScope(const json& issuer, const std::string& path) {
  TC_ASSIGN(auto v, member(issuer, path, "scope"));
  const std::string p = path + ".scope";
  TC_ASSIGN(auto typesValue, member(*v, p, "types"));
  if (!typesValue->is_array() || typesValue->empty()) return badManifest(p + ".types", "not a non-empty list");
  Scope s;
  for (const auto& t : *typesValue) {
    if (t == "title") s.titles = true;
    else if (t == "qualification") s.qualifications = true;
    else return badManifest(p + ".types", "unknown type " + t.dump() + " (title, qualification)");
  }
  TC_ASSIGN(s.series, codeList(*v, p, "series"));
  TC_ASSIGN(s.specialties, codeList(*v, p, "specialties"));
  TC_ASSIGN(s.qualificationCodes, codeList(*v, p, "qualifications"));
  if (v->contains("max_level")) {
    TC_ASSIGN(s.maxLevel, uintField(*v, p, "max_level"));
    if (s.maxLevel < 1 || s.maxLevel > 5) return badManifest(p + ".max_level", "must be 1..5");
  }
  return s;
}

Result<catalogue::Names> readName(const json& j, const std::string& path) {
  catalogue::Names name;
  auto it = j.find("name");
  if (it == j.end()) return name;
  TC_ASSIGN(name.zh, textField(*it, path + ".name", "zh"));
  TC_ASSIGN(name.en, textField(*it, path + ".name", "en"));
  return name;
}

// The key file, whose type must be the entry's alg (no substitution).
Result<crypto::PublicKey> readKey(const json& j, const std::string& path, const std::string& baseDir) {
  TC_ASSIGN(auto algName, textField(j, path, "alg"));
  crypto::Alg alg{};
  if (auto named = crypto::algFromName(algName)) alg = *named;
  else return badManifest(path + ".alg", "\"" + algName + "\" is not EdDSA, ES256 or SM2-SM3");
  TC_ASSIGN(auto keyFile, textField(j, path, "public_key_file"));
  auto pem = files::read(resolve(baseDir, keyFile));
  if (!pem) return badManifest(path + ".public_key_file", pem.error().detail);
  auto key = crypto::PublicKey::fromPem(*pem);
  if (!key) return badManifest(path + ".public_key_file", key.error().detail);
  if (key->alg() != alg)
    return badManifest(path + ".alg", "\"" + algName + "\" does not match the key (" + std::string(crypto::algName(key->alg())) + ")");
  return key;
}

Result<IssuerEntry> readIssuer(const json& j, const std::string& path, const std::string& baseDir) {
  TC_ASSIGN(auto iss, textField(j, path, "iss"));
  if (iss.empty() || iss.size() > zc1::limit::kIss || !isPrintableAscii(iss))
    return badManifest(path + ".iss", "must be 1..32 printable ASCII characters");
  TC_ASSIGN(auto name, readName(j, path));
  TC_ASSIGN(auto region, textField(j, path, "region"));
  TC_ASSIGN(auto key, readKey(j, path, baseDir));
  TC_ASSIGN(auto validFrom, timeField(j, path, "valid_from"));
  TC_ASSIGN(auto validTo, timeField(j, path, "valid_to"));
  if (validFrom >= validTo) return badManifest(path + ".valid_to", "not after valid_from");
  TC_ASSIGN(auto scope, readScope(j, path));
  return IssuerEntry{std::move(iss), std::move(name), std::move(region), std::move(key), validFrom, validTo, std::move(scope)};
}

Result<catalogue::Catalogue> readCatalogue(const json& m, const std::string& baseDir) {
  auto it = m.find("catalogue");
  if (it == m.end() || *it == "default") {
    auto c = catalogue::loadDefault();
    if (!c) return badManifest("catalogue", c.error().detail);
    return c;
  }
  if (!it->is_string()) return badManifest("catalogue", "neither \"default\" nor a file path");
  auto c = catalogue::loadFile(resolve(baseDir, it->get<std::string>()));
  if (!c) return badManifest("catalogue", c.error().detail);
  return c;
}

Result<Recognition> readRecognition(const json& m) {
  TC_ASSIGN(auto v, member(m, "manifest", "recognition"));
  Recognition r;
  TC_ASSIGN(r.homeRegion, textField(*v, "recognition", "home_region"));
  if (auto accept = v->find("accept_regions"); accept != v->end()) {
    if (!accept->is_array()) return badManifest("recognition.accept_regions", "not a list");
    for (const auto& a : *accept) {
      if (!a.is_string() || a.get<std::string>().empty())
        return badManifest("recognition.accept_regions", "an entry is not a region code or prefix*");
      r.acceptRegions.push_back(a.get<std::string>());
    }
  }
  return r;
}

// "issued": {"ISS": N}, optional: how many status indices each issuer's list
// covers.
Result<std::map<std::string, std::uint64_t>> readIssued(const json& m) {
  std::map<std::string, std::uint64_t> issued;
  auto it = m.find("issued");
  if (it == m.end()) return issued;
  if (!it->is_object()) return badManifest("issued", "not an object of iss: count");
  for (const auto& [iss, count] : it->items()) {
    if (!count.is_number_unsigned() || count.get<std::uint64_t>() > kMaxStatusIssued)
      return badManifest("issued." + iss, "not a count up to " + std::to_string(kMaxStatusIssued));
    issued[iss] = count.get<std::uint64_t>();
  }
  return issued;
}

// One status list per iss named in "revoked" or "issued"; without an
// "issued" count a list covers issuedCovering() its highest revoked index.
Status readRevoked(const json& m, Contents& c, std::vector<RevocationNote>* notes) {
  TC_ASSIGN(auto issued, readIssued(m));
  std::map<std::string, std::vector<std::uint64_t>> revoked;
  for (const auto& [iss, count] : issued) revoked[iss];
  auto it = m.find("revoked");
  if (it != m.end() && !it->is_array()) return badManifest("revoked", "not a list");
  for (std::size_t i = 0; it != m.end() && i < it->size(); ++i) {
    const std::string path = "revoked[" + std::to_string(i) + "]";
    const json& r = (*it)[i];
    TC_ASSIGN(auto iss, textField(r, path, "iss"));
    TC_ASSIGN(auto index, uintField(r, path, "status_index"));
    if (index >= kMaxStatusIssued) return badManifest(path + ".status_index", "too large");
    auto count = issued.find(iss);
    if (count != issued.end() && index >= count->second)
      return badManifest(path + ".status_index", "not below issued." + iss + " (" + std::to_string(count->second) + ")");
    std::string certNo = r.contains("cert_no") && r["cert_no"].is_string() ? r["cert_no"].get<std::string>() : "";
    if (notes && !certNo.empty()) notes->push_back({iss, index, std::move(certNo)});
    revoked[iss].push_back(index);
  }
  for (auto& [iss, indices] : revoked) {
    auto count = issued.find(iss);
    const std::uint64_t n = count != issued.end() ? count->second
                                                  : issuedCovering(*std::max_element(indices.begin(), indices.end()));
    auto list = makeStatusList(iss, n, std::move(indices));
    if (!list) return badManifest("revoked", list.error().detail);
    c.revocation.push_back(std::move(list).value());
  }
  return Status::Ok();
}

// Optional "audit_head": {"seq": N, "hash": "64 hex digits"}, the issuer's
// audit trail when it exported the manifest, carried into the bundle.
Result<std::optional<AuditHead>> readAuditHead(const json& m) {
  auto it = m.find("audit_head");
  if (it == m.end() || it->is_null()) return std::optional<AuditHead>{};
  if (!it->is_object()) return badManifest("audit_head", "not an object");
  TC_ASSIGN(std::uint64_t seq, uintField(*it, "audit_head", "seq"));
  TC_ASSIGN(std::string hex, textField(*it, "audit_head", "hash"));
  auto hash = fromHex(hex);
  if (!hash || hash->size() != 32) return badManifest("audit_head.hash", "not 64 hex digits");
  return std::optional<AuditHead>(AuditHead{seq, std::move(*hash)});
}

}  // namespace

Result<Contents> fromManifest(std::string_view manifestJson, const std::string& baseDir,
                              std::vector<RevocationNote>* notes) {
  const json m = json::parse(manifestJson, nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded()) return badManifest("manifest", "not valid JSON");
  if (!m.is_object()) return badManifest("manifest", "not a JSON object");
  Contents c;
  TC_ASSIGN(c.version, uintField(m, "manifest", "version"));
  TC_ASSIGN(c.issuedAt, timeField(m, "manifest", "issued_at"));
  TC_ASSIGN(c.nextUpdate, timeField(m, "manifest", "next_update"));
  if (c.nextUpdate <= c.issuedAt) return badManifest("next_update", "not after issued_at");
  TC_ASSIGN(c.catalogue, readCatalogue(m, baseDir));
  TC_ASSIGN(auto issuers, member(m, "manifest", "issuers"));
  if (!issuers->is_array() || issuers->empty()) return badManifest("issuers", "not a non-empty list");
  for (std::size_t i = 0; i < issuers->size(); ++i) {
    TC_ASSIGN(auto e, readIssuer((*issuers)[i], "issuers[" + std::to_string(i) + "]", baseDir));
    c.issuers.push_back(std::move(e));
  }
  TC_ASSIGN(c.recognition, readRecognition(m));
  TC_TRY(readRevoked(m, c, notes));
  TC_ASSIGN(c.auditHead, readAuditHead(m));
  return c;
}

}  // namespace titlecert::bundle
