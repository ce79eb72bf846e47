// Signature verification over OpenSSL 3 EVP, on contexts made ready once per
// key and thread.
//
// Initialising a verification (EVP_DigestVerifyInit: fetching the digest and
// the signature implementation, binding the key to them) costs about as much
// as decoding a whole credential, ~23 k instructions, and a batch verifies
// thousands of signatures under the same few keys. So each thread keeps the
// contexts it initialised last, and every verification runs on a copy of one
// (EVP_MD_CTX_copy_ex duplicates the key binding without fetching again).
// A ready context is only ever read after its Init, and only by its thread.
#include "crypto_detail.h"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <string>

namespace titlecert::crypto::detail {

namespace {

// A verification context initialised for one key (and, for SM2, one
// distinguishing ID). It holds its own reference to the key, so while it
// lives no other key can be allocated at that address: the address, the
// alg and the ID identify what it verifies.
struct ReadyContext {
  ossl::PkeyPtr key;
  Alg alg = Alg::EdDSA;
  std::string sm2Id;
  SigContext sig;  // declared last: freed before the key reference

  bool verifiesFor(const EVP_PKEY* k, Alg a, std::string_view id) const {
    return key.get() == k && alg == a && (a != Alg::SM2_SM3 || sm2Id == id);
  }
};

// A verifier holds a handful of issuer keys; a thread that meets more keeps
// the ones it initialised last.
constexpr std::size_t kReadyPerThread = 8;

class ReadyContexts {
 public:
  // The ready context for the key, initialised now when the thread has none
  // (replacing the oldest); nullptr when it cannot be initialised.
  const EVP_MD_CTX* forKey(EVP_PKEY* key, Alg alg, std::string_view sm2Id) {
    for (const auto& e : entries_)
      if (e && e->verifiesFor(key, alg, sm2Id)) return e->sig.mctx.get();
    auto sig = newSigContext(key, alg, sm2Id, false);
    if (!sig.ok() || EVP_PKEY_up_ref(key) != 1) return nullptr;
    auto entry = std::make_unique<ReadyContext>();
    entry->key.reset(key);
    entry->alg = alg;
    entry->sm2Id = sm2Id;
    entry->sig = std::move(*sig);
    auto& slot = entries_[next_];
    next_ = (next_ + 1) % entries_.size();
    slot = std::move(entry);  // the old entry goes whole, its MD_CTX before its PKEY_CTX
    return slot->sig.mctx.get();
  }

  // The thread's context to verify on: a copy of a ready one, used once.
  EVP_MD_CTX* copyOf(const EVP_MD_CTX* ready) {
    if (!work_) work_.reset(EVP_MD_CTX_new());
    if (!work_ || EVP_MD_CTX_copy_ex(work_.get(), ready) != 1) return nullptr;
    // Used once: the final step may consume it rather than duplicate it.
    EVP_MD_CTX_set_flags(work_.get(), EVP_MD_CTX_FLAG_FINALISE);
    return work_.get();
  }

 private:
  std::array<std::unique_ptr<ReadyContext>, kReadyPerThread> entries_;
  std::size_t next_ = 0;
  ossl::MdCtxPtr work_;
};

}  // namespace

Status verifyNative(EVP_PKEY* key, Alg alg, ByteView message, ByteView sig, std::string_view sm2Id) {
  thread_local ReadyContexts contexts;
  const EVP_MD_CTX* ready = contexts.forKey(key, alg, sm2Id);
  EVP_MD_CTX* ctx = ready ? contexts.copyOf(ready) : nullptr;
  if (!ctx || EVP_DigestVerify(ctx, dataOf(sig), sig.size(), dataOf(message), message.size()) != 1)
    return badSignature();
  return {};
}

Status verifyRaw(EVP_PKEY* key, Alg alg, ByteView message, ByteView signature, std::string_view sm2Id) {
  if (signature.size() != kSignatureSize) return badSignature();
  if (alg == Alg::EdDSA) return verifyNative(key, alg, message, signature, sm2Id);
  auto der = rawToDer(signature);
  if (!der.ok()) return badSignature();
  return verifyNative(key, alg, message, *der, sm2Id);
}

}  // namespace titlecert::crypto::detail
