// The check service's guards against abuse: an image's size read from its
// header (so a decompression bomb is refused before any pixel is decoded)
// and a token bucket per client address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "titlecert/bytes.h"

namespace titlecert::checkd {

struct ImageSize {
  std::uint32_t width = 0, height = 0;
};

// Width and height from a PNG's IHDR or a JPEG's SOF segment; nullopt when
// the header is not one of those or is cut short.
std::optional<ImageSize> readImageSize(ByteView bytes);

// One bucket per client: `burst` tokens, refilled at `perSecond`. Time is
// passed in (seconds on a monotonic clock) so tests control it.
class RateLimiter {
 public:
  RateLimiter(double perSecond, double burst, std::size_t maxClients = 100000)
      : perSecond_(perSecond), burst_(burst), maxClients_(maxClients) {}

  // 0 when the request may go ahead (a token is taken); otherwise the whole
  // seconds until a token is available (for Retry-After).
  int take(const std::string& client, double nowSeconds);
  std::size_t clientsRemembered();

 private:
  struct Bucket {
    double tokens;
    double updated;
  };
  // Addresses whose bucket has refilled are dropped every kPruneEvery
  // requests, so the map holds only recent clients.
  void forgetIdleClients(double nowSeconds);
  static constexpr std::size_t kPruneEvery = 1000;

  double perSecond_, burst_;
  std::size_t maxClients_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::size_t takesSincePrune_ = 0;
};

}  // namespace titlecert::checkd
