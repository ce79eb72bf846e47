// The audit trail as proof of the state: replaying the chain gives what the
// certificates, tokens and keys tables must hold, and every row that
// differs is reported (docs/issuer.md, "What the audit proves").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/records.h"
#include "store/store.h"

namespace titlecert::issuer {

// What the audit records about a key when it is created or imported:
// iss, kid, alg, the SHA-256 of its public key PEM, its window, region,
// names and scope. The replay compares every one of them with the row.
nlohmann::json keyFacts(const store::KeyRecord& key);
// keyFacts of a key row just written in this transaction.
nlohmann::json storedKeyFacts(store::Tx& tx, const std::string& iss, const std::string& kidHex);

// Replays the whole chain (whose links the caller checked) against the
// tables: one line per row that differs, naming the row and the entry.
// Empty when the state is the one the chain proves.
std::vector<std::string> stateDifferences(store::Tx& tx);

}  // namespace titlecert::issuer
