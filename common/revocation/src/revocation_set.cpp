#include "titlecert/revocation_set.h"

#include <algorithm>
#include <bit>

#include "bit_io.h"
#include "golomb_codec.h"

namespace titlecert::revocation {
namespace {

using detail::BitReader;
using detail::BitWriter;

// golombParameter in 16-bit fixed point: ln 2 and the 0.847 that turns
// ln 2 / p into the optimal Golomb parameter for a geometric gap of
// probability p (Gallager and van Voorhis), without floating point so that
// every implementation picks the same parameter.
constexpr std::uint64_t kLn2Fixed = 45426;         // round(ln 2 * 65536)
constexpr std::uint64_t kOffsetFixed = 55509;      // round(0.847 * 65536)
constexpr std::uint64_t kFixedOne = 65536;

// Indices are below kMaxIssued (2^32), so a word index (below 2^26) and
// half of kMaxIssued fit a size_t on 32-bit terminals too.
static_assert(RevocationSet::kMaxIssued / 64 <= SIZE_MAX && RevocationSet::kMaxIssued / 2 <= SIZE_MAX);
std::size_t wordOf(std::uint64_t index) { return static_cast<std::size_t>(index / 64); }
std::size_t wordsFor(std::uint64_t issued) { return static_cast<std::size_t>((issued + 63) / 64); }

bool bitAt(const std::vector<std::uint64_t>& words, std::uint64_t index) {
  return (words[wordOf(index)] >> (63 - index % 64)) & 1;
}

std::vector<std::uint64_t> bitsetOf(std::uint64_t issued, std::span<const std::uint64_t> revoked) {
  std::vector<std::uint64_t> words(wordsFor(issued), 0);
  for (const std::uint64_t index : revoked) words[wordOf(index)] |= std::uint64_t{1} << (63 - index % 64);
  return words;
}

std::vector<std::uint32_t> complementOf(std::uint64_t issued, std::span<const std::uint64_t> revoked) {
  std::vector<std::uint32_t> kept;
  // The complement is coded only when more than half are revoked.
  kept.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(issued - revoked.size(), RevocationSet::kMaxIssued / 2)));
  std::size_t next = 0;
  for (std::uint64_t index = 0; index < issued; ++index) {
    if (next < revoked.size() && revoked[next] == index) {
      ++next;
    } else {
      kept.push_back(static_cast<std::uint32_t>(index));
    }
  }
  return kept;
}

Result<std::vector<std::uint64_t>> readBitset(BitReader& in, std::uint64_t issued, std::uint64_t revoked) {
  if (issued > in.remaining()) return detail::badBytes(Reason::kTruncated);
  std::vector<std::uint64_t> words(wordsFor(issued), 0);
  std::uint64_t population = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto width = static_cast<unsigned>(std::min<std::uint64_t>(64, issued - i * 64));
    words[i] = width == 64 ? in.peek64() : in.read(width) << (64 - width);
    if (width == 64) in.skip(64);
    population += static_cast<std::uint64_t>(std::popcount(words[i]));
  }
  if (population != revoked) return detail::badBytes(Reason::kCountMismatch);
  return words;
}

// The encoder's input comes from the issuer, not from a bundle.
titlecert::Error badIndices(Reason reason) {
  return makeError(Code::INVALID_ARGUMENT, std::string(reasonText(reason)));
}

}  // namespace

namespace detail {
titlecert::Error badBytes(Reason reason) { return makeError(Code::BAD_BUNDLE, std::string(reasonText(reason))); }
}  // namespace detail

std::string_view reasonText(Reason reason) {
  switch (reason) {
    case Reason::kIssuedTooLarge: return "issued count too large";
    case Reason::kTruncated: return "truncated";
    case Reason::kTrailingBytes: return "trailing bytes";
    case Reason::kNonZeroPadding: return "non-zero padding";
    case Reason::kCountTooLarge: return "revoked count too large";
    case Reason::kIndexOutOfRange: return "index out of range";
    case Reason::kCountMismatch: return "bitset population differs from the count";
    case Reason::kNotIncreasing: return "indices not strictly increasing";
    case Reason::kNotCanonical: return "complement flag on an evenly split set";
  }
  return "unknown";
}

std::uint64_t golombParameter(std::uint64_t issued, std::uint64_t coded) {
  const std::uint64_t scaled = kLn2Fixed * issued;
  const std::uint64_t offset = kOffsetFixed * coded;
  if (coded == 0 || scaled <= offset) return 1;
  const std::uint64_t divisor = kFixedOne * coded;
  return std::max<std::uint64_t>(1, (scaled - offset + divisor - 1) / divisor);
}

Method methodFor(std::uint64_t issued, std::uint64_t revoked) {
  if (revoked == 0 || revoked == issued) return Method::kEmpty;
  const std::uint64_t coded = std::min(revoked, issued - revoked);
  if (golombParameter(issued, coded) == 1) return Method::kBitset;
  return coded == revoked ? Method::kGolombGaps : Method::kGolombGapsOfComplement;
}

Result<RevocationSet> RevocationSet::fromIndices(std::uint64_t issued, std::span<const std::uint64_t> revoked) {
  if (issued > kMaxIssued) return badIndices(Reason::kIssuedTooLarge);
  for (std::size_t i = 0; i < revoked.size(); ++i) {
    if (revoked[i] >= issued) return badIndices(Reason::kIndexOutOfRange);
    if (i > 0 && revoked[i] <= revoked[i - 1]) return badIndices(Reason::kNotIncreasing);
  }
  RevocationSet set;
  set.issued_ = issued;
  set.revokedCount_ = revoked.size();
  set.method_ = methodFor(issued, revoked.size());
  switch (set.method_) {
    case Method::kEmpty: break;
    case Method::kBitset: set.bits_ = bitsetOf(issued, revoked); break;
    case Method::kGolombGaps: set.coded_.assign(revoked.begin(), revoked.end()); break;
    case Method::kGolombGapsOfComplement: set.coded_ = complementOf(issued, revoked); break;
  }
  return set;
}

Result<RevocationSet> RevocationSet::decode(std::uint64_t issued, std::span<const std::uint8_t> bytes) {
  if (issued > kMaxIssued) return detail::badBytes(Reason::kIssuedTooLarge);
  BitReader in(bytes);
  // The smaller side is counted; the flag says which side it is.
  const bool complement = in.read(1) == 1;
  auto count = detail::readCount(in);
  if (!count.ok()) return count.error();
  const std::uint64_t coded = count.value();
  if (coded > issued / 2) return detail::badBytes(Reason::kCountTooLarge);
  if (complement && 2 * coded == issued) return detail::badBytes(Reason::kNotCanonical);

  RevocationSet set;
  set.issued_ = issued;
  set.revokedCount_ = complement ? issued - coded : coded;
  set.method_ = methodFor(issued, set.revokedCount_);
  if (set.method_ == Method::kBitset) {
    auto words = readBitset(in, issued, set.revokedCount_);
    if (!words.ok()) return words.error();
    set.bits_ = std::move(words).value();
  } else if (set.method_ != Method::kEmpty) {
    auto indices = detail::readGolombGaps(in, coded, golombParameter(issued, coded), issued);
    if (!indices.ok()) return indices.error();
    set.coded_ = std::move(indices).value();
  }
  // The encoder pads the last byte with zeros and writes nothing after it.
  const std::uint64_t rest = in.remaining();
  if (rest >= 8) return detail::badBytes(Reason::kTrailingBytes);
  if (in.read(static_cast<unsigned>(rest)) != 0) return detail::badBytes(Reason::kNonZeroPadding);
  return set;
}

std::vector<std::uint8_t> RevocationSet::encode() const {
  BitWriter out;
  const bool complement = 2 * revokedCount_ > issued_;
  out.write(complement ? 1 : 0, 1);
  detail::writeGamma(out, (complement ? issued_ - revokedCount_ : revokedCount_) + 1);
  if (method_ == Method::kBitset) {
    for (std::size_t i = 0; i < bits_.size(); ++i) {
      const auto width = static_cast<unsigned>(std::min<std::uint64_t>(64, issued_ - i * 64));
      // The writer takes at most 56 bits at once: the word in two halves.
      const std::uint64_t leading = bits_[i] >> (64 - width);
      if (width > 32) {
        out.write(bits_[i] >> 32, 32);
        out.write(leading, width - 32);
      } else {
        out.write(leading, width);
      }
    }
  } else if (method_ != Method::kEmpty) {
    detail::writeGolombGaps(out, coded_, golombParameter(issued_, coded_.size()));
  }
  return std::move(out).finish();
}

bool RevocationSet::codedContains(std::uint32_t index) const {
  return std::binary_search(coded_.begin(), coded_.end(), index);
}

Status RevocationSet::lookup(std::uint64_t index) const {
  if (index >= issued_) return Status::kOutOfRange;
  bool revoked = false;
  switch (method_) {
    case Method::kEmpty: revoked = revokedCount_ > 0; break;
    case Method::kBitset: revoked = bitAt(bits_, index); break;
    case Method::kGolombGaps: revoked = codedContains(static_cast<std::uint32_t>(index)); break;
    case Method::kGolombGapsOfComplement: revoked = !codedContains(static_cast<std::uint32_t>(index)); break;
  }
  return revoked ? Status::kRevoked : Status::kNotRevoked;
}

std::vector<std::uint64_t> RevocationSet::revokedIndices() const {
  if (method_ == Method::kGolombGaps) return {coded_.begin(), coded_.end()};
  std::vector<std::uint64_t> indices;
  indices.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(revokedCount_, kMaxIssued / 2)));
  for (std::uint64_t index = 0; index < issued_ && indices.size() < revokedCount_; ++index) {
    if (lookup(index) == Status::kRevoked) indices.push_back(index);
  }
  return indices;
}

}  // namespace titlecert::revocation
