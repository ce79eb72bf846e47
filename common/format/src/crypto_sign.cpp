// Signature contexts over OpenSSL 3 EVP, and the conversion between the
// wire's r||s signatures and OpenSSL's DER (ZC1.md §2). Verification runs
// on them in crypto_verify.cpp.
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

namespace detail {

using namespace titlecert::ossl;

Result<SigContext> newSigContext(EVP_PKEY* key, Alg alg, std::string_view sm2Id, bool forSigning) {
  SigContext c;
  c.mctx.reset(EVP_MD_CTX_new());
  if (!c.mctx) return fail(Code::CRYPTO_ERROR, "out of memory");
  const EVP_MD* md = nullptr;
  if (alg == Alg::SM2_SM3) {
    c.pctx.reset(EVP_PKEY_CTX_new(key, nullptr));
    if (!c.pctx || sm2Id.size() > INT_MAX ||
        EVP_PKEY_CTX_set1_id(c.pctx.get(), sm2Id.data(), static_cast<int>(sm2Id.size())) <= 0)
      return fail(Code::CRYPTO_ERROR, "cannot set the SM2 distinguishing ID");
    EVP_MD_CTX_set_pkey_ctx(c.mctx.get(), c.pctx.get());
    md = EVP_sm3();
  } else if (alg == Alg::ES256) {
    md = EVP_sha256();
  }  // Ed25519 (PureEdDSA) takes no digest.
  int rc = forSigning ? EVP_DigestSignInit(c.mctx.get(), nullptr, md, nullptr, key)
                      : EVP_DigestVerifyInit(c.mctx.get(), nullptr, md, nullptr, key);
  if (rc != 1) return fail(Code::CRYPTO_ERROR, "cannot initialise the signature");
  return c;
}

}  // namespace detail

using namespace detail;

// ---------------------------------------------------------------------------
// Signature encodings.

// One DER INTEGER from a 32-byte big-endian unsigned value: leading zero
// bytes dropped, one 0x00 added when the top bit is set (it would read as
// negative), zero written as a single 0x00.
static void appendDerInteger(Bytes& out, const std::uint8_t* value) {
  std::size_t skip = 0;
  while (skip + 1 < kFieldSize && value[skip] == 0) ++skip;
  const bool pad = (value[skip] & 0x80) != 0;
  out.push_back(0x02);
  out.push_back(static_cast<std::uint8_t>(kFieldSize - skip + (pad ? 1 : 0)));
  if (pad) out.push_back(0x00);
  out.insert(out.end(), value + skip, value + kFieldSize);
}

// Written by hand rather than through ECDSA_SIG/BIGNUM: it sits on the verify
// hot path, and two 33-byte INTEGERs in a SEQUENCE (at most 72 bytes, so a
// one-byte length) need no allocation beyond the output.
Result<Bytes> rawToDer(ByteView rs) {
  if (rs.size() != kSignatureSize) return fail(Code::BAD_SIGNATURE, "r||s must be 64 bytes");
  Bytes body;
  body.reserve(2 * (kFieldSize + 3));
  appendDerInteger(body, rs.data());
  appendDerInteger(body, rs.data() + kFieldSize);
  Bytes der{0x30, static_cast<std::uint8_t>(body.size())};
  der.insert(der.end(), body.begin(), body.end());
  return der;
}

Result<Bytes> derToRaw(ByteView der) {
  if (der.empty() || der.size() > LONG_MAX) return fail(Code::BAD_SIGNATURE, "empty signature");
  const unsigned char* p = der.data();
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return fail(Code::BAD_SIGNATURE, "not an ECDSA signature");
  if (p != der.data() + der.size()) return fail(Code::BAD_SIGNATURE, "trailing bytes");
  // The decoder tolerates some BER (long-form lengths, padded INTEGERs);
  // DER is exactly what re-encoding yields, so compare byte for byte.
  unsigned char* again = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &again);
  OsslBytePtr owner(again);
  if (len <= 0 || static_cast<std::size_t>(len) != der.size() ||
      std::memcmp(again, der.data(), der.size()) != 0)
    return fail(Code::BAD_SIGNATURE, "not strict DER");
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  if (BN_is_negative(r) || BN_is_negative(s)) return fail(Code::BAD_SIGNATURE, "negative integer");
  Bytes out(kSignatureSize);
  if (BN_bn2binpad(r, out.data(), kFieldSize) != static_cast<int>(kFieldSize) ||
      BN_bn2binpad(s, out.data() + kFieldSize, kFieldSize) != static_cast<int>(kFieldSize))
    return fail(Code::BAD_SIGNATURE, "integer wider than 32 bytes");
  return out;
}

}  // namespace titlecert::crypto
