// SM2 + SM3 conformance: the vectors of testdata/sm2-sm3 (standard examples,
// derived negatives, OpenSSL's prehashed vectors; see its PROVENANCE.md) and
// the property ZC1.md §2 insists on: the distinguishing ID is
// "1234567812345678" on every sign and verify, never OpenSSL's empty default.
#include <gtest/gtest.h>

#include "support/corpus.h"
#include "support/sm2_corpus.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "titlecert/bytes.h"
#include "titlecert/crypto.h"
#include "titlecert/openssl_handles.h"

namespace {

using nlohmann::json;
using titlecert::asBytes;
using titlecert::asText;
using titlecert::Bytes;
using titlecert::ByteView;
using titlecert::Code;
using titlecert::toHex;
using namespace titlecert::crypto;

using OwnedPkey = titlecert::ossl::PkeyPtr;
using PkeyCtx = titlecert::ossl::PkeyCtxPtr;
using MdCtx = titlecert::ossl::MdCtxPtr;
using ParamBld = titlecert::ossl::ParamBldPtr;
using Params = titlecert::ossl::ParamsPtr;
using Bn = titlecert::ossl::BnPtr;
using Md = titlecert::ossl::MdPtr;

const Bytes kSm2CurveOid = {0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d};  // 1.2.156.10197.1.301
const Bytes kEcPublicKeyOid = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};    // id-ecPublicKey

using titlecert::testing::computeZ;
using titlecert::testing::hex;
using titlecert::testing::loadSm2Vectors;
json loadVectors() { return loadSm2Vectors(); }
Bytes unhex(std::string_view h) { return titlecert::fromHex(h).value(); }

bool contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

// SM2 signing/verification straight through OpenSSL, with the ID set (or
// not: nullopt leaves OpenSSL's empty default) — the reference against
// which titlecert's own calls are checked. Returns a DER signature.
Bytes opensslSm2Sign(EVP_PKEY* key, ByteView msg, std::optional<std::string_view> id) {
  PkeyCtx pctx(EVP_PKEY_CTX_new(key, nullptr));
  MdCtx mctx(EVP_MD_CTX_new());
  if (id) {
    EXPECT_EQ(EVP_PKEY_CTX_set1_id(pctx.get(), id->data(), static_cast<int>(id->size())), 1);
  }
  EVP_MD_CTX_set_pkey_ctx(mctx.get(), pctx.get());
  EXPECT_EQ(EVP_DigestSignInit(mctx.get(), nullptr, EVP_sm3(), nullptr, key), 1);
  std::size_t len = 0;
  EXPECT_EQ(EVP_DigestSign(mctx.get(), nullptr, &len, msg.data(), msg.size()), 1);
  Bytes sig(len);
  EXPECT_EQ(EVP_DigestSign(mctx.get(), sig.data(), &len, msg.data(), msg.size()), 1);
  sig.resize(len);
  return sig;
}

bool opensslSm2Verify(EVP_PKEY* key, ByteView msg, ByteView der, std::optional<std::string_view> id) {
  PkeyCtx pctx(EVP_PKEY_CTX_new(key, nullptr));
  MdCtx mctx(EVP_MD_CTX_new());
  if (id) {
    EXPECT_EQ(EVP_PKEY_CTX_set1_id(pctx.get(), id->data(), static_cast<int>(id->size())), 1);
  }
  EVP_MD_CTX_set_pkey_ctx(mctx.get(), pctx.get());
  if (EVP_DigestVerifyInit(mctx.get(), nullptr, EVP_sm3(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(mctx.get(), der.data(), der.size(), msg.data(), msg.size()) == 1;
}

// ---------------------------------------------------------------------------

// The SM2 verification equation of GB/T 32918.2 §7.1, computed with
// OpenSSL's EC_GROUP / EC_POINT / BIGNUM arithmetic: an independent check that
// needs neither an SM2 key object nor OpenSSL's SM2 signature provider, so it
// also covers a non-standard curve and digests the provider refuses.
//   1 <= r, s < n;  t = (r + s) mod n != 0;  (x1, y1) = s*G + t*P;
//   valid iff (e + x1) mod n == r, with e the digest as a big-endian integer.
using Group = titlecert::ossl::EcGroupPtr;
using Point = titlecert::ossl::EcPointPtr;
using BnCtx = titlecert::ossl::BnCtxPtr;
using EcdsaSig = titlecert::ossl::EcdsaSigPtr;

Bn bnFromHex(const json& v) {
  BIGNUM* bn = nullptr;
  EXPECT_GT(BN_hex2bn(&bn, v.get<std::string>().c_str()), 0);
  return Bn(bn);
}

Group standardCurve() { return Group(EC_GROUP_new_by_curve_name(NID_sm2)); }

Group explicitCurve(const json& c, BN_CTX* ctx) {
  Bn p = bnFromHex(c["p"]), a = bnFromHex(c["a"]), b = bnFromHex(c["b"]), n = bnFromHex(c["n"]);
  Bn h(BN_new());
  BN_set_word(h.get(), c["h"].get<unsigned>());
  Group group(EC_GROUP_new_curve_GFp(p.get(), a.get(), b.get(), ctx));
  if (!group) return group;
  Point g(EC_POINT_new(group.get()));
  Bytes gen = unhex("04" + c["gx"].get<std::string>() + c["gy"].get<std::string>());
  if (EC_POINT_oct2point(group.get(), g.get(), gen.data(), gen.size(), ctx) != 1 ||
      EC_GROUP_set_generator(group.get(), g.get(), n.get(), h.get()) != 1)
    return nullptr;
  return group;
}

bool sm2Equation(const EC_GROUP* group, ByteView publicPoint, ByteView e, ByteView derSig) {
  BnCtx ctx(BN_CTX_new());
  const unsigned char* p = derSig.data();
  EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(derSig.size())));
  if (!sig) return false;
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  const BIGNUM* n = EC_GROUP_get0_order(group);
  auto inRange = [&](const BIGNUM* v) { return !BN_is_zero(v) && !BN_is_negative(v) && BN_cmp(v, n) < 0; };
  if (!inRange(r) || !inRange(s)) return false;
  Bn t(BN_new());
  if (BN_mod_add(t.get(), r, s, n, ctx.get()) != 1 || BN_is_zero(t.get())) return false;
  Point q(EC_POINT_new(group)), sum(EC_POINT_new(group));
  if (EC_POINT_oct2point(group, q.get(), publicPoint.data(), publicPoint.size(), ctx.get()) != 1) return false;
  if (EC_POINT_mul(group, sum.get(), s, q.get(), t.get(), ctx.get()) != 1) return false;
  Bn x1(BN_new()), ev(BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr)), big(BN_new());
  if (EC_POINT_get_affine_coordinates(group, sum.get(), x1.get(), nullptr, ctx.get()) != 1) return false;
  if (BN_mod_add(big.get(), ev.get(), x1.get(), n, ctx.get()) != 1) return false;
  return BN_cmp(big.get(), r) == 0;
}

Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Group 1 again, through the bare equation with e = SM3(Z || M): the
// verdicts of titlecert's API and of the arithmetic must agree.
TEST(SM2Vectors, StandardCurveByEquation) {
  json doc = loadVectors();
  ASSERT_TRUE(doc.contains("testGroups"));
  Group curve = standardCurve();
  ASSERT_TRUE(curve);
  std::size_t vectors = 0;
  for (const json& group : doc["testGroups"]) {
    if (group["type"] != "Sm2Verify" || group["curve"] != "sm2p256v1") continue;
    const Bytes pub = hex(group["publicKey"]["uncompressed"]);
    for (const json& test : group["tests"]) {
      ++vectors;
      const Bytes uid = test.contains("uidOverride") ? hex(test["uidOverride"]) : hex(group["uid"]);
      const Bytes e = sm3(concat(computeZ(doc["curves"]["sm2p256v1"], uid, group["publicKey"]), hex(test["msg"])));
      EXPECT_EQ(sm2Equation(curve.get(), pub, e, hex(test["sig"])), test["result"] == "valid")
          << "tcId " << test["tcId"];
    }
  }
  EXPECT_EQ(vectors, 16u);
  std::cout << "[corpus] sm2 standard curve by the bare equation: " << vectors << " vectors\n";
}

// Group 2 is on the GM/T 0003.2 Fp-256 *test* curve. No titlecert key can be
// on it (PublicKey refuses anything but the SM2 curve), and OpenSSL 3.0's SM2
// key manager refuses explicit curve parameters (EVP_PKEY_fromdata fails), so
// it is checked by the equation over an explicit EC_GROUP.
TEST(SM2Vectors, TestCurve) {
  json doc = loadVectors();
  ASSERT_TRUE(doc.contains("testGroups"));
  BnCtx ctx(BN_CTX_new());
  std::size_t vectors = 0;
  for (const json& group : doc["testGroups"]) {
    if (group["type"] != "Sm2Verify" || group["curve"] == "sm2p256v1") continue;
    const json& c = group["curveParams"];
    const Bytes pub = hex(group["publicKey"]["uncompressed"]);
    EXPECT_EQ(PublicKey::fromRaw(Alg::SM2_SM3, pub).code(), Code::BAD_KEY) << "titlecert must refuse this key";
    Group curve = explicitCurve(c, ctx.get());
    ASSERT_TRUE(curve);
    const Bytes uid = hex(group["uid"]);
    const Bytes z = computeZ(c, uid, group["publicKey"]);
    EXPECT_EQ(toHex(z), group["Z"].get<std::string>());
    for (const json& test : group["tests"]) {
      ++vectors;
      const Bytes e = sm3(concat(z, hex(test["msg"])));
      EXPECT_EQ(toHex(e), test["e"].get<std::string>());
      EXPECT_EQ(sm2Equation(curve.get(), pub, e, hex(test["sig"])), test["result"] == "valid")
          << "tcId " << test["tcId"];
      // Under the empty ID, Z and so e differ: the signature fails.
      const Bytes eEmpty = sm3(concat(computeZ(c, {}, group["publicKey"]), hex(test["msg"])));
      EXPECT_FALSE(sm2Equation(curve.get(), pub, eEmpty, hex(test["sig"]))) << "tcId " << test["tcId"];
    }
  }
  EXPECT_EQ(vectors, 1u);
  std::cout << "[corpus] sm2 test curve (GM/T 0003.2 Annex A, explicit EC_GROUP, equation): " << vectors
            << " vectors\n";
}

// Group 3: OpenSSL's evp_test vectors sign a given digest value e (no Z, no
// message). Each is checked with EVP_PKEY_verify on e where OpenSSL 3.0's
// SM2 provider accepts the digest (it accepts only SM3: sm2sig_set_mdname
// refuses SHA512 in 3.0), and always with the equation. titlecert itself
// only loads the key pair from PEM.
TEST(SM2Vectors, Prehashed) {
  json doc = loadVectors();
  ASSERT_TRUE(doc.contains("testGroups"));
  Group curve = standardCurve();
  ASSERT_TRUE(curve);
  std::size_t vectors = 0, viaEvp = 0;
  for (const json& group : doc["testGroups"]) {
    if (group["type"] != "Sm2VerifyPrehashed") continue;
    ASSERT_EQ(group["curve"], "sm2p256v1");
    auto key = PublicKey::fromPem(group["publicKeyPem"].get<std::string>());
    ASSERT_TRUE(key.ok()) << key.error().detail;
    EXPECT_EQ(key->alg(), Alg::SM2_SM3);
    EXPECT_TRUE(EVP_PKEY_is_a(key->raw(titlecert::crypto::testAccess()), "SM2"));
    const Bytes pub = hex(group["publicKey"]["uncompressed"]);
    EXPECT_EQ(key->kid(), PublicKey::fromRaw(Alg::SM2_SM3, pub)->kid());
    auto priv = PrivateKey::fromPem(group["privateKeyPem"].get<std::string>());
    ASSERT_TRUE(priv.ok()) << priv.error().detail;
    EXPECT_EQ(priv->alg(), Alg::SM2_SM3);
    EXPECT_EQ(priv->publicKey().spkiDer(), key->spkiDer());

    for (const json& test : group["tests"]) {
      ++vectors;
      const bool expectValid = test["result"] == "valid";
      const Bytes e = hex(test["e"]);
      const Bytes sig = hex(test["sig"]);
      EXPECT_EQ(sm2Equation(curve.get(), pub, e, sig), expectValid) << "tcId " << test["tcId"];

      Md md(EVP_MD_fetch(nullptr, test["digest"].get<std::string>().c_str(), nullptr));
      ASSERT_TRUE(md) << test["digest"];
      PkeyCtx ctx(EVP_PKEY_CTX_new(key->raw(titlecert::crypto::testAccess()), nullptr));
      ASSERT_EQ(EVP_PKEY_verify_init(ctx.get()), 1);
      if (EVP_PKEY_CTX_set_signature_md(ctx.get(), md.get()) == 1) {
        ++viaEvp;
        EXPECT_EQ(EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), e.data(), e.size()) == 1, expectValid)
            << "tcId " << test["tcId"];
      } else {
        ERR_clear_error();
        std::cout << "[corpus]   tcId " << test["tcId"] << ": this OpenSSL's SM2 provider refuses digest "
                  << test["digest"].get<std::string>() << "; checked by the equation only\n";
      }
      // Our strict DER parser agrees with the encoding, and sigRaw is it.
      EXPECT_EQ(derToRaw(sig).value(), hex(test["sigRaw"]));
    }
  }
  EXPECT_EQ(vectors, 3u);
  EXPECT_GE(viaEvp, 2u);  // the two SM3 vectors at least
  std::cout << "[corpus] sm2 prehashed (OpenSSL evp_test): " << vectors << " vectors (equation), " << viaEvp
            << " also via EVP_PKEY_verify\n";
}

// ---------------------------------------------------------------------------

TEST(SM2, EmptyIdSignatureIsRejected) {
  auto key = PrivateKey::generate(Alg::SM2_SM3).value();
  const Bytes msg = titlecert::toBytes("title certificate");

  const Bytes emptyIdSig = derToRaw(opensslSm2Sign(key.raw(titlecert::crypto::testAccess()), msg, std::nullopt)).value();
  EXPECT_EQ(key.publicKey().verify(msg, emptyIdSig).code(), Code::BAD_SIGNATURE);
  // ...though it is a good signature under the empty ID: the ID is all that differs.
  EXPECT_TRUE(key.publicKey().verifySm2WithId(msg, emptyIdSig, "").ok());

  // The control: OpenSSL with the standard ID set is accepted.
  const Bytes stdIdSig = derToRaw(opensslSm2Sign(key.raw(titlecert::crypto::testAccess()), msg, kSm2DefaultId)).value();
  EXPECT_TRUE(key.publicKey().verify(msg, stdIdSig).ok());

  // And the other direction: our signatures carry the standard ID.
  const Bytes ours = key.sign(msg).value();
  const Bytes oursDer = rawToDer(ours).value();
  EXPECT_TRUE(opensslSm2Verify(key.raw(titlecert::crypto::testAccess()), msg, oursDer, kSm2DefaultId));
  EXPECT_FALSE(opensslSm2Verify(key.raw(titlecert::crypto::testAccess()), msg, oursDer, std::nullopt));
}

TEST(SM2, SignVerifyRoundTrip) {
  auto key = PrivateKey::generate(Alg::SM2_SM3).value();
  EXPECT_TRUE(EVP_PKEY_is_a(key.raw(titlecert::crypto::testAccess()), "SM2"));
  const Bytes msg = titlecert::toBytes("payload");
  const Bytes sig = key.sign(msg).value();
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(key.publicKey().verify(msg, sig).ok());
  EXPECT_TRUE(key.publicKey().verifySm2WithId(msg, sig, kSm2DefaultId).ok());
  EXPECT_TRUE(key.publicKey().verifyDer(msg, rawToDer(sig).value()).ok());
  EXPECT_EQ(key.publicKey().verifySm2WithId(msg, sig, "1234567812345679").code(), Code::BAD_SIGNATURE);
  EXPECT_EQ(key.publicKey().verifySm2WithId(msg, sig, "").code(), Code::BAD_SIGNATURE);

  // An encrypted SM2 key read back is still SM2 and still signs with the ID.
  auto back = PrivateKey::fromPem(key.toEncryptedPem("pass phrase").value(), "pass phrase");
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(back->alg(), Alg::SM2_SM3);
  EXPECT_TRUE(EVP_PKEY_is_a(back->raw(titlecert::crypto::testAccess()), "SM2"));
  EXPECT_EQ(back->publicKey().kid(), key.publicKey().kid());
  const Bytes again = back->sign(msg).value();
  EXPECT_TRUE(key.publicKey().verify(msg, again).ok());
  EXPECT_TRUE(opensslSm2Verify(key.raw(titlecert::crypto::testAccess()), msg, rawToDer(again).value(), kSm2DefaultId));
  EXPECT_FALSE(opensslSm2Verify(key.raw(titlecert::crypto::testAccess()), msg, rawToDer(again).value(), std::nullopt));
}

TEST(SM2, SpkiUsesSm2CurveOid) {
  auto key = PrivateKey::generate(Alg::SM2_SM3).value();
  const Bytes& spki = key.publicKey().spkiDer();
  ASSERT_EQ(spki.size(), 91u);
  // SEQUENCE { SEQUENCE { id-ecPublicKey, sm2 curve }, BIT STRING 04||x||y }
  EXPECT_EQ(toHex(ByteView(spki).first(4)), "30593013");
  EXPECT_TRUE(contains(spki, kEcPublicKeyOid));
  EXPECT_TRUE(contains(spki, kSm2CurveOid));
  EXPECT_EQ(toHex(ByteView(spki).subspan(4, 19)), toHex(kEcPublicKeyOid) + toHex(kSm2CurveOid));
  EXPECT_EQ(toHex(ByteView(spki).subspan(23, 4)), "03420004");
  // Not the SM2 *algorithm* OID 1.2.156.10197.1.301.1 / SM2-with-SM3.
  EXPECT_EQ(std::search(spki.begin(), spki.end(), kEcPublicKeyOid.begin(), kEcPublicKeyOid.end()) - spki.begin(),
            4);

  // The vector file's PEM (written by OpenSSL) gives exactly our encoding.
  json doc = loadVectors();
  for (const json& group : doc["testGroups"]) {
    if (!group.contains("publicKeyPem")) continue;
    auto fromPem = PublicKey::fromPem(group["publicKeyPem"].get<std::string>());
    auto fromRaw = PublicKey::fromRaw(Alg::SM2_SM3, hex(group["publicKey"]["uncompressed"]));
    ASSERT_TRUE(fromPem.ok() && fromRaw.ok());
    EXPECT_EQ(fromPem->spkiDer(), fromRaw->spkiDer());
    EXPECT_EQ(fromPem->pem(), group["publicKeyPem"].get<std::string>());
  }
}

// OpenSSL 3.0 can hold an SM2-curve key under the generic EC key manager
// (e.g. generated as EC with group SM2); signing with it would silently be
// ECDSA over the SM2 curve. titlecert must turn it into a real SM2 key.
TEST(SM2, EcKeyOnSm2CurveSignsAsSm2) {
  OwnedPkey ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "SM2"));
  ASSERT_TRUE(ec);
  ASSERT_TRUE(EVP_PKEY_is_a(ec.get(), "EC"));
  ASSERT_FALSE(EVP_PKEY_is_a(ec.get(), "SM2"));

  auto key = PrivateKey::fromEvpPkey(ec.get());
  ASSERT_TRUE(key.ok()) << key.error().detail;
  EXPECT_EQ(key->alg(), Alg::SM2_SM3);
  EXPECT_TRUE(EVP_PKEY_is_a(key->raw(titlecert::crypto::testAccess()), "SM2"));
  EXPECT_TRUE(EVP_PKEY_is_a(key->publicKey().raw(titlecert::crypto::testAccess()), "SM2"));
  auto pub = PublicKey::fromEvpPkey(ec.get());
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->alg(), Alg::SM2_SM3);
  EXPECT_EQ(pub->kid(), key->publicKey().kid());
  EXPECT_TRUE(contains(pub->spkiDer(), kSm2CurveOid));

  const Bytes msg = titlecert::toBytes("m");
  const Bytes sig = key->sign(msg).value();
  EXPECT_TRUE(pub->verify(msg, sig).ok());
  // A real SM2 verification through OpenSSL, with the standard ID.
  EXPECT_TRUE(opensslSm2Verify(key->publicKey().raw(titlecert::crypto::testAccess()), msg, rawToDer(sig).value(), kSm2DefaultId));
}

// The GB/T 32918.5 example key pair: our key built from its scalar has the
// standard public key, and what it signs verifies under the standard's ID.
TEST(SM2, StandardKeyPairSigns) {
  json doc = loadVectors();
  ASSERT_TRUE(doc.contains("testGroups"));
  const json& group = doc["testGroups"][0];
  ASSERT_EQ(group["curve"], "sm2p256v1");
  ParamBld bld(OSSL_PARAM_BLD_new());
  BIGNUM* d = nullptr;
  ASSERT_GT(BN_hex2bn(&d, group["privateKey"].get<std::string>().c_str()), 0);
  Bn dOwner(d);
  const Bytes pubPoint = hex(group["publicKey"]["uncompressed"]);
  ASSERT_EQ(OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0), 1);
  ASSERT_EQ(OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pubPoint.data(), pubPoint.size()),
            1);
  ASSERT_EQ(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d), 1);
  Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  EVP_PKEY* raw = nullptr;
  ASSERT_EQ(EVP_PKEY_fromdata_init(ctx.get()), 1);
  ASSERT_EQ(EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()), 1);
  OwnedPkey owned(raw);

  auto key = PrivateKey::fromEvpPkey(owned.get());
  ASSERT_TRUE(key.ok()) << key.error().detail;
  auto standardPub = PublicKey::fromRaw(Alg::SM2_SM3, pubPoint).value();
  EXPECT_EQ(key->publicKey().spkiDer(), standardPub.spkiDer());
  const Bytes msg = hex(group["tests"][0]["msg"]);
  EXPECT_TRUE(standardPub.verify(msg, key->sign(msg).value()).ok());
}

}  // namespace
