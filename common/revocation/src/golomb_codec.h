// Golomb codes of the gaps between increasing indices, and the Elias gamma
// code of the count (docs/revocation.md has the exact layout).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bit_io.h"
#include "titlecert/revocation_set.h"

namespace titlecert::revocation::detail {

// The BAD_BUNDLE error for bytes refused for `reason`.
titlecert::Error badBytes(Reason reason);

void writeGamma(BitWriter& out, std::uint64_t value);  // value >= 1, < 2^33
// A count stored as gamma(count + 1); at most 2^32.
Result<std::uint64_t> readCount(BitReader& in);

void writeGolombGaps(BitWriter& out, std::span<const std::uint32_t> indices, std::uint64_t parameter);
// Exactly `count` increasing indices < issued.
Result<std::vector<std::uint32_t>> readGolombGaps(BitReader& in, std::uint64_t count, std::uint64_t parameter,
                                                  std::uint64_t issued);

}  // namespace titlecert::revocation::detail
