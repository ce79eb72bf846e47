#include "titlecert/cose.h"

namespace titlecert::cose {
namespace {

// A protected bstr holds a map; the empty bstr stands for the empty map
// (RFC 9052 §3).
Result<cbor::Value> decodeProtected(const Bytes& bytes, const cbor::DecodeOptions& options) {
  if (bytes.empty()) return cbor::Value::map({});
  TC_ASSIGN(auto header, cbor::decode(bytes, options));
  if (!header.isMap()) return makeError(Code::BAD_COSE, "protected header is not a map");
  return header;
}

}  // namespace

Result<Sign1> parseSign1(ByteView encoded, const cbor::DecodeOptions& options) {
  TC_ASSIGN(auto outer, cbor::decode(encoded, options));
  Sign1 msg;
  const cbor::Value* item = &outer;
  if (item->isTag()) {
    if (item->raw() != kSign1Tag) return makeError(Code::BAD_COSE, "tag " + std::to_string(item->raw()) + " is not COSE_Sign1 (18)");
    msg.tagged = true;
    item = &item->tagged();
  }
  if (!item->isArray() || item->asArray().size() != 4) return makeError(Code::BAD_COSE, "not a 4-element array");
  const auto& parts = item->asArray();
  if (!parts[0].isBytes()) return makeError(Code::BAD_COSE, "protected header is not a byte string");
  if (!parts[1].isMap()) return makeError(Code::BAD_COSE, "unprotected header is not a map");
  if (!parts[2].isBytes() && !parts[2].isNull()) return makeError(Code::BAD_COSE, "payload is neither bstr nor nil");
  if (!parts[3].isBytes()) return makeError(Code::BAD_COSE, "signature is not a byte string");
  msg.protectedBytes = parts[0].asBytes();
  TC_ASSIGN(msg.protectedHeader, decodeProtected(msg.protectedBytes, options));
  msg.unprotectedHeader = parts[1];
  if (parts[2].isBytes()) msg.payload = parts[2].asBytes();
  msg.signature = parts[3].asBytes();
  return msg;
}

Bytes sigStructure(ByteView protectedBytes, ByteView externalAad, ByteView payload) {
  cbor::Writer w;
  w.arrayHeader(4);
  w.text("Signature1");
  w.bytes(protectedBytes);
  w.bytes(externalAad);
  w.bytes(payload);
  return w.take();
}

Result<crypto::Alg> headerAlg(const cbor::Value& header) {
  const cbor::Value* alg = header.find(kHeaderAlg);
  if (!alg) return makeError(Code::BAD_COSE, "no alg");
  std::int64_t value = 0;
  crypto::Alg out{};
  if (!alg->asInt64(value) || !crypto::algFromCose(value, out))
    return makeError(Code::UNSUPPORTED_ALG, "alg not in ZC1.md §2");
  return out;
}

Status verify(const Sign1& msg, const crypto::PublicKey& key, ByteView externalAad, bool allowUnprotectedAlg) {
  if (!msg.payload) return makeError(Code::BAD_COSE, "detached payload");
  const bool inProtected = msg.protectedHeader.find(kHeaderAlg) != nullptr;
  const cbor::Value& header = inProtected || !allowUnprotectedAlg ? msg.protectedHeader : msg.unprotectedHeader;
  TC_ASSIGN(auto alg, headerAlg(header));
  // No algorithm substitution: the key's type fixes the algorithm.
  if (alg != key.alg()) return makeError(Code::UNSUPPORTED_ALG, "alg does not match the key");
  const Bytes toBeSigned = sigStructure(msg.protectedBytes, externalAad, *msg.payload);
  return key.verify(toBeSigned, msg.signature);
}

Result<Bytes> sign(const crypto::PrivateKey& key, ByteView payload) {
  const auto& kid = key.publicKey().kid();
  cbor::Writer header;  // keys 1 < 4: already in deterministic order
  header.mapHeader(2);
  header.uint(kHeaderAlg);
  header.integer(static_cast<std::int64_t>(key.alg()));
  header.uint(kHeaderKid);
  header.bytes(kid);
  const Bytes protectedBytes = header.take();

  TC_ASSIGN(auto signature, key.sign(sigStructure(protectedBytes, {}, payload)));

  cbor::Writer w;
  w.tag(kSign1Tag);
  w.arrayHeader(4);
  w.bytes(protectedBytes);
  w.mapHeader(0);
  w.bytes(payload);
  w.bytes(signature);
  return w.take();
}

}  // namespace titlecert::cose
