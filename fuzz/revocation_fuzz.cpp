// The revocation set decoder on arbitrary bytes: the first two bytes give the
// issued count (big-endian), the rest is the encoding. Whatever decodes must
// re-encode to the same bytes (one encoding per set), and every lookup must
// agree with the decoded list.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "titlecert/revocation_set.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using titlecert::revocation::RevocationSet;
  using titlecert::revocation::Status;
  if (size < 2) return 0;
  const std::uint64_t issued = std::uint64_t{data[0]} << 8 | data[1];
  const std::span<const std::uint8_t> encoding(data + 2, size - 2);
  auto decoded = RevocationSet::decode(issued, encoding);
  if (!decoded.ok()) return 0;
  const RevocationSet& set = decoded.value();
  const std::vector<std::uint8_t> again = set.encode();
  check(std::vector<std::uint8_t>(encoding.begin(), encoding.end()) == again);

  const std::vector<std::uint64_t> revoked = set.revokedIndices();
  check(revoked.size() == set.revokedCount());
  std::size_t next = 0;
  for (std::uint64_t index = 0; index < issued; ++index) {
    const bool listed = next < revoked.size() && revoked[next] == index;
    if (listed) ++next;
    check(set.lookup(index) == (listed ? Status::kRevoked : Status::kNotRevoked));
  }
  check(next == revoked.size());
  check(set.lookup(issued) == Status::kOutOfRange);

  auto rebuilt = RevocationSet::fromIndices(issued, revoked);
  check(rebuilt.ok() && rebuilt.value().encode() == again);
  return 0;
}
