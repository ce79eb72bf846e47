// What the parts of the crypto implementation share: crypto.cpp (keys, PEM,
// algorithm names, hashes), crypto_canonical.cpp (a key's algorithm and its
// canonical form), crypto_sign.cpp (signature contexts, signature
// encodings) and crypto_verify.cpp (verification). Private to the format
// layer.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "titlecert/crypto.h"
#include "titlecert/openssl_handles.h"

namespace titlecert::crypto::detail {

inline constexpr std::size_t kFieldSize = 32;             // P-256 and SM2 coordinates, r, s
inline constexpr std::size_t kEd25519KeySize = 32;
inline constexpr std::size_t kUncompressedPointSize = 65; // 0x04 || x || y

// A non-null pointer for empty views: some OpenSSL paths reject NULL data
// even with a zero length.
const unsigned char* dataOf(ByteView v);

// Failed checks leave reasons on OpenSSL's thread-local error queue; these
// clear them so they don't surface in an unrelated later report.
Error fail(Code code, std::string detail);
Status badSignature();

std::string bioText(BIO* bio);

// Key classification and the canonical form (crypto_canonical.cpp).
Result<Alg> algOfKey(const EVP_PKEY* key);
const char* keyManagerOf(Alg alg);
const char* groupOf(Alg alg);
Result<Bytes> rawPublicOf(const EVP_PKEY* key, Alg alg);
Result<PkeyPtr> ecFromData(Alg alg, ByteView point, const std::uint8_t* priv);
Status checkPublic(EVP_PKEY* key);
Result<PkeyPtr> canonicalPrivate(const EVP_PKEY* key, Alg alg);

// Signature contexts (crypto_sign.cpp) and verification (crypto_verify.cpp).
//
// A digest-sign/verify context for the key. For SM2 the distinguishing ID
// must be set on a PKEY_CTX handed to the MD_CTX before Init: OpenSSL 3
// otherwise hashes Z over an empty ID, which other SM2 implementations
// reject. The PKEY_CTX stays owned by us (the MD_CTX only borrows it), so it
// is declared first and outlives the MD_CTX.
struct SigContext {
  ossl::PkeyCtxPtr pctx;
  ossl::MdCtxPtr mctx;
};
Result<SigContext> newSigContext(EVP_PKEY* key, Alg alg, std::string_view sm2Id, bool forSigning);
// Verifies a signature in OpenSSL's format: raw for Ed25519, DER otherwise,
// on a context the calling thread keeps ready for the key.
Status verifyNative(EVP_PKEY* key, Alg alg, ByteView message, ByteView sig, std::string_view sm2Id);
// Verifies r||s (or a raw Ed25519 signature).
Status verifyRaw(EVP_PKEY* key, Alg alg, ByteView message, ByteView signature, std::string_view sm2Id);

}  // namespace titlecert::crypto::detail
