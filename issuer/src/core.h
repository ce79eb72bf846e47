// The Service's shared state, seen by every part of the implementation.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "qr_cache.h"
#include "store/store.h"
#include "titlecert/catalogue.h"
#include "titlecert/crypto.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer {

struct PendingIssue;  // issuance.cpp

// A signing key of our own iss (never a compromised one).
struct OwnKey {
  std::int64_t id = 0;  // the key's store id
  crypto::PrivateKey key;
  std::string kidHex;
};

struct Service::Core {
  Config config;
  std::string dataDir;
  const Clock& clock;
  std::unique_ptr<store::Store> storage;
  catalogue::Catalogue catalogue;
  std::shared_ptr<const HolderBinder> binder;
  std::string passphrase;  // re-encrypts new keys; never logged
  std::optional<crypto::PrivateKey> root;       // absent: the root key is kept offline
  std::optional<crypto::PublicKey> rootPublic;  // DIR/root.pub.pem
  Bytes requestKeySecret;                       // HMAC key of batch-row keys (from the passphrase)
  std::size_t maxQrTextLength = 0;              // longest "ZC1:" text within certificate.max_qr_version at M

  // The signing key of our iss; read and changed only under
  // storage->writeMutex(), so a rotation and an issuance never interleave.
  std::optional<OwnKey> active;
  std::atomic<crypto::Alg> activeAlg{crypto::Alg::SM2_SM3};  // readable without the lock (size checks)

  // Issuance requests waiting for the writer (group commit).
  std::mutex queueMutex;
  std::deque<std::shared_ptr<PendingIssue>> queue;

  // The last bundle served, and the database's content generation
  // (bumpContentGeneration) it was made for.
  std::mutex bundleMutex;
  std::uint64_t cachedGeneration = 0;
  std::string cachedHash;
  Bytes cachedBytes;
  std::int64_t cachedNextUpdate = 0;

  QrCache qrCache;

  Core(const Clock& c, std::size_t qrEntries) : clock(c), qrCache(qrEntries) {}
  std::int64_t now() const { return clock.now(); }
};

// Shared helpers.
std::string toJsonText(const nlohmann::json& j);  // compact, UTF-8 as is
Expected<nlohmann::json> parseJsonObject(std::string_view body);  // 400 BAD_JSON when not a JSON object
Completion requireRole(const Actor& a, std::initializer_list<Role> allowed);

}  // namespace titlecert::issuer
