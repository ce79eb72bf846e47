#include "titlecert/bundle_delta.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "titlecert/bundle.h"
#include "titlecert/cbor.h"
#include "titlecert/cose.h"

namespace titlecert::bundle {
namespace {

constexpr std::string_view kDeltaFormat = "titlecert-bundle-delta/1";
constexpr std::size_t kDigestSize = 32;
// The shortest run of the old bundle worth a copy: a copy op costs up to
// ~12 bytes, and shorter runs match by chance.
constexpr std::size_t kMinCopy = 24;

Error bad(std::string detail) { return makeError(Code::BAD_BUNDLE, "delta: " + std::move(detail)); }

cbor::Value textKey(std::string_view k) { return cbor::Value::text(std::string(k)); }

// FNV-1a over kMinCopy bytes: the key of the old bundle's index.
std::uint64_t blockHash(const std::uint8_t* p) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < kMinCopy; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

// Edits that turn `from` into `to`: [offset, length] copies of `from`, and
// byte strings inserted as they are. Greedy: at each position of `to`, the
// longest match starting at the first indexed occurrence of its next
// kMinCopy bytes.
cbor::Array diff(ByteView from, ByteView to) {
  std::unordered_map<std::uint64_t, std::size_t> firstAt;
  for (std::size_t i = 0; i + kMinCopy <= from.size(); ++i) firstAt.try_emplace(blockHash(from.data() + i), i);
  cbor::Array ops;
  Bytes literal;
  auto flushLiteral = [&] {
    if (!literal.empty()) ops.push_back(cbor::Value::bytes(literal));
    literal.clear();
  };
  std::size_t pos = 0;
  while (pos < to.size()) {
    std::size_t length = 0, start = 0;
    if (pos + kMinCopy <= to.size()) {
      if (auto it = firstAt.find(blockHash(to.data() + pos)); it != firstAt.end()) {
        start = it->second;
        while (start + length < from.size() && pos + length < to.size() && from[start + length] == to[pos + length])
          ++length;
      }
    }
    if (length < kMinCopy) {
      literal.push_back(to[pos++]);
      continue;
    }
    flushLiteral();
    ops.push_back(cbor::Value::array({cbor::Value::uint(start), cbor::Value::uint(length)}));
    pos += length;
  }
  flushLiteral();
  return ops;
}

Result<std::uint64_t> versionOf(ByteView bundleBytes, std::string_view which) {
  crypto::Kid kid{};
  auto contents = decodeUnverified(bundleBytes, kid);
  if (!contents) return makeError(Code::BAD_BUNDLE, std::string(which) + " bundle: " + contents.error().detail);
  return contents->version;
}

cbor::DecodeOptions deltaProfile() {
  auto o = cbor::zc1Profile();
  o.maxBytes = kMaxDeltaBytes;
  o.maxItems = 4 * kMaxDeltaOps;
  return o;
}

struct Header {
  Bytes fromDigest, toDigest;
  std::uint64_t fromVersion = 0, toVersion = 0, toSize = 0;
  const cbor::Array* ops = nullptr;
};

Result<Header> readHeader(const cbor::Value& v) {
  if (!v.isMap()) return bad("not a map");
  const auto* format = v.find("format");
  if (!format || !format->isText() || format->asText() != kDeltaFormat) return bad("format is not " + std::string(kDeltaFormat));
  Header h;
  auto digest = [&](std::string_view key, Bytes& out) {
    const auto* d = v.find(key);
    if (!d || !d->isBytes() || d->asBytes().size() != kDigestSize) return false;
    out = d->asBytes();
    return true;
  };
  auto uint = [&](std::string_view key, std::uint64_t& out) {
    const auto* u = v.find(key);
    if (!u || !u->isUnsigned()) return false;
    out = u->raw();
    return true;
  };
  if (!digest("from_sha256", h.fromDigest) || !digest("to_sha256", h.toDigest)) return bad("no 32-byte digest");
  if (!uint("from_version", h.fromVersion) || !uint("to_version", h.toVersion) || !uint("to_size", h.toSize))
    return bad("no version or size");
  if (h.toSize > kMaxBundleBytes) return bad("result larger than a bundle may be");
  const auto* ops = v.find("ops");
  if (!ops || !ops->isArray() || ops->asArray().size() > kMaxDeltaOps) return bad("no list of edits");
  h.ops = &ops->asArray();
  return h;
}

// The edits applied to `from`; every copy must lie inside it and the result
// must have the promised size.
Result<Bytes> applyOps(ByteView from, const Header& h) {
  Bytes out;
  out.reserve(static_cast<std::size_t>(h.toSize));
  for (const auto& op : *h.ops) {
    std::size_t added = 0;
    if (op.isBytes()) {
      added = op.asBytes().size();
      if (added > h.toSize - out.size()) return bad("result longer than promised");
      out.insert(out.end(), op.asBytes().begin(), op.asBytes().end());
      continue;
    }
    if (!op.isArray() || op.asArray().size() != 2 || !op.asArray()[0].isUnsigned() || !op.asArray()[1].isUnsigned())
      return bad("an edit is neither bytes nor [offset, length]");
    const std::uint64_t offset = op.asArray()[0].raw(), length = op.asArray()[1].raw();
    if (offset > from.size() || length > from.size() - offset) return bad("a copy outside the old bundle");
    if (length > h.toSize - out.size()) return bad("result longer than promised");
    out.insert(out.end(), from.begin() + static_cast<std::ptrdiff_t>(offset),
               from.begin() + static_cast<std::ptrdiff_t>(offset + length));
  }
  if (out.size() != h.toSize) return bad("result shorter than promised");
  return out;
}

}  // namespace

Result<Bytes> makeDelta(ByteView from, ByteView to, const crypto::PrivateKey& root) {
  TC_ASSIGN(auto fromVersion, versionOf(from, "old"));
  TC_ASSIGN(auto toVersion, versionOf(to, "new"));
  if (toVersion <= fromVersion)
    return makeError(Code::BUNDLE_ROLLBACK, "the new bundle (version " + std::to_string(toVersion) +
                                                ") is not newer than the old one (" + std::to_string(fromVersion) + ")");
  const auto payload = cbor::Value::map({
      {textKey("format"), cbor::Value::text(std::string(kDeltaFormat))},
      {textKey("from_sha256"), cbor::Value::bytes(crypto::sha256(from))},
      {textKey("from_version"), cbor::Value::uint(fromVersion)},
      {textKey("to_sha256"), cbor::Value::bytes(crypto::sha256(to))},
      {textKey("to_version"), cbor::Value::uint(toVersion)},
      {textKey("to_size"), cbor::Value::uint(to.size())},
      {textKey("ops"), cbor::Value::array(diff(from, to))},
  });
  return cose::sign(root, cbor::encode(payload));
}

Result<Bytes> applyDelta(ByteView from, ByteView delta, const crypto::PublicKey& root) {
  if (delta.size() > kMaxDeltaBytes) return bad("larger than " + std::to_string(kMaxDeltaBytes) + " bytes");
  auto msg = cose::parseSign1(delta, deltaProfile());
  if (!msg) return bad("not a COSE_Sign1: " + msg.error().detail);
  const cbor::Value* kid = msg->protectedHeader.find(cose::kHeaderKid);
  if (!kid || !kid->isBytes() || kid->asBytes() != Bytes(root.kid().begin(), root.kid().end()))
    return bad("not signed by the pinned root key (kid differs)");
  if (!msg->payload) return bad("no payload");
  if (auto s = cose::verify(*msg, root); !s) return bad("root signature: " + std::string(codeName(s.code())));
  auto payload = cbor::decode(*msg->payload, deltaProfile());
  if (!payload) return bad("payload: " + payload.error().detail);
  TC_ASSIGN(auto header, readHeader(*payload));
  if (header.toVersion <= header.fromVersion)
    return makeError(Code::BUNDLE_ROLLBACK, "delta: moves from version " + std::to_string(header.fromVersion) +
                                                " to version " + std::to_string(header.toVersion));
  if (crypto::sha256(from) != header.fromDigest) return bad("made for another bundle than the one held");
  TC_ASSIGN(auto out, applyOps(from, header));
  if (crypto::sha256(out) != header.toDigest) return bad("the rebuilt bundle is not the one the delta names");
  return out;
}

}  // namespace titlecert::bundle
