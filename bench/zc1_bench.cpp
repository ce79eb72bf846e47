// ZC1 sign and verify of a typical title credential, per algorithm, next to
// OpenSSL's raw EVP sign/verify of the same bytes (the floor we compare to).
//   Issue:  encode + sign          vs  raw EVP sign of the Sig_structure
//   Verify: Base45 + CBOR + verify vs  raw EVP verify of the Sig_structure
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <map>
#include <memory>

#include "support/world.h"
#include "titlecert/base45.h"
#include "titlecert/cbor.h"
#include "titlecert/cose.h"
#include "titlecert/openssl_handles.h"
#include "titlecert/zc1.h"

using namespace titlecert;
using crypto::Alg;

namespace {

// The shared sample title with a longer (Uyghur-style) name and an approval
// number: a typical certificate.
zc1::Credential typicalTitle() {
  auto c = titlecert::testing::sampleTitle();
  c.holderName = "阿依古丽·买买提";
  c.statusIndex = 123;
  std::get<zc1::TitleBody>(c.body).approvalNo = "新高人社职〔2026〕12号";
  return c;
}

struct Fixture {
  crypto::PrivateKey key;
  zc1::KeyList trust;
  std::string text;
  Bytes toBeSigned;
  Bytes signature;  // raw form as EVP produces it (DER for ECDSA/SM2)
};

using MdCtx = titlecert::ossl::MdCtxPtr;

// Plain EVP with the same key: the cost of the signature alone.
bool rawInit(EVP_MD_CTX* md, EVP_PKEY* pkey, Alg alg, bool sign) {
  const EVP_MD* digest = alg == Alg::EdDSA ? nullptr : alg == Alg::ES256 ? EVP_sha256() : EVP_sm3();
  if (alg == Alg::SM2_SM3) {
    EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new(pkey, nullptr);
    EVP_PKEY_CTX_set1_id(pctx, crypto::kSm2DefaultId.data(), crypto::kSm2DefaultId.size());
    EVP_MD_CTX_set_pkey_ctx(md, pctx);  // md takes no ownership: freed below by the caller's ctx
  }
  return (sign ? EVP_DigestSignInit(md, nullptr, digest, nullptr, pkey)
               : EVP_DigestVerifyInit(md, nullptr, digest, nullptr, pkey)) == 1;
}

Bytes rawSign(EVP_PKEY* pkey, Alg alg, const Bytes& msg) {
  MdCtx md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  rawInit(md.get(), pkey, alg, true);
  if (alg == Alg::SM2_SM3) pctx = EVP_MD_CTX_get_pkey_ctx(md.get());
  std::size_t len = 0;
  EVP_DigestSign(md.get(), nullptr, &len, msg.data(), msg.size());
  Bytes sig(len);
  EVP_DigestSign(md.get(), sig.data(), &len, msg.data(), msg.size());
  sig.resize(len);
  md.reset();  // the digest context first: it still points at pctx
  if (pctx) EVP_PKEY_CTX_free(pctx);
  return sig;
}

bool rawVerify(EVP_PKEY* pkey, Alg alg, const Bytes& msg, const Bytes& sig) {
  MdCtx md(EVP_MD_CTX_new());
  rawInit(md.get(), pkey, alg, false);
  EVP_PKEY_CTX* pctx = alg == Alg::SM2_SM3 ? EVP_MD_CTX_get_pkey_ctx(md.get()) : nullptr;
  const bool ok = EVP_DigestVerify(md.get(), sig.data(), sig.size(), msg.data(), msg.size()) == 1;
  md.reset();
  if (pctx) EVP_PKEY_CTX_free(pctx);
  return ok;
}

Fixture& fixture(Alg alg) {
  static std::map<Alg, std::unique_ptr<Fixture>> cache;
  auto& slot = cache[alg];
  if (!slot) {
    auto key = *crypto::PrivateKey::generate(alg);
    slot = std::make_unique<Fixture>(Fixture{key, {}, {}, {}, {}});
    slot->trust.add(zc1::TrustedKey{"CN-65-GXQ", key.publicKey(), 0, 4102444800, 0});
    slot->text = *zc1::issue(typicalTitle(), key);
    auto cose = *base45::decode(std::string_view(slot->text).substr(4));
    auto msg = *cose::parseSign1(cose);
    slot->toBeSigned = cose::sigStructure(msg.protectedBytes, {}, *msg.payload);
    slot->signature = rawSign(key.raw(titlecert::crypto::testAccess()), alg, slot->toBeSigned);
  }
  return *slot;
}

void BM_Issue(benchmark::State& state, Alg alg) {
  auto& f = fixture(alg);
  const auto cred = typicalTitle();
  for (auto _ : state) benchmark::DoNotOptimize(zc1::issue(cred, f.key));
}

void BM_RawSign(benchmark::State& state, Alg alg) {
  auto& f = fixture(alg);
  for (auto _ : state) benchmark::DoNotOptimize(rawSign(f.key.raw(titlecert::crypto::testAccess()), alg, f.toBeSigned));
}

void BM_Verify(benchmark::State& state, Alg alg) {
  auto& f = fixture(alg);
  for (auto _ : state) {
    auto r = zc1::open(f.text, f.trust);
    if (!r.ok()) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(r);
  }
}

void BM_RawVerify(benchmark::State& state, Alg alg) {
  auto& f = fixture(alg);
  for (auto _ : state) {
    if (!rawVerify(f.key.raw(titlecert::crypto::testAccess()), alg, f.toBeSigned, f.signature)) state.SkipWithError("raw verify failed");
  }
}

void BM_DecodeOnly(benchmark::State& state, Alg alg) {
  auto& f = fixture(alg);
  for (auto _ : state) {
    auto cose = base45::decode(std::string_view(f.text).substr(4));
    auto msg = cose::parseSign1(*cose, cbor::zc1Profile());
    auto claims = cbor::decode(*msg->payload, cbor::zc1Profile());
    benchmark::DoNotOptimize(claims);
  }
}

}  // namespace

#define TC_BENCH_ALG(fn)                                  \
  BENCHMARK_CAPTURE(fn, EdDSA, Alg::EdDSA);               \
  BENCHMARK_CAPTURE(fn, ES256, Alg::ES256);               \
  BENCHMARK_CAPTURE(fn, SM2_SM3, Alg::SM2_SM3);

TC_BENCH_ALG(BM_Issue)
TC_BENCH_ALG(BM_RawSign)
TC_BENCH_ALG(BM_Verify)
TC_BENCH_ALG(BM_RawVerify)
BENCHMARK_CAPTURE(BM_DecodeOnly, EdDSA, Alg::EdDSA);

BENCHMARK_MAIN();
