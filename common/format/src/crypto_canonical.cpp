// A key's algorithm and its canonical form (see crypto.cpp): the key's type
// alone decides the algorithm, and every key is rebuilt from its raw parts.
// Also the small helpers every part of the crypto implementation uses.
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

namespace titlecert::crypto::detail {

using namespace titlecert::ossl;

const unsigned char* dataOf(ByteView v) {
  static const unsigned char kEmpty = 0;
  return v.empty() ? &kEmpty : v.data();
}

Error fail(Code code, std::string detail) {
  ERR_clear_error();
  return makeError(code, std::move(detail));
}

Status badSignature() {
  ERR_clear_error();
  return makeError(Code::BAD_SIGNATURE, "signature does not verify");
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(len));
}

// ---------------------------------------------------------------------------
// Key classification. The key's type alone decides the algorithm, so that a
// COSE alg can never select a different algorithm for a given key.

std::optional<std::string> utf8Param(const EVP_PKEY* key, const char* name) {
  char buf[80] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, name, buf, sizeof buf, &len) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return std::string(buf, len);
}

// The curve's NID, from the group name OpenSSL reports ("prime256v1", "SM2").
int curveNid(const EVP_PKEY* key) {
  auto group = utf8Param(key, OSSL_PKEY_PARAM_GROUP_NAME);
  if (!group) return NID_undef;
  int nid = OBJ_txt2nid(group->c_str());
  if (nid == NID_undef) nid = EC_curve_nist2nid(group->c_str());
  ERR_clear_error();
  return nid;
}

Result<Alg> algOfKey(const EVP_PKEY* key) {
  if (key == nullptr) return fail(Code::BAD_KEY, "no key");
  if (EVP_PKEY_is_a(key, "ED25519")) return Alg::EdDSA;
  // OpenSSL 3.0 holds an SM2-curve key either under the "SM2" key manager
  // (generated as SM2, or decoded from PEM/DER) or under "EC" (generated as
  // EC with group SM2); both count as SM2. Any other key manager is refused.
  if (!EVP_PKEY_is_a(key, "EC") && !EVP_PKEY_is_a(key, "SM2"))
    return fail(Code::BAD_KEY, "unsupported key type");
  // ZC1.md §2 names curves; a key with explicit curve parameters is refused
  // even if they equal a named curve's, as its SPKI would differ.
  auto encoding = utf8Param(key, OSSL_PKEY_PARAM_EC_ENCODING);
  if (encoding && *encoding != OSSL_PKEY_EC_ENCODING_GROUP)
    return fail(Code::BAD_KEY, "EC key with explicit curve parameters");
  switch (curveNid(key)) {
    case NID_X9_62_prime256v1:
      if (EVP_PKEY_is_a(key, "SM2")) break;
      return Alg::ES256;
    case NID_sm2:
      return Alg::SM2_SM3;
    default:
      break;
  }
  return fail(Code::BAD_KEY, "unsupported EC curve");
}

const char* keyManagerOf(Alg alg) {
  switch (alg) {
    case Alg::EdDSA: return "ED25519";
    case Alg::ES256: return "EC";
    case Alg::SM2_SM3: return "SM2";
  }
  return "";
}

const char* groupOf(Alg alg) { return alg == Alg::SM2_SM3 ? "SM2" : "prime256v1"; }

// ---------------------------------------------------------------------------
// Canonical key construction.

// The raw public key: Ed25519 32 bytes, EC 0x04 || x || y. Taken from the
// coordinates rather than the encoded point so that a key that came in
// compressed comes out uncompressed.
Result<Bytes> rawPublicOf(const EVP_PKEY* key, Alg alg) {
  if (alg == Alg::EdDSA) {
    Bytes raw(kEd25519KeySize);
    std::size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(key, raw.data(), &len) != 1 || len != kEd25519KeySize)
      return fail(Code::BAD_KEY, "Ed25519 public key unavailable");
    return raw;
  }
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  int okX = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x);
  int okY = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y);
  BnPtr xp(x), yp(y);
  if (okX != 1 || okY != 1) return fail(Code::BAD_KEY, "EC public point unavailable");
  Bytes raw(kUncompressedPointSize);
  raw[0] = 0x04;
  if (BN_bn2binpad(x, raw.data() + 1, kFieldSize) != static_cast<int>(kFieldSize) ||
      BN_bn2binpad(y, raw.data() + 1 + kFieldSize, kFieldSize) != static_cast<int>(kFieldSize))
    return fail(Code::BAD_KEY, "EC coordinate too large");
  return raw;
}

// Builds an EC or SM2 key from its named group, uncompressed point and,
// for a private key, its scalar (32 big-endian bytes).
Result<PkeyPtr> ecFromData(Alg alg, ByteView point, const std::uint8_t* priv) {
  // OSSL_PARAM wants the scalar as a native-endian unsigned integer.
  unsigned char scalar[kFieldSize];
  OSSL_PARAM params[4];
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                 const_cast<char*>(groupOf(alg)), 0);
  params[n++] = OSSL_PARAM_construct_octet_string(
      OSSL_PKEY_PARAM_PUB_KEY, const_cast<unsigned char*>(point.data()), point.size());
  SecretBnPtr bn;
  if (priv != nullptr) {
    bn.reset(BN_secure_new());
    if (!bn || !BN_bin2bn(priv, kFieldSize, bn.get()) ||
        BN_bn2nativepad(bn.get(), scalar, sizeof scalar) != static_cast<int>(sizeof scalar))
      return fail(Code::BAD_KEY, "EC private scalar invalid");
    params[n++] = OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, scalar, sizeof scalar);
  }
  params[n] = OSSL_PARAM_construct_end();

  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, keyManagerOf(alg), nullptr));
  EVP_PKEY* out = nullptr;
  int selection = priv != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
  bool ok = ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
            EVP_PKEY_fromdata(ctx.get(), &out, selection, params) == 1;
  OPENSSL_cleanse(scalar, sizeof scalar);
  PkeyPtr key(out);
  if (!ok) return fail(Code::BAD_KEY, "EC key not on its curve");
  return key;
}

// The point must be on the curve, not infinity, and of the group's order;
// fromdata alone does not promise all three. P-256 and the SM2 curve have
// cofactor 1, so a point on the curve is of the group's order: the quick
// check suffices, and the full one's n·Q = O multiplication (as costly as
// a verify) would add nothing but start-up time.
Status checkPublic(EVP_PKEY* key) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx || EVP_PKEY_public_check_quick(ctx.get()) != 1)
    return fail(Code::BAD_KEY, "EC public key fails validation");
  return {};
}

// A private key rebuilt from its scalar (EC) or seed (Ed25519): a copy that
// the caller's handle can no longer change, and, for an EC key on the SM2
// curve, an SM2 key. (OpenSSL 3.0 has no way to retag an EC key as SM2 in
// place — EVP_PKEY_set_alias_type is gone — so the key is rebuilt.)
Result<PkeyPtr> canonicalPrivate(const EVP_PKEY* key, Alg alg) {
  if (alg == Alg::EdDSA) {
    unsigned char seed[kEd25519KeySize];
    std::size_t len = sizeof seed;
    PkeyPtr out;
    if (EVP_PKEY_get_raw_private_key(key, seed, &len) == 1 && len == sizeof seed)
      out.reset(EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, seed, len));
    OPENSSL_cleanse(seed, sizeof seed);
    if (!out) return fail(Code::BAD_KEY, "not a private key");
    return out;
  }
  BIGNUM* d = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1)
    return fail(Code::BAD_KEY, "not a private key");
  SecretBnPtr dp(d);
  TC_ASSIGN(Bytes point, rawPublicOf(key, alg));
  unsigned char scalar[kFieldSize];
  if (BN_bn2binpad(d, scalar, sizeof scalar) != static_cast<int>(sizeof scalar)) {
    OPENSSL_cleanse(scalar, sizeof scalar);
    return fail(Code::BAD_KEY, "EC private scalar too large");
  }
  auto out = ecFromData(alg, point, scalar);
  OPENSSL_cleanse(scalar, sizeof scalar);
  return out;
}

}  // namespace titlecert::crypto::detail
