// MANIFEST.json (CONTRACT.md) -> bundle contents, read with the field reader
// (titlecert/field_reader.h): every field is read into one FieldErrors with
// BAD_MANIFEST and checked once; the first error names its field, e.g.
// "issuers[0].valid_to: expected an RFC 3339 UTC time ...".
#include <algorithm>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>

#include "titlecert/bundle_manifest.h"
#include "titlecert/catalogue_json.h"
#include "titlecert/dates.h"
#include "titlecert/field_reader.h"
#include "titlecert/files.h"
#include "titlecert/json_node.h"
#include "manifest_paths.h"

namespace titlecert::bundle {
namespace {

using Node = json::Node;
using Reader = fields::FieldReader<Node>;
using fields::FieldErrors;

const fields::Wording kManifestWording{
    .root = "manifest", .notArray = "not a list", .notUint = "not a non-negative integer"};

// The manifest's texts are free: empty is allowed, nlohmann checked UTF-8.
const fields::TextRule kAnyText{SIZE_MAX, /*allowEmpty=*/true, /*requireUtf8=*/false, std::nullopt};

using manifest::resolve;

void readTime(Reader& r, std::string_view key, std::int64_t& out) {
  std::string text;
  r.text(key, text, kAnyText);
  if (!r.ok()) return;
  auto t = dates::parseRfc3339(text);
  if (!t) return r.fail(key, t.error().detail);
  out = *t;
}

// "*" (or absent) is every code: nullopt.
void readCodeList(Reader& r, std::string_view key, std::optional<std::vector<std::uint64_t>>& out) {
  out.reset();
  auto v = r.optional(key);
  if (!v || (v->isText() && v->asText() == "*")) return;
  if (!v->isArray()) return r.fail(key, "neither \"*\" nor a list of codes");
  std::vector<std::uint64_t> codes;
  r.items(key, v, codes, [&](const Node& item, const std::string& path, std::uint64_t& code) {
    fields::readUint(r.errors(), item, path, code);
  });
  out = std::move(codes);
}

void readScope(FieldErrors& errors, const Node& node, const std::string& path, Scope& s) {
  Reader r(errors, node, path);
  r.onlyKeys({"types", "series", "specialties", "qualifications", "max_level"});
  auto types = r.array("types", SIZE_MAX);
  if (types && types->size() == 0) r.fail("types", "not a non-empty list");
  for (std::size_t i = 0; types && r.ok() && i < types->size(); ++i) {
    const Node t = types->item(i);
    if (t.isText() && t.asText() == "title") s.titles = true;
    else if (t.isText() && t.asText() == "qualification") s.qualifications = true;
    else r.fail("types", "unknown type " + t.json().dump() + " (title, qualification)");
  }
  readCodeList(r, "series", s.series);
  readCodeList(r, "specialties", s.specialties);
  readCodeList(r, "qualifications", s.qualificationCodes);
  std::optional<std::uint64_t> maxLevel;
  r.optionalUint("max_level", maxLevel);
  if (maxLevel && (*maxLevel < 1 || *maxLevel > 5)) r.fail("max_level", "must be 1..5");
  if (maxLevel && r.ok()) s.maxLevel = *maxLevel;
}

void readNames(FieldErrors& errors, const Node& node, const std::string& path, catalogue::Names& name) {
  Reader r(errors, node, path);
  r.text("zh", name.zh, kAnyText);
  r.text("en", name.en, kAnyText);
}

// The key file, whose type must be the entry's alg (no substitution).
void readKey(Reader& r, const std::string& baseDir, std::optional<crypto::PublicKey>& out) {
  std::string algName, keyFile;
  r.text("alg", algName, kAnyText);
  r.text("public_key_file", keyFile, kAnyText);
  if (!r.ok()) return;
  const auto alg = crypto::algFromName(algName);
  if (!alg) return r.fail("alg", "\"" + algName + "\" is not EdDSA, ES256 or SM2-SM3");
  auto pem = files::read(resolve(baseDir, keyFile));
  if (!pem) return r.fail("public_key_file", pem.error().detail);
  auto key = crypto::PublicKey::fromPem(*pem);
  if (!key) return r.fail("public_key_file", key.error().detail);
  if (key->alg() != *alg)
    return r.fail("alg", "\"" + algName + "\" does not match the key (" + std::string(crypto::algName(key->alg())) + ")");
  out = std::move(key).value();
}

// The fields of one entry, before it can be made (IssuerEntry holds a key).
struct IssuerFields {
  std::string iss, region;
  catalogue::Names name;
  std::optional<crypto::PublicKey> key;
  std::int64_t validFrom = 0, validTo = 0;
  Scope scope;
};

void readIssuer(FieldErrors& errors, const Node& node, const std::string& path, const std::string& baseDir,
                std::vector<IssuerEntry>& out) {
  Reader r(errors, node, path);
  IssuerFields f;
  r.text("iss", f.iss, kAnyText);
  if (r.ok() && (f.iss.empty() || f.iss.size() > zc1::limit::kIss || !isPrintableAscii(f.iss)))
    r.fail("iss", "must be 1..32 printable ASCII characters");
  if (auto name = r.optional("name")) readNames(errors, *name, r.at("name"), f.name);
  r.text("region", f.region, kAnyText);
  readKey(r, baseDir, f.key);
  readTime(r, "valid_from", f.validFrom);
  readTime(r, "valid_to", f.validTo);
  if (r.ok() && f.validFrom >= f.validTo) r.fail("valid_to", "not after valid_from");
  if (auto scope = r.required("scope")) readScope(errors, *scope, r.at("scope"), f.scope);
  if (!r.ok()) return;
  out.push_back(IssuerEntry{std::move(f.iss), std::move(f.name), std::move(f.region), std::move(*f.key), f.validFrom,
                            f.validTo, std::move(f.scope)});
}

void readCatalogue(Reader& r, const std::string& baseDir, catalogue::Catalogue& out) {
  auto v = r.optional("catalogue");
  if (!r.errors().ok()) return;
  if (v && !v->isText()) return r.fail("catalogue", "neither \"default\" nor a file path");
  auto c = !v || v->asText() == "default" ? catalogue::loadDefault() : catalogue::loadFile(resolve(baseDir, v->asText()));
  if (!c) return r.fail("catalogue", c.error().detail);
  out = std::move(c).value();
}

void readRecognition(FieldErrors& errors, const Node& node, Recognition& out) {
  Reader r(errors, node, "recognition");
  r.text("home_region", out.homeRegion, kAnyText);
  auto accept = r.optionalArray("accept_regions", SIZE_MAX);
  r.items("accept_regions", accept, out.acceptRegions, [&](const Node& item, const std::string& path, std::string& region) {
    if (!item.isText() || item.asText().empty())
      return errors.fail(path, "an entry is not a region code or prefix*");
    region = item.asText();
  });
}

// "issued": {"ISS": N}, optional: how many status indices each issuer's list
// covers.
void readIssued(Reader& top, std::map<std::string, std::uint64_t>& issued) {
  auto v = top.optional("issued");
  if (!v) return;
  if (!v->isMap()) return top.fail("issued", "not an object of iss: count");
  Reader r(top.errors(), *v, top.at("issued"));
  for (const std::string& iss : r.keys()) {
    std::uint64_t count = 0;
    r.uint(iss, count);
    if (r.ok() && count > kMaxStatusIssued) r.fail(iss, "not a count up to " + std::to_string(kMaxStatusIssued));
    if (r.ok()) issued[iss] = count;
  }
}

struct RevokedEntry {
  std::string iss, certNo;
  std::uint64_t index = 0;
};

void readRevokedEntry(FieldErrors& errors, const Node& node, const std::string& path,
                      const std::map<std::string, std::uint64_t>& issued, RevokedEntry& e) {
  Reader r(errors, node, path);
  r.text("iss", e.iss, kAnyText);
  r.uint("status_index", e.index);
  r.optionalText("cert_no", e.certNo, kAnyText);
  if (!r.ok()) return;
  if (e.index >= kMaxStatusIssued) return r.fail("status_index", "too large");
  auto count = issued.find(e.iss);
  if (count != issued.end() && e.index >= count->second)
    r.fail("status_index", "not below issued." + e.iss + " (" + std::to_string(count->second) + ")");
}

// One status list per iss named in "revoked" or "issued"; without an
// "issued" count a list covers issuedCovering() its highest revoked index.
void readRevoked(Reader& top, Contents& c, std::vector<RevocationNote>* notes) {
  std::map<std::string, std::uint64_t> issued;
  readIssued(top, issued);
  std::vector<RevokedEntry> entries;
  auto list = top.optionalArray("revoked", SIZE_MAX);
  top.items("revoked", list, entries, [&](const Node& item, const std::string& path, RevokedEntry& e) {
    readRevokedEntry(top.errors(), item, path, issued, e);
  });
  if (!top.ok()) return;
  std::map<std::string, std::vector<std::uint64_t>> revoked;
  for (const auto& [iss, count] : issued) revoked[iss];
  for (RevokedEntry& e : entries) {
    if (notes && !e.certNo.empty()) notes->push_back({e.iss, e.index, std::move(e.certNo)});
    revoked[e.iss].push_back(e.index);
  }
  for (auto& [iss, indices] : revoked) {
    auto count = issued.find(iss);
    const std::uint64_t n = count != issued.end() ? count->second
                                                  : issuedCovering(*std::max_element(indices.begin(), indices.end()));
    auto statusList = makeStatusList(iss, n, std::move(indices));
    if (!statusList) return top.fail("revoked", statusList.error().detail);
    c.revocation.push_back(std::move(statusList).value());
  }
}

nlohmann::json codeListJson(const std::optional<std::vector<std::uint64_t>>& codes) {
  return codes ? nlohmann::json(*codes) : nlohmann::json("*");
}

// Optional "audit_head": {"seq": N, "hash": "64 hex digits"}, the issuer's
// audit trail when it exported the manifest, carried into the bundle.
void readAuditHead(FieldErrors& errors, Reader& top, std::optional<AuditHead>& out) {
  auto v = top.optional("audit_head");
  if (!v) return;
  Reader r(errors, *v, top.at("audit_head"));
  AuditHead head;
  std::string hex;
  r.uint("seq", head.seq);
  r.text("hash", hex, kAnyText);
  if (!r.ok()) return;
  auto hash = fromHex(hex);
  if (!hash || hash->size() != 32) return r.fail("hash", "not 64 hex digits");
  head.hash = std::move(*hash);
  out = std::move(head);
}

}  // namespace

Result<Scope> scopeFromJson(std::string_view scopeJson, const std::string& path, Code code) {
  const nlohmann::json j = nlohmann::json::parse(scopeJson, nullptr, /*allow_exceptions=*/false);
  FieldErrors errors(code, kManifestWording);
  Scope s;
  readScope(errors, Node(j), path, s);
  TC_TRY(errors.status());
  return s;
}

std::string scopeToJson(const Scope& s) {
  nlohmann::ordered_json types = nlohmann::ordered_json::array();
  if (s.titles) types.push_back("title");
  if (s.qualifications) types.push_back("qualification");
  nlohmann::ordered_json j = {{"types", types},
                              {"series", codeListJson(s.series)},
                              {"specialties", codeListJson(s.specialties)},
                              {"max_level", s.maxLevel},
                              {"qualifications", codeListJson(s.qualificationCodes)}};
  return j.dump();
}

Result<Contents> fromManifest(std::string_view manifestJson, const std::string& baseDir,
                              std::vector<RevocationNote>* notes) {
  const nlohmann::json m = nlohmann::json::parse(manifestJson, nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded()) return makeError(Code::BAD_MANIFEST, "manifest: not valid JSON");
  FieldErrors errors(Code::BAD_MANIFEST, kManifestWording);
  Reader r(errors, Node(m), "");
  Contents c;
  r.uint("version", c.version);
  readTime(r, "issued_at", c.issuedAt);
  readTime(r, "next_update", c.nextUpdate);
  if (r.ok() && c.nextUpdate <= c.issuedAt) r.fail("next_update", "not after issued_at");
  readCatalogue(r, baseDir, c.catalogue);
  auto issuers = r.array("issuers", SIZE_MAX);
  if (issuers && issuers->size() == 0) r.fail("issuers", "not a non-empty list");
  for (std::size_t i = 0; issuers && r.ok() && i < issuers->size(); ++i)
    readIssuer(errors, issuers->item(i), fields::indexed("issuers", i), baseDir, c.issuers);
  if (auto recognition = r.required("recognition")) readRecognition(errors, *recognition, c.recognition);
  readRevoked(r, c, notes);
  readAuditHead(errors, r, c.auditHead);
  TC_TRY(errors.status());
  return c;
}

}  // namespace titlecert::bundle
