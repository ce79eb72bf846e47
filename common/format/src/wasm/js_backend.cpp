// The EM_JS bridge to the JavaScript crypto backend: byte views go over as
// (pointer, length) into the module's heap, results come back in buffers the
// C++ side allocated. A missing backend or any JavaScript exception is a
// failed check, never an exception across the boundary.
#include "js_backend.h"

#include <emscripten.h>

// clang-format off
EM_JS(int, tc_js_public_key_valid, (int alg, const std::uint8_t* key, std::size_t keyLen), {
  try {
    return globalThis.titlecertCrypto.publicKeyValid(alg, HEAPU8.slice(key, key + keyLen)) ? 1 : 0;
  } catch (e) { return 0; }
});

EM_JS(int, tc_js_verify, (int alg, const std::uint8_t* key, std::size_t keyLen, const std::uint8_t* msg,
                          std::size_t msgLen, const std::uint8_t* sig, std::size_t sigLen, const char* id,
                          std::size_t idLen), {
  try {
    const sm2Id = new TextDecoder().decode(HEAPU8.slice(id, id + idLen));
    return globalThis.titlecertCrypto.verify(alg, HEAPU8.slice(key, key + keyLen), HEAPU8.slice(msg, msg + msgLen),
                                             HEAPU8.slice(sig, sig + sigLen), sm2Id) ? 1 : 0;
  } catch (e) { return 0; }
});

// which: 0 SHA-256, 1 SM3; out holds 32 bytes.
EM_JS(int, tc_js_digest, (int which, const std::uint8_t* data, std::size_t len, std::uint8_t* out), {
  try {
    const input = HEAPU8.slice(data, data + len);
    const digest = which === 0 ? globalThis.titlecertCrypto.sha256(input) : globalThis.titlecertCrypto.sm3(input);
    if (digest.length !== 32) return 0;
    HEAPU8.set(digest, out);
    return 1;
  } catch (e) { return 0; }
});

EM_JS(int, tc_js_scrypt, (const std::uint8_t* pw, std::size_t pwLen, const std::uint8_t* salt, std::size_t saltLen,
                          double n, double r, double p, std::uint8_t* out, std::size_t outLen), {
  try {
    const key = globalThis.titlecertCrypto.scrypt(HEAPU8.slice(pw, pw + pwLen), HEAPU8.slice(salt, salt + saltLen),
                                                  n, r, p, outLen);
    if (key.length !== outLen) return 0;
    HEAPU8.set(key, out);
    return 1;
  } catch (e) { return 0; }
});

EM_JS(int, tc_js_random, (std::uint8_t* out, std::size_t len), {
  try {
    const bytes = new Uint8Array(len);
    globalThis.crypto.getRandomValues(bytes);
    HEAPU8.set(bytes, out);
    return 1;
  } catch (e) { return 0; }
});
// clang-format on

namespace titlecert::crypto::js {

namespace {
// A non-null pointer for empty views, so that slice() gets a number.
const std::uint8_t* dataOf(ByteView v) {
  static const std::uint8_t kEmpty = 0;
  return v.empty() ? &kEmpty : v.data();
}

Bytes digest(int which, ByteView data) {
  Bytes out(32);
  if (tc_js_digest(which, dataOf(data), data.size(), out.data()) != 1) return {};
  return out;
}
}  // namespace

bool publicKeyValid(Alg alg, ByteView raw) {
  return tc_js_public_key_valid(static_cast<int>(alg), dataOf(raw), raw.size()) == 1;
}

bool verify(Alg alg, ByteView raw, ByteView message, ByteView signature, std::string_view sm2Id) {
  static const char kNoId = 0;
  return tc_js_verify(static_cast<int>(alg), dataOf(raw), raw.size(), dataOf(message), message.size(),
                      dataOf(signature), signature.size(), sm2Id.empty() ? &kNoId : sm2Id.data(), sm2Id.size()) == 1;
}

Bytes sha256(ByteView data) { return digest(0, data); }
Bytes sm3(ByteView data) { return digest(1, data); }

bool scrypt(ByteView password, ByteView salt, std::uint64_t n, std::uint32_t r, std::uint32_t p, Bytes& out) {
  return tc_js_scrypt(dataOf(password), password.size(), dataOf(salt), salt.size(), static_cast<double>(n),
                      static_cast<double>(r), static_cast<double>(p), out.data(), out.size()) == 1;
}

bool randomBytes(Bytes& out) { return out.empty() || tc_js_random(out.data(), out.size()) == 1; }

}  // namespace titlecert::crypto::js
