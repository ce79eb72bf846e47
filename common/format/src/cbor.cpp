// CBOR (RFC 8949) values: construction, lookups and equality. The decoder
// (cbor_decode.cpp), the encoder (cbor_encode.cpp) and diagnostic notation
// (cbor_diagnostic.cpp) work on these.
#include "titlecert/cbor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace titlecert::cbor {

// ---------------------------------------------------------------- Value ---

Value::Value() = default;

Value Value::uint(std::uint64_t u) {
  Value v;
  v.type_ = Type::Unsigned;
  v.u_ = u;
  return v;
}

Value Value::negative(std::uint64_t n) {
  Value v;
  v.type_ = Type::Negative;
  v.u_ = n;
  return v;
}

Value Value::integer(std::int64_t i) {
  // -1 - i is computed in signed arithmetic, where it cannot overflow for a
  // negative i (the most negative int64 gives INT64_MAX).
  return i >= 0 ? uint(static_cast<std::uint64_t>(i)) : negative(static_cast<std::uint64_t>(-1 - i));
}

Value Value::bytes(Bytes b) {
  Value v;
  v.type_ = Type::Bytes;
  v.bytes_ = std::move(b);
  return v;
}

Value Value::bytes(ByteView b) { return bytes(Bytes(b.begin(), b.end())); }

Value Value::text(std::string s) {
  Value v;
  v.type_ = Type::Text;
  v.text_ = std::move(s);
  return v;
}

Value Value::array(Array items) {
  Value v;
  v.type_ = Type::Array;
  v.u_ = 0;
  v.array_ = std::make_shared<Array>(std::move(items));
  return v;
}

Value Value::map(Map pairs) {
  Value v;
  v.type_ = Type::Map;
  v.u_ = 0;
  v.map_ = std::make_shared<Map>(std::move(pairs));
  return v;
}

Value Value::tag(std::uint64_t tag, Value item) {
  Value v;
  v.type_ = Type::Tag;
  v.u_ = tag;
  v.array_ = std::make_shared<Array>();
  v.array_->push_back(std::move(item));
  return v;
}

Value Value::simple(std::uint8_t s) {
  Value v;  // type_ is already Simple
  v.u_ = s;
  return v;
}

Value Value::boolean(bool b) { return simple(b ? 21 : 20); }
Value Value::null() { return simple(22); }
Value Value::undefined() { return simple(23); }

Value Value::floating(double d) {
  Value v;
  v.type_ = Type::Float;
  v.u_ = 0;
  v.d_ = d;
  return v;
}

bool Value::asInt64(std::int64_t& out) const {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (type_ == Type::Unsigned && u_ <= kMax) {
    out = static_cast<std::int64_t>(u_);
    return true;
  }
  if (type_ == Type::Negative && u_ <= kMax) {
    out = -1 - static_cast<std::int64_t>(u_);
    return true;
  }
  return false;
}

const Value* Value::find(std::int64_t key) const {
  if (type_ != Type::Map) return nullptr;
  for (const auto& [k, v] : *map_) {
    std::int64_t i = 0;
    if (k.asInt64(i) && i == key) return &v;
  }
  return nullptr;
}

const Value* Value::find(std::string_view key) const {
  if (type_ != Type::Map) return nullptr;
  for (const auto& [k, v] : *map_)
    if (k.type_ == Type::Text && k.text_ == key) return &v;
  return nullptr;
}

namespace {

template <class T>
int compare3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int compareValues(const Value& a, const Value& b);

// A total order on values whose equivalence is exactly operator==: it lets
// maps written in different orders be compared in O(n log n) (sort both,
// then walk) instead of matching every pair against every other, which an
// attacker-sized map would turn into a denial of service.
int comparePairs(const Map::value_type& a, const Map::value_type& b) {
  const int c = compareValues(a.first, b.first);
  return c != 0 ? c : compareValues(a.second, b.second);
}

std::vector<const Map::value_type*> sortedPairs(const Map& m) {
  std::vector<const Map::value_type*> out;
  out.reserve(m.size());
  for (const auto& p : m) out.push_back(&p);
  std::sort(out.begin(), out.end(), [](const auto* x, const auto* y) { return comparePairs(*x, *y) < 0; });
  return out;
}

// Maps are unordered collections of pairs, duplicates counted.
int compareMaps(const Map& a, const Map& b) {
  if (a.size() != b.size()) return compare3(a.size(), b.size());
  const auto sa = sortedPairs(a), sb = sortedPairs(b);
  for (std::size_t i = 0; i < sa.size(); ++i)
    if (const int c = comparePairs(*sa[i], *sb[i]); c != 0) return c;
  return 0;
}

// By value (so 0.0 and -0.0 are equal); every NaN equals every NaN and
// sorts after all numbers.
int compareFloats(double x, double y) {
  const bool nx = std::isnan(x), ny = std::isnan(y);
  if (nx || ny) return compare3(nx, ny);
  return compare3(x, y);
}

// A loop rather than memcmp: an empty vector's data() may be null, which
// memcmp must not be given even with a zero length.
template <class Seq>
int compareSequences(const Seq& a, const Seq& b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return compare3(a[i], b[i]);
  return compare3(a.size(), b.size());
}

int compareValues(const Value& a, const Value& b) {
  if (a.type() != b.type()) return compare3(static_cast<int>(a.type()), static_cast<int>(b.type()));
  switch (a.type()) {
    case Type::Unsigned:
    case Type::Negative:
    case Type::Simple:
      return compare3(a.raw(), b.raw());
    case Type::Float:
      return compareFloats(a.asDouble(), b.asDouble());
    case Type::Bytes:
      return compareSequences(a.asBytes(), b.asBytes());
    case Type::Text:
      return compareSequences(a.asText(), b.asText());
    case Type::Array: {
      const Array &x = a.asArray(), &y = b.asArray();
      for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
        if (const int c = compareValues(x[i], y[i]); c != 0) return c;
      return compare3(x.size(), y.size());
    }
    case Type::Map:
      return compareMaps(a.asMap(), b.asMap());
    case Type::Tag:
      if (a.raw() != b.raw()) return compare3(a.raw(), b.raw());
      return compareValues(a.tagged(), b.tagged());
  }
  return 0;
}

// The common case, pairs in the same order (decode(encode(x)) of a map built
// in key order), is checked pair by pair before falling back to sorting.
bool mapsEqual(const Map& a, const Map& b) {
  if (a.size() != b.size()) return false;
  if (std::equal(a.begin(), a.end(), b.begin())) return true;
  return compareMaps(a, b) == 0;
}

}  // namespace

bool operator==(const Value& a, const Value& b) {
  if (a.type_ != b.type_) return false;
  switch (a.type_) {
    case Type::Unsigned:
    case Type::Negative:
    case Type::Simple:
      return a.u_ == b.u_;
    case Type::Float:
      return a.d_ == b.d_ || (std::isnan(a.d_) && std::isnan(b.d_));
    case Type::Bytes:
      return a.bytes_ == b.bytes_;
    case Type::Text:
      return a.text_ == b.text_;
    case Type::Array:
      return *a.array_ == *b.array_;
    case Type::Map:
      return mapsEqual(*a.map_, *b.map_);
    case Type::Tag:
      return a.u_ == b.u_ && a.tagged() == b.tagged();
  }
  return false;
}

}  // namespace titlecert::cbor
