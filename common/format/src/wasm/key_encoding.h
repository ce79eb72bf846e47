// The encodings the WebAssembly build reads and writes without OpenSSL: the
// canonical SubjectPublicKeyInfo of each algorithm (the one form OpenSSL 3
// writes for titlecert's keys: named curve, uncompressed point), PEM
// "PUBLIC KEY" armour, and strict DER ECDSA signatures.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "titlecert/bytes.h"
#include "titlecert/crypto.h"

namespace titlecert::crypto::wasm {

// The SPKI DER of a raw key (Ed25519 32 bytes, EC uncompressed 65 bytes).
Bytes spkiOf(Alg alg, ByteView raw);
struct RawKey {
  Alg alg;
  Bytes raw;
};
// The algorithm and raw key of a canonical SPKI; nullopt for anything else.
std::optional<RawKey> rawOfSpki(ByteView der);

// The DER body of the first "PUBLIC KEY" block; nullopt when there is none
// or its base64 is malformed.
std::optional<Bytes> publicKeyPemBody(std::string_view pem);
std::string publicKeyPem(ByteView der);

// SEQUENCE { INTEGER r, INTEGER s } in strict DER (canonical INTEGERs, no
// negatives, short-form lengths, no trailing bytes), each fitting 32 bytes,
// as r||s; nullopt otherwise.
std::optional<Bytes> strictDerToRaw(ByteView der);

}  // namespace titlecert::crypto::wasm
