// Issuance: validated drafts in, signed and stored credentials out.
//
// Group commit: callers put their drafts in the queue, and whichever
// caller gets the writer processes what is queued, in order, until its own
// drafts are settled, up to
// batch.commit_rows per transaction. In one transaction each draft gets its
// certificate number and status index from the gap-free counters, its holder
// binding (scrypt, derived in parallel), its signature, its row and its audit
// entry; bindings and signatures are made on several threads. A draft that fails is taken out and the transaction is run again
// without it, so a failing row never leaves a gap or touches the others;
// a crash loses the uncommitted group whole, never half of a row.
//
// Pipelined: while a group's COMMIT waits for the disk, the next group,
// when a whole one is queued (a batch), is signed ahead with the numbers
// and indexes the counters would give it after this commit. Those are only
// a guess: the next transaction allocates as always, and a signature is
// kept only where its claims came out byte for byte the same (else the row
// is signed again), so a failed commit or a number taken meanwhile costs
// signatures, never correctness; nothing is answered before its own group
// has committed.

#pragma once

#include <deque>
#include <functional>
#include <future>
#include <optional>
#include <memory>
#include <mutex>
#include <vector>

#include "key_ring.h"
#include "requests.h"
#include "store/store.h"

namespace titlecert::issuer {

struct PendingIssue;

class IssuanceQueue {
 public:
  using Group = std::vector<std::shared_ptr<PendingIssue>>;

  IssuanceQueue(const Config& config, const Clock& clock, store::Store& store, KeyRing& keys,
                std::shared_ptr<const HolderBinder> binder);
  ~IssuanceQueue();
  IssuanceQueue(const IssuanceQueue&) = delete;
  IssuanceQueue& operator=(const IssuanceQueue&) = delete;

  // Issues the valid drafts (each on its own: a failing one does not touch
  // the others); an invalid draft's Problem is its result.
  std::vector<Expected<Issued>> issue(std::vector<Expected<Draft>> drafts, const Actor& by);

  // issue() in two steps, so a batch can queue its next drafts while this
  // ones are written: the writer then signs them ahead, during the commit.
  struct Queued {
    std::vector<std::future<Expected<Issued>>> futures;
    std::vector<std::optional<Expected<Issued>>> early;  // invalid drafts' Problems
  };
  // OwnGroup: the drafts are one transaction of a batch (at most
  // batch.commit_rows), never joined with the drafts queued after them, and
  // signed ahead once queued whole. Shared: grouped with whatever is queued
  // (single requests).
  enum class Grouping { Shared, OwnGroup };
  Queued enqueue(std::vector<Expected<Draft>> drafts, const Actor& by, Grouping grouping = Grouping::Shared);
  std::vector<Expected<Issued>> collect(Queued queued);

 private:
  Group takeGroup();
  Group takeFullGroup();
  void putBack(Group& group);
  void drain(const std::function<bool()>& settled);
  // `next`: the group after this one, taken and signed ahead while this
  // one commits (left empty when nothing was queued yet).
  void processGroup(Group& group, Group& next);

  const Config& config_;
  const Clock& clock_;
  store::Store& store_;
  KeyRing& keys_;
  const std::shared_ptr<const HolderBinder> binder_;
  std::mutex mu_;  // guards queue_
  std::deque<std::shared_ptr<PendingIssue>> queue_;
};

}  // namespace titlecert::issuer
