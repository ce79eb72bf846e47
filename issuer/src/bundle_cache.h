// The last trust bundle served, with its own lock: while the store's
// content generation is the one it was made for and its next_update is not
// near, GET /v1/bundle answers from memory.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>

#include "store/records.h"
#include "titlecert/bytes.h"
#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

class BundleCache {
 public:
  // The cached bytes, or make()'s bundle (kept for the next call). The
  // lock is held throughout, so concurrent callers sign one version, not
  // one each. `generation` is read under the lock.
  Expected<Bytes> serve(const std::function<Expected<std::uint64_t>()>& generation, std::int64_t now,
                        std::int64_t refreshMargin, const std::function<Expected<store::StoredBundle>()>& make) {
    std::lock_guard<std::mutex> lock(mu_);
    TC_ASSIGN(const std::uint64_t current, generation());
    if (generation_ == current && !bytes_.empty() && now < nextUpdate_ - refreshMargin) return bytes_;
    TC_ASSIGN(store::StoredBundle fresh, make());
    generation_ = current;
    bytes_ = std::move(fresh.bytes);
    nextUpdate_ = fresh.nextUpdate;
    return bytes_;
  }

 private:
  std::mutex mu_;
  std::uint64_t generation_ = 0;
  Bytes bytes_;
  std::int64_t nextUpdate_ = 0;
};

}  // namespace titlecert::issuer
