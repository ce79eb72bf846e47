// Issuance: validated drafts in, signed and stored credentials out.
//
// Group commit: callers put their drafts in the queue, and whichever
// caller gets the writer processes everything queued, up to
// batch.commit_rows per transaction. In one transaction each draft gets its
// certificate number and status index from the gap-free counters, its holder
// binding (scrypt, derived in parallel), its signature, its row and its audit
// entry; bindings and signatures are made on several threads. A draft that fails is taken out and the transaction is run again
// without it, so a failing row never leaves a gap or touches the others;
// a crash loses the uncommitted group whole, never half of a row.
#pragma once

#include <deque>
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

 private:
  Group takeGroup();
  void drain();
  void processGroup(Group& group);

  const Config& config_;
  const Clock& clock_;
  store::Store& store_;
  KeyRing& keys_;
  const std::shared_ptr<const HolderBinder> binder_;
  std::mutex mu_;  // guards queue_
  std::deque<std::shared_ptr<PendingIssue>> queue_;
};

}  // namespace titlecert::issuer
