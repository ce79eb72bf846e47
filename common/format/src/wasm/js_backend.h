// The seam between the WebAssembly build of the crypto layer and its
// JavaScript backend (verifier/wasm/js/crypto_backend.js, installed as
// globalThis.titlecertCrypto before the module runs). Every call is
// synchronous. Private to the format layer's WebAssembly build.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "titlecert/bytes.h"
#include "titlecert/crypto.h"

namespace titlecert::crypto::js {

// A raw public key (Ed25519 32 bytes, EC uncompressed point) that is a valid
// point of alg's curve.
bool publicKeyValid(Alg alg, ByteView raw);
// A 64-byte signature (raw Ed25519, r||s otherwise) over message; sm2Id is
// the SM2 distinguishing ID (ignored for the others).
bool verify(Alg alg, ByteView raw, ByteView message, ByteView signature, std::string_view sm2Id);
Bytes sha256(ByteView data);
Bytes sm3(ByteView data);
// False when the backend refuses the parameters.
bool scrypt(ByteView password, ByteView salt, std::uint64_t n, std::uint32_t r, std::uint32_t p, Bytes& out);
// False when no secure random source is available.
bool randomBytes(Bytes& out);

}  // namespace titlecert::crypto::js
