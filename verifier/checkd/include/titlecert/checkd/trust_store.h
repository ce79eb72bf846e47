// The trust the check service verifies with: one Verifier built from a
// bundle that verified against the root key, replaced as a whole when a
// newer bundle arrives. Readers take a shared_ptr snapshot, so a request
// that started with one bundle finishes with it even if a refresh lands.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "titlecert/crypto.h"
#include "titlecert/verifier.h"

namespace titlecert::checkd {

struct LoadedBundle {
  verifier::Verifier verifier;
  std::string bytes;  // the signed bundle as received, served at GET /bundle
};

class TrustStore {
 public:
  static Result<std::unique_ptr<TrustStore>> fromRootPem(const std::string& rootPem);

  // Accepts a bundle that verifies against the root and whose version is not
  // below the highest accepted so far (anti-rollback, kept in memory):
  // BAD_BUNDLE or BUNDLE_ROLLBACK otherwise, and the current one stays.
  // Answers the version now in use.
  Result<std::uint64_t> offer(ByteView bundleBytes);

  // Null until a bundle has been accepted.
  std::shared_ptr<const LoadedBundle> current() const;
  const std::string& rootPem() const { return rootPem_; }

 private:
  TrustStore(crypto::PublicKey root, std::string rootPem) : root_(std::move(root)), rootPem_(std::move(rootPem)) {}

  crypto::PublicKey root_;
  std::string rootPem_;
  mutable std::mutex mutex_;
  std::shared_ptr<const LoadedBundle> current_;
  std::uint64_t highestVersion_ = 0;
};

}  // namespace titlecert::checkd
