// Settings, Idempotency-Key answers, tokens and counters.
#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>

#include "database.h"
#include "records.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer::store {

std::string readSetting(Tx& tx, const std::string& name) {
  Poco::Data::Session& s = tx.session();
  std::string n = name;
  Poco::Nullable<std::string> value;
  s << sql(s, "SELECT value FROM settings WHERE name = ?"), use(n), into(value), now;
  return value.isNull() ? std::string() : value.value();
}

void writeSetting(Tx& tx, const std::string& name, const std::string& value) {
  Poco::Data::Session& s = tx.session();
  std::string n = name, v = value;
  s << sql(s, "INSERT INTO settings (name, value) VALUES (?, ?)"), use(n), use(v), now;
}

std::optional<IdempotentAnswer> idempotentAnswer(Tx& tx, const std::string& keyHash) {
  Poco::Data::Session& s = tx.session();
  std::string k = keyHash;
  std::vector<std::string> requestHashes, bodies;
  std::vector<int> statuses;
  s << sql(s, "SELECT request_hash, status, body FROM idempotency_keys WHERE key_hash = ?"), use(k),
      into(requestHashes), into(statuses), into(bodies), now;
  if (requestHashes.empty()) return std::nullopt;
  return IdempotentAnswer{requestHashes[0], statuses[0], bodies[0]};
}

void claimIdempotencyKey(Tx& tx, const std::string& keyHash, const std::string& requestHash, std::int64_t at) {
  Poco::Data::Session& s = tx.session();
  std::string k = keyHash, r = requestHash;
  Poco::Int64 when = at;
  s << sql(s, "INSERT INTO idempotency_keys (key_hash, request_hash, status, body, created_at) VALUES (?, ?, 0, '', ?)"),
      use(k), use(r), use(when), now;
}

void settleIdempotencyKey(Tx& tx, const std::string& keyHash, int status, const std::string& body) {
  Poco::Data::Session& s = tx.session();
  std::string k = keyHash, b = body;
  int st = status;
  s << sql(s, "UPDATE idempotency_keys SET status = ?, body = ? WHERE key_hash = ?"), use(st), use(b), use(k), now;
}

void releaseIdempotencyKey(Tx& tx, const std::string& keyHash) {
  Poco::Data::Session& s = tx.session();
  std::string k = keyHash;
  s << sql(s, "DELETE FROM idempotency_keys WHERE key_hash = ?"), use(k), now;
}

std::int64_t insertToken(Tx& tx, const std::string& hash, const std::string& role, std::int64_t createdAt,
                         std::int64_t createdBy) {
  Poco::Data::Session& s = tx.session();
  std::string h = hash, r = role;
  Poco::Int64 at = createdAt;
  Poco::Nullable<Poco::Int64> creator;
  if (createdBy > 0) creator = createdBy;
  s << sql(s, "INSERT INTO tokens (hash, role, created_at, created_by) VALUES (?, ?, ?, ?)"), use(h), use(r), use(at),
      use(creator), now;
  Poco::Int64 id = 0;
  s << sql(s, "SELECT id FROM tokens WHERE hash = ?"), use(h), into(id), now;
  return id;
}

std::optional<TokenRecord> tokenByHash(Tx& tx, const std::string& hash) {
  Poco::Data::Session& s = tx.session();
  std::string h = hash;
  Poco::Nullable<Poco::Int64> id, revokedAt;
  Poco::Nullable<std::string> role;
  s << sql(s, "SELECT id, role, revoked_at FROM tokens WHERE hash = ?"), use(h), into(id), into(role), into(revokedAt), now;
  if (id.isNull()) return std::nullopt;
  return TokenRecord{id.value(), role.isNull() ? std::string() : role.value(), !revokedAt.isNull()};
}

std::optional<TokenRecord> tokenById(Tx& tx, std::int64_t tokenId) {
  Poco::Data::Session& s = tx.session();
  Poco::Int64 id = tokenId;
  Poco::Nullable<Poco::Int64> found, revokedAt;
  Poco::Nullable<std::string> role;
  s << sql(s, "SELECT id, role, revoked_at FROM tokens WHERE id = ?"), use(id), into(found), into(role), into(revokedAt), now;
  if (found.isNull()) return std::nullopt;
  return TokenRecord{found.value(), role.isNull() ? std::string() : role.value(), !revokedAt.isNull()};
}

void markTokenRevoked(Tx& tx, std::int64_t tokenId, std::int64_t when) {
  Poco::Data::Session& s = tx.session();
  Poco::Int64 id = tokenId, at = when;
  s << sql(s, "UPDATE tokens SET revoked_at = ? WHERE id = ?"), use(at), use(id), now;
}

void bumpContentGeneration(Tx& tx) {
  tx.session() << "INSERT INTO counters (name, next_value) VALUES ('content', 1)"
                  " ON CONFLICT (name) DO UPDATE SET next_value = counters.next_value + 1",
      now;
}

std::uint64_t contentGeneration(Tx& tx) {
  Poco::Nullable<Poco::Int64> value;
  tx.session() << "SELECT next_value FROM counters WHERE name = 'content'", into(value), now;
  return value.isNull() ? 0 : static_cast<std::uint64_t>(value.value());
}

std::uint64_t Counters::next(const std::string& name, std::uint64_t first) {
  Entry& e = entry(name, first);
  e.changed = true;
  return e.value++;
}

std::uint64_t Counters::peek(const std::string& name, std::uint64_t first) { return entry(name, first).value; }

void Counters::flush() {
  Poco::Data::Session& s = tx_.session();
  for (auto& [name, e] : values_) {
    if (!e.changed) continue;
    std::string n = name;
    Poco::Int64 v = static_cast<Poco::Int64>(e.value);
    if (e.stored)
      s << sql(s, "UPDATE counters SET next_value = ? WHERE name = ?"), use(v), use(n), now;
    else
      s << sql(s, "INSERT INTO counters (name, next_value) VALUES (?, ?)"), use(n), use(v), now;
    e.stored = true;
    e.changed = false;
  }
}

Counters::Entry& Counters::entry(const std::string& name, std::uint64_t first) {
  auto it = values_.find(name);
  if (it == values_.end()) {
    Poco::Data::Session& s = tx_.session();
    std::string n = name;
    Poco::Nullable<Poco::Int64> current;
    s << sql(s, "SELECT next_value FROM counters WHERE name = ?"), use(n), into(current), now;
    const bool stored = !current.isNull();
    it = values_.emplace(name, Entry{stored ? static_cast<std::uint64_t>(current.value()) : first, stored, false}).first;
  }
  return it->second;
}

}  // namespace titlecert::issuer::store
