// titlecert/crypto.h for the WebAssembly build: the verifying half (public
// keys, signatures, digests, scrypt) over the JavaScript backend
// (js_backend.h), since OpenSSL is not available in WebAssembly. Keys are
// held as their canonical SPKI only (key_ stays empty); the raw key is its
// tail. The WebAssembly verifier never signs: the private-key calls answer
// CRYPTO_ERROR. Errors are values; nothing here throws.
#include <algorithm>
#include <climits>

#include "js_backend.h"
#include "key_encoding.h"
#include "titlecert/crypto.h"

namespace titlecert::crypto {

// No EVP_PKEY ever exists in this build.
void PkeyDeleter::operator()(evp_pkey_st*) const {}

namespace {

constexpr std::size_t kEd25519KeySize = 32;
constexpr std::size_t kPointSize = 65;

Error noSigning() { return makeError(Code::CRYPTO_ERROR, "signing is not available in the WebAssembly build"); }
Status badSignature() { return makeError(Code::BAD_SIGNATURE, "signature does not verify"); }

// The raw key is the SPKI's tail (the canonical forms end with it).
ByteView rawOf(const Bytes& spki, Alg alg) {
  const std::size_t size = alg == Alg::EdDSA ? kEd25519KeySize : kPointSize;
  return ByteView(spki).subspan(spki.size() - size);
}

}  // namespace

Result<PublicKey> PublicKey::fromRaw(Alg alg, ByteView raw) {
  if (alg == Alg::EdDSA) {
    if (raw.size() != kEd25519KeySize) return makeError(Code::BAD_KEY, "Ed25519 key must be 32 bytes");
    if (!js::publicKeyValid(alg, raw)) return makeError(Code::BAD_KEY, "invalid Ed25519 key");
  } else if (alg == Alg::ES256 || alg == Alg::SM2_SM3) {
    if (raw.size() != kPointSize || raw[0] != 0x04)
      return makeError(Code::BAD_KEY, "EC key must be an uncompressed point");
    if (!js::publicKeyValid(alg, raw)) return makeError(Code::BAD_KEY, "EC point is not on the curve");
  } else {
    return makeError(Code::BAD_KEY, "unknown algorithm");
  }
  PublicKey pk;
  pk.alg_ = alg;
  pk.spki_ = wasm::spkiOf(alg, raw);
  Bytes hash = sha256(pk.spki_);
  if (hash.size() < kKidSize) return makeError(Code::CRYPTO_ERROR, "SHA-256 unavailable");
  std::copy_n(hash.begin(), kKidSize, pk.kid_.begin());
  return pk;
}

Result<PublicKey> PublicKey::fromEvpPkey(const evp_pkey_st*) {
  return makeError(Code::BAD_KEY, "no OpenSSL keys in the WebAssembly build");
}

// Only the canonical SPKI forms (named curve, uncompressed point) are read;
// they are what titlecert writes into bundles and PEM files.
Result<PublicKey> PublicKey::fromSpkiDer(ByteView der) {
  auto key = wasm::rawOfSpki(der);
  if (!key) return makeError(Code::BAD_KEY, "not a SubjectPublicKeyInfo of Ed25519, P-256 or SM2");
  return fromRaw(key->alg, key->raw);
}

// Keys here are checked when read, not on first use: a bundle key off its
// curve fails the bundle (BAD_KEY) where the native build fails its
// credentials (BAD_SIGNATURE); either way nothing it signed verifies.
Result<PublicKey> PublicKey::fromCanonicalSpkiDer(ByteView der) { return fromSpkiDer(der); }

Result<PublicKey> PublicKey::fromPem(std::string_view pem) {
  auto der = wasm::publicKeyPemBody(pem);
  if (!der) return makeError(Code::BAD_KEY, "not a PEM PUBLIC KEY");
  return fromSpkiDer(*der);
}

std::string PublicKey::pem() const { return wasm::publicKeyPem(spki_); }

Status PublicKey::verify(ByteView message, ByteView signature) const {
  if (signature.size() != kSignatureSize ||
      !js::verify(alg_, rawOf(spki_, alg_), message, signature, kSm2DefaultId))
    return badSignature();
  return {};
}

Status PublicKey::verifySm2WithId(ByteView message, ByteView signature, std::string_view id) const {
  if (alg_ != Alg::SM2_SM3) return makeError(Code::INVALID_ARGUMENT, "not an SM2 key");
  if (signature.size() != kSignatureSize || !js::verify(alg_, rawOf(spki_, alg_), message, signature, id))
    return badSignature();
  return {};
}

Status PublicKey::verifyDer(ByteView message, ByteView derSignature) const {
  if (alg_ == Alg::EdDSA) return makeError(Code::INVALID_ARGUMENT, "Ed25519 signatures are not DER");
  auto raw = wasm::strictDerToRaw(derSignature);
  if (!raw) return badSignature();
  return verify(message, *raw);
}

Result<PrivateKey> PrivateKey::generate(Alg) { return noSigning(); }
Result<PrivateKey> PrivateKey::fromPem(std::string_view, std::optional<std::string_view>) { return noSigning(); }
Result<PrivateKey> PrivateKey::fromEvpPkey(const evp_pkey_st*) { return noSigning(); }
Result<std::string> PrivateKey::toEncryptedPem(std::string_view) const { return noSigning(); }
std::string PrivateKey::toPlainPemForTests(TestAccess) const { return {}; }
Result<Bytes> PrivateKey::sign(ByteView) const { return noSigning(); }

Result<Bytes> derToRaw(ByteView der) {
  auto raw = wasm::strictDerToRaw(der);
  if (!raw) return makeError(Code::BAD_SIGNATURE, "not a strict DER ECDSA signature");
  return std::move(*raw);
}

Bytes sha256(ByteView data) { return js::sha256(data); }
Bytes sm3(ByteView data) { return js::sm3(data); }

Result<Bytes> scrypt(ByteView password, ByteView salt, std::uint64_t n, std::uint32_t r, std::uint32_t p,
                     std::size_t length) {
  if (length == 0 || n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0)
    return makeError(Code::INVALID_ARGUMENT, "invalid scrypt parameters");
  Bytes out(length);
  if (!js::scrypt(password, salt, n, r, p, out)) return makeError(Code::CRYPTO_ERROR, "scrypt failed");
  return out;
}

Result<Bytes> randomBytes(std::size_t n) {
  if (n > INT_MAX) return makeError(Code::INVALID_ARGUMENT, "too many random bytes");
  Bytes out(n);
  if (!js::randomBytes(out)) return makeError(Code::CRYPTO_ERROR, "random generator failed");
  return out;
}

}  // namespace titlecert::crypto
