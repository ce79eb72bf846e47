// The revocation set codec: exact round trips at every density, the
// encoder's choice of method, and strict rejection of hostile bytes.
#include "titlecert/revocation_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace titlecert::revocation {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Indices = std::vector<std::uint64_t>;

// `count` distinct indices below `issued`, increasing; the seed fixes them.
Indices randomIndices(std::uint64_t issued, std::uint64_t count, std::uint32_t seed) {
  std::mt19937_64 random(seed);
  // Test sets are small: their sizes fit a 32-bit size_t.
  std::vector<bool> chosen(static_cast<std::size_t>(issued), false);
  std::uint64_t left = count;
  // Floyd's sampling: exactly `count` distinct values.
  for (std::uint64_t j = issued - count; j < issued && left > 0; ++j, --left) {
    const std::uint64_t pick = std::uniform_int_distribution<std::uint64_t>(0, j)(random);
    chosen[static_cast<std::size_t>(chosen[static_cast<std::size_t>(pick)] ? j : pick)] = true;
  }
  Indices indices;
  for (std::uint64_t i = 0; i < issued; ++i) {
    if (chosen[static_cast<std::size_t>(i)]) indices.push_back(i);
  }
  return indices;
}

RevocationSet makeSet(std::uint64_t issued, const Indices& revoked) {
  auto set = RevocationSet::fromIndices(issued, revoked);
  EXPECT_TRUE(set.ok());
  return std::move(set).value();
}

double log2Binomial(double issued, double revoked) {
  return (std::lgamma(issued + 1) - std::lgamma(revoked + 1) - std::lgamma(issued - revoked + 1)) / std::log(2.0);
}

// Decodes `bytes` and checks every index below `issued` (and one beyond)
// against `expected`.
void expectDecodesTo(std::uint64_t issued, const Bytes& bytes, const Indices& expected) {
  auto decoded = RevocationSet::decode(issued, bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  const RevocationSet& set = decoded.value();
  EXPECT_EQ(set.revokedIndices(), expected);
  EXPECT_EQ(set.revokedCount(), expected.size());
  std::size_t next = 0;
  for (std::uint64_t index = 0; index < issued; ++index) {
    const bool revoked = next < expected.size() && expected[next] == index;
    if (revoked) ++next;
    ASSERT_EQ(set.lookup(index), revoked ? Status::kRevoked : Status::kNotRevoked) << "index " << index;
  }
  EXPECT_EQ(set.lookup(issued), Status::kOutOfRange);
  EXPECT_EQ(set.encode(), bytes);
}

// "010 1..." (spaces and bars ignored) as bytes, the last padded with zero bits.
Bytes fromBits(std::string_view bits) {
  Bytes bytes;
  unsigned used = 0;
  for (const char bit : bits) {
    if (bit == ' ' || bit == '|') continue;
    if (used % 8 == 0) bytes.push_back(0);
    if (bit == '1') bytes.back() = static_cast<std::uint8_t>(bytes.back() | (0x80 >> (used % 8)));
    ++used;
  }
  return bytes;
}

// The detail of the error decoding gives, after checking that it is a
// BAD_BUNDLE (the bytes came from a bundle).
std::string decodeError(std::uint64_t issued, const Bytes& bytes) {
  auto decoded = RevocationSet::decode(issued, bytes);
  EXPECT_FALSE(decoded.ok()) << "decoded " << decoded.value().revokedCount() << " indices";
  if (decoded.ok()) return {};
  EXPECT_EQ(decoded.error().code, Code::BAD_BUNDLE);
  return decoded.error().detail;
}

TEST(RevocationSet, SmallSetsRoundTripWithEveryIndexChecked) {
  for (std::uint64_t issued : {2u, 3u, 7u, 8u, 9u, 63u, 64u, 65u, 200u, 1000u}) {
    for (std::uint64_t revoked = 0; revoked <= issued; revoked += std::max<std::uint64_t>(1, issued / 13)) {
      const Indices indices = randomIndices(issued, revoked, static_cast<std::uint32_t>(issued * 7919 + revoked));
      SCOPED_TRACE(testing::Message() << "issued " << issued << " revoked " << revoked);
      expectDecodesTo(issued, makeSet(issued, indices).encode(), indices);
    }
  }
}

TEST(RevocationSet, RandomSetsRoundTripAtEveryDensityWithinTheSizeGoal) {
  const std::uint64_t issued = 100'000;
  for (const double density : {0.0001, 0.001, 0.01, 0.1, 0.3, 0.4, 0.5, 0.6, 0.9, 0.99, 0.9999}) {
    const auto revoked = static_cast<std::uint64_t>(std::llround(density * issued));
    const Indices indices = randomIndices(issued, revoked, 20261203);
    SCOPED_TRACE(testing::Message() << "density " << density);
    const Bytes bytes = makeSet(issued, indices).encode();
    expectDecodesTo(issued, bytes, indices);
    EXPECT_LE(static_cast<double>(bytes.size() * 8), 1.15 * log2Binomial(issued, static_cast<double>(revoked)));
  }
}

// The size goal on the whole grid the bench reports: N in {1e5, 1e6, 1e7},
// R/N in {0.01 %, 0.1 %, 1 %, 10 %}, the flag, count and padding included.
TEST(RevocationSet, SizeStaysWithinFifteenPercentOfTheBoundOnTheWholeGrid) {
  for (const std::uint64_t issued : {100'000ull, 1'000'000ull, 10'000'000ull}) {
    for (const double density : {0.0001, 0.001, 0.01, 0.1}) {
      const auto revoked = static_cast<std::uint64_t>(std::llround(density * static_cast<double>(issued)));
      const Indices indices = randomIndices(issued, revoked, static_cast<std::uint32_t>(issued + revoked));
      SCOPED_TRACE(testing::Message() << "issued " << issued << " density " << density);
      const Bytes bytes = makeSet(issued, indices).encode();
      const double bound = log2Binomial(static_cast<double>(issued), static_cast<double>(revoked));
      EXPECT_LE(static_cast<double>(bytes.size() * 8), 1.15 * bound);
      auto decoded = RevocationSet::decode(issued, bytes);
      ASSERT_TRUE(decoded.ok());
      EXPECT_EQ(decoded.value().revokedIndices(), indices);
    }
  }
}

TEST(RevocationSet, DocumentedTestVectorsEncodeAsWritten) {
  EXPECT_EQ(makeSet(1, {}).encode(), Bytes{0x40});
  EXPECT_EQ(makeSet(1000, {3, 500, 999}).encode(),
            fromBits("0 00100 | 0 0000011 | 110 00111011 | 110 00111101"));
  EXPECT_EQ(makeSet(1000, {3, 500, 999}).encode(), (Bytes{0x10, 0x0F, 0x1D, 0xE3, 0xD0}));
  EXPECT_EQ(makeSet(12, {0, 1, 2, 5, 7, 9, 11}).encode(), (Bytes{0x9B, 0x95, 0x40}));
  EXPECT_EQ(makeSet(100, {99}).encode(), (Bytes{0x29, 0xE0}));
}

TEST(RevocationSet, EncoderChoosesTheMethodByDensity) {
  EXPECT_EQ(methodFor(1000, 0), Method::kEmpty);
  EXPECT_EQ(methodFor(1000, 1000), Method::kEmpty);
  EXPECT_EQ(methodFor(1000, 10), Method::kGolombGaps);
  EXPECT_EQ(methodFor(1000, 500), Method::kBitset);
  EXPECT_EQ(methodFor(1000, 990), Method::kGolombGapsOfComplement);
  EXPECT_EQ(golombParameter(1'000'000, 10'000), 69u);
  EXPECT_EQ(golombParameter(1'000'000, 100'000), 7u);
}

TEST(RevocationSet, EmptyIssuedRangeHasOneEncoding) {
  const Bytes bytes = makeSet(0, {}).encode();
  EXPECT_EQ(bytes, fromBits("0 1"));
  expectDecodesTo(0, bytes, {});
  EXPECT_EQ(decodeError(0, fromBits("0 010")), reasonText(Reason::kCountTooLarge));  // one revoked among none
  EXPECT_EQ(decodeError(0, fromBits("1 1")), reasonText(Reason::kNotCanonical));     // "all" of none
}

TEST(RevocationSet, OneIssuedIndexRevokedOrNot) {
  expectDecodesTo(1, makeSet(1, {}).encode(), {});
  expectDecodesTo(1, makeSet(1, {0}).encode(), {0});
  EXPECT_EQ(makeSet(1, {0}).encode(), fromBits("1 1"));  // all but gamma(1): nothing else
}

TEST(RevocationSet, NoneAndAllRevokedCostOnlyTheCount) {
  const Indices all = randomIndices(5000, 5000, 1);
  EXPECT_EQ(makeSet(5000, {}).encode().size(), 1u);
  EXPECT_EQ(makeSet(5000, all).encode().size(), 1u);
  expectDecodesTo(5000, makeSet(5000, all).encode(), all);
}

TEST(RevocationSet, ConsecutiveRunsRoundTrip) {
  Indices runs;
  for (std::uint64_t start : {0u, 1000u, 4090u}) {
    for (std::uint64_t i = start; i < start + 6; ++i) runs.push_back(i);
  }
  expectDecodesTo(4096, makeSet(4096, runs).encode(), runs);
  Indices lastOnes = {4093, 4094, 4095};
  expectDecodesTo(4096, makeSet(4096, lastOnes).encode(), lastOnes);
}

TEST(RevocationSet, EncoderRejectsUnsortedDuplicateAndOutOfRangeIndices) {
  EXPECT_EQ(RevocationSet::fromIndices(10, Indices{3, 2}).error().detail, reasonText(Reason::kNotIncreasing));
  EXPECT_EQ(RevocationSet::fromIndices(10, Indices{3, 3}).error().detail, reasonText(Reason::kNotIncreasing));
  EXPECT_EQ(RevocationSet::fromIndices(10, Indices{10}).error().detail, reasonText(Reason::kIndexOutOfRange));
  EXPECT_EQ(RevocationSet::fromIndices(RevocationSet::kMaxIssued + 1, Indices{}).error().detail, reasonText(Reason::kIssuedTooLarge));
  EXPECT_EQ(RevocationSet::fromIndices(10, Indices{10}).error().code, Code::INVALID_ARGUMENT);
}

TEST(RevocationSet, TruncatedInputIsRejectedAtEveryLength) {
  for (const double density : {0.001, 0.05, 0.5, 0.95}) {
    const Indices indices = randomIndices(4000, static_cast<std::uint64_t>(density * 4000), 77);
    const Bytes bytes = makeSet(4000, indices).encode();
    for (std::size_t length = 0; length < bytes.size(); ++length) {
      const Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
      auto decoded = RevocationSet::decode(4000, cut);
      EXPECT_FALSE(decoded.ok()) << "density " << density << " length " << length;
    }
  }
}

TEST(RevocationSet, TrailingGarbageIsRejected) {
  Bytes bytes = makeSet(4000, randomIndices(4000, 40, 3)).encode();
  bytes.push_back(0x00);
  EXPECT_EQ(decodeError(4000, bytes), reasonText(Reason::kTrailingBytes));
  EXPECT_EQ(decodeError(0, Bytes{0x40, 0x00}), reasonText(Reason::kTrailingBytes));
}

TEST(RevocationSet, NonZeroPaddingIsRejected) {
  EXPECT_EQ(decodeError(0, Bytes{0x41}), reasonText(Reason::kNonZeroPadding));
  EXPECT_EQ(decodeError(1, Bytes{0x41}), reasonText(Reason::kNonZeroPadding));
  // 7 revoked of 12 is dense: the flag for "5 not revoked", a 5-bit count and
  // a 12-bit bitset leave six padding bits.
  Bytes bytes = makeSet(12, {0, 1, 2, 5, 7, 9, 11}).encode();
  ASSERT_EQ(makeSet(12, {0, 1, 2, 5, 7, 9, 11}).method(), Method::kBitset);
  ASSERT_EQ(bytes, fromBits("1 00110 111001010101"));
  bytes.back() |= 0x01;
  EXPECT_EQ(decodeError(12, bytes), reasonText(Reason::kNonZeroPadding));
}

TEST(RevocationSet, GapBeyondTheIssuedRangeIsRejected) {
  // Issued 100, one revoked: flag 0, gamma(2) = 010, parameter 69 (width 7, 59 short
  // codes). Index 99 is the last valid one; a quotient of 2 reaches 138.
  ASSERT_EQ(golombParameter(100, 1), 69u);
  expectDecodesTo(100, makeSet(100, {99}).encode(), {99});
  EXPECT_EQ(makeSet(100, {99}).encode(), fromBits("0 010 10 011110"));  // 69 + 30
  // Quotient 2: beyond 100 whatever the remainder.
  EXPECT_EQ(decodeError(100, fromBits("0 010 110 000000")), reasonText(Reason::kIndexOutOfRange));
  // Quotient 1, remainder 1111111 - 59 = 68: index 137.
  EXPECT_EQ(decodeError(100, fromBits("0 010 10 1111111")), reasonText(Reason::kIndexOutOfRange));
  // gamma(4): 3 revoked of 2, and 2 of 3 counted as the larger side.
  EXPECT_EQ(decodeError(2, fromBits("0 00100")), reasonText(Reason::kCountTooLarge));
  EXPECT_EQ(decodeError(3, fromBits("0 011 0 0")), reasonText(Reason::kCountTooLarge));
}

TEST(RevocationSet, ComplementFlagOnAnEvenSplitIsRejected) {
  // 1 revoked of 2 (a bitset): the encoder counts the revoked side (flag 0).
  const Bytes canonical = makeSet(2, {1}).encode();
  EXPECT_EQ(canonical, fromBits("0 010 01"));
  expectDecodesTo(2, canonical, {1});
  EXPECT_EQ(decodeError(2, fromBits("1 010 01")), reasonText(Reason::kNotCanonical));
}

TEST(RevocationSet, CountCodeLongerThanAnyValidCountIsRejected) {
  EXPECT_EQ(decodeError(RevocationSet::kMaxIssued, Bytes(6, 0x00)), reasonText(Reason::kCountTooLarge));
  EXPECT_EQ(decodeError(10, Bytes{}), reasonText(Reason::kTruncated));
  EXPECT_EQ(decodeError(10, Bytes{0x00}), reasonText(Reason::kTruncated));
}

TEST(RevocationSet, OtherMethodsForTheSameSetAreRejected) {
  // 4 revoked of 64 is sparse (gaps); the same set as a raw bitset after its
  // count, as a lenient encoder might write it, is not accepted.
  ASSERT_EQ(methodFor(64, 4), Method::kGolombGaps);
  std::string bitset(64, '0');
  for (std::size_t index : {3u, 20u, 40u, 60u}) bitset[index] = '1';
  EXPECT_FALSE(RevocationSet::decode(64, fromBits("0 00101" + bitset)).ok());

  // 990 revoked of 1000 is coded as the gaps of the 10 not revoked; the
  // gaps of the 990 revoked (unary, parameter 1) are not accepted.
  const Indices dense = randomIndices(1000, 990, 5);
  ASSERT_EQ(methodFor(1000, 990), Method::kGolombGapsOfComplement);
  std::string direct = "0 0000000001111011111";  // gamma(991)
  std::uint64_t next = 0;
  for (const std::uint64_t index : dense) {
    direct += std::string(static_cast<std::size_t>(index - next), '1') + "0";
    next = index + 1;
  }
  EXPECT_FALSE(RevocationSet::decode(1000, fromBits(direct)).ok());
  expectDecodesTo(1000, makeSet(1000, dense).encode(), dense);
}

TEST(RevocationSet, EveryPossibleTwoByteInputDecodesOnlyToItsCanonicalBytes) {
  for (std::uint64_t issued : {0u, 1u, 5u, 16u, 100u}) {
    for (unsigned value = 0; value < 65536; ++value) {
      for (const Bytes& bytes : {Bytes{static_cast<std::uint8_t>(value >> 8)},
                                 Bytes{static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)}}) {
        auto decoded = RevocationSet::decode(issued, bytes);
        if (decoded.ok()) {
          ASSERT_EQ(decoded.value().encode(), bytes) << "issued " << issued << " value " << value;
        }
      }
    }
  }
}

}  // namespace
}  // namespace titlecert::revocation
