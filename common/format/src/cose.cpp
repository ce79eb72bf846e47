#include "titlecert/cose.h"

#include <array>

#include "titlecert/cbor_tape.h"

namespace titlecert::cose {
namespace {

// A protected bstr holds a map; the empty bstr stands for the empty map
// (RFC 9052 §3).
Result<cbor::Value> decodeProtected(ByteView bytes, const cbor::DecodeOptions& options) {
  if (bytes.empty()) return cbor::Value::map({});
  TC_ASSIGN(auto header, cbor::decode(bytes, options));
  if (!header.isMap()) return makeError(Code::BAD_COSE, "protected header is not a map");
  return header;
}

// Where the four parts of a COSE_Sign1 sit on its tape, once their types
// have been checked.
struct Parts {
  bool tagged = false;
  std::array<std::size_t, 4> index{};
};

Result<Parts> readShape(const cbor::Tape& tape) {
  Parts out;
  std::size_t item = 0;
  if (tape[item].type == cbor::Type::Tag) {
    if (tape[item].arg != kSign1Tag) return makeError(Code::BAD_COSE, "tag " + std::to_string(tape[item].arg) + " is not COSE_Sign1 (18)");
    out.tagged = true;
    item = 1;
  }
  const cbor::TapeNode outer(tape, item);
  if (!outer.isArray() || outer.size() != 4) return makeError(Code::BAD_COSE, "not a 4-element array");
  const cbor::TapeNode parts[4] = {outer.item(0), outer.item(1), outer.item(2), outer.item(3)};
  if (!parts[0].isBytes()) return makeError(Code::BAD_COSE, "protected header is not a byte string");
  if (!parts[1].isMap()) return makeError(Code::BAD_COSE, "unprotected header is not a map");
  if (!parts[2].isBytes() && !parts[2].isNull()) return makeError(Code::BAD_COSE, "payload is neither bstr nor nil");
  if (!parts[3].isBytes()) return makeError(Code::BAD_COSE, "signature is not a byte string");
  for (std::size_t i = 0; i < 4; ++i) out.index[i] = parts[i].index();
  return out;
}

// A lenient profile admits strings in chunks, which have no single view.
bool chunked(const cbor::Tape& tape, std::size_t index) {
  return tape[index].type == cbor::Type::Bytes && tape[index].ai == 31;
}

// A byte string of the message, chunks joined.
Bytes copyBytes(const cbor::Tape& tape, std::size_t index) {
  if (chunked(tape, index)) return cbor::toValue(tape, index).asBytes();
  const ByteView view = cbor::TapeNode(tape, index).asBytes();
  return Bytes(view.begin(), view.end());
}

Status verifyParts(ByteView protectedBytes, const cbor::Value& protectedHeader, const cbor::Value& unprotectedHeader,
                   const std::optional<ByteView>& payload, ByteView signature, const crypto::PublicKey& key,
                   ByteView externalAad, bool allowUnprotectedAlg) {
  if (!payload) return makeError(Code::BAD_COSE, "detached payload");
  const bool inProtected = protectedHeader.find(kHeaderAlg) != nullptr;
  const cbor::Value& header = inProtected || !allowUnprotectedAlg ? protectedHeader : unprotectedHeader;
  TC_ASSIGN(auto alg, headerAlg(header));
  // No algorithm substitution: the key's type fixes the algorithm.
  if (alg != key.alg()) return makeError(Code::UNSUPPORTED_ALG, "alg does not match the key");
  const Bytes toBeSigned = sigStructure(protectedBytes, externalAad, *payload);
  return key.verify(toBeSigned, signature);
}

}  // namespace

Result<Sign1View> parseSign1View(ByteView encoded, const cbor::DecodeOptions& options) {
  TC_ASSIGN(auto tape, cbor::decodeTape(encoded, options));
  TC_ASSIGN(auto parts, readShape(tape));
  for (std::size_t i : parts.index)
    if (chunked(tape, i)) return makeError(Code::BAD_COSE, "a byte string of the message is in chunks");
  Sign1View msg;
  msg.tagged = parts.tagged;
  msg.protectedBytes = cbor::TapeNode(tape, parts.index[0]).asBytes();
  TC_ASSIGN(msg.protectedHeader, decodeProtected(msg.protectedBytes, options));
  msg.unprotectedHeader = cbor::toValue(tape, parts.index[1]);
  if (tape[parts.index[2]].type == cbor::Type::Bytes) msg.payload = cbor::TapeNode(tape, parts.index[2]).asBytes();
  msg.signature = cbor::TapeNode(tape, parts.index[3]).asBytes();
  return msg;
}

Result<Sign1> parseSign1(ByteView encoded, const cbor::DecodeOptions& options) {
  TC_ASSIGN(auto tape, cbor::decodeTape(encoded, options));
  TC_ASSIGN(auto parts, readShape(tape));
  Sign1 msg;
  msg.tagged = parts.tagged;
  msg.protectedBytes = copyBytes(tape, parts.index[0]);
  TC_ASSIGN(msg.protectedHeader, decodeProtected(msg.protectedBytes, options));
  msg.unprotectedHeader = cbor::toValue(tape, parts.index[1]);
  if (tape[parts.index[2]].type == cbor::Type::Bytes) msg.payload = copyBytes(tape, parts.index[2]);
  msg.signature = copyBytes(tape, parts.index[3]);
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
  return algFromHeaderValue(alg->asInt64(value) ? std::optional(value) : std::nullopt);
}

Result<crypto::Alg> algFromHeaderValue(std::optional<std::int64_t> value) {
  crypto::Alg out{};
  if (!value || !crypto::algFromCose(*value, out)) return makeError(Code::UNSUPPORTED_ALG, "alg not in ZC1.md §2");
  return out;
}

Status verify(const Sign1& msg, const crypto::PublicKey& key, ByteView externalAad, bool allowUnprotectedAlg) {
  std::optional<ByteView> payload;
  if (msg.payload) payload = ByteView(*msg.payload);
  return verifyParts(msg.protectedBytes, msg.protectedHeader, msg.unprotectedHeader, payload, msg.signature, key,
                     externalAad, allowUnprotectedAlg);
}

Status verify(const Sign1View& msg, const crypto::PublicKey& key, ByteView externalAad, bool allowUnprotectedAlg) {
  return verifyParts(msg.protectedBytes, msg.protectedHeader, msg.unprotectedHeader, msg.payload, msg.signature, key,
                     externalAad, allowUnprotectedAlg);
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
