// The signing key this service issues with: the key of our iss the store
// says is active, decrypted with the passphrase. Several instances may
// share a database, so a write transaction first calls refresh() to adopt
// a key another instance rotated in.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "store/store.h"
#include "titlecert/crypto.h"
#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

// A signing key of our own iss (never a compromised one).
struct OwnKey {
  std::int64_t id = 0;  // the key's store id
  crypto::PrivateKey key;
  std::string kidHex;
  std::int64_t validFrom = 0;  // no iat before it (the bundle's valid_from)
};

// A generated key, encrypted for storage (scrypt in PBES2 is slow: made
// before the write lock is taken).
struct NewKey {
  crypto::PrivateKey key;
  std::string encryptedPem;
};

// Keys are encrypted at rest with the passphrase: one shorter than this
// (in characters) is refused when a key is made (init, rotation).
inline constexpr std::size_t kMinPassphraseCharacters = 12;
Completion passphraseStrongEnough(std::string_view passphrase);

class KeyRing {
 public:
  KeyRing(std::string iss, std::string passphrase) : iss_(std::move(iss)), passphrase_(std::move(passphrase)) {}
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  // Reads and decrypts the active key (at open).
  Completion load(store::Store& storage);
  // Inside a write transaction: makes the key the store says is active the
  // one this service signs with; it is decrypted again only when another
  // instance changed it. Throws when it cannot be decrypted.
  void refresh(store::Tx& tx);
  // The service signs with `key` from now on (after the transaction that
  // made it active committed).
  void install(const std::optional<OwnKey>& key);

  std::optional<OwnKey> active() const;
  // The active key's algorithm, without the lock (size checks).
  crypto::Alg activeAlg() const { return alg_.load(); }

  Expected<NewKey> generate(crypto::Alg alg) const;

 private:
  Expected<std::optional<OwnKey>> readActive(store::Tx& tx) const;

  const std::string iss_;
  const std::string passphrase_;  // never logged
  mutable std::mutex mu_;
  std::optional<OwnKey> active_;
  std::atomic<crypto::Alg> alg_{crypto::Alg::SM2_SM3};
};

}  // namespace titlecert::issuer
