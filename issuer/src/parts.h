// The Service's parts. Each mutable one owns its state and its lock and
// is handed to the code that needs it through a narrow interface:
//
//   storage      store::Store: every read and write of the database
//   keys         KeyRing: the signing key (its own mutex)
//   issuance     IssuanceQueue: group commit of issuance (its own mutex)
//   bundleCache  BundleCache: the last bundle served (its own mutex)
//   qrCache      QrCache: rendered images (its own mutex)
//
// The rest is fixed when the service opens and only read afterwards.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "batch_worker.h"
#include "bundle_cache.h"
#include "issuance.h"
#include "key_ring.h"
#include "qr_cache.h"
#include "requests.h"
#include "social_security_file.h"
#include "store/store.h"
#include "titlecert/catalogue.h"
#include "titlecert/crypto.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer {

struct Service::Parts {
  Parts(Config cfg, std::string dir, const Clock& c, catalogue::Catalogue cat, std::unique_ptr<store::Store> store,
        const std::string& passphrase, std::shared_ptr<const HolderBinder> binder, Bytes requestKeySecret,
        std::size_t maxQrTextLength, std::optional<crypto::PrivateKey> rootKey, crypto::PublicKey rootPublicKey)
      : config(std::move(cfg)),
        dataDir(std::move(dir)),
        clock(c),
        catalogue(std::move(cat)),
        socialSecurity(dataDir + "/social-security.tsv", requestKeySecret),
        rules{config, catalogue, std::move(requestKeySecret), maxQrTextLength, &socialSecurity},
        root(std::move(rootKey)),
        rootPublic(std::move(rootPublicKey)),
        storage(std::move(store)),
        keys(config.iss, passphrase),
        issuance(config, clock, *storage, keys, std::move(binder)),
        qrCache(config.qrCacheEntries) {}

  const Config config;
  const std::string dataDir;
  const Clock& clock;
  const catalogue::Catalogue catalogue;
  ImportedSocialSecurity socialSecurity;  // measure 12: DIR/social-security.tsv
  const RequestRules rules;
  const std::optional<crypto::PrivateKey> root;  // absent: the root key is kept offline
  const crypto::PublicKey rootPublic;            // DIR/root.pub.pem

  std::unique_ptr<store::Store> storage;
  KeyRing keys;
  IssuanceQueue issuance;
  BundleCache bundleCache;
  QrCache qrCache;
  // Started by Service::startBatchWorker; stopped first when the service closes.
  std::unique_ptr<BatchWorker> batchWorker;
};

// Shared helpers.
Completion requireRole(const Actor& a, std::initializer_list<Role> allowed);

}  // namespace titlecert::issuer
