// Reading a tape (cbor_tape.h) in place: the node handle that the field
// readers walk. The tape itself is written by cbor_decode.cpp.
#include <cstring>
#include <limits>

#include "titlecert/cbor_tape.h"

namespace titlecert::cbor {

bool TapeNode::asInt64(std::int64_t& out) const {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const TapeItem& it = item();
  if (it.type == Type::Unsigned && it.arg <= kMax) {
    out = static_cast<std::int64_t>(it.arg);
    return true;
  }
  // -1 - n fits when n <= 2^63 - 1.
  if (it.type == Type::Negative && it.arg <= kMax) {
    out = -1 - static_cast<std::int64_t>(it.arg);
    return true;
  }
  return false;
}

std::vector<std::string> TapeNode::keys() const {
  std::vector<std::string> out;
  forEachEntry([&](const TapeNode& k, const TapeNode&) {
    if (k.isText()) out.emplace_back(k.asText());
    return true;
  });
  return out;
}

}  // namespace titlecert::cbor
