// Bit streams for the revocation codec: most significant bit of each byte
// first, the last byte padded with zero bits.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace titlecert::revocation::detail {

class BitWriter {
 public:
  // `count` <= 56 low bits of `value`, most significant first.
  void write(std::uint64_t value, unsigned count) {
    accumulator_ = (accumulator_ << count) | (value & lowMask(count));
    pending_ += count;
    while (pending_ >= 8) {
      pending_ -= 8;
      bytes_.push_back(static_cast<std::uint8_t>(accumulator_ >> pending_));
    }
    accumulator_ &= lowMask(pending_);
  }

  void writeOnes(std::uint64_t count) {
    for (; count >= 32; count -= 32) write(0xFFFFFFFFu, 32);
    write(lowMask(static_cast<unsigned>(count)), static_cast<unsigned>(count));
  }

  std::vector<std::uint8_t> finish() && {
    if (pending_ > 0) write(0, 8 - pending_);
    return std::move(bytes_);
  }

 private:
  static std::uint64_t lowMask(unsigned count) {
    return count >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
  }

  std::vector<std::uint8_t> bytes_;
  std::uint64_t accumulator_ = 0;
  unsigned pending_ = 0;  // < 8 between calls
};

// Reads past the end give zero bits and mark the reader overrun, so that a
// code cut off by the end of the input is reported once, after it is read.
class BitReader {
 public:
  explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes), limit_(bytes.size() * 8) {}

  // The next 64 bits, the first in the most significant position.
  std::uint64_t peek64() const {
    const std::size_t byte = static_cast<std::size_t>(position_ / 8);
    const unsigned shift = static_cast<unsigned>(position_ % 8);
    std::uint64_t word = 0;
    std::uint8_t ninth = 0;
    if (byte + 9 <= bytes_.size()) {
      std::memcpy(&word, bytes_.data() + byte, 8);
      if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
      ninth = bytes_[byte + 8];
    } else {
      for (std::size_t i = 0; i < 8; ++i) word = (word << 8) | byteAt(byte + i);
      ninth = byteAt(byte + 8);
    }
    return shift == 0 ? word : (word << shift) | (ninth >> (8 - shift));
  }

  // 1..57 bits as a number; 0 bits read as 0.
  std::uint64_t read(unsigned count) {
    if (count == 0) return 0;
    const std::uint64_t value = peek64() >> (64 - count);
    position_ += count;
    return value;
  }

  void skip(std::uint64_t count) { position_ += count; }
  bool overrun() const { return position_ > limit_; }
  std::uint64_t position() const { return position_; }
  std::uint64_t remaining() const { return overrun() ? 0 : limit_ - position_; }

 private:
  std::uint8_t byteAt(std::size_t index) const { return index < bytes_.size() ? bytes_[index] : 0; }

  std::span<const std::uint8_t> bytes_;
  std::uint64_t position_ = 0;
  std::uint64_t limit_;
};

}  // namespace titlecert::revocation::detail
