// An exact, compact set of revoked status indices among `issued` indices
// (0..issued-1), and its canonical byte encoding (docs/revocation.md).
//
// The number of issued indices is not part of the encoding: the caller stores
// it beside the bytes and passes it to decode(). Decoding checks untrusted
// bytes strictly: one encoding per set, every length bounded by the input,
// errors returned as titlecert::Error values: BAD_BUNDLE from decode() (the
// bytes come from a bundle), INVALID_ARGUMENT from fromIndices(); the detail
// is reasonText() of the Reason. Nothing here throws except std::bad_alloc.
//
// A RevocationSet is immutable once made; const member functions may be
// called from several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "titlecert/result.h"

namespace titlecert::revocation {

// Why bytes or indices were refused. Numbers are stable: only append.
enum class Reason : std::uint8_t {
  kIssuedTooLarge = 1,    // issued > kMaxIssued
  kTruncated = 2,         // the bytes end inside a code
  kTrailingBytes = 3,     // whole bytes after the last code
  kNonZeroPadding = 4,    // the bits after the last code in its byte are not 0
  kCountTooLarge = 5,     // the revoked count exceeds issued (or the count code is too long)
  kIndexOutOfRange = 6,   // a gap leads to an index >= issued
  kCountMismatch = 7,     // a bitset whose population differs from the stated count
  kNotIncreasing = 8,     // encoder input: indices not strictly increasing
  kNotCanonical = 9,      // the complement flag set where the encoder clears it
};

// The detail of the Error that carries `reason` ("truncated").
std::string_view reasonText(Reason reason);

enum class Status : std::uint8_t { kNotRevoked, kRevoked, kOutOfRange };

// How the payload is coded; a function of (issued, revoked count) only.
enum class Method : std::uint8_t { kEmpty, kGolombGaps, kGolombGapsOfComplement, kBitset };

class RevocationSet {
 public:
  // The empty set among no indices.
  RevocationSet() = default;

  // Indices are 32-bit inside; a bundle with more issued indices than this
  // needs a new format anyway.
  static constexpr std::uint64_t kMaxIssued = std::uint64_t{1} << 32;

  // `revoked` must be strictly increasing and every index < issued.
  [[nodiscard]] static Result<RevocationSet> fromIndices(std::uint64_t issued, std::span<const std::uint64_t> revoked);
  [[nodiscard]] static Result<RevocationSet> decode(std::uint64_t issued, std::span<const std::uint8_t> bytes);

  std::vector<std::uint8_t> encode() const;

  // O(1) for a bitset, O(log R) otherwise.
  Status lookup(std::uint64_t index) const;

  std::uint64_t issued() const { return issued_; }
  std::uint64_t revokedCount() const { return revokedCount_; }
  Method method() const { return method_; }
  // All R revoked indices, increasing: R * 8 bytes and O(N) time unless the
  // revoked side is the coded one. For the issuer and tests, not a terminal.
  std::vector<std::uint64_t> revokedIndices() const;

 private:
  bool codedContains(std::uint32_t index) const;

  std::uint64_t issued_ = 0;
  std::uint64_t revokedCount_ = 0;
  Method method_ = Method::kEmpty;
  // kGolombGaps*: the coded indices (the revoked ones, or the not revoked
  // ones for the complement), increasing. kBitset: bit i of word i/64.
  std::vector<std::uint32_t> coded_;
  std::vector<std::uint64_t> bits_;
};

// The method and Golomb parameter the encoder uses for a set of `revoked`
// among `issued`; exposed for tests and the bench.
Method methodFor(std::uint64_t issued, std::uint64_t revoked);
std::uint64_t golombParameter(std::uint64_t issued, std::uint64_t coded);

}  // namespace titlecert::revocation
