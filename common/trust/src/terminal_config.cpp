#include "titlecert/terminal_config.h"

#include <algorithm>

#include "titlecert/cbor.h"
#include "titlecert/cose.h"

namespace titlecert::terminal {
namespace {

// Names the map so that no other signed object of the same root (a trust
// bundle) can be taken for a terminal configuration.
constexpr const char* kKind = "titlecert-terminal-config";

Error bad(const std::string& why) { return makeError(Code::BAD_CONFIG, "terminal configuration: " + why); }

cbor::DecodeOptions configProfile() {
  auto o = cbor::zc1Profile();
  o.maxBytes = kMaxConfigBytes;
  return o;
}

cbor::Value toCbor(const Config& c) {
  cbor::Array roots;
  for (const auto& r : c.roots) roots.push_back(cbor::Value::bytes(r.spkiDer()));
  return cbor::Value::map({
      {cbor::Value::text("kind"), cbor::Value::text(kKind)},
      {cbor::Value::text("version"), cbor::Value::uint(c.version)},
      {cbor::Value::text("roots"), cbor::Value::array(std::move(roots))},
      {cbor::Value::text("max_bundle_age_days"), cbor::Value::uint(c.maxBundleAgeDays)},
      {cbor::Value::text("lang"), cbor::Value::text(c.lang)},
      {cbor::Value::text("bundle_dir"), cbor::Value::text(c.bundleDir)},
  });
}

Result<const cbor::Value*> field(const cbor::Value& map, const char* key, bool (cbor::Value::*is)() const) {
  const cbor::Value* v = map.find(std::string_view(key));
  if (!v || !(v->*is)()) return bad(std::string("field ") + key + " missing or of the wrong type");
  return v;
}

Result<Config> fromCbor(const cbor::Value& map) {
  if (!map.isMap()) return bad("payload is not a map");
  if (map.asMap().size() != 6) return bad("unexpected fields");
  TC_ASSIGN(auto kind, field(map, "kind", &cbor::Value::isText));
  if (kind->asText() != kKind) return bad("not a terminal configuration");
  Config c;
  TC_ASSIGN(auto version, field(map, "version", &cbor::Value::isUnsigned));
  c.version = version->raw();
  TC_ASSIGN(auto roots, field(map, "roots", &cbor::Value::isArray));
  for (const auto& r : roots->asArray()) {
    if (!r.isBytes()) return bad("a root is not a byte string");
    auto key = crypto::PublicKey::fromSpkiDer(r.asBytes());
    if (!key) return bad("a root key: " + key.error().detail);
    c.roots.push_back(std::move(*key));
  }
  TC_ASSIGN(auto age, field(map, "max_bundle_age_days", &cbor::Value::isUnsigned));
  c.maxBundleAgeDays = age->raw();
  TC_ASSIGN(auto lang, field(map, "lang", &cbor::Value::isText));
  c.lang = lang->asText();
  TC_ASSIGN(auto dir, field(map, "bundle_dir", &cbor::Value::isText));
  c.bundleDir = dir->asText();
  TC_TRY(validate(c));
  return c;
}

Result<cose::Sign1> parse(ByteView bytes) {
  if (bytes.size() > kMaxConfigBytes) return bad("larger than " + std::to_string(kMaxConfigBytes) + " bytes");
  auto msg = cose::parseSign1(bytes, configProfile());
  if (!msg) return bad("not a COSE_Sign1: " + msg.error().detail);
  if (!msg->payload) return bad("no payload");
  return msg;
}

Result<crypto::Kid> kidOf(const cose::Sign1& msg) {
  const cbor::Value* kid = msg.protectedHeader.find(cose::kHeaderKid);
  crypto::Kid out{};
  if (!kid || !kid->isBytes() || kid->asBytes().size() != out.size()) return bad("no 8-byte kid");
  std::copy(kid->asBytes().begin(), kid->asBytes().end(), out.begin());
  return out;
}

Result<Config> decodePayload(const cose::Sign1& msg) {
  auto payload = cbor::decode(*msg.payload, configProfile());
  if (!payload) return bad("payload: " + payload.error().detail);
  return fromCbor(*payload);
}

}  // namespace

Status validate(const Config& c) {
  if (c.version == 0) return bad("version must be 1 or more");
  if (c.roots.empty()) return bad("no root key");
  if (c.maxBundleAgeDays > kMaxBundleAgeDaysLimit)
    return bad("max_bundle_age_days over " + std::to_string(kMaxBundleAgeDaysLimit));
  if (c.lang != "zh" && c.lang != "en") return bad("lang must be zh or en");
  return Status::Ok();
}

Result<Bytes> sign(const Config& c, const crypto::PrivateKey& root) {
  TC_TRY(validate(c));
  return cose::sign(root, cbor::encode(toCbor(c)));
}

Result<Config> open(ByteView bytes, const std::vector<crypto::PublicKey>& trustedRoots, crypto::Kid* signerKid) {
  TC_ASSIGN(auto msg, parse(bytes));
  TC_ASSIGN(auto kid, kidOf(msg));
  const auto root = std::find_if(trustedRoots.begin(), trustedRoots.end(), [&](const auto& r) { return r.kid() == kid; });
  if (root == trustedRoots.end()) return bad("not signed by a root this terminal trusts (kid " + toHex(kid) + ")");
  if (auto s = cose::verify(msg, *root); !s) return bad("root signature: " + std::string(codeName(s.code())));
  if (signerKid) *signerKid = kid;
  return decodePayload(msg);
}

Result<Config> decodeUnverified(ByteView bytes, crypto::Kid& signerKid) {
  TC_ASSIGN(auto msg, parse(bytes));
  TC_ASSIGN(signerKid, kidOf(msg));
  return decodePayload(msg);
}

}  // namespace titlecert::terminal
