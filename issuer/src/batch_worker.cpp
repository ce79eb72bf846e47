#include "batch_worker.h"

#include "titlecert/issuer/service.h"

namespace titlecert::issuer {

BatchWorker::BatchWorker(Service& service, std::size_t rowsPerStep, std::chrono::milliseconds poll)
    : service_(service), rowsPerStep_(rowsPerStep), poll_(poll), thread_([this] { run(); }) {}

BatchWorker::~BatchWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeUp_.notify_all();
  thread_.join();
}

void BatchWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeUp_.notify_all();
}

void BatchWorker::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      woken_ = false;
    }
    if (service_.runBatchStep(rowsPerStep_) > 0) continue;
    std::unique_lock lock(mutex_);
    wakeUp_.wait_for(lock, poll_, [this] { return stopping_ || woken_; });
  }
}

}  // namespace titlecert::issuer
