// titlecert::crypto: the properties ZC1.md §2 and §4 rely on — round trips
// per algorithm, tamper and size rejection, kid derivation, no algorithm
// substitution, encrypted keys, unsupported keys, scrypt, r||s <-> DER.
#include <gtest/gtest.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/crypto.h"
#include "titlecert/openssl_handles.h"

namespace titlecert::crypto {
// Readable parameter names in GoogleTest output.
void PrintTo(Alg alg, std::ostream* os) { *os << algName(alg); }
}  // namespace titlecert::crypto

namespace {

using titlecert::asBytes;
using titlecert::Bytes;
using titlecert::ByteView;
using titlecert::Code;
using titlecert::fromHex;
using titlecert::toHex;
using namespace titlecert::crypto;

using OwnedPkey = titlecert::ossl::PkeyPtr;

Bytes hex(std::string_view h) { return fromHex(h).value(); }

bool contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

std::string bioString(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string publicPem(EVP_PKEY* key) {
  titlecert::ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_PUBKEY(bio.get(), key), 1);
  return bioString(bio.get());
}

std::string privatePem(EVP_PKEY* key) {
  titlecert::ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  return bioString(bio.get());
}

// The DER body of a PEM block (to look inside what we wrote).
Bytes pemBody(const std::string& pem) {
  titlecert::ossl::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  EXPECT_EQ(PEM_read_bio(bio.get(), &name, &header, &data, &len), 1);
  Bytes out(data, data + len);
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  return out;
}

Bytes spkiOf(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  Bytes out(der, der + std::max(len, 0));
  OPENSSL_free(der);
  return out;
}

const Alg kAllAlgs[] = {Alg::EdDSA, Alg::ES256, Alg::SM2_SM3};

class PerAlg : public ::testing::TestWithParam<Alg> {};

INSTANTIATE_TEST_SUITE_P(Crypto, PerAlg, ::testing::ValuesIn(kAllAlgs), [](const auto& param) {
  switch (param.param) {
    case Alg::EdDSA: return std::string("EdDSA");
    case Alg::ES256: return std::string("ES256");
    case Alg::SM2_SM3: return std::string("SM2_SM3");
  }
  return std::string("unknown");
});

// ---------------------------------------------------------------------------

TEST(Crypto, AlgorithmIdentifiers) {
  Alg a{};
  EXPECT_TRUE(algFromCose(-8, a));
  EXPECT_EQ(a, Alg::EdDSA);
  EXPECT_TRUE(algFromCose(-7, a));
  EXPECT_EQ(a, Alg::ES256);
  EXPECT_TRUE(algFromCose(-65600, a));
  EXPECT_EQ(a, Alg::SM2_SM3);
  for (std::int64_t other : {0, -35, -36, -37, -257, -19, 1, -65599, -65601})
    EXPECT_FALSE(algFromCose(other, a)) << other;

  EXPECT_EQ(algName(Alg::EdDSA), "EdDSA");
  EXPECT_EQ(algName(Alg::ES256), "ES256");
  EXPECT_EQ(algName(Alg::SM2_SM3), "SM2-SM3");
  for (Alg alg : kAllAlgs) {
    auto back = algFromName(algName(alg));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, alg);
  }
  for (const char* bad : {"", "eddsa", "ES-256", "SM2_SM3", "sm2-sm3", "SM2", "Ed25519", "ES256 "})
    EXPECT_EQ(algFromName(bad).code(), Code::INVALID_ARGUMENT) << bad;
}

TEST_P(PerAlg, SignVerifyRoundTrip) {
  auto key = PrivateKey::generate(GetParam());
  ASSERT_TRUE(key.ok()) << key.error().detail;
  EXPECT_EQ(key->alg(), GetParam());
  for (std::string_view msg : {"", "x", "a title certificate payload"}) {
    auto sig = key->sign(asBytes(msg));
    ASSERT_TRUE(sig.ok());
    EXPECT_EQ(sig->size(), kSignatureSize);
    EXPECT_TRUE(key->publicKey().verify(asBytes(msg), *sig).ok()) << msg;
  }
}

TEST_P(PerAlg, TamperingIsRejected) {
  auto key = PrivateKey::generate(GetParam()).value();
  const Bytes msg = titlecert::toBytes("claims");
  const Bytes sig = key.sign(msg).value();
  const auto& pub = key.publicKey();

  Bytes otherMsg = msg;
  otherMsg[0] ^= 0x01;
  EXPECT_EQ(pub.verify(otherMsg, sig).code(), Code::BAD_SIGNATURE);
  for (std::size_t i : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{63}}) {
    Bytes bad = sig;
    bad[i] ^= 0x80;
    EXPECT_EQ(pub.verify(msg, bad).code(), Code::BAD_SIGNATURE) << "byte " << i;
  }
  // A signature by another key of the same type.
  auto other = PrivateKey::generate(GetParam()).value();
  EXPECT_EQ(pub.verify(msg, other.sign(msg).value()).code(), Code::BAD_SIGNATURE);
}

TEST_P(PerAlg, SignatureMustBeExactly64Bytes) {
  auto key = PrivateKey::generate(GetParam()).value();
  const Bytes msg = titlecert::toBytes("m");
  const Bytes sig = key.sign(msg).value();
  Bytes shorter(sig.begin(), sig.end() - 1);
  Bytes longer = sig;
  longer.push_back(0);
  Bytes padded = sig;
  padded.insert(padded.begin(), 0);
  EXPECT_EQ(key.publicKey().verify(msg, shorter).code(), Code::BAD_SIGNATURE);
  EXPECT_EQ(key.publicKey().verify(msg, longer).code(), Code::BAD_SIGNATURE);
  EXPECT_EQ(key.publicKey().verify(msg, padded).code(), Code::BAD_SIGNATURE);
  EXPECT_EQ(key.publicKey().verify(msg, {}).code(), Code::BAD_SIGNATURE);
  // ECDSA/SM2 signatures are never accepted in their DER form by verify().
  if (GetParam() != Alg::EdDSA) {
    EXPECT_EQ(key.publicKey().verify(msg, rawToDer(sig).value()).code(), Code::BAD_SIGNATURE);
  }
}

TEST_P(PerAlg, KidIsSha256OfSpkiAndSurvivesPem) {
  auto key = PrivateKey::generate(GetParam()).value();
  const PublicKey& pub = key.publicKey();
  const Bytes digest = sha256(pub.spkiDer());
  EXPECT_TRUE(std::equal(pub.kid().begin(), pub.kid().end(), digest.begin()));

  // The SPKI is exactly what OpenSSL writes for the key.
  EXPECT_EQ(pub.spkiDer(), spkiOf(pub.raw(titlecert::crypto::testAccess())));

  auto fromPem = PublicKey::fromPem(pub.pem());
  ASSERT_TRUE(fromPem.ok());
  EXPECT_EQ(fromPem->spkiDer(), pub.spkiDer());
  EXPECT_EQ(fromPem->kid(), pub.kid());
  EXPECT_EQ(fromPem->alg(), GetParam());

  auto fromDer = PublicKey::fromSpkiDer(pub.spkiDer());
  ASSERT_TRUE(fromDer.ok());
  EXPECT_EQ(fromDer->kid(), pub.kid());

  auto plain = PrivateKey::fromPem(key.toPlainPemForTests(titlecert::crypto::testAccess()));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->publicKey().kid(), pub.kid());
  EXPECT_EQ(plain->alg(), GetParam());
  EXPECT_TRUE(pub.verify(asBytes("x"), plain->sign(asBytes("x")).value()).ok());
}

// A bundle's keys are read in their canonical form without an OpenSSL
// import; the deferred key is the same key as the eager one.
TEST_P(PerAlg, CanonicalSpkiKeyIsImportedOnFirstUse) {
  auto key = PrivateKey::generate(GetParam()).value();
  const PublicKey& pub = key.publicKey();
  auto deferred = PublicKey::fromCanonicalSpkiDer(pub.spkiDer());
  ASSERT_TRUE(deferred.ok()) << deferred.error().detail;
  EXPECT_EQ(deferred->alg(), GetParam());
  EXPECT_EQ(deferred->kid(), pub.kid());
  EXPECT_EQ(deferred->spkiDer(), pub.spkiDer());
  EXPECT_EQ(deferred->pem(), pub.pem());
  const PublicKey copy = *deferred;  // copies share the one import
  const Bytes sig = key.sign(asBytes("payload")).value();
  EXPECT_TRUE(copy.verify(asBytes("payload"), sig).ok());
  EXPECT_TRUE(deferred->verify(asBytes("payload"), sig).ok());
  EXPECT_EQ(deferred->verify(asBytes("other"), sig).code(), Code::BAD_SIGNATURE);
  EXPECT_EQ(spkiOf(deferred->raw(titlecert::crypto::testAccess())), pub.spkiDer());

  Bytes trailing = pub.spkiDer();
  trailing.push_back(0);
  EXPECT_EQ(PublicKey::fromCanonicalSpkiDer(trailing).code(), Code::BAD_KEY);
  EXPECT_EQ(PublicKey::fromCanonicalSpkiDer(ByteView(pub.spkiDer()).first(pub.spkiDer().size() - 1)).code(),
            Code::BAD_KEY);
  Bytes otherOid = pub.spkiDer();
  otherOid[8] ^= 0x01;  // inside the algorithm identifier
  EXPECT_EQ(PublicKey::fromCanonicalSpkiDer(otherOid).code(), Code::BAD_KEY);
}

// fromSpkiDer reads a canonical SPKI by its prefix, without OpenSSL's
// decoder; the key it gives is the one OpenSSL's own reading of the same
// bytes gives, and both readings refuse the same malformed keys.
// OpenSSL's reading of a whole DER: null when it fails or leaves bytes over.
OwnedPkey decodedByOpenSsl(const Bytes& spki) {
  const unsigned char* p = spki.data();
  OwnedPkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  return p == spki.data() + spki.size() ? std::move(key) : OwnedPkey();
}

TEST_P(PerAlg, CanonicalSpkiReadsAsOpenSslReadsIt) {
  auto key = PrivateKey::generate(GetParam()).value();
  const Bytes spki = key.publicKey().spkiDer();
  OwnedPkey decoded = decodedByOpenSsl(spki);
  ASSERT_TRUE(decoded);
  auto viaOpenSsl = PublicKey::fromEvpPkey(decoded.get());
  auto direct = PublicKey::fromSpkiDer(spki);
  ASSERT_TRUE(viaOpenSsl.ok() && direct.ok());
  EXPECT_EQ(direct->alg(), viaOpenSsl->alg());
  EXPECT_EQ(direct->kid(), viaOpenSsl->kid());
  EXPECT_EQ(direct->spkiDer(), viaOpenSsl->spkiDer());
  EXPECT_EQ(EVP_PKEY_eq(direct->raw(titlecert::crypto::testAccess()), decoded.get()), 1);
  const Bytes sig = key.sign(asBytes("payload")).value();
  EXPECT_TRUE(direct->verify(asBytes("payload"), sig).ok());

  // Whether each reading takes a DER: OpenSSL's, then the direct one.
  const auto readings = [](const Bytes& der) {
    OwnedPkey k = decodedByOpenSsl(der);
    return std::pair{k && PublicKey::fromEvpPkey(k.get()).ok(), PublicKey::fromSpkiDer(der).ok()};
  };
  // Canonical in shape with the key changed: an EC point then leaves its
  // curve and both refuse it; any 32 bytes are an Ed25519 key to both.
  Bytes changed = spki;
  changed.back() ^= 0x01;
  const bool taken = GetParam() == Alg::EdDSA;
  EXPECT_EQ(readings(changed), std::pair(taken, taken));
  // Not a SEQUENCE first, a length one short, a byte too many: both refuse.
  Bytes longer = spki;
  longer.push_back(0);
  for (const Bytes& bad : {Bytes(spki.begin() + 1, spki.end()), Bytes(spki.begin(), spki.end() - 1), longer})
    EXPECT_EQ(readings(bad), std::pair(false, false));
}

// An EC point off its curve in the canonical shape: the eager reader
// refuses it, the deferred one can never verify with it.
TEST(Crypto, DeferredKeyOffTheCurveNeverVerifies) {
  for (Alg alg : {Alg::ES256, Alg::SM2_SM3}) {
    auto key = PrivateKey::generate(alg).value();
    Bytes spki = key.publicKey().spkiDer();
    spki.back() ^= 0x01;  // y no longer matches x
    EXPECT_EQ(PublicKey::fromSpkiDer(spki).code(), Code::BAD_KEY);
    auto deferred = PublicKey::fromCanonicalSpkiDer(spki);
    ASSERT_TRUE(deferred.ok());
    const Bytes sig = key.sign(asBytes("payload")).value();
    EXPECT_EQ(deferred->verify(asBytes("payload"), sig).code(), Code::BAD_SIGNATURE);
    EXPECT_EQ(deferred->raw(titlecert::crypto::testAccess()), nullptr);
  }
  // A compressed point is not the canonical form.
  auto es = PrivateKey::generate(Alg::ES256).value();
  OwnedPkey copy(EVP_PKEY_dup(es.publicKey().raw(titlecert::crypto::testAccess())));
  ASSERT_EQ(EVP_PKEY_set_utf8_string_param(copy.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                           OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_COMPRESSED),
            1);
  EXPECT_EQ(PublicKey::fromCanonicalSpkiDer(spkiOf(copy.get())).code(), Code::BAD_KEY);
}

TEST_P(PerAlg, EncryptedPemRoundTrip) {
  auto key = PrivateKey::generate(GetParam()).value();
  EXPECT_EQ(key.toEncryptedPem("").code(), Code::INVALID_ARGUMENT);

  auto pem = key.toEncryptedPem("correct horse");
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem->rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0), 0u);
  // PBES2 with scrypt and AES-256-CBC, by their OIDs.
  const Bytes der = pemBody(*pem);
  EXPECT_TRUE(contains(der, hex("06092a864886f70d01050d"))) << "PBES2";
  EXPECT_TRUE(contains(der, hex("06092b06010401da47040b"))) << "scrypt";
  EXPECT_TRUE(contains(der, hex("060960864801650304012a"))) << "aes-256-cbc";

  auto back = PrivateKey::fromPem(*pem, "correct horse");
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(back->alg(), GetParam());
  EXPECT_EQ(back->publicKey().kid(), key.publicKey().kid());
  EXPECT_TRUE(key.publicKey().verify(asBytes("m"), back->sign(asBytes("m")).value()).ok());

  EXPECT_EQ(PrivateKey::fromPem(*pem, "correct horsE").code(), Code::BAD_PASSPHRASE);
  EXPECT_EQ(PrivateKey::fromPem(*pem, "").code(), Code::BAD_PASSPHRASE);
  EXPECT_EQ(PrivateKey::fromPem(*pem).code(), Code::BAD_PASSPHRASE);
  // Two encryptions differ (random salt and IV).
  EXPECT_NE(key.toEncryptedPem("correct horse").value(), *pem);
}

TEST(Crypto, AlgorithmsCannotBeSubstituted) {
  auto ed = PrivateKey::generate(Alg::EdDSA).value();
  auto p256 = PrivateKey::generate(Alg::ES256).value();
  auto sm2 = PrivateKey::generate(Alg::SM2_SM3).value();
  const Bytes msg = titlecert::toBytes("payload");
  const Bytes edSig = ed.sign(msg).value();
  EXPECT_EQ(p256.publicKey().verify(msg, edSig).code(), Code::BAD_SIGNATURE);
  EXPECT_EQ(sm2.publicKey().verify(msg, edSig).code(), Code::BAD_SIGNATURE);
  EXPECT_EQ(ed.publicKey().verify(msg, p256.sign(msg).value()).code(), Code::BAD_SIGNATURE);
  EXPECT_EQ(ed.publicKey().verify(msg, sm2.sign(msg).value()).code(), Code::BAD_SIGNATURE);
  // The raw key of one type cannot be loaded as another.
  EXPECT_EQ(PublicKey::fromRaw(Alg::ES256, ed.publicKey().spkiDer()).code(), Code::BAD_KEY);
  Bytes p256Point(p256.publicKey().spkiDer().end() - 65, p256.publicKey().spkiDer().end());
  ASSERT_TRUE(PublicKey::fromRaw(Alg::ES256, p256Point).ok());
  EXPECT_EQ(PublicKey::fromRaw(Alg::SM2_SM3, p256Point).code(), Code::BAD_KEY);  // not on the SM2 curve
  EXPECT_EQ(PublicKey::fromRaw(Alg::EdDSA, p256Point).code(), Code::BAD_KEY);
  // verifySm2WithId / verifyDer are refused where they make no sense.
  EXPECT_EQ(p256.publicKey().verifySm2WithId(msg, p256.sign(msg).value(), "x").code(), Code::INVALID_ARGUMENT);
  EXPECT_EQ(ed.publicKey().verifyDer(msg, edSig).code(), Code::INVALID_ARGUMENT);
}

TEST(Crypto, SpkiShapes) {
  auto ed = PrivateKey::generate(Alg::EdDSA).value();
  const Bytes& edSpki = ed.publicKey().spkiDer();
  ASSERT_EQ(edSpki.size(), 44u);  // RFC 8410
  EXPECT_EQ(toHex(ByteView(edSpki).first(12)), "302a300506032b6570032100");

  auto p256 = PrivateKey::generate(Alg::ES256).value();
  const Bytes& ecSpki = p256.publicKey().spkiDer();
  ASSERT_EQ(ecSpki.size(), 91u);  // named curve, uncompressed point
  EXPECT_EQ(toHex(ByteView(ecSpki).first(27)),
            "3059301306072a8648ce3d020106082a8648ce3d030107034200" "04");
}

TEST(Crypto, CompressedPointIsNormalised) {
  auto key = PrivateKey::generate(Alg::ES256).value();
  OwnedPkey copy(EVP_PKEY_dup(key.publicKey().raw(titlecert::crypto::testAccess())));
  ASSERT_TRUE(copy);
  ASSERT_EQ(EVP_PKEY_set_utf8_string_param(copy.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                           OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_COMPRESSED),
            1);
  const Bytes compressed = spkiOf(copy.get());
  ASSERT_EQ(compressed.size(), 59u);
  auto loaded = PublicKey::fromSpkiDer(compressed);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->spkiDer(), key.publicKey().spkiDer());
  EXPECT_EQ(loaded->kid(), key.publicKey().kid());
}

TEST(Crypto, ExplicitCurveParametersAreRejected) {
  auto key = PrivateKey::generate(Alg::ES256).value();
  OwnedPkey copy(EVP_PKEY_dup(key.publicKey().raw(titlecert::crypto::testAccess())));
  ASSERT_TRUE(copy);
  ASSERT_EQ(EVP_PKEY_set_utf8_string_param(copy.get(), OSSL_PKEY_PARAM_EC_ENCODING,
                                           OSSL_PKEY_EC_ENCODING_EXPLICIT),
            1);
  const Bytes spki = spkiOf(copy.get());
  ASSERT_GT(spki.size(), 91u);
  EXPECT_EQ(PublicKey::fromSpkiDer(spki).code(), Code::BAD_KEY);
  EXPECT_EQ(PublicKey::fromEvpPkey(copy.get()).code(), Code::BAD_KEY);
}

TEST(Crypto, UnsupportedKeysAreBadKey) {
  struct Case {
    const char* name;
    OwnedPkey key;
  };
  std::vector<Case> cases;
  cases.push_back({"P-384", OwnedPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"))});
  cases.push_back({"secp256k1", OwnedPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"))});
  cases.push_back({"RSA-2048", OwnedPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}))});
  cases.push_back({"Ed448", OwnedPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448"))});
  cases.push_back({"X25519", OwnedPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"))});
  for (auto& c : cases) {
    ASSERT_TRUE(c.key) << c.name;
    EXPECT_EQ(PublicKey::fromPem(publicPem(c.key.get())).code(), Code::BAD_KEY) << c.name;
    EXPECT_EQ(PublicKey::fromSpkiDer(spkiOf(c.key.get())).code(), Code::BAD_KEY) << c.name;
    EXPECT_EQ(PublicKey::fromEvpPkey(c.key.get()).code(), Code::BAD_KEY) << c.name;
    EXPECT_EQ(PrivateKey::fromPem(privatePem(c.key.get())).code(), Code::BAD_KEY) << c.name;
    EXPECT_EQ(PrivateKey::fromEvpPkey(c.key.get()).code(), Code::BAD_KEY) << c.name;
  }
}

TEST(Crypto, MalformedKeysAreBadKey) {
  auto key = PrivateKey::generate(Alg::ES256).value();
  const PublicKey& pub = key.publicKey();
  EXPECT_EQ(PublicKey::fromPem("").code(), Code::BAD_KEY);
  EXPECT_EQ(PublicKey::fromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").code(),
            Code::BAD_KEY);
  EXPECT_EQ(PublicKey::fromPem(key.toPlainPemForTests(titlecert::crypto::testAccess())).code(), Code::BAD_KEY);  // wrong label
  EXPECT_EQ(PrivateKey::fromPem(pub.pem()).code(), Code::BAD_KEY);
  EXPECT_EQ(PublicKey::fromSpkiDer({}).code(), Code::BAD_KEY);
  Bytes trailing = pub.spkiDer();
  trailing.push_back(0);
  EXPECT_EQ(PublicKey::fromSpkiDer(trailing).code(), Code::BAD_KEY);
  Bytes truncated(pub.spkiDer().begin(), pub.spkiDer().end() - 1);
  EXPECT_EQ(PublicKey::fromSpkiDer(truncated).code(), Code::BAD_KEY);

  Bytes point(pub.spkiDer().end() - 65, pub.spkiDer().end());
  Bytes offCurve = point;
  offCurve[64] ^= 0x01;
  EXPECT_EQ(PublicKey::fromRaw(Alg::ES256, offCurve).code(), Code::BAD_KEY);
  Bytes wrongPrefix = point;
  wrongPrefix[0] = 0x02;
  EXPECT_EQ(PublicKey::fromRaw(Alg::ES256, wrongPrefix).code(), Code::BAD_KEY);
  EXPECT_EQ(PublicKey::fromRaw(Alg::ES256, ByteView(point).first(33)).code(), Code::BAD_KEY);
  EXPECT_EQ(PublicKey::fromRaw(Alg::EdDSA, Bytes(31)).code(), Code::BAD_KEY);
  EXPECT_EQ(PublicKey::fromRaw(static_cast<Alg>(-35), point).code(), Code::BAD_KEY);
  // The point at infinity's only encoding is 0x00.
  EXPECT_EQ(PublicKey::fromRaw(Alg::ES256, Bytes{0x00}).code(), Code::BAD_KEY);

  // A public key is not a private key.
  EXPECT_EQ(PrivateKey::fromEvpPkey(pub.raw(titlecert::crypto::testAccess())).code(), Code::BAD_KEY);
}

TEST(Crypto, ScryptMatchesTheZc1Vector) {
  // ZC1.md §4: idh for CN:650102199001011239 and cti 650100-2026-000001.
  auto idh = scrypt(asBytes("CN:650102199001011239"), asBytes("zc1/idh650100-2026-000001"), 16384, 8, 1, 16);
  ASSERT_TRUE(idh.ok()) << idh.error().detail;
  EXPECT_EQ(toHex(*idh), "002862ff5fefff7d068d11e8dbe28669");
  std::cout << "[corpus] scrypt ZC1 §4: 1 vector\n";
}

TEST(Crypto, ScryptMatchesRfc7914) {
  auto empty = scrypt({}, {}, 16, 1, 1, 64);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(toHex(*empty),
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
  auto nacl = scrypt(asBytes("password"), asBytes("NaCl"), 1024, 8, 16, 64);
  ASSERT_TRUE(nacl.ok());
  EXPECT_EQ(toHex(*nacl),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
  std::cout << "[corpus] scrypt RFC 7914 §12: 2 vectors\n";
}

TEST(Crypto, ScryptRejectsBadParameters) {
  EXPECT_EQ(scrypt(asBytes("p"), asBytes("s"), 1000, 8, 1, 16).code(), Code::INVALID_ARGUMENT);
  EXPECT_EQ(scrypt(asBytes("p"), asBytes("s"), 1, 8, 1, 16).code(), Code::INVALID_ARGUMENT);
  EXPECT_EQ(scrypt(asBytes("p"), asBytes("s"), 16384, 0, 1, 16).code(), Code::INVALID_ARGUMENT);
  EXPECT_EQ(scrypt(asBytes("p"), asBytes("s"), 16384, 8, 0, 16).code(), Code::INVALID_ARGUMENT);
  EXPECT_EQ(scrypt(asBytes("p"), asBytes("s"), 16384, 8, 1, 0).code(), Code::INVALID_ARGUMENT);
  // Beyond OpenSSL's memory limit: an error, not an abort.
  EXPECT_FALSE(scrypt(asBytes("p"), asBytes("s"), std::uint64_t{1} << 40, 8, 1, 16).ok());
}

TEST(Crypto, Hashes) {
  EXPECT_EQ(toHex(sha256(asBytes("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(toHex(sha256({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(toHex(sm3(asBytes("abc"))), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  EXPECT_EQ(toHex(sm3({})), "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
}

TEST(Crypto, RandomBytes) {
  EXPECT_TRUE(randomBytes(0).value().empty());
  auto a = randomBytes(32).value();
  auto b = randomBytes(32).value();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

// ---------------------------------------------------------------------------
// r||s <-> DER

TEST(Crypto, RawDerRoundTrip) {
  for (int i = 0; i < 200; ++i) {
    Bytes rs = randomBytes(64).value();
    // Exercise leading zero bytes and high bits on both halves.
    if (i % 4 == 1) std::fill_n(rs.begin(), 5, 0);
    if (i % 4 == 2) rs[32] = 0x80;
    if (i % 4 == 3) std::fill_n(rs.begin() + 32, 31, 0);
    auto der = rawToDer(rs);
    ASSERT_TRUE(der.ok());
    auto back = derToRaw(*der);
    ASSERT_TRUE(back.ok()) << toHex(*der);
    EXPECT_EQ(*back, rs);
  }
  Bytes rs(64, 0);
  rs[0] = 0x80;
  rs[63] = 0x01;
  EXPECT_EQ(toHex(rawToDer(rs).value()),
            "3026022100" "80" + std::string(62, '0') + "020101");
  EXPECT_EQ(rawToDer(Bytes(63)).code(), Code::BAD_SIGNATURE);
  EXPECT_EQ(rawToDer(Bytes(65)).code(), Code::BAD_SIGNATURE);
}

TEST(Crypto, DerToRawIsStrict) {
  const std::string r32 = "11" + std::string(62, '2');  // 32 bytes, high bit clear
  auto bad = [](const std::string& h) { return derToRaw(hex(h)).code(); };
  ASSERT_TRUE(derToRaw(hex("3044" "0220" + r32 + "0220" + r32)).ok());
  EXPECT_EQ(bad(""), Code::BAD_SIGNATURE);
  EXPECT_EQ(bad("3044" "0220" + r32 + "0220" + r32 + "00"), Code::BAD_SIGNATURE);       // trailing byte
  EXPECT_EQ(bad("304500" "0220" + r32 + "0220" + r32), Code::BAD_SIGNATURE);            // junk in the SEQUENCE
  EXPECT_EQ(bad("308144" "0220" + r32 + "0220" + r32), Code::BAD_SIGNATURE);            // long-form length
  EXPECT_EQ(bad("3045" "022100" + r32 + "0220" + r32), Code::BAD_SIGNATURE);            // padded INTEGER
  EXPECT_EQ(bad("3045" "02810120" + r32 + "0220" + r32), Code::BAD_SIGNATURE);         // long-form INTEGER length
  EXPECT_EQ(bad("3044" "0220" "91" + std::string(62, '2') + "0220" + r32), Code::BAD_SIGNATURE);  // negative
  EXPECT_EQ(bad("3045" "022101" + r32 + "0220" + r32), Code::BAD_SIGNATURE);           // r wider than 32 bytes
  EXPECT_EQ(bad("3144" "0220" + r32 + "0220" + r32), Code::BAD_SIGNATURE);              // SET, not SEQUENCE
  EXPECT_EQ(bad("3044" "0320" + r32 + "0220" + r32), Code::BAD_SIGNATURE);              // BIT STRING
  EXPECT_EQ(bad("3022" "0220" + r32), Code::BAD_SIGNATURE);                              // one INTEGER
  EXPECT_EQ(bad("3000"), Code::BAD_SIGNATURE);
  EXPECT_EQ(bad("3080" "0220" + r32 + "0220" + r32 + "0000"), Code::BAD_SIGNATURE);     // indefinite
  EXPECT_EQ(bad("3006" "0200" "020101"), Code::BAD_SIGNATURE);                          // empty INTEGER
}

// A thread keeps verification contexts ready per key: more keys than it
// keeps, keys that come and go (a new key may take a freed one's address),
// and SM2 IDs that change must each still verify exactly their own.
TEST(Crypto, EachKeyVerifiesOnlyItsOwnSignaturesWhateverTheOrder) {
  const Bytes msg = titlecert::toBytes("one message for every key");
  std::vector<PrivateKey> keys;
  std::vector<Bytes> sigs;
  for (int i = 0; i < 12; ++i) {
    keys.push_back(PrivateKey::generate(kAllAlgs[i % 3]).value());
    sigs.push_back(keys.back().sign(msg).value());
  }
  for (int round = 0; round < 2; ++round)
    for (std::size_t k = 0; k < keys.size(); ++k)
      for (std::size_t s = 0; s < sigs.size(); ++s)
        EXPECT_EQ(keys[k].publicKey().verify(msg, sigs[s]).ok(), k == s) << "key " << k << ", signature " << s;

  Bytes previous;
  for (int i = 0; i < 20; ++i) {
    const auto key = PrivateKey::generate(kAllAlgs[i % 3]).value();
    const Bytes sig = key.sign(msg).value();
    EXPECT_TRUE(key.publicKey().verify(msg, sig).ok());
    if (!previous.empty()) {
      EXPECT_EQ(key.publicKey().verify(msg, previous).code(), Code::BAD_SIGNATURE);
    }
    previous = sig;
  }

  const auto sm2 = PrivateKey::generate(Alg::SM2_SM3).value();
  const Bytes sm2Sig = sm2.sign(msg).value();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sm2.publicKey().verifySm2WithId(msg, sm2Sig, "another ID").code(), Code::BAD_SIGNATURE);
    EXPECT_TRUE(sm2.publicKey().verifySm2WithId(msg, sm2Sig, kSm2DefaultId).ok());
    EXPECT_TRUE(sm2.publicKey().verify(msg, sm2Sig).ok());
  }
}

TEST(Crypto, ConstKeysAreSharedAcrossThreads) {
  std::vector<PrivateKey> keys;
  for (Alg alg : kAllAlgs) keys.push_back(PrivateKey::generate(alg).value());
  std::vector<std::thread> threads;
  std::vector<int> failures(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        const auto& key = keys[static_cast<std::size_t>(i) % keys.size()];
        const Bytes msg = titlecert::toBytes("thread " + std::to_string(t) + " " + std::to_string(i));
        auto sig = key.sign(msg);
        if (!sig.ok() || !key.publicKey().verify(msg, *sig).ok()) ++failures[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
