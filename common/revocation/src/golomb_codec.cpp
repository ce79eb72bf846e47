#include "golomb_codec.h"

#include <bit>

namespace titlecert::revocation::detail {
namespace {

// gamma(2^32 + 1) has 32 leading zeros: the longest count code there is.
constexpr unsigned kMaxCountZeros = 32;

struct TruncatedBinary {
  unsigned width;         // ceil(log2(parameter))
  std::uint64_t shorter;  // remainders below this use width - 1 bits
};

TruncatedBinary truncatedBinary(std::uint64_t parameter) {
  const auto width = static_cast<unsigned>(std::bit_width(parameter - 1));
  return {width, (std::uint64_t{1} << width) - parameter};
}

// Ones then a zero; reports the count of ones, stopping early (as a value
// above `limit`) so that a run of ones cannot make the caller loop long.
std::uint64_t readUnary(BitReader& in, std::uint64_t limit) {
  std::uint64_t ones = 0;
  for (;;) {
    const auto run = static_cast<unsigned>(std::countl_one(in.peek64()));
    ones += run;
    if (run < 64) {
      in.skip(run + 1);
      return ones;
    }
    in.skip(64);
    if (ones > limit) return ones;
  }
}

// The common case on the load path: the whole code lies in the next 64
// bits, so one read of the stream serves the quotient and the remainder.
bool readCodeInOneWindow(BitReader& in, const TruncatedBinary& code, std::uint64_t& quotient,
                         std::uint64_t& remainder) {
  const std::uint64_t window = in.peek64();
  const auto ones = static_cast<unsigned>(std::countl_one(window));
  if (ones + 1 + code.width > 64) return false;
  const std::uint64_t afterUnary = window << (ones + 1);
  unsigned used = ones + 1 + code.width - 1;
  remainder = code.width > 1 ? afterUnary >> (64 - (code.width - 1)) : 0;
  if (remainder >= code.shorter) {
    remainder = ((remainder << 1) | ((afterUnary >> (64 - code.width)) & 1)) - code.shorter;
    ++used;
  }
  quotient = ones;
  in.skip(used);
  return true;
}

}  // namespace

void writeGamma(BitWriter& out, std::uint64_t value) {
  const auto width = static_cast<unsigned>(std::bit_width(value));
  out.write(0, width - 1);
  out.write(value, width);
}

Result<std::uint64_t> readCount(BitReader& in) {
  const auto zeros = static_cast<unsigned>(std::countl_zero(in.peek64()));
  if (zeros > kMaxCountZeros) return in.remaining() > kMaxCountZeros ? badBytes(Reason::kCountTooLarge) : badBytes(Reason::kTruncated);
  in.skip(zeros);
  const std::uint64_t value = in.read(zeros + 1);
  if (in.overrun()) return badBytes(Reason::kTruncated);
  return value - 1;
}

void writeGolombGaps(BitWriter& out, std::span<const std::uint32_t> indices, std::uint64_t parameter) {
  const TruncatedBinary code = truncatedBinary(parameter);
  std::uint64_t next = 0;  // the smallest index the next one may take
  for (const std::uint32_t index : indices) {
    const std::uint64_t gap = index - next;
    next = std::uint64_t{index} + 1;
    out.writeOnes(gap / parameter);
    out.write(0, 1);
    const std::uint64_t remainder = gap % parameter;
    if (remainder < code.shorter) {
      out.write(remainder, code.width - 1);
    } else {
      out.write(remainder + code.shorter, code.width);
    }
  }
}

Result<std::vector<std::uint32_t>> readGolombGaps(BitReader& in, std::uint64_t count, std::uint64_t parameter,
                                                  std::uint64_t issued) {
  // Every code takes at least one bit: bound the allocation by the input.
  if (count > in.remaining()) return badBytes(Reason::kTruncated);
  const TruncatedBinary code = truncatedBinary(parameter);
  std::vector<std::uint32_t> indices;
  indices.reserve(static_cast<std::size_t>(count));
  std::uint64_t next = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (next >= issued) return badBytes(Reason::kIndexOutOfRange);
    const std::uint64_t maxQuotient = (issued - next - 1) / parameter;
    std::uint64_t quotient = 0;
    std::uint64_t remainder = 0;
    if (!readCodeInOneWindow(in, code, quotient, remainder)) {
      quotient = readUnary(in, maxQuotient);
      if (in.overrun()) return badBytes(Reason::kTruncated);
      if (quotient > maxQuotient) return badBytes(Reason::kIndexOutOfRange);
      remainder = in.read(code.width - 1);
      if (remainder >= code.shorter) remainder = ((remainder << 1) | in.read(1)) - code.shorter;
    }
    if (in.overrun()) return badBytes(Reason::kTruncated);
    if (quotient > maxQuotient) return badBytes(Reason::kIndexOutOfRange);
    const std::uint64_t index = next + quotient * parameter + remainder;
    if (index >= issued) return badBytes(Reason::kIndexOutOfRange);
    indices.push_back(static_cast<std::uint32_t>(index));
    next = index + 1;
  }
  return indices;
}

}  // namespace titlecert::revocation::detail
