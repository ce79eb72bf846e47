#include "key_ring.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <stdexcept>

#include "store/records.h"

namespace titlecert::issuer {

Completion passphraseStrongEnough(std::string_view passphrase) {
  // UTF-8 characters: every byte but the continuation bytes starts one.
  const auto characters = std::count_if(passphrase.begin(), passphrase.end(),
                                        [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  if (static_cast<std::size_t>(characters) < kMinPassphraseCharacters)
    return badRequest("passphrase", "the passphrase must have at least " + std::to_string(kMinPassphraseCharacters) +
                                        " characters: it is what protects the keys at rest");
  return success();
}

Expected<std::optional<OwnKey>> KeyRing::readActive(store::Tx& tx) const {
  std::optional<store::KeyRecord> row = store::activeKey(tx, iss_);
  if (!row) return std::optional<OwnKey>{};
  auto key = crypto::PrivateKey::fromPem(*row->privateKeyPem, passphrase_);
  if (!key) return fromError(key.error());
  return std::optional<OwnKey>(OwnKey{row->id, *key, toHex(key->publicKey().kid()), row->validFrom});
}

Completion KeyRing::load(store::Store& storage) {
  TC_ASSIGN(std::optional<OwnKey> key,
            storage.read<std::optional<OwnKey>>("load keys", [&](store::Tx& tx) { return readActive(tx); }));
  install(key);
  return success();
}

void KeyRing::refresh(store::Tx& tx) {
  std::optional<store::KeyRecord> row = store::activeKey(tx, iss_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (row && active_ && row->id == active_->id) return;
    if (!row && !active_) return;
  }
  auto key = readActive(tx);
  if (!key) throw std::runtime_error("the active signing key cannot be decrypted: " + key.error().message);
  install(*key);
  Poco::Logger::get("titlecert.issuer")
      .notice("signing key changed in the database; now " + (*key ? (*key)->kidHex : std::string("none")));
}

void KeyRing::install(const std::optional<OwnKey>& key) {
  std::lock_guard<std::mutex> lock(mu_);
  active_ = key;
  if (key) alg_.store(key->key.alg());
}

std::optional<OwnKey> KeyRing::active() const {
  std::lock_guard<std::mutex> lock(mu_);
  return active_;
}

Expected<NewKey> KeyRing::generate(crypto::Alg alg) const {
  TC_TRY(passphraseStrongEnough(passphrase_));
  ISS_ASSIGN_TC(auto key, crypto::PrivateKey::generate(alg));
  ISS_ASSIGN_TC(auto pem, key.toEncryptedPem(passphrase_));
  return NewKey{std::move(key), std::move(pem)};
}

}  // namespace titlecert::issuer
