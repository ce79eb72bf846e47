#include "titlecert/checkd/trust_store.h"

namespace titlecert::checkd {

Result<std::unique_ptr<TrustStore>> TrustStore::fromRootPem(const std::string& rootPem) {
  TC_ASSIGN(auto root, crypto::PublicKey::fromPem(rootPem));
  return std::unique_ptr<TrustStore>(new TrustStore(std::move(root), rootPem));
}

Result<std::uint64_t> TrustStore::offer(ByteView bundleBytes) {
  // Serialised so two refreshes cannot both pass the rollback check.
  std::lock_guard lock(mutex_);
  TC_ASSIGN(auto v, verifier::Verifier::create(bundleBytes, root_, highestVersion_));
  const std::uint64_t version = v.contents().version;
  current_ = std::make_shared<const LoadedBundle>(
      LoadedBundle{std::move(v), std::string(bundleBytes.begin(), bundleBytes.end())});
  highestVersion_ = version;
  return version;
}

std::shared_ptr<const LoadedBundle> TrustStore::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace titlecert::checkd
