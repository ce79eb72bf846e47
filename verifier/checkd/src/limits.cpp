#include "titlecert/checkd/limits.h"

#include <algorithm>
#include <cmath>

namespace titlecert::checkd {
namespace {

std::uint32_t bigEndian(ByteView b, std::size_t at, std::size_t n) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | b[at + i];
  return v;
}

std::optional<ImageSize> pngSize(ByteView b) {
  // Signature (8), IHDR length (4) and type (4), then width and height.
  if (b.size() < 24 || asText(b.subspan(12, 4)) != "IHDR") return std::nullopt;
  return ImageSize{bigEndian(b, 16, 4), bigEndian(b, 20, 4)};
}

bool isStartOfFrame(std::uint8_t marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::optional<ImageSize> jpegSize(ByteView b) {
  std::size_t pos = 2;
  while (pos + 4 <= b.size()) {
    if (b[pos] != 0xFF) return std::nullopt;
    const std::uint8_t marker = b[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length field
      pos += 2;
      continue;
    }
    const std::size_t length = bigEndian(b, pos + 2, 2);
    if (isStartOfFrame(marker)) {
      if (pos + 9 > b.size()) return std::nullopt;
      return ImageSize{bigEndian(b, pos + 7, 2), bigEndian(b, pos + 5, 2)};
    }
    if (marker == 0xDA || length < 2) return std::nullopt;  // scan data before any frame header
    pos += 2 + length;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ImageSize> readImageSize(ByteView bytes) {
  static const std::uint8_t kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (bytes.size() >= 8 && std::equal(kPng, kPng + 8, bytes.begin())) return pngSize(bytes);
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return jpegSize(bytes);
  return std::nullopt;
}

int RateLimiter::take(const std::string& client, double nowSeconds) {
  std::lock_guard lock(mutex_);
  if (++takesSincePrune_ >= kPruneEvery || buckets_.size() >= maxClients_) {
    forgetIdleClients(nowSeconds);
    takesSincePrune_ = 0;
  }
  auto [it, added] = buckets_.try_emplace(client, Bucket{burst_, nowSeconds});
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + (nowSeconds - b.updated) * perSecond_);
  b.updated = nowSeconds;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / perSecond_)));
}

std::size_t RateLimiter::clientsRemembered() {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::forgetIdleClients(double nowSeconds) {
  // A bucket that would be full again carries no information.
  std::erase_if(buckets_, [&](const auto& entry) {
    return entry.second.tokens + (nowSeconds - entry.second.updated) * perSecond_ >= burst_;
  });
  if (buckets_.size() >= maxClients_) buckets_.clear();  // a flood of addresses: start afresh rather than grow
}

}  // namespace titlecert::checkd
