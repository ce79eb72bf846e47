// The threads that run requests, with a bounded queue: a job is taken only
// while fewer than threads + queued are waiting or running, so that over
// capacity the connection side answers 503 at once instead of queueing
// without end. A few more places are kept for revocations, which must get
// through while issuance fills the queue; and a request already admitted
// is never refused its answer step (its admission held a place).
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

  enum class Place { Any, Revocation, Admitted };

  // False (and `job` dropped) when the pool is full; a revocation may use
  // the reserved places too, an admitted request's answer is always taken.
  template <class Job>
  bool trySubmit(Job&& job, Place place = Place::Any) {
    const int limit = capacity_ + (place == Place::Revocation ? reserved_ : 0);
    if (pending_.fetch_add(1) >= limit && place != Place::Admitted) {
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
