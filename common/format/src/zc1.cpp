#include "titlecert/zc1.h"

#include <algorithm>
#include <array>
#include <optional>

#include "titlecert/base45.h"
#include "titlecert/cbor_node.h"
#include "titlecert/cbor_tape.h"
#include "titlecert/cose.h"

namespace titlecert::zc1 {
namespace {

// ---- Issuing ---------------------------------------------------------------

Status requireText(std::string_view field, const std::string& value, std::size_t minLen, std::size_t maxLen,
                   bool ascii) {
  if (value.size() < minLen || value.size() > maxLen)
    return makeError(Code::INVALID_ARGUMENT, std::string(field) + ": length must be " + std::to_string(minLen) +
                                                 ".." + std::to_string(maxLen) + " bytes");
  if (ascii ? !isPrintableAscii(value) : !isValidUtf8(value))
    return makeError(Code::INVALID_ARGUMENT,
                     std::string(field) + (ascii ? ": must be printable ASCII" : ": must be UTF-8"));
  return Status::Ok();
}

Status validateTitle(const TitleBody& t) {
  if (t.level < 1 || t.level > 5) return makeError(Code::INVALID_ARGUMENT, "level: must be 1..5");
  if (t.route < kMinRoute || t.route > kMaxRoute) return makeError(Code::INVALID_ARGUMENT, "route: must be 1..10");
  if (t.approvalNo) TC_TRY(requireText("approval_no", *t.approvalNo, 1, limit::kApprovalNo, false));
  if (t.employer) TC_TRY(requireText("employer", *t.employer, 1, limit::kEmployer, false));
  return Status::Ok();
}

Status validateQualification(const QualificationBody& q) {
  if (q.certNo) TC_TRY(requireText("qualification_no", *q.certNo, 1, limit::kQualCertNo, false));
  return Status::Ok();
}

void titleFields(const TitleBody& t, cbor::Map& zc) {
  zc.emplace_back(cbor::Value::uint(key::kSeries), cbor::Value::uint(t.series));
  zc.emplace_back(cbor::Value::uint(key::kSpecialty), cbor::Value::uint(t.specialty));
  zc.emplace_back(cbor::Value::uint(key::kLevel), cbor::Value::uint(t.level));
  zc.emplace_back(cbor::Value::uint(key::kRoute), cbor::Value::uint(t.route));
  zc.emplace_back(cbor::Value::uint(key::kGrantDate), cbor::Value::uint(t.grantDate));
  if (t.approvalNo) zc.emplace_back(cbor::Value::uint(key::kApprovalNo), cbor::Value::text(*t.approvalNo));
  if (t.committee) zc.emplace_back(cbor::Value::uint(key::kCommittee), cbor::Value::uint(*t.committee));
  if (t.employer) zc.emplace_back(cbor::Value::uint(key::kEmployer), cbor::Value::text(*t.employer));
}

void qualificationFields(const QualificationBody& q, cbor::Map& zc) {
  zc.emplace_back(cbor::Value::uint(key::kQualification), cbor::Value::uint(q.qualification));
  zc.emplace_back(cbor::Value::uint(key::kQualLevel), cbor::Value::uint(q.level));
  zc.emplace_back(cbor::Value::uint(key::kDateObtained), cbor::Value::uint(q.dateObtained));
  if (q.certNo) zc.emplace_back(cbor::Value::uint(key::kQualCertNo), cbor::Value::text(*q.certNo));
}

cbor::Value bodyMap(const Credential& c) {
  cbor::Map zc;
  zc.emplace_back(cbor::Value::uint(key::kType), cbor::Value::uint(static_cast<std::uint64_t>(c.type())));
  zc.emplace_back(cbor::Value::uint(key::kHolderName), cbor::Value::text(c.holderName));
  zc.emplace_back(cbor::Value::uint(key::kIdh), cbor::Value::bytes(ByteView(c.idh)));
  zc.emplace_back(cbor::Value::uint(key::kCatalogueVersion), cbor::Value::uint(c.catalogueVersion));
  zc.emplace_back(cbor::Value::uint(key::kStatusIndex), cbor::Value::uint(c.statusIndex));
  if (const auto* t = c.title()) titleFields(*t, zc);
  if (const auto* q = c.qualification()) qualificationFields(*q, zc);
  for (const auto& [k, v] : c.extensions) zc.emplace_back(cbor::Value::uint(k), v);
  return cbor::Value::map(std::move(zc));
}

// ---- Opening: small steps in the order of the result-code table ----------

constexpr std::size_t kSign1Parts = 4;

// The three CBOR layers as tapes: no tree is built and no string copied;
// every tape refers to the decoded COSE bytes, which outlive it.
struct Layers {
  cbor::Tape outer;
  std::optional<cbor::Tape> protectedHeader;
  std::optional<cbor::Tape> payload;

  bool tagged() const { return outer[0].type == cbor::Type::Tag; }
  std::uint64_t tag() const { return outer[0].arg; }
  // The item under the optional outer tag.
  cbor::TapeNode item() const { return cbor::TapeNode(outer, tagged() ? 1 : 0); }
  bool isFourArray() const { return item().isArray() && item().size() == kSign1Parts; }
  std::array<cbor::TapeNode, kSign1Parts> parts() const {
    const cbor::TapeNode array = item();
    return {array.item(0), array.item(1), array.item(2), array.item(3)};
  }
};

Result<Bytes> decodeText(std::string_view text) {
  if (text.substr(0, kPrefix.size()) != kPrefix) return makeError(Code::NOT_ZC1, "no ZC1: prefix");
  const std::string_view body = text.substr(kPrefix.size());
  if (body.empty()) return makeError(Code::BAD_CBOR, "nothing after ZC1:");
  TC_ASSIGN(auto cose, base45::decode(body));
  if (cose.size() > kMaxCoseBytes)
    return makeError(Code::BAD_CBOR, "COSE_Sign1 of " + std::to_string(cose.size()) + " bytes exceeds 2048");
  return cose;
}

// Every CBOR layer is decoded before the COSE shape is judged (ZC1.md §6).
Result<Layers> decodeLayers(ByteView cose) {
  const auto profile = cbor::zc1Profile();
  TC_ASSIGN(auto outer, cbor::decodeTape(cose, profile));
  Layers layers{std::move(outer), std::nullopt, std::nullopt};
  if (!layers.isFourArray()) return layers;
  const auto parts = layers.parts();
  if (parts[0].isBytes() && !parts[0].asBytes().empty()) {
    TC_ASSIGN(layers.protectedHeader, cbor::decodeTape(parts[0].asBytes(), profile));
  }
  if (parts[2].isBytes()) {
    TC_ASSIGN(layers.payload, cbor::decodeTape(parts[2].asBytes(), profile));
  }
  return layers;
}

Status checkShape(const Layers& layers) {
  if (layers.tagged() && layers.tag() != cose::kSign1Tag)
    return makeError(Code::BAD_COSE, "outer tag " + std::to_string(layers.tag()) + " is not 18");
  if (!layers.isFourArray()) return makeError(Code::BAD_COSE, "not a 4-element COSE_Sign1 array");
  const auto parts = layers.parts();
  if (!parts[0].isBytes() || !parts[1].isMap() || !parts[2].isBytes() || !parts[3].isBytes())
    return makeError(Code::BAD_COSE, "COSE_Sign1 must be [bstr, map, bstr, bstr]");
  if (!layers.protectedHeader || !cbor::TapeNode(*layers.protectedHeader).isMap())
    return makeError(Code::BAD_COSE, "protected header is not a map");
  return Status::Ok();
}

// Integer-keyed look-ups over either node type: open() reads tapes,
// decodeClaims a Value tree. Absent, or not a map: nullopt.
std::optional<cbor::Node> findKey(const cbor::Node& map, std::int64_t key) {
  const cbor::Value* v = map.value().find(key);
  if (!v) return std::nullopt;
  return cbor::Node(*v);
}

// Keys of one major type come in ascending order in a strict map (the
// shorter encoding first, then bytewise), so the search may stop early.
std::optional<cbor::TapeNode> findKey(const cbor::TapeNode& map, std::int64_t key) {
  if (!map.isMap()) return std::nullopt;
  const cbor::Tape& tape = map.tape();
  const cbor::Type type = key < 0 ? cbor::Type::Negative : cbor::Type::Unsigned;
  const std::uint64_t arg = key < 0 ? static_cast<std::uint64_t>(-1 - key) : static_cast<std::uint64_t>(key);
  std::size_t k = map.index() + 1;
  for (std::size_t pair = 0; pair < map.size(); ++pair) {
    const cbor::TapeItem& item = tape[k];
    const std::size_t v = item.next;
    if (item.type == type && item.arg == arg) return cbor::TapeNode(tape, v);
    if (item.type == type && item.arg > arg && tape.strict()) return std::nullopt;
    k = tape[v].next;
  }
  return std::nullopt;
}

cbor::Value toValue(const cbor::Node& node) { return node.value(); }
cbor::Value toValue(const cbor::TapeNode& node) { return cbor::toValue(node.tape(), node.index()); }

struct Header {
  crypto::Alg alg{};
  crypto::Kid kid{};
};

// crit, a missing alg or kid, a non-bstr kid: BAD_COSE; a text or unknown
// alg: UNSUPPORTED_ALG; a kid that is not 8 bytes: UNKNOWN_KID. Labels in
// the unprotected header are ignored.
Result<Header> readHeader(const cbor::TapeNode& header) {
  if (findKey(header, cose::kHeaderCrit)) return makeError(Code::BAD_COSE, "crit is not supported");
  const auto alg = findKey(header, cose::kHeaderAlg);
  const auto kid = findKey(header, cose::kHeaderKid);
  if (!alg) return makeError(Code::BAD_COSE, "no alg in the protected header");
  if (!kid) return makeError(Code::BAD_COSE, "no kid in the protected header");
  if (!kid->isBytes()) return makeError(Code::BAD_COSE, "kid is not a byte string");
  Header out;
  std::int64_t label = 0;
  TC_ASSIGN(out.alg, cose::algFromHeaderValue(alg->asInt64(label) ? std::optional(label) : std::nullopt));
  if (kid->asBytes().size() != crypto::kKidSize) return makeError(Code::UNKNOWN_KID, "kid is not 8 bytes");
  std::copy(kid->asBytes().begin(), kid->asBytes().end(), out.kid.begin());
  return out;
}

Result<std::string> readIss(const cbor::TapeNode& payload) {
  const auto iss = findKey(payload, key::kIss);
  if (!iss || !iss->isText() || iss->asText().empty() || iss->asText().size() > limit::kIss ||
      !isPrintableAscii(iss->asText()))
    return makeError(Code::UNKNOWN_KID, "no usable iss in the claims");
  return std::string(iss->asText());
}

// Trusted keys for (iss, kid) whose type fits alg.
Result<std::vector<const TrustedKey*>> candidateKeys(const KeyLookup& keys, const std::string& iss,
                                                     const Header& header) {
  std::vector<const TrustedKey*> found;
  keys.find(iss, header.kid, found);
  if (found.empty()) return makeError(Code::UNKNOWN_KID, "no trusted key for this iss and kid");
  std::vector<const TrustedKey*> fitting;
  for (const auto* k : found)
    if (k->key.alg() == header.alg) fitting.push_back(k);
  if (fitting.empty()) return makeError(Code::UNSUPPORTED_ALG, "alg does not match the trusted key");
  return fitting;
}

// Every candidate that verifies; one generic BAD_SIGNATURE when none does.
Result<std::vector<const TrustedKey*>> verifyingKeys(const std::vector<const TrustedKey*>& candidates,
                                                     const Bytes& toBeSigned, ByteView signature) {
  std::vector<const TrustedKey*> good;
  for (const auto* k : candidates)
    if (k->key.verify(toBeSigned, signature).ok()) good.push_back(k);
  if (good.empty()) return makeError(Code::BAD_SIGNATURE, "signature does not verify");
  return good;
}

// A key's window [valid_from, valid_to) bounds the iat of what it signs.
Result<std::vector<const TrustedKey*>> keysValidAt(std::vector<const TrustedKey*> keys, std::uint64_t iat) {
  std::vector<const TrustedKey*> inWindow;
  for (const auto* k : keys) {
    const bool afterStart = k->validFrom < 0 || iat >= static_cast<std::uint64_t>(k->validFrom);
    const bool beforeEnd = k->validTo >= 0 && iat < static_cast<std::uint64_t>(k->validTo);
    if (afterStart && beforeEnd) inWindow.push_back(k);
  }
  if (inWindow.empty()) return makeError(Code::KEY_NOT_VALID, "iat outside the signing key's validity window");
  return inWindow;
}

// ---- Claims ------------------------------------------------------------------

Error badClaims(std::string detail) { return makeError(Code::BAD_CLAIMS, std::move(detail)); }

// The claim readers below take a cbor::Node or a cbor::TapeNode.
template <class N>
Result<std::uint64_t> requireUint(const N& map, std::int64_t k, const char* name) {
  const auto v = findKey(map, k);
  if (!v) return badClaims(std::string(name) + " missing");
  if (!v->isUint()) return badClaims(std::string(name) + " is not an unsigned integer");
  return v->asUint();
}

template <class N>
Result<std::optional<std::uint64_t>> optionalUint(const N& map, std::int64_t k, const char* name) {
  const auto v = findKey(map, k);
  if (!v) return std::optional<std::uint64_t>{};
  if (!v->isUint()) return badClaims(std::string(name) + " is not an unsigned integer");
  return std::optional<std::uint64_t>{v->asUint()};
}

template <class N>
Result<std::optional<std::string>> optionalText(const N& map, std::int64_t k, const char* name, std::size_t maxLen) {
  const auto v = findKey(map, k);
  if (!v) return std::optional<std::string>{};
  if (!v->isText() || v->asText().size() > maxLen)
    return badClaims(std::string(name) + " is not text of at most " + std::to_string(maxLen) + " bytes");
  return std::optional<std::string>{std::string(v->asText())};
}

enum class KeyClass { Common, Title, Qualification, Undefined, Extension };

KeyClass classify(std::uint64_t k) {
  if (k >= 1 && k <= 5) return KeyClass::Common;
  if (k >= 10 && k <= 17) return KeyClass::Title;
  if (k >= 20 && k <= 23) return KeyClass::Qualification;
  if (k >= static_cast<std::uint64_t>(key::kFirstExtension)) return KeyClass::Extension;
  return KeyClass::Undefined;
}

// Sorts zc's keys: BAD_CLAIMS for a key that is not a positive integer or
// belongs to the other type; `unknown` set for an undefined key in 1..99
// (UNSUPPORTED_VERSION, reported only if nothing else is wrong).
template <class N>
Status classifyKeys(const N& zc, CredentialType type, bool& unknown,
                    std::vector<std::pair<std::uint64_t, cbor::Value>>& extensions) {
  const KeyClass other = type == CredentialType::Title ? KeyClass::Qualification : KeyClass::Title;
  Status status = Status::Ok();
  zc.forEachEntry([&](const N& k, const N& v) {
    if (!k.isUint() || k.asUint() == 0) {
      status = badClaims("zc key is not a positive integer");
      return false;
    }
    const KeyClass c = classify(k.asUint());
    if (c == other) {
      status = badClaims("zc key " + std::to_string(k.asUint()) + " belongs to the other credential type");
      return false;
    }
    if (c == KeyClass::Undefined) unknown = true;
    if (c == KeyClass::Extension) extensions.emplace_back(k.asUint(), toValue(v));
    return true;
  });
  return status;
}

template <class N>
Result<TitleBody> readTitle(const N& zc) {
  TitleBody t;
  TC_ASSIGN(t.series, requireUint(zc, key::kSeries, "series"));
  TC_ASSIGN(t.specialty, requireUint(zc, key::kSpecialty, "specialty"));
  TC_ASSIGN(t.level, requireUint(zc, key::kLevel, "level"));
  TC_ASSIGN(t.route, requireUint(zc, key::kRoute, "route"));
  TC_ASSIGN(t.grantDate, requireUint(zc, key::kGrantDate, "grant date"));
  TC_ASSIGN(t.approvalNo, optionalText(zc, key::kApprovalNo, "approval number", limit::kApprovalNo));
  TC_ASSIGN(t.committee, optionalUint(zc, key::kCommittee, "committee"));
  TC_ASSIGN(t.employer, optionalText(zc, key::kEmployer, "employer", limit::kEmployer));
  if (t.level < 1 || t.level > 5) return badClaims("title level is not 1..5");
  if (t.route < kMinRoute || t.route > kMaxRoute) return badClaims("route is not in the route table");
  return t;
}

template <class N>
Result<QualificationBody> readQualification(const N& zc) {
  QualificationBody q;
  TC_ASSIGN(q.qualification, requireUint(zc, key::kQualification, "qualification"));
  TC_ASSIGN(q.level, requireUint(zc, key::kQualLevel, "qualification level"));
  TC_ASSIGN(q.dateObtained, requireUint(zc, key::kDateObtained, "date obtained"));
  TC_ASSIGN(q.certNo, optionalText(zc, key::kQualCertNo, "qualification certificate number", limit::kQualCertNo));
  return q;
}

// The type decides which body is read. Not an unsigned integer: BAD_CLAIMS;
// an unsigned other than 1 or 2: UNSUPPORTED_VERSION.
template <class N>
Result<CredentialType> readType(const N& zc) {
  TC_ASSIGN(auto type, requireUint(zc, key::kType, "type"));
  if (type != 1 && type != 2) return makeError(Code::UNSUPPORTED_VERSION, "credential type " + std::to_string(type));
  return static_cast<CredentialType>(type);
}

template <class N>
Status readCommon(const N& zc, Credential& c) {
  const auto name = findKey(zc, key::kHolderName);
  if (!name || !name->isText() || name->asText().empty() || name->asText().size() > limit::kHolderName)
    return badClaims("holder name is not text of 1..128 bytes");
  c.holderName = name->asText();
  const auto idh = findKey(zc, key::kIdh);
  if (!idh || !idh->isBytes() || idh->asBytes().size() != c.idh.size()) return badClaims("idh is not 16 bytes");
  std::copy(idh->asBytes().begin(), idh->asBytes().end(), c.idh.begin());
  TC_ASSIGN(c.catalogueVersion, requireUint(zc, key::kCatalogueVersion, "catalogue version"));
  TC_ASSIGN(c.statusIndex, requireUint(zc, key::kStatusIndex, "status index"));
  return Status::Ok();
}

template <class N>
Status readEnvelopeClaims(const N& claims, Credential& c) {
  c.iss = findKey(claims, key::kIss)->asText();  // checked by readIss before the signature
  TC_ASSIGN(c.iat, requireUint(claims, key::kIat, "iat"));
  TC_ASSIGN(c.exp, optionalUint(claims, key::kExp, "exp"));
  TC_ASSIGN(c.nbf, optionalUint(claims, key::kNbf, "nbf"));
  const auto cti = findKey(claims, key::kCti);
  if (!cti || !cti->isBytes() || cti->asBytes().empty() || cti->asBytes().size() > limit::kCti ||
      !isPrintableAscii(asText(cti->asBytes())))
    return badClaims("cti is not 1..32 bytes of printable ASCII");
  c.certNo = std::string(asText(cti->asBytes()));
  return Status::Ok();
}

}  // namespace

// ---- Public API ---------------------------------------------------------------

Status validateForIssue(const Credential& c) {
  TC_TRY(requireText("iss", c.iss, 1, limit::kIss, true));
  TC_TRY(requireText("cert_no", c.certNo, 1, limit::kCti, true));
  TC_TRY(requireText("holder.name", c.holderName, 1, limit::kHolderName, false));
  for (const auto& [k, v] : c.extensions)
    if (k < static_cast<std::uint64_t>(key::kFirstExtension))
      return makeError(Code::INVALID_ARGUMENT, "extension keys start at 100");
  if (const auto* t = c.title()) return validateTitle(*t);
  return validateQualification(*c.qualification());
}

Result<Bytes> encodeClaims(const Credential& c) {
  TC_TRY(validateForIssue(c));
  cbor::Map claims;
  claims.emplace_back(cbor::Value::uint(key::kIss), cbor::Value::text(c.iss));
  if (c.exp) claims.emplace_back(cbor::Value::uint(key::kExp), cbor::Value::uint(*c.exp));
  if (c.nbf) claims.emplace_back(cbor::Value::uint(key::kNbf), cbor::Value::uint(*c.nbf));
  claims.emplace_back(cbor::Value::uint(key::kIat), cbor::Value::uint(c.iat));
  claims.emplace_back(cbor::Value::uint(key::kCti), cbor::Value::bytes(asBytes(c.certNo)));
  claims.emplace_back(cbor::Value::integer(key::kZc), bodyMap(c));
  return cbor::encode(cbor::Value::map(std::move(claims)));  // encode() sorts the keys
}

Result<Bytes> signCose(const Credential& c, const crypto::PrivateKey& key) {
  TC_ASSIGN(auto claims, encodeClaims(c));
  return signClaims(claims, key);
}

Result<Bytes> signClaims(ByteView claims, const crypto::PrivateKey& key) {
  TC_ASSIGN(auto cose, cose::sign(key, claims));
  if (cose.size() > kMaxCoseBytes) return makeError(Code::PAYLOAD_TOO_LARGE, "COSE_Sign1 over 2048 bytes");
  return cose;
}

Result<std::string> issueClaims(ByteView claims, const crypto::PrivateKey& key) {
  TC_ASSIGN(auto cose, signClaims(claims, key));
  return std::string(kPrefix) + base45::encode(cose);
}

Result<std::string> issue(const Credential& c, const crypto::PrivateKey& key) {
  TC_ASSIGN(auto claims, encodeClaims(c));
  return issueClaims(claims, key);
}

void KeyList::find(std::string_view iss, const crypto::Kid& kid, std::vector<const TrustedKey*>& out) const {
  for (const auto& k : keys_)
    if (k.iss == iss && k.key.kid() == kid) out.push_back(&k);
}

namespace {

template <class N>
Result<Credential> readClaims(const N& claims, const CodeCheck* codes) {
  if (!claims.isMap()) return badClaims("claims are not a map");
  Credential c;
  TC_TRY(readEnvelopeClaims(claims, c));
  const auto zc = findKey(claims, key::kZc);
  if (!zc || !zc->isMap()) return badClaims("zc missing or not a map");
  TC_ASSIGN(auto type, readType(*zc));
  bool unknownKey = false;
  TC_TRY(classifyKeys(*zc, type, unknownKey, c.extensions));
  TC_TRY(readCommon(*zc, c));
  if (type == CredentialType::Title) {
    TC_ASSIGN(c.body, readTitle(*zc));
  } else {
    TC_ASSIGN(c.body, readQualification(*zc));
  }
  if (codes) TC_TRY(codes->check(c));
  // Last: BAD_CLAIMS comes before UNSUPPORTED_VERSION in the result table.
  if (unknownKey) return makeError(Code::UNSUPPORTED_VERSION, "zc has a key in 1..99 this version does not define");
  return c;
}

}  // namespace

Result<Credential> decodeClaims(const cbor::Value& claims, const CodeCheck* codes) {
  return readClaims(cbor::Node(claims), codes);
}

Result<Opened> open(std::string_view text, const KeyLookup& keys, const CodeCheck* codes) {
  TC_ASSIGN(auto cose, decodeText(text));
  TC_ASSIGN(auto layers, decodeLayers(cose));
  TC_TRY(checkShape(layers));
  TC_ASSIGN(auto header, readHeader(cbor::TapeNode(*layers.protectedHeader)));
  const cbor::TapeNode payload(*layers.payload);  // decoded: checkShape saw a bstr
  TC_ASSIGN(auto iss, readIss(payload));
  TC_ASSIGN(auto candidates, candidateKeys(keys, iss, header));

  const auto parts = layers.parts();
  const Bytes toBeSigned = cose::sigStructure(parts[0].asBytes(), {}, parts[2].asBytes());
  TC_ASSIGN(auto verified, verifyingKeys(candidates, toBeSigned, parts[3].asBytes()));

  Opened opened;
  TC_ASSIGN(opened.credential_, readClaims(payload, codes));
  TC_ASSIGN(opened.signers_, keysValidAt(std::move(verified), opened.credential_.iat));
  opened.alg_ = header.alg;
  opened.kid_ = header.kid;
  opened.coseSize_ = cose.size();
  return opened;
}

}  // namespace titlecert::zc1
