#include "titlecert/bundle.h"

#include <algorithm>

#include "titlecert/cose.h"

namespace titlecert::bundle {
namespace {

constexpr std::string_view kFormat = "titlecert-bundle/1";
constexpr std::uint64_t kTypeTitle = 1, kTypeQualification = 2;

Error bad(std::string detail) { return makeError(Code::BAD_BUNDLE, std::move(detail)); }

cbor::Value textKey(std::string_view k) { return cbor::Value::text(std::string(k)); }

// ---- writing -------------------------------------------------------------------

cbor::Value codeList(const std::optional<std::vector<std::uint64_t>>& list) {
  if (!list) return cbor::Value::text("*");
  cbor::Array items;
  for (auto c : *list) items.push_back(cbor::Value::uint(c));
  return cbor::Value::array(std::move(items));
}

cbor::Value scopeToCbor(const Scope& s) {
  cbor::Array types;
  if (s.titles) types.push_back(cbor::Value::uint(kTypeTitle));
  if (s.qualifications) types.push_back(cbor::Value::uint(kTypeQualification));
  return cbor::Value::map({{textKey("types"), cbor::Value::array(std::move(types))},
                           {textKey("series"), codeList(s.series)},
                           {textKey("specialties"), codeList(s.specialties)},
                           {textKey("max_level"), cbor::Value::uint(s.maxLevel)},
                           {textKey("qualifications"), codeList(s.qualificationCodes)}});
}

cbor::Value issuerToCbor(const IssuerEntry& e) {
  return cbor::Value::map({
      {textKey("iss"), cbor::Value::text(e.iss)},
      {textKey("name"), cbor::Value::map({{textKey("zh"), cbor::Value::text(e.name.zh)},
                                          {textKey("en"), cbor::Value::text(e.name.en)}})},
      {textKey("region"), cbor::Value::text(e.region)},
      {textKey("alg"), cbor::Value::integer(static_cast<std::int64_t>(e.key.alg()))},
      {textKey("public_key"), cbor::Value::bytes(e.key.spkiDer())},
      {textKey("valid_from"), cbor::Value::integer(e.validFrom)},
      {textKey("valid_to"), cbor::Value::integer(e.validTo)},
      {textKey("scope"), scopeToCbor(e.scope)},
  });
}

cbor::Value statusListToCbor(const StatusList& s) {
  cbor::Array notes;
  for (const auto& n : s.notes)
    notes.push_back(cbor::Value::array({cbor::Value::uint(n.statusIndex), cbor::Value::text(n.certNo)}));
  return cbor::Value::map({{textKey("iss"), cbor::Value::text(s.iss)},
                           {textKey("bits"), cbor::Value::bytes(s.bits)},
                           {textKey("notes"), cbor::Value::array(std::move(notes))}});
}

// ---- reading: a text-keyed map with the path of what is read -------------------

class Fields {
 public:
  Fields(const cbor::Value& map, std::string path) : map_(map), path_(std::move(path)) {}

  Result<const cbor::Value*> get(std::string_view key) const {
    if (!map_.isMap()) return bad(path_ + ": not a map");
    const cbor::Value* v = map_.find(key);
    if (!v) return bad(at(key) + ": missing");
    return v;
  }
  Result<std::string> text(std::string_view key, std::size_t maxLen = 256) const {
    TC_ASSIGN(auto v, get(key));
    if (!v->isText() || v->asText().size() > maxLen) return bad(at(key) + ": not text of at most " + std::to_string(maxLen) + " bytes");
    return v->asText();
  }
  Result<std::uint64_t> uint(std::string_view key) const {
    TC_ASSIGN(auto v, get(key));
    if (!v->isUnsigned()) return bad(at(key) + ": not an unsigned integer");
    return v->raw();
  }
  Result<std::int64_t> integer(std::string_view key) const {
    TC_ASSIGN(auto v, get(key));
    std::int64_t out = 0;
    if (!v->asInt64(out)) return bad(at(key) + ": not an integer");
    return out;
  }
  Result<const cbor::Array*> array(std::string_view key, std::size_t maxItems) const {
    TC_ASSIGN(auto v, get(key));
    if (!v->isArray() || v->asArray().size() > maxItems) return bad(at(key) + ": not an array of at most " + std::to_string(maxItems));
    return &v->asArray();
  }
  std::string at(std::string_view key) const { return path_ + "." + std::string(key); }

 private:
  const cbor::Value& map_;
  std::string path_;
};

Result<std::optional<std::vector<std::uint64_t>>> readCodeList(const Fields& f, std::string_view key) {
  TC_ASSIGN(auto v, f.get(key));
  if (v->isText() && v->asText() == "*") return std::optional<std::vector<std::uint64_t>>{};
  if (!v->isArray()) return bad(f.at(key) + ": neither \"*\" nor a list of codes");
  std::vector<std::uint64_t> codes;
  for (const auto& item : v->asArray()) {
    if (!item.isUnsigned()) return bad(f.at(key) + ": a code is not an unsigned integer");
    codes.push_back(item.raw());
  }
  return std::optional<std::vector<std::uint64_t>>{std::move(codes)};
}

Result<Scope> readScope(const Fields& f) {
  Scope s;
  TC_ASSIGN(auto types, f.array("types", 2));
  for (const auto& t : *types) {
    if (t.isUnsigned() && t.raw() == kTypeTitle) s.titles = true;
    else if (t.isUnsigned() && t.raw() == kTypeQualification) s.qualifications = true;
    else return bad(f.at("types") + ": unknown credential type");
  }
  TC_ASSIGN(s.series, readCodeList(f, "series"));
  TC_ASSIGN(s.specialties, readCodeList(f, "specialties"));
  TC_ASSIGN(s.maxLevel, f.uint("max_level"));
  TC_ASSIGN(s.qualificationCodes, readCodeList(f, "qualifications"));
  if (s.maxLevel > 5) return bad(f.at("max_level") + ": above 5");
  return s;
}

Result<IssuerEntry> readIssuer(const cbor::Value& v, const std::string& path) {
  Fields f(v, path);
  TC_ASSIGN(auto iss, f.text("iss", zc1::limit::kIss));
  TC_ASSIGN(auto nameValue, f.get("name"));
  Fields name(*nameValue, f.at("name"));
  TC_ASSIGN(auto zh, name.text("zh"));
  TC_ASSIGN(auto en, name.text("en"));
  TC_ASSIGN(auto region, f.text("region", 32));
  TC_ASSIGN(auto alg, f.integer("alg"));
  TC_ASSIGN(auto spki, f.get("public_key"));
  if (!spki->isBytes()) return bad(f.at("public_key") + ": not a byte string");
  auto key = crypto::PublicKey::fromSpkiDer(spki->asBytes());
  if (!key) return bad(f.at("public_key") + ": " + key.error().detail);
  if (static_cast<std::int64_t>(key->alg()) != alg) return bad(f.at("alg") + ": does not match the key");
  TC_ASSIGN(auto from, f.integer("valid_from"));
  TC_ASSIGN(auto to, f.integer("valid_to"));
  if (from >= to) return bad(f.at("valid_to") + ": not after valid_from");
  TC_ASSIGN(auto scopeValue, f.get("scope"));
  TC_ASSIGN(auto scope, readScope(Fields(*scopeValue, f.at("scope"))));
  return IssuerEntry{iss, {zh, en}, region, *key, from, to, std::move(scope)};
}

Result<StatusList> readStatusList(const cbor::Value& v, const std::string& path) {
  Fields f(v, path);
  StatusList s;
  TC_ASSIGN(s.iss, f.text("iss", zc1::limit::kIss));
  TC_ASSIGN(auto bits, f.get("bits"));
  if (!bits->isBytes() || bits->asBytes().size() > kMaxStatusListBytes) return bad(f.at("bits") + ": not a status bitstring");
  s.bits = bits->asBytes();
  TC_ASSIGN(auto notes, f.array("notes", kMaxStatusListBytes * 8));
  for (const auto& n : *notes) {
    if (!n.isArray() || n.asArray().size() != 2 || !n.asArray()[0].isUnsigned() || !n.asArray()[1].isText())
      return bad(f.at("notes") + ": a note is not [status_index, cert_no]");
    s.notes.push_back({n.asArray()[0].raw(), n.asArray()[1].asText()});
  }
  return s;
}

Result<Recognition> readRecognition(const Fields& f) {
  Recognition r;
  TC_ASSIGN(r.homeRegion, f.text("home_region", 32));
  TC_ASSIGN(auto accept, f.array("accept_regions", 1024));
  for (const auto& a : *accept) {
    if (!a.isText() || a.asText().empty() || a.asText().size() > 32) return bad(f.at("accept_regions") + ": not a region pattern");
    r.acceptRegions.push_back(a.asText());
  }
  return r;
}

template <class T, class Reader>
Result<std::vector<T>> readList(const Fields& f, std::string_view key, std::size_t max, Reader reader) {
  TC_ASSIGN(auto items, f.array(key, max));
  std::vector<T> out;
  out.reserve(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    TC_ASSIGN(auto item, reader((*items)[i], f.at(key) + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(item));
  }
  return out;
}

// The strict profile with a bundle's sizes; depth 16 leaves room above the
// catalogue's 7 levels (credentials keep ZC1's 8).
cbor::DecodeOptions bundleProfile() {
  auto o = cbor::zc1Profile();
  o.maxDepth = 16;
  o.maxBytes = kMaxBundleBytes;
  o.maxItems = 1 << 20;
  return o;
}

bool contains(const std::optional<std::vector<std::uint64_t>>& list, std::uint64_t code) {
  return !list || std::find(list->begin(), list->end(), code) != list->end();
}

}  // namespace

bool Scope::allows(const zc1::Credential& c) const {
  if (const auto* t = c.title())
    return titles && contains(series, t->series) && contains(specialties, t->specialty) && t->level <= maxLevel;
  return qualifications && contains(qualificationCodes, c.qualification()->qualification);
}

bool StatusList::isRevoked(std::uint64_t statusIndex) const {
  const std::uint64_t byte = statusIndex / 8;
  return byte < bits.size() && (bits[byte] >> (statusIndex % 8) & 1) != 0;
}

void StatusList::revoke(std::uint64_t statusIndex, std::string certNo) {
  const std::uint64_t byte = statusIndex / 8;
  if (bits.size() <= byte) bits.resize(byte + 1, 0);
  bits[byte] = static_cast<std::uint8_t>(bits[byte] | 1u << (statusIndex % 8));
  notes.push_back({statusIndex, std::move(certNo)});
}

std::optional<std::string> Recognition::acceptingEntry(std::string_view region) const {
  if (!region.empty() && region == homeRegion) return "home:" + homeRegion;
  for (const auto& pattern : acceptRegions) {
    const bool prefix = !pattern.empty() && pattern.back() == '*';
    const std::string_view stem = prefix ? std::string_view(pattern).substr(0, pattern.size() - 1) : pattern;
    if (prefix ? region.substr(0, stem.size()) == stem : region == stem) return pattern;
  }
  return std::nullopt;
}

const StatusList* Contents::statusListFor(std::string_view iss) const {
  for (const auto& s : revocation)
    if (s.iss == iss) return &s;
  return nullptr;
}

cbor::Value toCbor(const Contents& c) {
  cbor::Array issuers, revoked, accept;
  for (const auto& e : c.issuers) issuers.push_back(issuerToCbor(e));
  for (const auto& s : c.revocation) revoked.push_back(statusListToCbor(s));
  for (const auto& a : c.recognition.acceptRegions) accept.push_back(cbor::Value::text(a));
  return cbor::Value::map({
      {textKey("format"), cbor::Value::text(std::string(kFormat))},
      {textKey("version"), cbor::Value::uint(c.version)},
      {textKey("issued_at"), cbor::Value::integer(c.issuedAt)},
      {textKey("next_update"), cbor::Value::integer(c.nextUpdate)},
      {textKey("issuers"), cbor::Value::array(std::move(issuers))},
      {textKey("catalogue"), catalogue::toCbor(c.catalogue)},
      {textKey("recognition"), cbor::Value::map({{textKey("home_region"), cbor::Value::text(c.recognition.homeRegion)},
                                                 {textKey("accept_regions"), cbor::Value::array(std::move(accept))}})},
      {textKey("revoked"), cbor::Value::array(std::move(revoked))},
  });
}

Result<Contents> fromCbor(const cbor::Value& value) {
  Fields f(value, "bundle");
  TC_ASSIGN(auto format, f.text("format"));
  if (format != kFormat) return bad("bundle.format: \"" + format + "\" is not " + std::string(kFormat));
  Contents c;
  TC_ASSIGN(c.version, f.uint("version"));
  TC_ASSIGN(c.issuedAt, f.integer("issued_at"));
  TC_ASSIGN(c.nextUpdate, f.integer("next_update"));
  TC_ASSIGN(c.issuers, readList<IssuerEntry>(f, "issuers", kMaxIssuers, readIssuer));
  TC_ASSIGN(auto catalogueValue, f.get("catalogue"));
  auto cat = catalogue::fromCbor(*catalogueValue);
  if (!cat) return bad("bundle.catalogue: " + cat.error().detail);
  c.catalogue = std::move(cat).value();
  TC_ASSIGN(auto recognition, f.get("recognition"));
  TC_ASSIGN(c.recognition, readRecognition(Fields(*recognition, f.at("recognition"))));
  TC_ASSIGN(c.revocation, readList<StatusList>(f, "revoked", kMaxIssuers, readStatusList));
  return c;
}

Result<Bytes> sign(const Contents& c, const crypto::PrivateKey& root) {
  return cose::sign(root, cbor::encode(toCbor(c)));
}

Result<Verified> open(ByteView bundleBytes, const crypto::PublicKey& root) {
  if (bundleBytes.size() > kMaxBundleBytes) return bad("bundle larger than " + std::to_string(kMaxBundleBytes) + " bytes");
  auto msg = cose::parseSign1(bundleBytes, bundleProfile());
  if (!msg) return bad("not a COSE_Sign1: " + msg.error().detail);
  const cbor::Value* kid = msg->protectedHeader.find(cose::kHeaderKid);
  if (!kid || !kid->isBytes() || kid->asBytes() != Bytes(root.kid().begin(), root.kid().end()))
    return bad("not signed by the pinned root key (kid differs)");
  if (auto s = cose::verify(*msg, root); !s) return bad("root signature: " + std::string(codeName(s.code())));
  auto payload = cbor::decode(*msg->payload, bundleProfile());
  if (!payload) return bad("payload: " + payload.error().detail);
  TC_ASSIGN(auto contents, fromCbor(*payload));
  Verified v;
  v.contents_ = std::move(contents);
  v.rootKid_ = root.kid();
  v.rootAlg_ = root.alg();
  return v;
}

Result<Contents> decodeUnverified(ByteView bundleBytes, crypto::Kid& signerKid) {
  if (bundleBytes.size() > kMaxBundleBytes) return bad("bundle larger than " + std::to_string(kMaxBundleBytes) + " bytes");
  auto msg = cose::parseSign1(bundleBytes, bundleProfile());
  if (!msg) return bad("not a COSE_Sign1: " + msg.error().detail);
  const cbor::Value* kid = msg->protectedHeader.find(cose::kHeaderKid);
  if (!kid || !kid->isBytes() || kid->asBytes().size() != signerKid.size()) return bad("no 8-byte kid");
  std::copy(kid->asBytes().begin(), kid->asBytes().end(), signerKid.begin());
  if (!msg->payload) return bad("no payload");
  auto payload = cbor::decode(*msg->payload, bundleProfile());
  if (!payload) return bad("payload: " + payload.error().detail);
  return fromCbor(*payload);
}

}  // namespace titlecert::bundle
