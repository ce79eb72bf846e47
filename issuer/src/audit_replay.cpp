// Replays the audit entries in order into the state they prove, then walks
// the tables and names every row that is not that state: a certificate or
// token nobody created, a revocation undone or made behind the service's
// back, a payload whose SHA-256 is not the one recorded at issuance (or
// re-signing), a key whose public key, window or state was changed.
//
// Entries written before a fact was recorded (no "public_key_sha256", no
// "token_sha256") are checked for what they do record.
#include "audit_replay.h"

#include <map>
#include <optional>
#include <utility>

#include "store/audit_chain.h"
#include "store/state_rows.h"
#include "titlecert/bytes.h"
#include "titlecert/crypto.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;

std::string entryName(std::uint64_t seq) { return "audit entry " + std::to_string(seq); }

struct ProvenCertificate {
  std::uint64_t statusIndex = 0;
  std::string kid;
  std::string payloadSha256;  // "" when the entry did not record it
  std::uint64_t lastSeq = 0;  // the entry that set kid and payload
  std::optional<std::uint64_t> revokedBy;
};

struct ProvenToken {
  std::string role;
  std::string hash;  // "" when the entry did not record it
  std::uint64_t createdBy = 0;
  std::optional<std::uint64_t> revokedBy;
};

struct ProvenKey {
  json facts;
  std::string state;
  std::uint64_t lastSeq = 0;
};

using KeyName = std::pair<std::string, std::string>;  // iss, kid

std::string keyLabel(const KeyName& k) { return "key " + k.second + " of " + k.first; }

std::string text(const json& d, const char* name) {
  auto it = d.find(name);
  return it != d.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The state the chain proves.
class Replay {
 public:
  void apply(const store::audit::Entry& e) {
    const json d = json::parse(e.details, nullptr, false);
    if (!d.is_object()) return;
    const std::string& a = e.action;
    if (a == "service.init") ownIss_ = text(d, "iss");
    else if (a == "key.create") addKey(d, "active", e.seq);
    else if (a == "key.rotate") rotate(d, e.seq);
    else if (a == "key.compromised") compromise(d, e.seq);
    else if (a == "issuer.import") addKey(d, "imported", e.seq);
    else if (a == "certificate.issue") issue(d, e.seq);
    else if (a == "certificate.resign") resign(d, e.seq);
    else if (a == "certificate.revoke") revoke(d, e.seq);
    else if (a == "token.create") createToken(d, e.seq);
    else if (a == "token.revoke") revokeToken(d, e.seq);
  }

  const std::string& ownIss() const { return ownIss_; }
  std::map<std::string, ProvenCertificate>& certificates() { return certificates_; }
  std::map<std::int64_t, ProvenToken>& tokens() { return tokens_; }
  std::map<KeyName, ProvenKey>& keys() { return keys_; }

 private:
  KeyName nameOf(const json& d, const char* kidField = "kid") const {
    const std::string iss = text(d, "iss");
    return {iss.empty() ? ownIss_ : iss, text(d, kidField)};
  }
  void addKey(const json& d, const std::string& state, std::uint64_t seq) { keys_[nameOf(d)] = ProvenKey{d, state, seq}; }
  void rotate(const json& d, std::uint64_t seq) {
    const std::string retired = text(d, "retired_kid");
    if (!retired.empty()) {
      ProvenKey& old = keys_[{ownIss_, retired}];
      old.state = "retired";
      old.lastSeq = seq;
      if (d.contains("retired_valid_to")) old.facts["valid_to"] = d["retired_valid_to"];
    }
    addKey(d, "active", seq);
  }
  void compromise(const json& d, std::uint64_t seq) {
    ProvenKey& bad = keys_[{ownIss_, text(d, "kid")}];
    bad.state = "compromised";
    bad.lastSeq = seq;
    if (d.contains("new_key") && d["new_key"].is_object()) addKey(d["new_key"], "active", seq);
  }
  void issue(const json& d, std::uint64_t seq) {
    ProvenCertificate c;
    c.statusIndex = d.value("status_index", std::uint64_t{0});
    c.kid = text(d, "kid");
    c.payloadSha256 = text(d, "payload_sha256");
    c.lastSeq = seq;
    certificates_[text(d, "cert_no")] = std::move(c);
  }
  void resign(const json& d, std::uint64_t seq) {
    ProvenCertificate& c = certificates_[text(d, "cert_no")];
    c.kid = text(d, "kid");
    c.payloadSha256 = text(d, "payload_sha256");
    c.lastSeq = seq;
  }
  void revoke(const json& d, std::uint64_t seq) { certificates_[text(d, "cert_no")].revokedBy = seq; }
  void createToken(const json& d, std::uint64_t seq) {
    tokens_[d.value("token_id", std::int64_t{0})] = ProvenToken{text(d, "role"), text(d, "token_sha256"), seq, std::nullopt};
  }
  void revokeToken(const json& d, std::uint64_t seq) { tokens_[d.value("token_id", std::int64_t{0})].revokedBy = seq; }

  std::string ownIss_;
  std::map<std::string, ProvenCertificate> certificates_;
  std::map<std::int64_t, ProvenToken> tokens_;
  std::map<KeyName, ProvenKey> keys_;
};

Replay replayChain(store::Tx& tx) {
  Replay replay;
  constexpr std::size_t kPage = 5000;
  std::uint64_t after = 0;
  for (;;) {
    std::vector<store::audit::Entry> entries = store::audit::page(tx, after, kPage);
    for (const store::audit::Entry& e : entries) replay.apply(e);
    if (entries.size() < kPage) break;
    after = entries.back().seq;
  }
  return replay;
}

void compareCertificates(store::Tx& tx, Replay& replay, std::vector<std::string>& out) {
  auto& proven = replay.certificates();
  store::forEachCertificateState(tx, [&](const store::CertificateState& row) {
    const std::string who = "certificate " + row.certNo;
    auto it = proven.find(row.certNo);
    if (it == proven.end()) {
      out.push_back(who + " is in the database but no audit entry issued it");
      return;
    }
    const ProvenCertificate& p = it->second;
    const std::string by = " (" + entryName(p.lastSeq) + ")";
    if (row.iss != replay.ownIss())
      out.push_back(who + ": iss " + row.iss + " in the database, the audit trail issued it as " + replay.ownIss());
    if (row.statusIndex != p.statusIndex)
      out.push_back(who + ": status index " + std::to_string(row.statusIndex) + " in the database, " +
                    std::to_string(p.statusIndex) + " in the audit trail" + by);
    if (row.kid != p.kid) out.push_back(who + ": signed by key " + row.kid + " in the database, by " + p.kid + " in the audit trail" + by);
    if (!p.payloadSha256.empty() && row.payloadSha256 != p.payloadSha256)
      out.push_back(who + ": the stored payload's SHA-256 is not the one the audit trail recorded" + by);
    if (p.revokedBy && !row.revoked)
      out.push_back(who + ": its revocation (" + entryName(*p.revokedBy) + ") was undone in the database");
    if (!p.revokedBy && row.revoked) out.push_back(who + " is revoked in the database but no audit entry revoked it");
    proven.erase(it);
  });
  for (const auto& [certNo, p] : proven)
    out.push_back("certificate " + certNo + " was issued (" + entryName(p.lastSeq) + ") but is not in the database");
}

void compareTokens(store::Tx& tx, Replay& replay, std::vector<std::string>& out) {
  auto& proven = replay.tokens();
  for (const store::TokenState& row : store::tokenStates(tx)) {
    const std::string who = "token " + std::to_string(row.id) + " (" + row.role + ")";
    auto it = proven.find(row.id);
    if (it == proven.end()) {
      out.push_back(who + " is in the database but no audit entry created it");
      continue;
    }
    const ProvenToken& p = it->second;
    const std::string by = " (" + entryName(p.createdBy) + ")";
    if (row.role != p.role) out.push_back(who + ": the audit trail created it as " + p.role + by);
    if (!p.hash.empty() && row.hash != p.hash) out.push_back(who + ": its hash is not the one the audit trail recorded" + by);
    if (p.revokedBy && !row.revoked) out.push_back(who + ": its revocation (" + entryName(*p.revokedBy) + ") was undone in the database");
    if (!p.revokedBy && row.revoked) out.push_back(who + " is revoked in the database but no audit entry revoked it");
    proven.erase(it);
  }
  for (const auto& [id, p] : proven)
    out.push_back("token " + std::to_string(id) + " was created (" + entryName(p.createdBy) + ") but is not in the database");
}

// Each fact the audit recorded about a key, compared with the row's.
void compareKeyFacts(const std::string& who, const json& recorded, const json& stored, const std::string& by,
                     std::vector<std::string>& out) {
  for (const char* field : {"alg", "public_key_sha256", "valid_from", "valid_to", "region", "name_zh", "name_en", "scope"}) {
    auto r = recorded.find(field);
    if (r == recorded.end()) continue;
    auto s = stored.find(field);
    if (s == stored.end() || *s != *r)
      out.push_back(who + ": " + field + " " + (s == stored.end() ? std::string("missing") : s->dump()) +
                    " in the database, " + r->dump() + " in the audit trail" + by);
  }
}

void compareKeys(store::Tx& tx, Replay& replay, std::vector<std::string>& out) {
  auto& proven = replay.keys();
  for (const store::KeyRecord& row : store::listKeys(tx, false)) {
    const KeyName name{row.iss, row.kid};
    const std::string who = keyLabel(name);
    auto key = crypto::PublicKey::fromPem(row.publicKeyPem);
    if (!key || toHex(key->kid()) != row.kid)
      out.push_back(who + ": its stored public key is not the key that kid names (the key was swapped)");
    auto it = proven.find(name);
    if (it == proven.end()) {
      out.push_back(who + " (" + row.state + ") is in the database but no audit entry created or imported it");
      continue;
    }
    const ProvenKey& p = it->second;
    const std::string by = " (" + entryName(p.lastSeq) + ")";
    if (row.state != p.state) out.push_back(who + ": state " + row.state + " in the database, " + p.state + " in the audit trail" + by);
    compareKeyFacts(who, p.facts, keyFacts(row), by, out);
    proven.erase(it);
  }
  for (const auto& [name, p] : proven)
    out.push_back(keyLabel(name) + " was created (" + entryName(p.lastSeq) + ") but is not in the database");
}

}  // namespace

json keyFacts(const store::KeyRecord& k) {
  return {{"iss", k.iss},
          {"kid", k.kid},
          {"alg", k.alg},
          {"public_key_sha256", toHex(crypto::sha256(asBytes(k.publicKeyPem)))},
          {"valid_from", k.validFrom},
          {"valid_to", k.validTo},
          {"region", k.region},
          {"name_zh", k.nameZh},
          {"name_en", k.nameEn},
          {"scope", json::parse(k.scope, nullptr, false)}};
}

json storedKeyFacts(store::Tx& tx, const std::string& iss, const std::string& kidHex) {
  for (const store::KeyRecord& k : store::listKeys(tx, false))
    if (k.iss == iss && k.kid == kidHex) return keyFacts(k);
  throw std::runtime_error("key " + kidHex + " of " + iss + " was not stored");
}

std::vector<std::string> stateDifferences(store::Tx& tx) {
  Replay replay = replayChain(tx);
  std::vector<std::string> out;
  compareKeys(tx, replay, out);
  compareTokens(tx, replay, out);
  compareCertificates(tx, replay, out);
  return out;
}

}  // namespace titlecert::issuer
