// Signatures over OpenSSL 3 EVP for the three algorithms of ZC1.md §2, key
// generation, PEM load/save (private keys encrypted at rest), kid derivation.
//
// Thread safety: PublicKey and PrivateKey are immutable after creation; their
// const methods may be called from several threads at once.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "titlecert/bytes.h"
#include "titlecert/result.h"

struct evp_pkey_st;  // EVP_PKEY, kept out of this header

namespace titlecert::crypto {

// COSE algorithm identifiers (ZC1.md §2). Nothing else is ever accepted.
enum class Alg : std::int64_t {
  EdDSA = -8,      // Ed25519, 64-byte signature
  ES256 = -7,      // ECDSA P-256 + SHA-256, 64-byte r||s
  SM2_SM3 = -65600 // SM2 curve + SM3, ID "1234567812345678", 64-byte r||s
};

inline constexpr std::size_t kSignatureSize = 64;
inline constexpr std::size_t kKidSize = 8;
using Kid = std::array<std::uint8_t, kKidSize>;

// The SM2 distinguishing ID every titlecert signature uses (ZC1.md §2).
inline constexpr std::string_view kSm2DefaultId = "1234567812345678";

// COSE value -> Alg; false for anything not in ZC1.md §2.
bool algFromCose(std::int64_t value, Alg& out);
// "EdDSA", "ES256", "SM2-SM3"; and back (exact names only; INVALID_ARGUMENT
// naming the text otherwise).
std::string_view algName(Alg alg);
Result<Alg> algFromName(std::string_view name);
// The same as a flag, for the issuer's callers that still use this form.
bool algFromName(std::string_view name, Alg& out);

// Proof that the caller is a test or a benchmark: testAccess() is defined
// only in tests/support (test_access.cpp), so production code that asks for
// a key's OpenSSL handle or its unencrypted PEM does not link.
class TestAccess {
 private:
  TestAccess() = default;
  friend TestAccess testAccess();
};
TestAccess testAccess();

struct PkeyDeleter { void operator()(evp_pkey_st* p) const; };
using PkeyPtr = std::unique_ptr<evp_pkey_st, PkeyDeleter>;

class PublicKey {
 public:
  // PEM "PUBLIC KEY" (SubjectPublicKeyInfo). The key's type decides its Alg:
  // Ed25519 -> EdDSA, EC P-256 -> ES256, EC SM2 curve -> SM2_SM3; any other
  // key (other curves, RSA, Ed448) is Code::BAD_KEY.
  // A key in the canonical form spkiDer() writes is read without OpenSSL's
  // decoders (the common case, and the cheaper one at start-up).
  static Result<PublicKey> fromPem(std::string_view pem);
  static Result<PublicKey> fromSpkiDer(ByteView der);
  // Only the canonical form (what spkiDer() writes, what bundles carry):
  // alg, spkiDer and kid are known at once, and OpenSSL's key is built (an
  // EC point checked to be on its curve) once, on the first verify(), so
  // that reading a bundle of many keys costs no key import. A point that
  // fails that check makes every verify() BAD_SIGNATURE. Any other DER is
  // BAD_KEY.
  static Result<PublicKey> fromCanonicalSpkiDer(ByteView der);
  // Raw public key: Ed25519 32 bytes; EC uncompressed point (65 bytes,
  // 0x04||x||y) on the curve of alg.
  static Result<PublicKey> fromRaw(Alg alg, ByteView raw);
  // A key already held as an OpenSSL EVP_PKEY (public or private; only its
  // public half is used). The caller keeps ownership: the key is copied into
  // the canonical form above. Same type rules as fromPem.
  static Result<PublicKey> fromEvpPkey(const evp_pkey_st* key);

  Alg alg() const { return alg_; }
  // DER SubjectPublicKeyInfo as OpenSSL 3 writes it (named curve,
  // uncompressed point) — the input of the kid.
  const Bytes& spkiDer() const { return spki_; }
  std::string pem() const;
  // First 8 bytes of SHA-256(spkiDer()) (ZC1.md §2).
  const Kid& kid() const { return kid_; }

  // OK, or BAD_SIGNATURE (wrong size, not verifying). The signature must be
  // exactly 64 bytes (r||s for ECDSA/SM2). Never reports why a signature
  // failed beyond that.
  Status verify(ByteView message, ByteView signature) const;
  // SM2 only: verification with another distinguishing ID (test vectors).
  Status verifySm2WithId(ByteView message, ByteView signature, std::string_view id) const;
  // ECDSA/SM2: verification of an ASN.1 DER signature (test vectors); strict
  // DER is required (any non-canonical encoding is BAD_SIGNATURE).
  Status verifyDer(ByteView message, ByteView derSignature) const;

  // The OpenSSL key, for tests that check against OpenSSL directly (nullptr
  // for a deferred key whose point is invalid).
  evp_pkey_st* raw(TestAccess) const { return evp(); }

 private:
  struct Deferred;
  PublicKey() = default;
  // The OpenSSL key, built now if it was deferred; nullptr if it cannot be.
  evp_pkey_st* evp() const;
  std::shared_ptr<evp_pkey_st> key_;      // set at once, or
  std::shared_ptr<Deferred> deferred_;    // built on first use, shared by copies
  Alg alg_ = Alg::EdDSA;
  Bytes spki_;
  Kid kid_{};
};

class PrivateKey {
 public:
  static Result<PrivateKey> generate(Alg alg);
  // PKCS#8 PEM, encrypted ("ENCRYPTED PRIVATE KEY") or not ("PRIVATE KEY").
  // An encrypted key with a wrong or missing passphrase is BAD_PASSPHRASE.
  static Result<PrivateKey> fromPem(std::string_view pem, std::optional<std::string_view> passphrase = std::nullopt);
  // Encrypted PKCS#8 PEM (PBES2: scrypt + AES-256-CBC). An empty
  // passphrase is INVALID_ARGUMENT: keys are never written in the clear
  // through this call.
  Result<std::string> toEncryptedPem(std::string_view passphrase) const;
  // Unencrypted PKCS#8 PEM, for tests and test fixtures only.
  std::string toPlainPemForTests(TestAccess) const;
  // A private key already held as an OpenSSL EVP_PKEY (e.g. from an HSM
  // bridge or a test). The caller keeps ownership: the key is copied. An EC
  // key on the SM2 curve is turned into an SM2 key so that it signs with SM2.
  static Result<PrivateKey> fromEvpPkey(const evp_pkey_st* key);

  Alg alg() const { return publicKey_->alg(); }
  const PublicKey& publicKey() const { return *publicKey_; }
  // 64-byte signature (raw Ed25519, or r||s for ES256/SM2 with the fixed ID).
  Result<Bytes> sign(ByteView message) const;

  // The OpenSSL key, for tests that check against OpenSSL directly.
  evp_pkey_st* raw(TestAccess) const { return key_.get(); }

 private:
  PrivateKey() = default;
  std::shared_ptr<evp_pkey_st> key_;
  std::shared_ptr<const PublicKey> publicKey_;
};

// Conversions between fixed-width r||s (32+32 bytes) and ASN.1 DER.
Result<Bytes> rawToDer(ByteView rs);
// Strict DER parse (canonical INTEGERs, no trailing bytes); r and s must
// each fit 32 bytes. Anything else is BAD_SIGNATURE.
Result<Bytes> derToRaw(ByteView der);

Bytes sha256(ByteView data);
Bytes sm3(ByteView data);

// scrypt (RFC 7914) through OpenSSL's EVP_KDF.
Result<Bytes> scrypt(ByteView password, ByteView salt, std::uint64_t n, std::uint32_t r, std::uint32_t p, std::size_t length);

// Cryptographically secure random bytes.
Result<Bytes> randomBytes(std::size_t n);

}  // namespace titlecert::crypto
