// Issuer keys: our own signing keys (stored encrypted as PKCS#8), the
// keys of other issuers imported with their scope, and the scope JSON in the
// manifest's form (CONTRACT.md).
#pragma once

#include <nlohmann/json.hpp>

#include "key_ring.h"
#include "store/store.h"
#include "titlecert/issuer/config.h"
#include "titlecert/bundle.h"

namespace titlecert::issuer {

// {"types": ["title", "qualification"], "series": "*", "specialties": "*", "max_level": 5, "qualifications": "*"}
nlohmann::json everythingScope();
// The manifest's scope form -> bundle::Scope; 400 naming the field.
Expected<bundle::Scope> scopeFromJson(const nlohmann::json& scope, const std::string& path);

// Stores a new signing key of our iss (state 'active'), encrypted with the
// passphrase; returns its store id.
std::int64_t insertOwnKey(store::Tx& tx, const Config& config, const crypto::PrivateKey& key,
                          const std::string& encryptedPem, std::int64_t validFrom, std::int64_t validTo,
                          std::int64_t when);

}  // namespace titlecert::issuer
