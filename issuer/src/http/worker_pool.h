// The threads that run requests, with a bounded queue: a job is taken only
// while fewer than threads + queued are waiting or running, so that over
// capacity the connection side answers 503 at once instead of queueing
// without end. A few more places are kept for revocations, which must get
// through while issuance fills the queue.
#pragma once

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <utility>

namespace titlecert::issuer::http {

class WorkerPool {
 public:
  WorkerPool(int threads, int queued)
      : pool_(static_cast<std::size_t>(threads)), capacity_(threads + queued), reserved_(threads < 4 ? 4 : threads) {}

  // False (and `job` dropped) when the pool is full; a `revocation` may use
  // the reserved places too.
  template <class Job>
  bool trySubmit(Job&& job, bool revocation = false) {
    if (pending_.fetch_add(1) >= capacity_ + (revocation ? reserved_ : 0)) {
      pending_.fetch_sub(1);
      return false;
    }
    boost::asio::post(pool_, [this, job = std::forward<Job>(job)]() mutable {
      job();
      pending_.fetch_sub(1);
    });
    return true;
  }

  // Waits for every job taken.
  void join() { pool_.join(); }

 private:
  boost::asio::thread_pool pool_;
  std::atomic<int> pending_{0};
  const int capacity_;
  const int reserved_;
};

}  // namespace titlecert::issuer::http
