// The background thread that runs stored batches (Service::runBatchStep)
// until none has work, then sleeps until woken or a poll interval passes
// (another instance on the same database may have stored a batch).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace titlecert::issuer {

class Service;

class BatchWorker {
 public:
  BatchWorker(Service& service, std::size_t rowsPerStep, std::chrono::milliseconds poll = std::chrono::seconds(5));
  ~BatchWorker();  // finishes the step in progress, then stops
  BatchWorker(const BatchWorker&) = delete;
  BatchWorker& operator=(const BatchWorker&) = delete;

  void wake();

 private:
  void run();

  Service& service_;
  const std::size_t rowsPerStep_;
  const std::chrono::milliseconds poll_;
  std::mutex mutex_;
  std::condition_variable wakeUp_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace titlecert::issuer
