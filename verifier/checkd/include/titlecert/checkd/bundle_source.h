// Where the check service's bundle comes from when it follows an issuer:
// GET --bundle-url at start, then again before the bundle's next-update
// draws near. Every fetched bundle goes through TrustStore::offer, so one
// that is badly signed or older than the current one is refused and the
// current one stays.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "titlecert/checkd/trust_store.h"

namespace titlecert::checkd {

inline constexpr std::size_t kMaxBundleBytes = 16u << 20;

// GET over http:// or https:// (system CA store). IO_ERROR on a network
// failure, a status other than 200, or a body over maxBytes.
Result<std::string> fetchUrl(const std::string& url, std::size_t maxBytes = kMaxBundleBytes, int timeoutMs = 10000);

// Seconds from now until the next fetch: a tenth of the bundle's lifetime
// (at least an hour) before next-update, never sooner than minSeconds.
std::int64_t secondsUntilRefresh(const bundle::Contents& contents, std::int64_t now, std::int64_t minSeconds = 300);

class BundleRefresher {
 public:
  BundleRefresher(TrustStore& trust, std::string url) : trust_(trust), url_(std::move(url)) {}
  ~BundleRefresher() { stop(); }
  BundleRefresher(const BundleRefresher&) = delete;
  BundleRefresher& operator=(const BundleRefresher&) = delete;

  // One fetch and offer: the version now in use, or why the fetched bundle
  // was not taken.
  Result<std::uint64_t> refreshOnce();

  // Refreshes in the background on the schedule above (retrying every
  // retrySeconds after a failure) until stop().
  void start(std::int64_t retrySeconds = 300);
  void stop();

 private:
  void loop(std::int64_t retrySeconds);

  TrustStore& trust_;
  std::string url_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace titlecert::checkd
