// Signatures, keys and hashes over OpenSSL 3 EVP (ZC1.md §2, §4).
//
// Every key that enters titlecert is rebuilt into one canonical form (EC keys
// from their uncompressed point and named curve, SM2 keys under OpenSSL's
// "SM2" key manager), so that the SPKI DER, and with it the kid, do not
// depend on how the key was written, and so that an SM2 key always signs
// with SM2 rather than with ECDSA over the same curve.
//
// Errors are values; nothing here throws. Key material never reaches a log or
// an Error detail.
#include "titlecert/crypto.h"
#include "crypto_detail.h"
#include "titlecert/openssl_handles.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace titlecert::crypto {

void PkeyDeleter::operator()(evp_pkey_st* p) const { EVP_PKEY_free(p); }

using namespace detail;

namespace {

// Owning handles (titlecert/openssl_handles.h): every OpenSSL object lives
// in a unique_ptr so that each early return frees it.
using namespace titlecert::ossl;

// Encrypted PEM at rest: scrypt N=2^14, r=8, p=1 stays below OpenSSL's
// default 32 MiB scrypt memory limit when the key is read back (2^15 does
// not), and matches `openssl pkcs8 -scrypt`.
constexpr std::uint64_t kPemScryptN = 16384;
constexpr std::uint64_t kPemScryptR = 8;
constexpr std::uint64_t kPemScryptP = 1;
constexpr int kPemSaltSize = 16;

Bytes digest(const EVP_MD* md, ByteView data) {
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  if (EVP_Digest(dataOf(data), data.size(), out.data(), &len, md, nullptr) != 1) {
    ERR_clear_error();
    return {};
  }
  out.resize(len);
  return out;
}

// ---------------------------------------------------------------------------
// PEM.

// One PEM block: its label and its DER body. The body may be an unencrypted
// private key, so it is wiped when the block goes away.
struct PemBlock {
  std::string label;
  Bytes der;
  PemBlock(std::string l, Bytes d) : label(std::move(l)), der(std::move(d)) {}
  PemBlock(PemBlock&&) = default;
  PemBlock& operator=(PemBlock&&) = default;
  ~PemBlock() { OPENSSL_cleanse(der.data(), der.size()); }
};

std::optional<PemBlock> readPem(std::string_view pem) {
  if (pem.size() > INT_MAX) return std::nullopt;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  if (!bio || PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  OsslCharPtr n(name), h(header);
  OsslBytePtr d(data);
  std::optional<PemBlock> block(std::in_place, name, Bytes(data, data + len));
  OPENSSL_cleanse(data, static_cast<std::size_t>(len));
  return block;
}

// Encodes with a PEM writer into a string; a secure-heap BIO for private
// material so the buffer is wiped when freed.
template <class Write>
std::string writePem(bool secret, Write&& write) {
  BioPtr bio(BIO_new(secret ? BIO_s_secmem() : BIO_s_mem()));
  if (!bio || !write(bio.get())) {
    ERR_clear_error();
    return {};
  }
  return bioText(bio.get());
}

}  // namespace

// ---------------------------------------------------------------------------
// PublicKey.

Result<PublicKey> PublicKey::fromRaw(Alg alg, ByteView raw) {
  PkeyPtr key;
  if (alg == Alg::EdDSA) {
    if (raw.size() != kEd25519KeySize) return fail(Code::BAD_KEY, "Ed25519 key must be 32 bytes");
    key.reset(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, raw.data(), raw.size()));
    if (!key) return fail(Code::BAD_KEY, "invalid Ed25519 key");
  } else if (alg == Alg::ES256 || alg == Alg::SM2_SM3) {
    if (raw.size() != kUncompressedPointSize || raw[0] != 0x04)
      return fail(Code::BAD_KEY, "EC key must be an uncompressed point");
    TC_ASSIGN(key, ecFromData(alg, raw, nullptr));
    TC_TRY(checkPublic(key.get()));
  } else {
    return fail(Code::BAD_KEY, "unknown algorithm");
  }

  PublicKey pk;
  pk.alg_ = alg;
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key.get(), &der);
  if (len <= 0) return fail(Code::BAD_KEY, "cannot encode the public key");
  OsslBytePtr derOwner(der);
  pk.spki_.assign(der, der + len);
  Bytes hash = sha256(pk.spki_);
  if (hash.size() < kKidSize) return fail(Code::CRYPTO_ERROR, "SHA-256 unavailable");
  std::copy_n(hash.begin(), kKidSize, pk.kid_.begin());
  pk.key_ = std::shared_ptr<evp_pkey_st>(key.release(), PkeyDeleter{});
  return pk;
}

Result<PublicKey> PublicKey::fromEvpPkey(const evp_pkey_st* key) {
  TC_ASSIGN(Alg alg, algOfKey(key));
  TC_ASSIGN(Bytes raw, rawPublicOf(key, alg));
  return fromRaw(alg, raw);
}

Result<PublicKey> PublicKey::fromSpkiDer(ByteView der) {
  if (der.size() > LONG_MAX) return fail(Code::BAD_KEY, "key too large");
  const unsigned char* p = der.data();
  PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!key) return fail(Code::BAD_KEY, "not a SubjectPublicKeyInfo");
  if (p != der.data() + der.size()) return fail(Code::BAD_KEY, "trailing bytes after the key");
  return fromEvpPkey(key.get());
}

Result<PublicKey> PublicKey::fromPem(std::string_view pem) {
  auto block = readPem(pem);
  if (!block || block->label != "PUBLIC KEY") return fail(Code::BAD_KEY, "not a PEM PUBLIC KEY");
  return fromSpkiDer(block->der);
}

std::string PublicKey::pem() const {
  return writePem(false, [&](BIO* b) { return PEM_write_bio_PUBKEY(b, key_.get()) == 1; });
}

Status PublicKey::verify(ByteView message, ByteView signature) const {
  return verifyRaw(key_.get(), alg_, message, signature, kSm2DefaultId);
}

Status PublicKey::verifySm2WithId(ByteView message, ByteView signature, std::string_view id) const {
  if (alg_ != Alg::SM2_SM3) return makeError(Code::INVALID_ARGUMENT, "not an SM2 key");
  return verifyRaw(key_.get(), alg_, message, signature, id);
}

Status PublicKey::verifyDer(ByteView message, ByteView derSignature) const {
  if (alg_ == Alg::EdDSA) return makeError(Code::INVALID_ARGUMENT, "Ed25519 signatures are not DER");
  // The DER is parsed strictly here rather than handed to OpenSSL as is, so
  // that exactly one encoding of (r, s) is accepted whatever OpenSSL's own
  // checks are in a given version.
  auto raw = derToRaw(derSignature);
  if (!raw.ok()) return badSignature();
  return verifyRaw(key_.get(), alg_, message, *raw, kSm2DefaultId);
}

// ---------------------------------------------------------------------------
// PrivateKey.

Result<PrivateKey> PrivateKey::fromEvpPkey(const evp_pkey_st* key) {
  TC_ASSIGN(Alg alg, algOfKey(key));
  TC_ASSIGN(PkeyPtr priv, canonicalPrivate(key, alg));
  TC_ASSIGN(Bytes raw, rawPublicOf(priv.get(), alg));
  TC_ASSIGN(PublicKey pub, PublicKey::fromRaw(alg, raw));
  PrivateKey out;
  out.key_ = std::shared_ptr<evp_pkey_st>(priv.release(), PkeyDeleter{});
  out.publicKey_ = std::make_shared<const PublicKey>(std::move(pub));
  return out;
}

Result<PrivateKey> PrivateKey::generate(Alg alg) {
  const char* manager = keyManagerOf(alg);
  if (*manager == '\0') return fail(Code::INVALID_ARGUMENT, "unknown algorithm");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, manager, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) return fail(Code::CRYPTO_ERROR, "keygen unavailable");
  if (alg != Alg::EdDSA && EVP_PKEY_CTX_set_group_name(ctx.get(), groupOf(alg)) != 1)
    return fail(Code::CRYPTO_ERROR, "curve unavailable");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1) return fail(Code::CRYPTO_ERROR, "keygen failed");
  PkeyPtr key(raw);
  return fromEvpPkey(key.get());
}

Result<PrivateKey> PrivateKey::fromPem(std::string_view pem, std::optional<std::string_view> passphrase) {
  auto block = readPem(pem);
  if (!block) return fail(Code::BAD_KEY, "not a PEM private key");
  const unsigned char* p = block->der.data();
  const long len = static_cast<long>(block->der.size());
  P8InfoPtr info;
  if (block->label == "ENCRYPTED PRIVATE KEY") {
    X509SigPtr enc(d2i_X509_SIG(nullptr, &p, len));
    if (!enc) return fail(Code::BAD_KEY, "malformed encrypted private key");
    if (!passphrase) return fail(Code::BAD_PASSPHRASE, "the key is encrypted: passphrase needed");
    if (passphrase->size() > INT_MAX) return fail(Code::BAD_PASSPHRASE, "passphrase too long");
    // A wrong passphrase shows as bad padding or an undecodable result;
    // either way PKCS8_decrypt_ex returns NULL.
    info.reset(PKCS8_decrypt_ex(enc.get(), passphrase->data(), static_cast<int>(passphrase->size()),
                                nullptr, nullptr));
    if (!info) return fail(Code::BAD_PASSPHRASE, "wrong passphrase");
  } else if (block->label == "PRIVATE KEY") {
    info.reset(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, len));
    if (!info) return fail(Code::BAD_KEY, "malformed private key");
  } else {
    return fail(Code::BAD_KEY, "not a PKCS#8 private key");
  }
  PkeyPtr key(EVP_PKCS82PKEY_ex(info.get(), nullptr, nullptr));
  if (!key) return fail(Code::BAD_KEY, "unsupported private key");
  return fromEvpPkey(key.get());
}

Result<std::string> PrivateKey::toEncryptedPem(std::string_view passphrase) const {
  if (passphrase.empty()) return fail(Code::INVALID_ARGUMENT, "empty passphrase");
  if (passphrase.size() > INT_MAX) return fail(Code::INVALID_ARGUMENT, "passphrase too long");
  P8InfoPtr info(EVP_PKEY2PKCS8(key_.get()));
  // PBES2 with scrypt and AES-256-CBC; a NULL salt and IV ask OpenSSL for
  // random ones.
  AlgorPtr pbe(PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nullptr, kPemSaltSize, nullptr,
                                     kPemScryptN, kPemScryptR, kPemScryptP));
  if (!info || !pbe) return fail(Code::CRYPTO_ERROR, "cannot prepare PKCS#8 encryption");
  X509SigPtr enc(PKCS8_set0_pbe_ex(passphrase.data(), static_cast<int>(passphrase.size()),
                                   info.get(), pbe.get(), nullptr, nullptr));
  if (!enc) return fail(Code::CRYPTO_ERROR, "PKCS#8 encryption failed");
  pbe.release();  // now owned by enc
  std::string pem = writePem(false, [&](BIO* b) { return PEM_write_bio_PKCS8(b, enc.get()) == 1; });
  if (pem.empty()) return fail(Code::CRYPTO_ERROR, "cannot write PEM");
  return pem;
}

std::string PrivateKey::toPlainPemForTests(TestAccess) const {
  return writePem(true, [&](BIO* b) {
    return PEM_write_bio_PrivateKey(b, key_.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  });
}

Result<Bytes> PrivateKey::sign(ByteView message) const {
  const Alg alg = publicKey_->alg();
  TC_ASSIGN(SigContext ctx, newSigContext(key_.get(), alg, kSm2DefaultId, true));
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.mctx.get(), nullptr, &len, dataOf(message), message.size()) != 1)
    return fail(Code::CRYPTO_ERROR, "signing failed");
  Bytes sig(len);
  if (EVP_DigestSign(ctx.mctx.get(), sig.data(), &len, dataOf(message), message.size()) != 1)
    return fail(Code::CRYPTO_ERROR, "signing failed");
  sig.resize(len);
  if (alg == Alg::EdDSA) {
    if (sig.size() != kSignatureSize) return fail(Code::CRYPTO_ERROR, "unexpected signature size");
    return sig;
  }
  auto raw = derToRaw(sig);
  if (!raw.ok()) return fail(Code::CRYPTO_ERROR, "unexpected signature encoding");
  return raw;
}

// ---------------------------------------------------------------------------
// Hashes, KDF, randomness.

Bytes sha256(ByteView data) { return digest(EVP_sha256(), data); }
Bytes sm3(ByteView data) { return digest(EVP_sm3(), data); }

Result<Bytes> scrypt(ByteView password, ByteView salt, std::uint64_t n, std::uint32_t r, std::uint32_t p,
                     std::size_t length) {
  if (length == 0 || n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0)
    return fail(Code::INVALID_ARGUMENT, "invalid scrypt parameters");
  KdfPtr kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_SCRYPT, nullptr));
  KdfCtxPtr ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (!ctx) return fail(Code::CRYPTO_ERROR, "scrypt unavailable");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                        const_cast<unsigned char*>(dataOf(password)), password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<unsigned char*>(dataOf(salt)),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_end(),
  };
  Bytes out(length);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1)
    return fail(Code::CRYPTO_ERROR, "scrypt failed (parameters beyond the memory limit?)");
  return out;
}

Result<Bytes> randomBytes(std::size_t n) {
  if (n > INT_MAX) return fail(Code::INVALID_ARGUMENT, "too many random bytes");
  Bytes out(n);
  if (n > 0 && RAND_bytes(out.data(), static_cast<int>(n)) != 1)
    return fail(Code::CRYPTO_ERROR, "random generator failed");
  return out;
}

}  // namespace titlecert::crypto