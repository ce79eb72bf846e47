#include "audit_chain.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <stdexcept>

#include "database.h"
#include "sql_rows.h"
#include "titlecert/crypto.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer::store::audit {
namespace {

// prev_hash "|" [seq,at,actor,action,details], written as nlohmann's dump()
// writes that array (no spaces, null for the local operator), with the
// details already a JSON string: the writer escapes them ahead, off its
// transaction.
std::string rowHashOfLiteral(const std::string& prevHash, std::uint64_t seq, std::int64_t at, std::int64_t actor,
                             const std::string& action, const std::string& detailsLiteral) {
  std::string text;
  text.reserve(prevHash.size() + detailsLiteral.size() + action.size() + 64);
  text += prevHash;
  text += "|[";
  text += std::to_string(seq);
  text += ',';
  text += std::to_string(at);
  text += ',';
  text += actor > 0 ? std::to_string(actor) : std::string("null");
  text += ',';
  text += nlohmann::json(action).dump();
  text += ',';
  text += detailsLiteral;
  text += ']';
  return toHex(crypto::sha256(asBytes(text)));
}

}  // namespace

std::string rowHash(const std::string& prevHash, std::uint64_t seq, std::int64_t at, std::int64_t actor,
                    const std::string& action, const std::string& details) {
  return rowHashOfLiteral(prevHash, seq, at, actor, action, nlohmann::json(details).dump());
}

PreparedDetails prepare(const nlohmann::json& details) {
  PreparedDetails p;
  p.text = details.dump();
  p.literal = nlohmann::json(p.text).dump();
  return p;
}

std::unique_ptr<RowsInsert> ChainWriter::newEntries() {
  return std::make_unique<RowsInsert>(
      "audit", std::vector<std::string>{"seq", "at", "actor", "action", "details", "prev_hash", "hash"});
}

ChainWriter::~ChainWriter() = default;

ChainWriter::ChainWriter(Tx& tx) : tx_(tx), entries_(newEntries()) {
  Poco::Data::Session& s = tx_.session();
  Poco::Nullable<Poco::Int64> lastSeq;
  Poco::Nullable<std::string> lastHash;
  s << "SELECT seq, hash FROM audit_head WHERE id = 1", into(lastSeq), into(lastHash), now;
  hadHead_ = !lastSeq.isNull();
  lastSeq_ = hadHead_ ? static_cast<std::uint64_t>(lastSeq.value()) : 0;
  lastHash_ = hadHead_ ? lastHash.value() : kGenesis;
}

void ChainWriter::append(std::int64_t at, const Actor& actor, const std::string& action, const nlohmann::json& details) {
  append(at, actor, action, prepare(details));
}

void ChainWriter::append(std::int64_t at, const Actor& actor, const std::string& action, PreparedDetails details) {
  const std::uint64_t seq = lastSeq_ + 1;
  std::string hash = rowHashOfLiteral(lastHash_, seq, at, actor.tokenId, action, details.literal);
  Poco::Nullable<Poco::Int64> who;
  if (actor.tokenId > 0) who = actor.tokenId;
  entries_->add(
      {static_cast<Poco::Int64>(seq), static_cast<Poco::Int64>(at), who, action, std::move(details.text), lastHash_, hash});
  lastSeq_ = seq;
  lastHash_ = std::move(hash);
}

void ChainWriter::finish() {
  if (entries_->size() == 0) return;
  Poco::Data::Session& s = tx_.session();
  if (auto refused = entries_->execute(s)) throw std::runtime_error("an audit entry was refused: " + refused->reason);
  entries_ = newEntries();
  Poco::Int64 seqValue = static_cast<Poco::Int64>(lastSeq_);
  std::string hash = lastHash_;
  if (hadHead_)
    s << sql(s, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"), use(seqValue), use(hash), now;
  else
    s << sql(s, "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)"), use(seqValue), use(hash), now;
  hadHead_ = true;
}

void append(Tx& tx, std::int64_t at, const Actor& actor, const std::string& action,
            const nlohmann::json& details) {
  ChainWriter w(tx);
  w.append(at, actor, action, details);
  w.finish();
}

AuditCheck verify(Tx& tx) {
  Poco::Data::Session& s = tx.session();
  AuditCheck check;
  Poco::Data::Statement select(s);
  Poco::Int64 seq = 0, at = 0;
  Poco::Nullable<Poco::Int64> actor;
  std::string action, details, prevHash, hash;
  select << "SELECT seq, at, actor, action, details, prev_hash, hash FROM audit ORDER BY seq", into(seq), into(at),
      into(actor), into(action), into(details), into(prevHash), into(hash), range(0, 1);
  std::string expectedPrev = kGenesis;
  std::uint64_t expectedSeq = 1;
  auto fail = [&](std::uint64_t at_, std::string why) {
    check.intact = false;
    check.firstBadSeq = at_;
    check.reason = std::move(why);
  };
  while (!select.done()) {
    if (select.execute() == 0) break;
    ++check.entries;
    const auto rowSeq = static_cast<std::uint64_t>(seq);
    if (rowSeq != expectedSeq) {
      fail(expectedSeq, "entry " + std::to_string(expectedSeq) + " is missing (next is " + std::to_string(rowSeq) + ")");
      return check;
    }
    if (prevHash != expectedPrev) {
      fail(rowSeq, "entry " + std::to_string(rowSeq) + " does not follow the entry before it");
      return check;
    }
    const std::int64_t who = actor.isNull() ? 0 : actor.value();
    if (rowHash(prevHash, rowSeq, at, who, action, details) != hash) {
      fail(rowSeq, "entry " + std::to_string(rowSeq) + " was altered (its hash does not match its content)");
      return check;
    }
    expectedPrev = hash;
    ++expectedSeq;
  }
  Poco::Nullable<Poco::Int64> headSeq;
  Poco::Nullable<std::string> headHash;
  s << "SELECT seq, hash FROM audit_head WHERE id = 1", into(headSeq), into(headHash), now;
  const std::uint64_t last = expectedSeq - 1;
  if (headSeq.isNull() ? last != 0 : (static_cast<std::uint64_t>(headSeq.value()) != last || headHash.value() != expectedPrev)) {
    fail(last + 1, "the newest entries were removed: the chain ends at " + std::to_string(last) + ", its head says " +
                       (headSeq.isNull() ? std::string("nothing") : std::to_string(headSeq.value())));
    return check;
  }
  check.headHash = expectedPrev;
  return check;
}

std::vector<Entry> page(Tx& tx, std::uint64_t afterSeq, std::size_t limit) {
  Poco::Data::Session& s = tx.session();
  Poco::Data::Statement select(s);
  Poco::Int64 after = static_cast<Poco::Int64>(afterSeq);
  Poco::Int64 lim = static_cast<Poco::Int64>(limit);
  select << sql(s, "SELECT seq, at, actor, action, details, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?"),
      use(after), use(lim), now;
  Poco::Data::RecordSet rs(select);
  std::vector<Entry> entries;
  for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
    Entry e;
    e.seq = static_cast<std::uint64_t>(rs["seq"].convert<Poco::Int64>());
    e.at = rs["at"].convert<Poco::Int64>();
    e.actor = rs["actor"].isEmpty() ? 0 : rs["actor"].convert<Poco::Int64>();
    e.action = rs["action"].convert<std::string>();
    e.details = rs["details"].convert<std::string>();
    e.prevHash = rs["prev_hash"].convert<std::string>();
    e.hash = rs["hash"].convert<std::string>();
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace titlecert::issuer::store::audit
