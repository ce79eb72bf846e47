#include "issuance.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <set>
#include <thread>
#include <utility>

#include "store/audit_chain.h"
#include "store/records.h"
#include "titlecert/bundle.h"
#include "titlecert/dates.h"

namespace titlecert::issuer {

struct PendingIssue {
  Draft draft;
  Actor actor;
  bool autoNumber = false;  // the service assigns the certificate number
  bool endsGroup = false;   // the last draft of a batch's transaction (Grouping::OwnGroup)
  std::promise<Expected<Issued>> promise;
  // Set while its group is processed.
  bool allocated = false;
  std::optional<idh::Idh> binding;
  std::string boundCertNo;                 // the number `binding` was derived for
  std::optional<Problem> prepareFailed;    // binding or signature failed (phase B)
  Bytes claims;                            // signed claims (phase B)
  std::string payload;                     // the "ZC1:" text (phase B)
  std::string signedKid;                   // the key that signed `payload` over `claims`
  // Written out with the signature, on the signing threads, so the writer's
  // transaction only binds and chains them.
  std::string fieldsText;                      // draft.fields as stored
  store::audit::PreparedDetails auditDetails;  // this payload's audit entry
  std::optional<Expected<Issued>> result;  // final (error, or an earlier issuance)
  std::optional<Issued> issued;            // signed and stored in the open transaction
  std::shared_ptr<PendingIssue> duplicateOf;  // the same batch row earlier in the group
};

namespace {

using Group = IssuanceQueue::Group;

// A row's own failure: the transaction is run again without it.
struct RowFailure {
  std::size_t index;
  Problem problem;
};

// What the database already holds for a group: the certificates issued
// for its request keys and which of its numbers are taken, each read with
// one query per group rather than one per row.
class Known {
 public:
  explicit Known(store::Tx& tx) : tx_(tx) {}

  void loadRequestKeys(const std::vector<std::string>& keys) {
    for (auto& [key, issued] : store::issuedForRequestKeys(tx_, keys)) issued_[key] = std::move(issued);
  }

  std::optional<Issued> issuedFor(const std::string& requestKey) const {
    auto it = issued_.find(requestKey);
    if (it == issued_.end()) return std::nullopt;
    return it->second;
  }

  void loadNumbers(const std::vector<std::string>& numbers) {
    for (const std::string& no : numbers) numbers_[no] = false;
    for (const std::string& no : store::takenCertificateNumbers(tx_, numbers)) numbers_[no] = true;
  }

  // A number loaded before, or asked now (an auto number past the
  // predicted ones, when some of those were taken).
  bool numberTaken(const std::string& certNo) {
    if (auto it = numbers_.find(certNo); it != numbers_.end()) return it->second;
    loadNumbers({certNo});
    return numbers_[certNo];
  }

 private:
  store::Tx& tx_;
  std::map<std::string, Issued> issued_;
  std::map<std::string, bool> numbers_;  // number -> taken
};

using store::Counters;

// Reads what the database holds for the group's request keys and numbers,
// predicting the automatic numbers the counter will hand out.
void loadKnown(const Config& config, Counters& counters, const std::string& counter, const Group& group, std::int64_t when,
               Known& known) {
  std::vector<std::string> keys, numbers;
  std::uint64_t autoRows = 0;
  for (const auto& item : group) {
    if (item->result) continue;
    if (item->draft.requestKey) keys.push_back(*item->draft.requestKey);
    if (item->autoNumber)
      ++autoRows;
    else
      numbers.push_back(item->draft.credential.certNo);
  }
  known.loadRequestKeys(keys);
  const std::uint64_t first = counters.peek(counter, 1);
  for (std::uint64_t i = 0; i < autoRows; ++i) numbers.push_back(formatCertNo(config, when, first + i));
  known.loadNumbers(numbers);
}

// Phase A: numbers and indexes, in queue order, from the counters.
void allocate(const Config& config, store::Tx& tx, Counters& counters, Group& group, std::int64_t when) {
  const std::string counter = certNoCounter(config, when);
  Known known(tx);
  loadKnown(config, counters, counter, group, when, known);
  std::set<std::string> numbersInGroup;
  std::map<std::string, std::shared_ptr<PendingIssue>> keysInGroup;
  for (auto& item : group) {
    PendingIssue& p = *item;
    p.allocated = false;
    p.issued.reset();
    p.duplicateOf.reset();
    if (p.result) continue;
    zc1::Credential& c = p.draft.credential;
    if (p.draft.requestKey) {
      if (auto existing = known.issuedFor(*p.draft.requestKey)) {
        p.result = *existing;
        continue;
      }
      if (auto [it, fresh] = keysInGroup.emplace(*p.draft.requestKey, item); !fresh) {
        p.duplicateOf = it->second;
        continue;
      }
    }
    if (p.autoNumber) {
      do {
        c.certNo = formatCertNo(config, when, counters.next(counter, 1));
      } while (numbersInGroup.count(c.certNo) || known.numberTaken(c.certNo));
    } else if (numbersInGroup.count(c.certNo) || known.numberTaken(c.certNo)) {
      p.result = Expected<Issued>(conflict("cert_no " + c.certNo + " is already used"));
      continue;
    }
    numbersInGroup.insert(c.certNo);
    c.statusIndex = counters.next("status:" + c.iss, 0);
    // The published status list covers indices up to a step: one past it
    // needs a new bundle, or terminals would find no status for it.
    if (c.statusIndex % bundle::kIssuedStep == 0 && c.statusIndex > 0) store::bumpContentGeneration(tx);
    c.iat = static_cast<std::uint64_t>(when);
    p.allocated = true;
  }
}

nlohmann::json auditDetails(const PendingIssue& p, const OwnKey& key, const std::string& payload) {
  const zc1::Credential& c = p.draft.credential;
  nlohmann::json d = {{"cert_no", c.certNo},
                      {"status_index", c.statusIndex},
                      {"type", c.title() ? "title" : "qualification"},
                      {"holder_id", p.draft.maskedId},
                      {"kid", key.kidHex},
                      {"payload_sha256", toHex(crypto::sha256(asBytes(payload)))}};
  if (p.draft.requestKey) d["batch"] = true;
  if (p.draft.overrideReason) d["route_override"] = *p.draft.overrideReason;
  if (p.draft.committeeApproval) d["committee_approval"] = *p.draft.committeeApproval;
  // Measure 12: the commitments (who, when, text version) and the years the
  // social-security record backed.
  for (const char* field : {"commitments", "employment"})
    if (p.draft.fields.contains(field)) d[field] = p.draft.fields[field];
  return d;
}

// Phase B, on several threads: the holder binding (scrypt, ~60 ms; kept
// across retries when the number did not change) and the signature.
void bindAndSign(const Config& config, const HolderBinder& binder, const std::optional<OwnKey>& active, Group& group) {
  std::vector<PendingIssue*> todo;
  for (auto& item : group)
    if (item->allocated) todo.push_back(item.get());
  if (todo.empty() || !active) return;
  const crypto::PrivateKey& key = active->key;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads = std::min<std::size_t>(
      todo.size(), config.deriveThreads > 0 ? static_cast<std::size_t>(config.deriveThreads) : cores);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < todo.size(); i = next++) {
      PendingIssue& p = *todo[i];
      zc1::Credential& c = p.draft.credential;
      p.prepareFailed.reset();
      if (p.fieldsText.empty()) p.fieldsText = p.draft.fields.dump();
      if (!p.binding || p.boundCertNo != c.certNo) {
        auto b = binder.bind(p.draft.normalizedId, c.certNo);
        if (!b) {
          p.prepareFailed = internalError("the holder binding could not be derived");
          continue;
        }
        p.binding = *b;
        p.boundCertNo = c.certNo;
      }
      c.idh = *p.binding;
      auto claims = zc1::encodeClaims(c);
      // A signature made ahead (while the group before committed) or in an
      // earlier attempt stands when it covers exactly these claims (and so
      // does its audit entry: number, index, key and payload are the same).
      if (claims && !p.payload.empty() && p.signedKid == active->kidHex && *claims == p.claims) continue;
      auto payload = claims ? zc1::issueClaims(*claims, key) : Result<std::string>(claims.error());
      if (!payload) {
        p.prepareFailed = fromError(payload.error());
        continue;
      }
      p.claims = std::move(*claims);
      p.payload = std::move(*payload);
      p.signedKid = active->kidHex;
      p.auditDetails = store::audit::prepare(auditDetails(p, *active, p.payload));
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// What allocate() will give the next group once this one has committed:
// the counters' following values in queue order, as if no request key were
// known and no number taken. Only a guess to sign ahead with: allocate()
// decides, and a signature is kept only if its claims come out the same.
void predictAllocation(const Config& config, Counters& counters, Group& next, std::int64_t when) {
  const std::string counter = certNoCounter(config, when);
  std::uint64_t number = counters.peek(counter, 1);
  std::map<std::string, std::uint64_t> statusIndex;
  std::set<std::string> keys;
  for (auto& item : next) {
    PendingIssue& p = *item;
    p.allocated = false;
    if (p.result) continue;
    if (p.draft.requestKey && !keys.insert(*p.draft.requestKey).second) continue;
    zc1::Credential& c = p.draft.credential;
    if (p.autoNumber) c.certNo = formatCertNo(config, when, number++);
    const std::string status = "status:" + c.iss;
    auto [it, fresh] = statusIndex.emplace(status, 0);
    if (fresh) it->second = counters.peek(status, 0);
    c.statusIndex = it->second++;
    c.iat = static_cast<std::uint64_t>(when);
    p.allocated = true;
  }
}

store::NewCertificate certificateRow(const PendingIssue& p, const OwnKey& key, std::int64_t when) {
  const zc1::Credential& c = p.draft.credential;
  store::NewCertificate row;
  row.certNo = c.certNo;
  row.iss = c.iss;
  row.statusIndex = c.statusIndex;
  row.type = c.title() ? "title" : "qualification";
  row.holderName = c.holderName;
  row.holderIdMasked = p.draft.maskedId;
  row.idhHex = toHex(c.idh);
  row.fields = p.fieldsText;
  row.claims = p.claims;
  row.payload = p.payload;
  row.keyId = key.id;
  row.issuedAt = when;
  row.issuedBy = p.actor.tokenId;
  row.requestKey = p.draft.requestKey;
  return row;
}

// Phase C: store and audit the signed drafts, a few statements for the
// whole group.
std::optional<RowFailure> storeGroup(store::Tx& tx, const std::optional<OwnKey>& active, Group& group, std::int64_t when) {
  store::CertificateInserts rows;
  std::vector<std::size_t> rowOf;  // group index of each inserted row
  store::audit::ChainWriter chain(tx);
  for (std::size_t i = 0; i < group.size(); ++i) {
    PendingIssue& p = *group[i];
    if (!p.allocated) continue;
    if (!active) return RowFailure{i, unavailable("no active signing key")};
    if (p.prepareFailed) return RowFailure{i, *p.prepareFailed};
    rows.add(certificateRow(p, *active, when));
    rowOf.push_back(i);
    chain.append(when, p.actor, "certificate.issue", p.auditDetails);
  }
  // A refused row: the caller rolls back and runs the group without it.
  if (auto refused = rows.execute(tx))
    return RowFailure{rowOf[refused->index], store::problemFromException("issue", std::runtime_error(refused->reason))};
  chain.finish();
  for (std::size_t i : rowOf) {
    PendingIssue& p = *group[i];
    const zc1::Credential& c = p.draft.credential;
    p.issued = Issued{c.certNo, c.statusIndex, p.payload, active->kidHex, when, false};
  }
  return std::nullopt;
}

// One transaction over the group; rows that fail are taken out and the
// transaction is run again, so the rest commit with gap-free counters.
}  // namespace

void IssuanceQueue::processGroup(Group& group, Group& next) {
  store::Store& db = store_;
  for (int attempt = 0; attempt <= static_cast<int>(group.size()); ++attempt) {
    // Signs the next group while this one's COMMIT waits for the disk;
    // joined before anything else touches the next group's drafts.
    std::jthread signAhead;
    const std::int64_t when = clock_.now();
    for (auto& item : group)
      if (item->autoNumber && !item->result) item->draft.credential.certNo.clear();
    try {
      db.beginLocked();
    } catch (const std::exception& e) {
      Problem p = store::problemFromException("begin", e);
      for (auto& item : group)
        if (!item->result) item->result = Expected<Issued>(p);
      return;
    }
    std::optional<RowFailure> failure;
    try {
      store::Tx tx = db.writer();
      keys_.refresh(tx);
      const std::optional<OwnKey> active = keys_.active();
      // A clock behind the key's not-before (set back after a rotation)
      // would sign an iat verifiers reject as outside the key's window.
      // Refused rather than clamped: an iat in the future of our own clock
      // would hide the fault, and a wrong clock needs a person.
      if (active && when < active->validFrom) {
        db.rollbackLocked();
        const Problem behind = unavailable("the clock (" + dates::formatRfc3339(when) +
                                           ") is before the signing key's valid_from (" +
                                           dates::formatRfc3339(active->validFrom) + "): fix the clock");
        for (auto& item : group)
          if (!item->result) item->result = Expected<Issued>(behind);
        return;
      }
      Counters counters(tx);
      allocate(config_, tx, counters, group, when);
      bindAndSign(config_, *binder_, active, group);
      failure = storeGroup(tx, active, group, when);
      if (!failure) {
        counters.flush();
        if (next.empty()) next = takeFullGroup();
        if (!next.empty() && active) {
          predictAllocation(config_, counters, next, when);
          signAhead = std::jthread([this, &next, active] {
            // A guess that fails costs nothing: allocate() and the claims
            // check decide what is kept.
            try {
              bindAndSign(config_, *binder_, active, next);
            } catch (...) {
            }
          });
        }
        db.commitLocked();
        for (auto& item : group) {
          if (item->result) continue;
          if (item->duplicateOf && item->duplicateOf->issued) {
            Issued same = *item->duplicateOf->issued;
            same.existed = true;
            item->result = same;
          } else if (item->issued) {
            item->result = *item->issued;
          }
        }
        return;
      }
    } catch (const std::exception& e) {
      db.rollbackLocked();
      Problem p = store::problemFromException("issue", e);
      for (auto& item : group)
        if (!item->result) item->result = Expected<Issued>(p);
      return;
    }
    db.rollbackLocked();
    group[failure->index]->result = Expected<Issued>(failure->problem);
  }
}

IssuanceQueue::Group IssuanceQueue::takeGroup() {
  std::lock_guard<std::mutex> lock(mu_);
  Group group;
  while (!queue_.empty() && group.size() < config_.batchCommitRows) {
    group.push_back(std::move(queue_.front()));
    queue_.pop_front();
    if (group.back()->endsGroup) break;
  }
  return group;
}

// A whole group taken ahead, or none: single requests arriving during a
// commit are better grouped with the ones still to come than signed ahead
// in a small group of their own. A batch's group is whole once its last
// draft is queued.
IssuanceQueue::Group IssuanceQueue::takeFullGroup() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const std::size_t look = std::min(queue_.size(), config_.batchCommitRows);
    const bool whole = queue_.size() >= config_.batchCommitRows ||
                       std::any_of(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(look),
                                   [](const auto& p) { return p->endsGroup; });
    if (!whole) return {};
  }
  return takeGroup();
}

// Puts a group taken ahead back at the head of the queue, signatures and
// all: whoever drains next starts with it.
void IssuanceQueue::putBack(Group& group) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.insert(queue_.begin(), std::make_move_iterator(group.begin()), std::make_move_iterator(group.end()));
  group.clear();
}

// Whoever holds the writer processes what is queued, in order, until its
// own drafts are settled (or someone else settled them meanwhile); the
// group it took ahead goes back for the next caller.
void IssuanceQueue::drain(const std::function<bool()>& settled) {
  std::lock_guard<std::mutex> writer(store_.writeMutex());
  Group next;  // taken while the group before it committed, signed ahead
  while (!settled()) {
    Group group = next.empty() ? takeGroup() : std::exchange(next, {});
    if (group.empty()) break;
    processGroup(group, next);
    for (auto& item : group) {
      if (!item->result) item->result = Expected<Issued>(internalError("issuance did not complete"));
      item->promise.set_value(std::move(*item->result));
    }
  }
  if (!next.empty()) putBack(next);
}

IssuanceQueue::IssuanceQueue(const Config& config, const Clock& clock, store::Store& store, KeyRing& keys,
                             std::shared_ptr<const HolderBinder> binder)
    : config_(config), clock_(clock), store_(store), keys_(keys), binder_(std::move(binder)) {}

IssuanceQueue::~IssuanceQueue() = default;

std::vector<Expected<Issued>> IssuanceQueue::issue(std::vector<Expected<Draft>> drafts, const Actor& by) {
  return collect(enqueue(std::move(drafts), by));
}

IssuanceQueue::Queued IssuanceQueue::enqueue(std::vector<Expected<Draft>> drafts, const Actor& by, Grouping grouping) {
  Queued queued;
  auto& futures = queued.futures;
  auto& early = queued.early;
  early.resize(drafts.size());
  {
    PendingIssue* last = nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      if (!drafts[i].ok()) {
        early[i] = Expected<Issued>(drafts[i].error());
        futures.emplace_back();
        continue;
      }
      auto p = std::make_shared<PendingIssue>();
      p->draft = std::move(drafts[i]).value();
      p->actor = by;
      p->autoNumber = p->draft.credential.certNo.empty();
      futures.push_back(p->promise.get_future());
      queue_.push_back(std::move(p));
      last = queue_.back().get();
    }
    if (grouping == Grouping::OwnGroup && last) last->endsGroup = true;
  }
  return queued;
}

std::vector<Expected<Issued>> IssuanceQueue::collect(Queued queued) {
  drain([&] {
    for (const auto& f : queued.futures)
      if (f.valid() && f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
    return true;
  });
  std::vector<Expected<Issued>> out;
  out.reserve(queued.early.size());
  for (std::size_t i = 0; i < queued.early.size(); ++i)
    out.push_back(queued.early[i] ? std::move(*queued.early[i]) : queued.futures[i].get());
  return out;
}

}  // namespace titlecert::issuer
