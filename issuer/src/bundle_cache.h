// The last trust bundle served, with its own lock: while the store's
// content generation is the one it was made for and its next_update is not
// near, GET /v1/bundle answers from memory. A new version is signed on a
// thread of its own, so a request waits for it only a moment: when the
// database's write lock is held elsewhere (another process, a long batch),
// the bundle in memory is answered while it is still valid.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "store/records.h"
#include "titlecert/bytes.h"
#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

class BundleCache {
 public:
  using Generation = std::function<Expected<std::uint64_t>()>;
  // Signs (or finds) the current bundle; runs on the refresh thread, so it
  // must own what it uses beyond the service's parts. It calls
  // `writeLockTaken` once its write transaction has begun.
  using Make = std::function<Expected<store::StoredBundle>(const std::function<void()>& writeLockTaken)>;

  BundleCache() = default;
  ~BundleCache() {
    if (refresher_.joinable()) refresher_.join();
  }
  BundleCache(const BundleCache&) = delete;
  BundleCache& operator=(const BundleCache&) = delete;

  // The cached bytes while current; otherwise a refresh is started (one at
  // a time) and awaited. When a still valid bundle is in memory and the
  // refresh has not got the write lock within `patience` (another process
  // holds it), the bundle in memory is answered; once it has the lock, the
  // signing is awaited (a change is in the next answer). With no valid
  // bundle in memory the refresh is awaited to its end.
  Expected<Bytes> serve(const Generation& generation, std::int64_t now, std::int64_t refreshMargin, Make make,
                        std::chrono::milliseconds patience = std::chrono::milliseconds(500)) {
    const Expected<std::uint64_t> current = generation();
    std::unique_lock<std::mutex> lock(mu_);
    const bool usable = !bytes_.empty() && now < nextUpdate_;
    // The database unreadable (PostgreSQL away): a valid bundle still is.
    if (!current.ok()) return usable ? Expected<Bytes>(bytes_) : Expected<Bytes>(current.error());
    if (generation_ == *current && !bytes_.empty() && now < nextUpdate_ - refreshMargin) return bytes_;
    if (!refreshing_) startRefresh(*current, std::move(make));
    const std::uint64_t waitingFor = refreshesStarted_;
    auto finished = [&] { return refreshesDone_ >= waitingFor; };
    if (usable) {
      if (!cv_.wait_for(lock, patience, finished)) cv_.wait(lock, [&] { return finished() || !writing_; });
      return bytes_;
    }
    cv_.wait(lock, finished);
    if (lastError_ && (bytes_.empty() || now >= nextUpdate_)) return *lastError_;
    return bytes_;
  }

 private:
  // Called with mu_ held and no refresh running (the previous thread, if
  // any, has finished its work and only needs joining).
  void startRefresh(std::uint64_t generation, Make make) {
    if (refresher_.joinable()) refresher_.join();
    refreshing_ = true;
    ++refreshesStarted_;
    refresher_ = std::thread([this, generation, make = std::move(make)] {
      Expected<store::StoredBundle> fresh = make([this] {
        std::lock_guard<std::mutex> locked(mu_);
        writing_ = true;
      });
      std::lock_guard<std::mutex> done(mu_);
      writing_ = false;
      if (fresh.ok()) {
        generation_ = generation;
        bytes_ = std::move(fresh->bytes);
        nextUpdate_ = fresh->nextUpdate;
        lastError_.reset();
      } else {
        lastError_ = fresh.error();
      }
      refreshing_ = false;
      ++refreshesDone_;
      cv_.notify_all();
    });
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::thread refresher_;
  bool refreshing_ = false;
  bool writing_ = false;  // the refresh holds the write lock
  std::uint64_t refreshesStarted_ = 0, refreshesDone_ = 0;
  std::optional<Problem> lastError_;
  std::uint64_t generation_ = 0;
  Bytes bytes_;
  std::int64_t nextUpdate_ = 0;
};

}  // namespace titlecert::issuer
