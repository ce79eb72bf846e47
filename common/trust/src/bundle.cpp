#include "titlecert/bundle.h"

#include <algorithm>

#include "titlecert/cbor_node.h"
#include "titlecert/cbor_tape.h"
#include "titlecert/cose.h"
#include "titlecert/field_reader.h"

namespace titlecert::bundle {
namespace {

// /2: revocation as the canonical revocation set with its issued count, and
// no certificate numbers (/1 had a bitstring and notes).
constexpr std::string_view kFormat = "titlecert-bundle/2";
constexpr std::size_t kAuditHashBytes = 32;
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
  return cbor::Value::map({{textKey("iss"), cbor::Value::text(s.iss)},
                           {textKey("issued"), cbor::Value::uint(s.issued())},
                           {textKey("set"), cbor::Value::bytes(s.revoked.encode())}});
}

// ---- reading: the field reader over CBOR, every error BAD_BUNDLE ---------------

// The readers below work over either CBOR node: a Value tree (fromCbor) or
// the tape of a bundle's payload (open, decodeUnverified).
template <class N>
using Reader = fields::FieldReader<N>;

fields::Wording bundleWording() {
  fields::Wording w;
  w.root = "bundle";
  w.notMap = "not a map";
  w.notText = "not text";
  return w;
}

// Any text up to maxBytes; the strict CBOR profile has checked its UTF-8.
fields::TextRule textOfAtMost(std::size_t maxBytes) {
  fields::TextRule r;
  r.maxBytes = maxBytes;
  r.allowEmpty = true;
  r.requireUtf8 = false;
  return r;
}

template <class N>
void integer(Reader<N>& r, std::string_view key, std::int64_t& out) {
  if (auto v = r.required(key); v && !v->asInt64(out)) r.fail(key, "not an integer");
}

// "*" (nullopt: any) or a list of unsigned codes.
template <class N>
void codeList(Reader<N>& r, std::string_view key, std::optional<std::vector<std::uint64_t>>& out) {
  auto v = r.required(key);
  if (!v) return;
  if (v->isText() && v->asText() == "*") return out.reset();
  if (!v->isArray()) return r.fail(key, "neither \"*\" nor a list of codes");
  std::vector<std::uint64_t> codes;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const N item = v->item(i);
    if (!item.isUint()) return r.fail(key, "a code is not an unsigned integer");
    codes.push_back(item.asUint());
  }
  out = std::move(codes);
}

template <class N>
void readScope(Reader<N>& f, Scope& s) {
  auto types = f.array("types", 2);
  for (std::size_t i = 0; types && i < types->size(); ++i) {
    const N t = types->item(i);
    if (t.isUint() && t.asUint() == kTypeTitle) s.titles = true;
    else if (t.isUint() && t.asUint() == kTypeQualification) s.qualifications = true;
    else return f.fail("types", "unknown credential type");
  }
  codeList(f, "series", s.series);
  codeList(f, "specialties", s.specialties);
  f.uint("max_level", s.maxLevel);
  codeList(f, "qualifications", s.qualificationCodes);
  if (f.ok() && s.maxLevel > 5) f.fail("max_level", "above 5");
}

// The key whose type must be the entry's alg; nullopt after an error. Only
// the canonical SPKI is accepted, and it is not imported into OpenSSL here:
// a verifier imports a key the first time a credential needs it.
template <class N>
std::optional<crypto::PublicKey> readKey(Reader<N>& f) {
  std::int64_t alg = 0;
  integer(f, "alg", alg);
  auto spki = f.required("public_key");
  if (!spki) return std::nullopt;
  if (!spki->isBytes()) return f.fail("public_key", "not a byte string"), std::nullopt;
  auto key = crypto::PublicKey::fromCanonicalSpkiDer(spki->asBytes());
  if (!key) return f.fail("public_key", key.error().detail), std::nullopt;
  if (static_cast<std::int64_t>(key->alg()) != alg) return f.fail("alg", "does not match the key"), std::nullopt;
  return std::move(key).value();
}

template <class N>
std::optional<IssuerEntry> readIssuer(fields::FieldErrors& errors, const N& v, const std::string& path) {
  Reader<N> f(errors, v, path);
  std::string iss, region;
  catalogue::Names name;
  f.text("iss", iss, textOfAtMost(zc1::limit::kIss));
  if (auto n = f.required("name")) {
    Reader<N> names(errors, *n, f.at("name"));
    names.text("zh", name.zh, textOfAtMost(256));
    names.text("en", name.en, textOfAtMost(256));
  }
  f.text("region", region, textOfAtMost(32));
  auto key = readKey(f);
  std::int64_t from = 0, to = 0;
  integer(f, "valid_from", from);
  integer(f, "valid_to", to);
  if (f.ok() && from >= to) f.fail("valid_to", "not after valid_from");
  Scope scope;
  if (auto s = f.required("scope")) {
    Reader<N> scopeFields(errors, *s, f.at("scope"));
    readScope(scopeFields, scope);
  }
  if (!errors.ok() || !key) return std::nullopt;
  return IssuerEntry{iss, name, region, *key, from, to, std::move(scope)};
}

template <class N>
void readIssuers(Reader<N>& f, std::vector<IssuerEntry>& out) {
  auto list = f.array("issuers", kMaxIssuers);
  for (std::size_t i = 0; list && f.errors().ok() && i < list->size(); ++i)
    if (auto e = readIssuer(f.errors(), list->item(i), fields::indexed(f.at("issuers"), i))) out.push_back(std::move(*e));
}

template <class N>
void readStatusList(fields::FieldErrors& errors, const N& v, const std::string& path, StatusList& s) {
  Reader<N> f(errors, v, path);
  f.text("iss", s.iss, textOfAtMost(zc1::limit::kIss));
  std::uint64_t issued = 0;
  f.uint("issued", issued);
  if (f.ok() && issued > kMaxStatusIssued) return f.fail("issued", "above " + std::to_string(kMaxStatusIssued));
  auto set = f.required("set");
  if (!set || !f.ok()) return;
  if (!set->isBytes() || set->asBytes().size() > kMaxStatusListBytes) return f.fail("set", "not a revocation set");
  auto decoded = revocation::RevocationSet::decode(issued, set->asBytes());
  if (!decoded) return f.fail("set", decoded.error().detail);
  s.revoked = std::move(decoded).value();
}

template <class N>
void readRecognition(Reader<N>& f, Recognition& r) {
  f.text("home_region", r.homeRegion, textOfAtMost(32));
  auto accept = f.array("accept_regions", 1024);
  for (std::size_t i = 0; accept && f.ok() && i < accept->size(); ++i) {
    const N a = accept->item(i);
    if (!a.isText() || a.asText().empty() || a.asText().size() > 32)
      return f.fail("accept_regions", "not a region pattern");
    r.acceptRegions.emplace_back(a.asText());
  }
}

// "audit_head": {"seq": uint, "hash": bstr .size 32}, added to the map
// only when present so that bundles without it keep their bytes.
cbor::Value withAuditHead(cbor::Value map, const AuditHead& head) {
  cbor::Map entries = map.asMap();
  entries.emplace_back(textKey("audit_head"),
                       cbor::Value::map({{textKey("seq"), cbor::Value::uint(head.seq)},
                                         {textKey("hash"), cbor::Value::bytes(head.hash)}}));
  return cbor::Value::map(std::move(entries));
}

template <class N>
std::optional<AuditHead> readAuditHead(Reader<N>& f) {
  f.onlyKeys({"seq", "hash"});
  AuditHead head;
  f.uint("seq", head.seq);
  auto hash = f.required("hash");
  if (!hash || !f.ok()) return std::nullopt;
  if (!hash->isBytes() || hash->asBytes().size() != kAuditHashBytes) {
    f.fail("hash", "not a " + std::to_string(kAuditHashBytes) + "-byte hash");
    return std::nullopt;
  }
  head.hash.assign(hash->asBytes().begin(), hash->asBytes().end());
  return head;
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

Result<StatusList> makeStatusList(std::string iss, std::uint64_t issued, std::vector<std::uint64_t> revoked) {
  if (issued > kMaxStatusIssued)
    return makeError(Code::INVALID_ARGUMENT, "status list of " + iss + ": more than " + std::to_string(kMaxStatusIssued) + " indices");
  std::sort(revoked.begin(), revoked.end());
  revoked.erase(std::unique(revoked.begin(), revoked.end()), revoked.end());
  auto set = revocation::RevocationSet::fromIndices(issued, revoked);
  if (!set) return makeError(set.error().code, "status list of " + iss + ": " + set.error().detail);
  return StatusList{std::move(iss), std::move(set).value()};
}

std::uint64_t issuedCovering(std::uint64_t highestRevoked) {
  return (highestRevoked / kIssuedStep + 1) * kIssuedStep;
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
  cbor::Value map = cbor::Value::map({
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
  if (c.auditHead) map = withAuditHead(std::move(map), *c.auditHead);
  return map;
}

namespace {

Result<catalogue::Catalogue> readCatalogue(const cbor::Node& n) { return catalogue::fromCbor(n.value()); }
Result<catalogue::Catalogue> readCatalogue(const cbor::TapeNode& n) { return catalogue::fromCbor(n); }

template <class N>
Result<Contents> readContents(const N& root) {
  fields::FieldErrors errors(Code::BAD_BUNDLE, bundleWording());
  Reader<N> f(errors, root, "bundle");
  Contents c;
  std::string format;
  f.text("format", format, textOfAtMost(256));
  if (f.ok() && format != kFormat) f.fail("format", "\"" + format + "\" is not " + std::string(kFormat));
  f.uint("version", c.version);
  integer(f, "issued_at", c.issuedAt);
  integer(f, "next_update", c.nextUpdate);
  readIssuers(f, c.issuers);
  if (auto cat = f.required("catalogue")) {
    auto read = readCatalogue(*cat);
    if (read) c.catalogue = std::move(read).value();
    else f.fail("catalogue", read.error().detail);
  }
  if (auto r = f.required("recognition")) {
    Reader<N> recognition(errors, *r, f.at("recognition"));
    readRecognition(recognition, c.recognition);
  }
  f.items("revoked", f.array("revoked", kMaxIssuers), c.revocation,
          [&](const N& n, const std::string& at, StatusList& s) { readStatusList(errors, n, at, s); });
  if (auto head = f.optional("audit_head")) {
    Reader<N> headFields(errors, *head, f.at("audit_head"));
    c.auditHead = readAuditHead(headFields);
  }
  TC_TRY(errors.status());
  return c;
}

// The payload is read in place from its tape: no tree, no copied strings.
// The signed envelope, read in place: the bundle's bytes must outlive it.
Result<cose::Sign1View> readEnvelope(ByteView bundleBytes) {
  if (bundleBytes.size() > kMaxBundleBytes) return bad("bundle larger than " + std::to_string(kMaxBundleBytes) + " bytes");
  auto msg = cose::parseSign1View(bundleBytes, bundleProfile());
  if (!msg) return bad("not a COSE_Sign1: " + msg.error().detail);
  return msg;
}

Result<Contents> readPayload(ByteView payload) {
  auto tape = cbor::decodeTape(payload, bundleProfile());
  if (!tape) return bad("payload: " + tape.error().detail);
  return readContents(cbor::TapeNode(*tape));
}

}  // namespace

Result<Contents> fromCbor(const cbor::Value& value) { return readContents(cbor::Node(value)); }

Result<Bytes> sign(const Contents& c, const crypto::PrivateKey& root) {
  return cose::sign(root, cbor::encode(toCbor(c)));
}

Result<Verified> open(ByteView bundleBytes, const crypto::PublicKey& root) {
  TC_ASSIGN(auto msg, readEnvelope(bundleBytes));
  const cbor::Value* kid = msg.protectedHeader.find(cose::kHeaderKid);
  if (!kid || !kid->isBytes() || kid->asBytes() != Bytes(root.kid().begin(), root.kid().end()))
    return bad("not signed by the pinned root key (kid differs)");
  if (auto s = cose::verify(msg, root); !s) return bad("root signature: " + std::string(codeName(s.code())));
  TC_ASSIGN(auto contents, readPayload(*msg.payload));
  Verified v;
  v.contents_ = std::move(contents);
  v.rootKid_ = root.kid();
  v.rootAlg_ = root.alg();
  return v;
}

Result<Contents> decodeUnverified(ByteView bundleBytes, crypto::Kid& signerKid) {
  TC_ASSIGN(auto msg, readEnvelope(bundleBytes));
  const cbor::Value* kid = msg.protectedHeader.find(cose::kHeaderKid);
  if (!kid || !kid->isBytes() || kid->asBytes().size() != signerKid.size()) return bad("no 8-byte kid");
  std::copy(kid->asBytes().begin(), kid->asBytes().end(), signerKid.begin());
  if (!msg.payload) return bad("no payload");
  return readPayload(*msg.payload);
}

}  // namespace titlecert::bundle
