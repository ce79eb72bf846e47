// CBOR (RFC 8949): a general decoder for any well-formed item, the strict
// ZC1 profile on top of it (ZC1.md §3, §6), and a deterministic encoder
// (RFC 8949 §4.2.1 core deterministic encoding).
//
// Why hand-written: Debian's libcbor 0.8 decodes leniently (it accepts
// non-shortest heads and unsorted or duplicate map keys without saying so),
// so the strict profile would have to re-parse the bytes anyway; a small
// decoder that knows the profile is simpler to audit (docs/architecture.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/result.h"

namespace titlecert::cbor {

enum class Type {
  Unsigned,  // major 0: value u
  Negative,  // major 1: the integer -1 - u (covers down to -2^64)
  Bytes,     // major 2 (indefinite-length chunks are joined)
  Text,      // major 3 (UTF-8; chunks joined)
  Array,     // major 4
  Map,       // major 5 (pairs kept in the order they were encoded)
  Tag,       // major 6: tag number u over one item
  Simple,    // major 7 simple values: false 20, true 21, null 22, undefined 23, others
  Float,     // major 7 half/single/double, kept as a double
};

class Value;
using Array = std::vector<Value>;
using Map = std::vector<std::pair<Value, Value>>;

// One CBOR data item. A plain value type: copies are deep.
class Value {
 public:
  Value();  // null
  static Value uint(std::uint64_t u);
  // -1 - n; n in 0..2^64-1
  static Value negative(std::uint64_t n);
  // Any int64: chooses Unsigned or Negative.
  static Value integer(std::int64_t i);
  static Value bytes(Bytes b);
  static Value bytes(ByteView b);
  static Value text(std::string s);
  static Value array(Array items);
  static Value map(Map pairs);
  static Value tag(std::uint64_t tag, Value item);
  static Value simple(std::uint8_t s);
  static Value boolean(bool b);
  static Value null();
  static Value undefined();
  static Value floating(double d);

  Type type() const { return type_; }
  bool isUnsigned() const { return type_ == Type::Unsigned; }
  bool isInteger() const { return type_ == Type::Unsigned || type_ == Type::Negative; }
  bool isBytes() const { return type_ == Type::Bytes; }
  bool isText() const { return type_ == Type::Text; }
  bool isArray() const { return type_ == Type::Array; }
  bool isMap() const { return type_ == Type::Map; }
  bool isTag() const { return type_ == Type::Tag; }
  bool isNull() const { return type_ == Type::Simple && u_ == 22; }
  bool isBool() const { return type_ == Type::Simple && (u_ == 20 || u_ == 21); }

  // Unsigned: the value; Negative: n of -1-n; Tag: tag number; Simple: its number.
  std::uint64_t raw() const { return u_; }
  // Integer value when it fits int64 (false otherwise or when not an integer).
  bool asInt64(std::int64_t& out) const;
  bool asBool() const { return u_ == 21; }
  double asDouble() const { return d_; }
  const Bytes& asBytes() const { return bytes_; }
  const std::string& asText() const { return text_; }
  const Array& asArray() const { return *array_; }
  const Map& asMap() const { return *map_; }
  // Tag content.
  const Value& tagged() const { return (*array_)[0]; }

  // Map lookup by integer or text key; nullptr when absent.
  const Value* find(std::int64_t key) const;
  const Value* find(std::string_view key) const;

  // Structural equality (floats compare by value; NaN equals NaN).
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  Type type_ = Type::Simple;
  std::uint64_t u_ = 22;
  double d_ = 0;
  Bytes bytes_;
  std::string text_;
  std::shared_ptr<Array> array_;  // array items, or the tag's one item
  std::shared_ptr<Map> map_;
};

struct DecodeOptions {
  // Strict = the ZC1 profile of ZC1.md §6: definite lengths only, shortest
  // heads, map keys unique and sorted by their encoded bytes (bytewise
  // lexicographic), map keys only integers or text, no floats, no simple
  // values but false/true/null, text must be valid UTF-8, and at most one
  // tag, at the outermost position (the COSE layer decides whether it is 18).
  bool strict = false;
  std::size_t maxDepth = 64;        // arrays and maps nest; the outermost counts 1
  std::size_t maxBytes = 1 << 20;   // input size
  std::size_t maxItems = 1 << 16;   // array elements + map pairs in total
};

inline DecodeOptions zc1Profile() {
  DecodeOptions o;
  o.strict = true;
  o.maxDepth = 8;
  o.maxBytes = 2048;
  o.maxItems = 1024;
  return o;
}

// Decodes exactly one item that must span the whole input (trailing bytes
// are an error). Every failure is Code::BAD_CBOR with a detail that says why
// and where (byte offset).
Result<Value> decode(ByteView input, const DecodeOptions& options = {});

// Deterministic encoding: shortest heads, definite lengths, map keys sorted
// by their encoded bytes, floats in the shortest of half/single/double that
// keeps the value exactly (NaN as f97e00).
Bytes encode(const Value& value);

// RFC 8949 §8 diagnostic notation (for tests, logs and tools).
std::string diagnostic(const Value& value);

// Low-level writer for hand-built deterministic items: the caller writes map
// keys in sorted order (encode(Value) does the sorting for you).
class Writer {
 public:
  void uint(std::uint64_t u);
  void integer(std::int64_t i);
  void bytes(ByteView b);
  void text(std::string_view s);
  void arrayHeader(std::uint64_t count);
  void mapHeader(std::uint64_t count);
  void tag(std::uint64_t tag);
  void simple(std::uint8_t s);
  void raw(ByteView encodedItem);
  const Bytes& data() const { return out_; }
  Bytes take() { return std::move(out_); }

 private:
  void head(std::uint8_t major, std::uint64_t arg);
  Bytes out_;
};

}  // namespace titlecert::cbor
