// A decoded CBOR item as a flat "tape": one vector of items in input order,
// strings and byte strings as views into the input. It is what the decoder
// produces (cbor::decode builds its Value tree from a tape), so the strict
// profile's checks and their error texts live in one place; a reader that
// only looks at the data (a bundle's payload) uses the tape directly and
// allocates nothing per item.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/cbor.h"
#include "titlecert/result.h"

namespace titlecert::cbor {

// One item. Its children (array elements; map keys and values alternating;
// a tag's item; an indefinite string's chunks) follow it directly, and
// `next` is the index just past its whole subtree, so siblings are reached
// without walking into each other.
struct TapeItem {
  // Unsigned: the value; Negative: n of -1-n; Bytes/Text: the length in
  // bytes (joined, for chunked strings); Array: elements; Map: pairs; Tag:
  // the tag number; Simple: its number; Float: the raw bits.
  std::uint64_t arg = 0;
  // Bytes/Text: where the content starts (definite strings only).
  std::size_t offset = 0;
  std::uint32_t next = 0;
  Type type = Type::Simple;
  // The head's additional information: 31 for indefinite lengths, 25..27
  // for the width of a float.
  std::uint8_t ai = 0;
};

class Tape {
 public:
  Tape(ByteView input, std::vector<TapeItem> items, bool strict)
      : input_(input), items_(std::move(items)), strict_(strict) {}
  ByteView input() const { return input_; }
  // Decoded in the strict profile: text is valid UTF-8, and map keys are
  // unique and sorted by their encodings.
  bool strict() const { return strict_; }
  const std::vector<TapeItem>& items() const { return items_; }
  const TapeItem& operator[](std::size_t i) const { return items_[i]; }

 private:
  ByteView input_;  // must outlive the tape
  std::vector<TapeItem> items_;
  bool strict_;
};

// Decodes exactly one item spanning the whole input with the checks and
// error texts of cbor::decode (the same options, the same BAD_CBOR details
// with byte offsets). The tape refers to `input`, which must outlive it.
Result<Tape> decodeTape(ByteView input, const DecodeOptions& options = {});
// A tape of a temporary would point at freed bytes.
Result<Tape> decodeTape(Bytes&& input, const DecodeOptions& options = {}) = delete;

// The Value of the item at `index` (deep: strings are copied, chunks joined).
Value toValue(const Tape& tape, std::size_t index = 0);

// An item of a tape seen as a node of titlecert/field_reader.h: a cheap
// handle to a tape that must outlive it. Text is a view into the input.
class TapeNode {
 public:
  explicit TapeNode(const Tape& tape, std::size_t index = 0)
      : tape_(&tape), index_(static_cast<std::uint32_t>(index)) {}

  bool isMap() const { return item().type == Type::Map; }
  bool isArray() const { return item().type == Type::Array; }
  bool isNull() const { return item().type == Type::Simple && item().arg == 22; }
  bool isUint() const { return item().type == Type::Unsigned; }
  std::uint64_t asUint() const { return item().arg; }
  bool isText() const { return item().type == Type::Text; }
  // Views into the input; empty for another type. A chunked string (only a
  // lenient profile admits them) has no single view and reads as empty too:
  // readers of lenient tapes go through toValue.
  std::string_view asText() const {
    const TapeItem& it = item();
    if (it.type != Type::Text || it.ai == 31) return {};
    return {reinterpret_cast<const char*>(tape_->input().data() + it.offset), static_cast<std::size_t>(it.arg)};
  }
  // The strict profile checked every text's UTF-8 while decoding, so a
  // reader need not check it again.
  bool textIsCheckedUtf8() const { return tape_->strict(); }
  bool isBytes() const { return item().type == Type::Bytes; }
  ByteView asBytes() const {
    const TapeItem& it = item();
    if (it.type != Type::Bytes || it.ai == 31) return {};
    return tape_->input().subspan(it.offset, static_cast<std::size_t>(it.arg));
  }
  bool isBool() const { return item().type == Type::Simple && (item().arg == 20 || item().arg == 21); }
  bool asBool() const { return item().arg == 21; }
  // Integer value when it fits int64 (false otherwise or when not an integer).
  bool asInt64(std::int64_t& out) const;
  // Elements of an array, pairs of a map.
  std::size_t size() const { return static_cast<std::size_t>(item().arg); }
  // The i-th element of an array. Walking forward from the last element
  // asked for is cheap, so reading a list in order costs one step an item.
  TapeNode item(std::size_t i) const {
    if (cursorIndex_ == 0 || i < cursorPos_) {
      cursorPos_ = 0;
      cursorIndex_ = index_ + 1;
    }
    for (; cursorPos_ < i; ++cursorPos_) cursorIndex_ = (*tape_)[cursorIndex_].next;
    return TapeNode(*tape_, cursorIndex_);
  }
  // A map's text keys, in map order (keys of other types are not fields).
  std::vector<std::string> keys() const;
  // The value of a text key; nullopt when absent. In a strict map the keys
  // are sorted by their encodings (integers before text, shorter text
  // before longer, then bytewise), so the search stops at the first key
  // past the one sought.
  std::optional<TapeNode> find(std::string_view key) const {
    const TapeItem* items = tape_->items().data();
    const char* base = reinterpret_cast<const char*>(tape_->input().data());
    const bool sorted = tape_->strict();
    if (item().type != Type::Map) return std::nullopt;
    std::size_t k = index_ + 1;
    for (std::uint64_t p = 0; p < item().arg; ++p) {
      const TapeItem& ki = items[k];
      const std::size_t v = ki.next;
      if (ki.type == Type::Text && ki.ai != 31) {
        const int cmp = ki.arg != key.size() ? (ki.arg < key.size() ? -1 : 1)
                                             : std::string_view(base + ki.offset, key.size()).compare(key);
        if (cmp == 0) return TapeNode(*tape_, v);
        if (cmp > 0 && sorted) return std::nullopt;
      }
      k = items[v].next;
    }
    return std::nullopt;
  }
  // Calls f(key, value) for each pair of a map in order until it returns false.
  template <class F>
  void forEachEntry(F f) const {
    if (item().type != Type::Map) return;
    std::size_t k = index_ + 1;
    for (std::uint64_t p = 0; p < item().arg; ++p) {
      const std::size_t v = (*tape_)[k].next;
      if (!f(TapeNode(*tape_, k), TapeNode(*tape_, v))) return;
      k = (*tape_)[v].next;
    }
  }
  const Tape& tape() const { return *tape_; }
  std::size_t index() const { return index_; }

 private:
  const TapeItem& item() const { return (*tape_)[index_]; }

  const Tape* tape_;
  std::uint32_t index_;
  // The last element reached by item(i): its position and tape index.
  mutable std::uint32_t cursorPos_ = 0;
  mutable std::uint32_t cursorIndex_ = 0;
};

}  // namespace titlecert::cbor
