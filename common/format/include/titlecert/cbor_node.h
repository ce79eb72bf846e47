// A cbor::Value seen as a node of titlecert/field_reader.h: a cheap handle
// (one pointer) to a value that must outlive it. cbor::TapeNode
// (cbor_tape.h) offers the same calls over a decoded tape, so a reader
// written over either works on both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "titlecert/cbor.h"

namespace titlecert::cbor {

class Node {
 public:
  explicit Node(const Value& v) : v_(&v) {}
  bool isMap() const { return v_->isMap(); }
  bool isArray() const { return v_->isArray(); }
  bool isNull() const { return v_->isNull(); }
  bool isUint() const { return v_->isUnsigned(); }
  std::uint64_t asUint() const { return v_->raw(); }
  bool isText() const { return v_->isText(); }
  const std::string& asText() const { return v_->asText(); }
  bool isBytes() const { return v_->isBytes(); }
  ByteView asBytes() const { return v_->asBytes(); }
  bool asInt64(std::int64_t& out) const { return v_->asInt64(out); }
  bool isBool() const { return v_->isBool(); }
  bool asBool() const { return v_->asBool(); }
  std::size_t size() const { return v_->isArray() ? v_->asArray().size() : v_->asMap().size(); }
  Node item(std::size_t i) const { return Node(v_->asArray()[i]); }
  // A map's text keys, in map order (keys of other types are not fields).
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : v_->asMap())
      if (k.isText()) out.push_back(k.asText());
    return out;
  }
  std::optional<Node> find(std::string_view key) const {
    const Value* m = v_->find(key);
    if (!m) return std::nullopt;
    return Node(*m);
  }
  // Calls f(key, value) for each pair of a map in order until it returns false.
  template <class F>
  void forEachEntry(F f) const {
    for (const auto& [k, v] : v_->asMap())
      if (!f(Node(k), Node(v))) return;
  }
  const Value& value() const { return *v_; }

 private:
  const Value* v_;
};

}  // namespace titlecert::cbor
