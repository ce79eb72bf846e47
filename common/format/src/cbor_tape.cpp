// Reading a tape (cbor_tape.h) in place: the node handle that the field
// readers walk. The tape itself is written by cbor_decode.cpp.
#include <cstring>
#include <limits>

#include "titlecert/cbor_tape.h"

namespace titlecert::cbor {

// Empty for any other type, as Value's accessors are.
std::string_view TapeNode::asText() const {
  const TapeItem& it = item();
  if (it.type != Type::Text || it.ai == 31) return {};
  return {reinterpret_cast<const char*>(tape_->input().data() + it.offset), static_cast<std::size_t>(it.arg)};
}

ByteView TapeNode::asBytes() const {
  const TapeItem& it = item();
  if (it.type != Type::Bytes || it.ai == 31) return {};
  return tape_->input().subspan(it.offset, static_cast<std::size_t>(it.arg));
}

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

TapeNode TapeNode::item(std::size_t i) const {
  if (cursorIndex_ == 0 || i < cursorPos_) {
    cursorPos_ = 0;
    cursorIndex_ = index_ + 1;
  }
  while (cursorPos_ < i) {
    cursorIndex_ = (*tape_)[cursorIndex_].next;
    ++cursorPos_;
  }
  return TapeNode(*tape_, cursorIndex_);
}

std::vector<std::string> TapeNode::keys() const {
  std::vector<std::string> out;
  forEachEntry([&](const TapeNode& k, const TapeNode&) {
    if (k.isText()) out.emplace_back(k.asText());
    return true;
  });
  return out;
}

std::optional<TapeNode> TapeNode::find(std::string_view key) const {
  std::optional<TapeNode> found;
  forEachEntry([&](const TapeNode& k, const TapeNode& v) {
    if (k.isText() && k.asText() == key) found = v;
    return !found;
  });
  return found;
}

}  // namespace titlecert::cbor
