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
#include <mutex>

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

namespace {

// The SubjectPublicKeyInfo OpenSSL 3 writes for a key of each alg, up to the
// raw key (ZC1.md §2 takes the kid over it): the algorithm identifier (the
// SM2 curve under id-ecPublicKey) and the BIT STRING header. The raw key
// follows: 32 bytes for Ed25519, a 65-byte uncompressed point otherwise.
constexpr unsigned char kEd25519SpkiPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
constexpr unsigned char kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
                                             0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
constexpr unsigned char kSm2SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
                                            0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d, 0x03, 0x42, 0x00};

ByteView spkiPrefixOf(Alg alg) {
  switch (alg) {
    case Alg::EdDSA: return ByteView(kEd25519SpkiPrefix, sizeof kEd25519SpkiPrefix);
    case Alg::ES256: return ByteView(kP256SpkiPrefix, sizeof kP256SpkiPrefix);
    case Alg::SM2_SM3: return ByteView(kSm2SpkiPrefix, sizeof kSm2SpkiPrefix);
  }
  return {};
}

std::size_t rawKeySizeOf(Alg alg) { return alg == Alg::EdDSA ? kEd25519KeySize : kUncompressedPointSize; }

// The alg of a DER in the canonical form, and where its raw key starts.
std::optional<Alg> canonicalAlgOf(ByteView der) {
  for (Alg alg : {Alg::EdDSA, Alg::ES256, Alg::SM2_SM3}) {
    const ByteView prefix = spkiPrefixOf(alg);
    if (der.size() == prefix.size() + rawKeySizeOf(alg) && std::equal(prefix.begin(), prefix.end(), der.begin()))
      return alg;
  }
  return std::nullopt;
}

// OpenSSL's key from a raw public key, EC points checked to lie on the curve.
Result<PkeyPtr> importRaw(Alg alg, ByteView raw) {
  PkeyPtr key;
  if (alg == Alg::EdDSA) {
    if (raw.size() != kEd25519KeySize) return fail(Code::BAD_KEY, "Ed25519 key must be 32 bytes");
    key.reset(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, raw.data(), raw.size()));
    if (!key) return fail(Code::BAD_KEY, "invalid Ed25519 key");
    return key;
  }
  if (alg != Alg::ES256 && alg != Alg::SM2_SM3) return fail(Code::BAD_KEY, "unknown algorithm");
  if (raw.size() != kUncompressedPointSize || raw[0] != 0x04)
    return fail(Code::BAD_KEY, "EC key must be an uncompressed point");
  TC_ASSIGN(key, ecFromData(alg, raw, nullptr));
  TC_TRY(checkPublic(key.get()));
  return key;
}

}  // namespace

struct PublicKey::Deferred {
  std::once_flag once;
  std::shared_ptr<evp_pkey_st> key;
};

// The canonical SPKI is the prefix of the alg and the raw key, which is what
// i2d_PUBKEY writes for the key OpenSSL builds from it (tests check both
// agree); the kid is taken over it.
Result<PublicKey> PublicKey::fromRaw(Alg alg, ByteView raw) {
  TC_ASSIGN(PkeyPtr key, importRaw(alg, raw));
  PublicKey pk;
  pk.alg_ = alg;
  const ByteView prefix = spkiPrefixOf(alg);
  pk.spki_.assign(prefix.begin(), prefix.end());
  pk.spki_.insert(pk.spki_.end(), raw.begin(), raw.end());
  Bytes hash = sha256(pk.spki_);
  if (hash.size() < kKidSize) return fail(Code::CRYPTO_ERROR, "SHA-256 unavailable");
  std::copy_n(hash.begin(), kKidSize, pk.kid_.begin());
  pk.key_ = std::shared_ptr<evp_pkey_st>(key.release(), PkeyDeleter{});
  return pk;
}

Result<PublicKey> PublicKey::fromCanonicalSpkiDer(ByteView der) {
  const auto alg = canonicalAlgOf(der);
  if (!alg) return fail(Code::BAD_KEY, "not a canonical Ed25519, P-256 or SM2 SubjectPublicKeyInfo");
  if (*alg != Alg::EdDSA && der[spkiPrefixOf(*alg).size()] != 0x04)
    return fail(Code::BAD_KEY, "EC key must be an uncompressed point");
  PublicKey pk;
  pk.alg_ = *alg;
  pk.spki_.assign(der.begin(), der.end());
  Bytes hash = sha256(pk.spki_);
  if (hash.size() < kKidSize) return fail(Code::CRYPTO_ERROR, "SHA-256 unavailable");
  std::copy_n(hash.begin(), kKidSize, pk.kid_.begin());
  pk.deferred_ = std::make_shared<Deferred>();
  return pk;
}

evp_pkey_st* PublicKey::evp() const {
  if (key_) return key_.get();
  if (!deferred_) return nullptr;
  std::call_once(deferred_->once, [this] {
    const ByteView raw = ByteView(spki_).subspan(spkiPrefixOf(alg_).size());
    if (auto key = importRaw(alg_, raw)) deferred_->key = std::shared_ptr<evp_pkey_st>(key->release(), PkeyDeleter{});
  });
  return deferred_->key.get();
}

Result<PublicKey> PublicKey::fromEvpPkey(const evp_pkey_st* key) {
  TC_ASSIGN(Alg alg, algOfKey(key));
  TC_ASSIGN(Bytes raw, rawPublicOf(key, alg));
  return fromRaw(alg, raw);
}

Result<PublicKey> PublicKey::fromSpkiDer(ByteView der) {
  if (const auto alg = canonicalAlgOf(der)) return fromRaw(*alg, der.subspan(spkiPrefixOf(*alg).size()));
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
  return writePem(false, [&](BIO* b) {
    return PEM_write_bio(b, "PUBLIC KEY", "", spki_.data(), static_cast<long>(spki_.size())) > 0;
  });
}

Status PublicKey::verify(ByteView message, ByteView signature) const {
  auto* key = evp();
  if (!key) return badSignature();
  return verifyRaw(key, alg_, message, signature, kSm2DefaultId);
}

Status PublicKey::verifySm2WithId(ByteView message, ByteView signature, std::string_view id) const {
  if (alg_ != Alg::SM2_SM3) return makeError(Code::INVALID_ARGUMENT, "not an SM2 key");
  auto* key = evp();
  if (!key) return badSignature();
  return verifyRaw(key, alg_, message, signature, id);
}

Status PublicKey::verifyDer(ByteView message, ByteView derSignature) const {
  if (alg_ == Alg::EdDSA) return makeError(Code::INVALID_ARGUMENT, "Ed25519 signatures are not DER");
  // The DER is parsed strictly here rather than handed to OpenSSL as is, so
  // that exactly one encoding of (r, s) is accepted whatever OpenSSL's own
  // checks are in a given version.
  auto raw = derToRaw(derSignature);
  auto* key = evp();
  if (!raw.ok() || !key) return badSignature();
  return verifyRaw(key, alg_, message, *raw, kSm2DefaultId);
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