// The floor verification is judged by: OpenSSL's EVP verify of a ZC1
// credential's Sig_structure with its issuer key, nothing else. Shared by
// the in-process bench (verifier_bench.cpp) and the batch process bench
// (batch_bench.cpp), so both divide by the same thing.
#pragma once

#include <openssl/evp.h>

#include <map>
#include <string>

#include "support/world.h"
#include "titlecert/base45.h"
#include "titlecert/cose.h"
#include "titlecert/crypto.h"
#include "titlecert/openssl_handles.h"

namespace titlecert::bench {

inline const crypto::PrivateKey& issuerKeyFor(crypto::Alg alg) {
  const auto& w = testing::world();
  return alg == crypto::Alg::SM2_SM3 ? w.home : alg == crypto::Alg::EdDSA ? w.homeEd : w.homeEs;
}

struct Sample {
  std::string text;
  Bytes toBeSigned;
  Bytes derSignature;  // what EVP verifies directly (r||s converted once, outside the loop)
};

// The world's sample title signed with the algorithm's home issuer key.
inline const Sample& sample(crypto::Alg alg) {
  static std::map<crypto::Alg, Sample> cache;
  auto it = cache.find(alg);
  if (it != cache.end()) return it->second;
  Sample s;
  s.text = testing::issueText(testing::sampleTitle(), issuerKeyFor(alg));
  auto cose = *base45::decode(std::string_view(s.text).substr(4));
  auto msg = *cose::parseSign1(cose);
  s.toBeSigned = cose::sigStructure(msg.protectedBytes, {}, *msg.payload);
  s.derSignature = alg == crypto::Alg::EdDSA ? msg.signature : *crypto::rawToDer(msg.signature);
  return cache.emplace(alg, std::move(s)).first->second;
}

inline bool rawVerify(EVP_PKEY* pkey, crypto::Alg alg, const Bytes& msg, const Bytes& sig) {
  ossl::MdCtxPtr md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* digest = alg == crypto::Alg::EdDSA ? nullptr : alg == crypto::Alg::ES256 ? EVP_sha256() : EVP_sm3();
  if (alg == crypto::Alg::SM2_SM3) {
    pctx = EVP_PKEY_CTX_new(pkey, nullptr);
    EVP_PKEY_CTX_set1_id(pctx, crypto::kSm2DefaultId.data(), crypto::kSm2DefaultId.size());
    EVP_MD_CTX_set_pkey_ctx(md.get(), pctx);
  }
  const bool ok = EVP_DigestVerifyInit(md.get(), nullptr, digest, nullptr, pkey) == 1 &&
                  EVP_DigestVerify(md.get(), sig.data(), sig.size(), msg.data(), msg.size()) == 1;
  md.reset();  // before pctx, which it still points at
  EVP_PKEY_CTX_free(pctx);
  return ok;
}

inline EVP_PKEY* rawPublicKey(crypto::Alg alg) { return issuerKeyFor(alg).publicKey().raw(crypto::testAccess()); }

}  // namespace titlecert::bench
