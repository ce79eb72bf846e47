// CBOR (RFC 8949): Value, a bounded recursive-descent decoder with the strict
// ZC1 profile (ZC1.md §3, §6) layered on the same pass, the deterministic
// encoder (RFC 8949 §4.2.1) and diagnostic notation (RFC 8949 §8).
//
// Safety on untrusted input (this file is fuzzed under ASan/UBSan):
//  * recursion is bounded: arrays and maps by maxDepth, tags by a separate
//    count that is also held to maxDepth (a chain of tags c6 c6 c6 ... would
//    otherwise recurse once per input byte), and both by kHardNestingLimit
//    whatever the caller passes, so the stack stays small;
//  * no allocation is sized by an untrusted length before that length has
//    been checked against the bytes that remain (a string needs its length in
//    bytes, an array element at least one byte, a map pair at least two);
//  * all arithmetic on lengths is written as "x > remaining" comparisons that
//    cannot overflow.
#include "titlecert/cbor.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

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

// --------------------------------------------------------------- floats ---

namespace {

double halfToDouble(std::uint16_t h) {
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  double v;
  if (exponent == 0)
    v = std::ldexp(mantissa, -24);  // zero or subnormal
  else if (exponent == 31)
    v = mantissa == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  else
    v = std::ldexp(mantissa + 1024, exponent - 25);
  return (h & 0x8000) ? -v : v;
}

// The half-precision bits of d when d is exactly representable as a half
// (NaN excluded: the caller writes the canonical NaN itself).
bool halfExact(double d, std::uint16_t& out) {
  const std::uint16_t sign = std::signbit(d) ? 0x8000 : 0;
  const double a = std::fabs(d);
  if (a == 0) {
    out = sign;
    return true;
  }
  if (std::isinf(a)) {
    out = static_cast<std::uint16_t>(sign | 0x7c00);
    return true;
  }
  if (a > 65504.0) return false;
  if (a < 0x1p-14) {  // half subnormal: a = m * 2^-24 with m in 1..1023
    const double m = std::ldexp(a, 24);
    if (m != std::floor(m)) return false;
    out = static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(m));
    return true;
  }
  int e = 0;
  const double m = std::ldexp(std::frexp(a, &e), 11);  // in [1024, 2048)
  if (m != std::floor(m)) return false;
  // a = m * 2^(e-11) = (m/1024) * 2^(e-1), biased exponent e-1+15 in 1..30.
  out = static_cast<std::uint16_t>(sign | (e + 14) << 10 | (static_cast<int>(m) - 1024));
  return true;
}

// Float32 holds d exactly. The range check comes first because converting a
// finite double outside float's range is undefined behaviour.
bool singleExact(double d) {
  if (std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max())) return false;
  return static_cast<double>(static_cast<float>(d)) == d;
}

void appendBigEndian(Bytes& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// Shortest of half/single/double that keeps the value (RFC 8949 §4.2.1,
// preferred serialization), NaN as the canonical f97e00.
void appendFloat(Bytes& out, double d) {
  std::uint16_t half = 0;
  if (std::isnan(d)) {
    out.insert(out.end(), {0xf9, 0x7e, 0x00});
  } else if (halfExact(d, half)) {
    out.push_back(0xf9);
    appendBigEndian(out, half, 2);
  } else if (singleExact(d)) {
    const float f = static_cast<float>(d);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    out.push_back(0xfa);
    appendBigEndian(out, bits, 4);
  } else {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    out.push_back(0xfb);
    appendBigEndian(out, bits, 8);
  }
}

// -------------------------------------------------------------- decoder ---

// Even a caller that asks for more cannot make the decoder recurse deeper
// than this (arrays/maps and tags each); it keeps the stack well under 1 MiB
// also in sanitizer builds.
constexpr std::size_t kHardNestingLimit = 512;

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
// above U+10FFFF. Returns the offset of the first bad byte, or n.
std::size_t firstInvalidUtf8(const std::uint8_t* s, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp, min;
    if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1fu, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0fu, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07u, min = 0x10000;
    } else {
      return i;
    }
    if (n - i < len) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return i;
      cp = cp << 6 | (s[i + k] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return n;
}

struct Head {
  std::uint8_t major = 0;
  std::uint8_t ai = 0;     // additional information (low 5 bits)
  std::uint64_t arg = 0;   // argument; 0 for ai 31 (indefinite / break)
  std::size_t offset = 0;  // of the initial byte
};

// One decode call. Parse functions return the item they read (constructed
// in place, no temporaries to assign); after the first error, recorded by
// fail(), they return a placeholder and every caller unwinds at once, so the
// partial Value is discarded.
class Decoder {
 public:
  Decoder(ByteView in, const DecodeOptions& options)
      : p_(in.data()),
        n_(in.size()),
        strict_(options.strict),
        maxDepth_(std::min(options.maxDepth, kHardNestingLimit)),
        maxItems_(options.maxItems),
        maxBytes_(options.maxBytes) {}

  Result<Value> run() {
    if (n_ > maxBytes_) {
      fail("input of " + std::to_string(n_) + " bytes exceeds the limit of " + std::to_string(maxBytes_), 0);
      return makeError(Code::BAD_CBOR, std::move(error_));
    }
    Value v = item();
    if (failed_) return makeError(Code::BAD_CBOR, std::move(error_));
    if (pos_ != n_) {
      fail("trailing bytes after the item", pos_);
      return makeError(Code::BAD_CBOR, std::move(error_));
    }
    return v;
  }

 private:
  // Records the first error only: an inner failure is the one to report.
  bool fail(std::string_view what, std::size_t offset) {
    if (failed_) return false;
    failed_ = true;
    error_ = "CBOR: ";
    error_ += what;
    error_ += " at offset ";
    error_ += std::to_string(offset);
    return false;
  }
  Value failed(std::string_view what, std::size_t offset) {
    fail(what, offset);
    return {};
  }

  std::size_t remaining() const { return n_ - pos_; }

  static bool shortest(const Head& h) {
    switch (h.ai) {
      case 24: return h.arg >= 24;
      case 25: return h.arg > 0xff;
      case 26: return h.arg > 0xffff;
      case 27: return h.arg > 0xffffffffu;
      default: return true;
    }
  }

  // Initial byte plus 0, 1, 2, 4 or 8 argument bytes. Rejects the reserved
  // ai 28..30 (any major) and, in strict mode, arguments not in shortest
  // form; major 7 is exempt there because its long forms are floats or
  // two-byte simple values, which the strict profile rejects by type.
  bool readHead(Head& h) {
    if (pos_ >= n_) return fail("end of input where an item was expected", pos_);
    h.offset = pos_;
    const std::uint8_t ib = p_[pos_++];
    h.major = static_cast<std::uint8_t>(ib >> 5);
    h.ai = static_cast<std::uint8_t>(ib & 0x1f);
    h.arg = 0;
    if (h.ai < 24) {
      h.arg = h.ai;
      return true;
    }
    if (h.ai == 31) return true;
    if (h.ai > 27) return fail("reserved additional information value " + std::to_string(h.ai), h.offset);
    const std::size_t len = std::size_t{1} << (h.ai - 24);
    if (remaining() < len) return fail("end of input inside an item head", h.offset);
    for (std::size_t i = 0; i < len; ++i) h.arg = h.arg << 8 | p_[pos_++];
    if (strict_ && h.major != 7 && !shortest(h))
      return fail("integer or length not in shortest form", h.offset);
    return true;
  }

  Value item() {
    Head h;
    if (!readHead(h)) return {};
    switch (h.major) {
      case 0:
      case 1:
        if (h.ai == 31) return failed("indefinite-length marker on an integer", h.offset);
        return h.major == 0 ? Value::uint(h.arg) : Value::negative(h.arg);
      case 2:
      case 3:
        return h.ai == 31 ? indefiniteString(h) : definiteString(h);
      case 4:
        return array(h);
      case 5:
        return map(h);
      case 6:
        return tag(h);
      default:
        return simpleOrFloat(h);
    }
  }

  bool checkText(const std::uint8_t* s, std::size_t len, std::size_t offset) {
    if (!strict_) return true;
    const std::size_t bad = firstInvalidUtf8(s, len);
    return bad == len || fail("text string that is not valid UTF-8", offset + bad);
  }

  Value definiteString(const Head& h) {
    if (h.arg > remaining()) return failed("string length beyond the end of input", h.offset);
    const auto len = static_cast<std::size_t>(h.arg);
    const std::uint8_t* s = p_ + pos_;
    if (h.major == 3 && !checkText(s, len, pos_)) return {};
    pos_ += len;
    if (h.major == 2) return Value::bytes(ByteView(s, len));
    return Value::text(std::string(reinterpret_cast<const char*>(s), len));
  }

  // Chunks must be definite-length strings of the same major type; they are
  // joined, so the Value does not remember the chunking.
  Value indefiniteString(const Head& h) {
    if (strict_) return failed("indefinite-length string", h.offset);
    std::string joined;
    for (;;) {
      if (pos_ >= n_) return failed("end of input inside an indefinite-length string", h.offset);
      if (p_[pos_] == 0xff) break;
      Head c;
      if (!readHead(c)) return {};
      if (c.major != h.major || c.ai == 31)
        return failed("chunk of an indefinite-length string that is not a definite string of its type", c.offset);
      if (c.arg > remaining()) return failed("string length beyond the end of input", c.offset);
      joined.append(reinterpret_cast<const char*>(p_ + pos_), static_cast<std::size_t>(c.arg));
      pos_ += static_cast<std::size_t>(c.arg);
    }
    ++pos_;  // the break
    if (h.major == 2) return Value::bytes(asBytes(joined));
    return Value::text(std::move(joined));
  }

  bool enter(const Head& h) {
    if (depth_ >= maxDepth_)
      return fail("arrays and maps nested deeper than " + std::to_string(maxDepth_), h.offset);
    ++depth_;
    return true;
  }

  bool countItems(std::uint64_t count, std::size_t offset) {
    if (count > maxItems_ - items_)
      return fail("more than " + std::to_string(maxItems_) + " array elements and map pairs", offset);
    items_ += static_cast<std::size_t>(count);
    return true;
  }

  Value array(const Head& h) {
    if (h.ai == 31 && strict_) return failed("indefinite-length array", h.offset);
    if (!enter(h)) return {};
    Array items;
    if (h.ai == 31) {
      for (;;) {
        if (pos_ >= n_) return failed("end of input inside an indefinite-length array", h.offset);
        if (p_[pos_] == 0xff) break;
        if (!countItems(1, pos_)) return {};
        items.push_back(item());
        if (failed_) return {};
      }
      ++pos_;  // the break
    } else {
      // Every element takes at least one byte: this bounds the reserve.
      if (h.arg > remaining()) return failed("array count beyond the end of input", h.offset);
      if (!countItems(h.arg, h.offset)) return {};
      items.reserve(static_cast<std::size_t>(h.arg));
      for (std::uint64_t i = 0; i < h.arg; ++i) {
        items.push_back(item());
        if (failed_) return {};
      }
    }
    --depth_;
    return Value::array(std::move(items));
  }

  // Bytewise order of two encoded keys in the input; most keys are one to a
  // few bytes, so the loop beats a call to memcmp.
  int compareKeys(std::size_t aStart, std::size_t aEnd, std::size_t bStart, std::size_t bEnd) const {
    const std::size_t aLen = aEnd - aStart, bLen = bEnd - bStart, n = std::min(aLen, bLen);
    for (std::size_t i = 0; i < n; ++i)
      if (p_[aStart + i] != p_[bStart + i]) return p_[aStart + i] < p_[bStart + i] ? -1 : 1;
    return aLen < bLen ? -1 : (aLen > bLen ? 1 : 0);
  }

  // Strict profile on one key: integer or text, and strictly after the
  // previous key in bytewise order of the encodings. Because strict mode
  // only accepts shortest forms, the input bytes of a key are its
  // deterministic encoding and can be compared in place. prevEnd 0 means
  // "no previous key" (no key can end at offset 0).
  bool checkKey(const Value& key, std::size_t start, std::size_t end, std::size_t& prevStart,
                std::size_t& prevEnd) {
    if (!key.isInteger() && !key.isText()) return fail("map key that is not an integer or text string", start);
    if (prevEnd != 0) {
      const int cmp = compareKeys(prevStart, prevEnd, start, end);
      if (cmp == 0) return fail("duplicate map key", start);
      if (cmp > 0) return fail("map keys not sorted by their encoded bytes", start);
    }
    prevStart = start;
    prevEnd = end;
    return true;
  }

  // One key/value pair appended to pairs; prev* track the previous key for
  // the strict ordering check.
  bool pair(Map& pairs, std::size_t& prevStart, std::size_t& prevEnd, bool indefinite) {
    const std::size_t keyStart = pos_;
    Value key = item();
    if (failed_) return false;
    if (strict_ && !checkKey(key, keyStart, pos_, prevStart, prevEnd)) return false;
    if (indefinite && pos_ < n_ && p_[pos_] == 0xff) return fail("break in place of a map value", pos_);
    pairs.emplace_back(std::move(key), item());
    return !failed_;
  }

  Value map(const Head& h) {
    if (h.ai == 31 && strict_) return failed("indefinite-length map", h.offset);
    if (!enter(h)) return {};
    Map pairs;
    std::size_t prevStart = 0, prevEnd = 0;
    if (h.ai == 31) {
      for (;;) {
        if (pos_ >= n_) return failed("end of input inside an indefinite-length map", h.offset);
        if (p_[pos_] == 0xff) break;
        if (!countItems(1, pos_)) return {};
        if (!pair(pairs, prevStart, prevEnd, true)) return {};
      }
      ++pos_;  // the break
    } else {
      // Every pair takes at least two bytes: this bounds the reserve.
      if (h.arg > remaining() / 2) return failed("map size beyond the end of input", h.offset);
      if (!countItems(h.arg, h.offset)) return {};
      pairs.reserve(static_cast<std::size_t>(h.arg));
      for (std::uint64_t i = 0; i < h.arg; ++i)
        if (!pair(pairs, prevStart, prevEnd, false)) return {};
    }
    --depth_;
    return Value::map(std::move(pairs));
  }

  // Strict: a tag is allowed only as the very first head of the input, which
  // admits one outer tag and rejects nested and stacked tags alike.
  Value tag(const Head& h) {
    if (h.ai == 31) return failed("indefinite-length marker on a tag", h.offset);
    if (strict_ && h.offset != 0) return failed("tag other than one at the outermost position", h.offset);
    if (tagDepth_ >= maxDepth_) return failed("tags nested deeper than " + std::to_string(maxDepth_), h.offset);
    ++tagDepth_;
    Value content = item();
    if (failed_) return {};
    --tagDepth_;
    return Value::tag(h.arg, std::move(content));
  }

  Value simpleOrFloat(const Head& h) {
    switch (h.ai) {
      case 24:
        // Simple values 0..31 have only the one-byte form (RFC 8949 §3.3).
        if (h.arg < 32) return failed("two-byte encoding of a simple value below 32", h.offset);
        [[fallthrough]];
      default:  // ai < 24
        if (strict_ && (h.arg < 20 || h.arg > 22))
          return failed("simple value other than false, true or null", h.offset);
        return Value::simple(static_cast<std::uint8_t>(h.arg));
      case 25:
      case 26:
      case 27:
        if (strict_) return failed("floating-point number", h.offset);
        return Value::floating(toDouble(h));
      case 31:
        return failed("break stop code outside an indefinite-length item", h.offset);
    }
  }

  static double toDouble(const Head& h) {
    if (h.ai == 25) return halfToDouble(static_cast<std::uint16_t>(h.arg));
    if (h.ai == 26) {
      const auto bits = static_cast<std::uint32_t>(h.arg);
      float f = 0;
      std::memcpy(&f, &bits, sizeof f);
      return static_cast<double>(f);
    }
    double d = 0;
    std::memcpy(&d, &h.arg, sizeof d);
    return d;
  }

  const std::uint8_t* p_;
  std::size_t n_;
  std::size_t pos_ = 0;
  bool strict_;
  std::size_t maxDepth_;
  std::size_t maxItems_;
  std::size_t maxBytes_;
  std::size_t depth_ = 0;
  std::size_t tagDepth_ = 0;
  std::size_t items_ = 0;
  bool failed_ = false;
  std::string error_;
};

// -------------------------------------------------------------- encoder ---

void appendHead(Bytes& out, std::uint8_t major, std::uint64_t arg) {
  const auto mt = static_cast<std::uint8_t>(major << 5);
  if (arg < 24) {
    out.push_back(static_cast<std::uint8_t>(mt | arg));
  } else if (arg <= 0xff) {
    out.push_back(static_cast<std::uint8_t>(mt | 24));
    appendBigEndian(out, arg, 1);
  } else if (arg <= 0xffff) {
    out.push_back(static_cast<std::uint8_t>(mt | 25));
    appendBigEndian(out, arg, 2);
  } else if (arg <= 0xffffffffu) {
    out.push_back(static_cast<std::uint8_t>(mt | 26));
    appendBigEndian(out, arg, 4);
  } else {
    out.push_back(static_cast<std::uint8_t>(mt | 27));
    appendBigEndian(out, arg, 8);
  }
}

void appendSimple(Bytes& out, std::uint8_t s) {
  // 24..31 have no well-formed encoding; Value never holds them after a
  // decode, and a caller that builds one gets the two-byte form.
  if (s < 24) {
    out.push_back(static_cast<std::uint8_t>(0xe0 | s));
  } else {
    out.push_back(0xf8);
    out.push_back(s);
  }
}

void encodeTo(Bytes& out, const Value& v);

// Pairs are encoded straight into out, remembering where each key and pair
// lies; maps built in key order (the usual case) are then done. Otherwise the
// body is copied aside and written back pair by pair in key order. The sort
// is stable, so duplicate keys (possible only in values built by hand or
// decoded in general mode) keep their order.
void encodeMap(Bytes& out, const Map& pairs) {
  struct Span {
    std::size_t key, keyEnd, end;
  };
  appendHead(out, 5, pairs.size());
  const std::size_t body = out.size();
  std::vector<Span> spans;
  spans.reserve(pairs.size());
  for (const auto& [k, v] : pairs) {
    const std::size_t key = out.size();
    encodeTo(out, k);
    const std::size_t keyEnd = out.size();
    encodeTo(out, v);
    spans.push_back({key, keyEnd, out.size()});
  }
  auto keyLess = [](const Bytes& buf) {
    return [&buf](const Span& a, const Span& b) {
      const auto at = [&buf](std::size_t i) { return buf.begin() + static_cast<std::ptrdiff_t>(i); };
      return std::lexicographical_compare(at(a.key), at(a.keyEnd), at(b.key), at(b.keyEnd));
    };
  };
  if (std::is_sorted(spans.begin(), spans.end(), keyLess(out))) return;
  const Bytes copy(out.begin() + static_cast<std::ptrdiff_t>(body), out.end());
  for (auto& sp : spans) sp = {sp.key - body, sp.keyEnd - body, sp.end - body};
  std::stable_sort(spans.begin(), spans.end(), keyLess(copy));
  out.resize(body);
  for (const auto& sp : spans)
    out.insert(out.end(), copy.begin() + static_cast<std::ptrdiff_t>(sp.key),
               copy.begin() + static_cast<std::ptrdiff_t>(sp.end));
}

void encodeTo(Bytes& out, const Value& v) {
  switch (v.type()) {
    case Type::Unsigned:
      appendHead(out, 0, v.raw());
      break;
    case Type::Negative:
      appendHead(out, 1, v.raw());
      break;
    case Type::Bytes:
      appendHead(out, 2, v.asBytes().size());
      out.insert(out.end(), v.asBytes().begin(), v.asBytes().end());
      break;
    case Type::Text:
      appendHead(out, 3, v.asText().size());
      out.insert(out.end(), v.asText().begin(), v.asText().end());
      break;
    case Type::Array:
      appendHead(out, 4, v.asArray().size());
      for (const auto& item : v.asArray()) encodeTo(out, item);
      break;
    case Type::Map:
      encodeMap(out, v.asMap());
      break;
    case Type::Tag:
      appendHead(out, 6, v.raw());
      encodeTo(out, v.tagged());
      break;
    case Type::Simple:
      appendSimple(out, static_cast<std::uint8_t>(v.raw()));
      break;
    case Type::Float:
      appendFloat(out, v.asDouble());
      break;
  }
}

// ----------------------------------------------------------- diagnostic ---

// Shortest round-trip digits; always with a '.' or exponent so that the
// reader sees a float (RFC 8949 §8: 1.0, 1.5e+300). Fixed notation for
// everyday magnitudes, scientific otherwise.
void appendDouble(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
    return;
  }
  char buf[64];
  const double a = std::fabs(d);
  const bool fixed = a == 0 || (a >= 1e-5 && a < 1e17);
  const auto r = std::to_chars(buf, buf + sizeof buf, d,
                               fixed ? std::chars_format::fixed : std::chars_format::scientific);
  std::string s(buf, r.ec == std::errc() ? r.ptr : buf);
  if (s.find('.') == std::string::npos) {
    const auto e = s.find('e');
    s.insert(e == std::string::npos ? s.size() : e, ".0");
  }
  out += s;
}

void appendQuoted(std::string& out, const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

void appendDiagnostic(std::string& out, const Value& v) {
  switch (v.type()) {
    case Type::Unsigned:
      out += std::to_string(v.raw());
      break;
    case Type::Negative:  // -1 - n; n + 1 overflows only for n = 2^64-1
      out += v.raw() == std::numeric_limits<std::uint64_t>::max() ? "-18446744073709551616"
                                                                   : "-" + std::to_string(v.raw() + 1);
      break;
    case Type::Bytes:
      out += "h'" + toHex(v.asBytes()) + "'";
      break;
    case Type::Text:
      appendQuoted(out, v.asText());
      break;
    case Type::Array: {
      out.push_back('[');
      const char* sep = "";
      for (const auto& item : v.asArray()) {
        out += sep;
        appendDiagnostic(out, item);
        sep = ", ";
      }
      out.push_back(']');
      break;
    }
    case Type::Map: {
      out.push_back('{');
      const char* sep = "";
      for (const auto& [key, value] : v.asMap()) {
        out += sep;
        appendDiagnostic(out, key);
        out += ": ";
        appendDiagnostic(out, value);
        sep = ", ";
      }
      out.push_back('}');
      break;
    }
    case Type::Tag:
      out += std::to_string(v.raw()) + "(";
      appendDiagnostic(out, v.tagged());
      out.push_back(')');
      break;
    case Type::Simple:
      switch (v.raw()) {
        case 20: out += "false"; break;
        case 21: out += "true"; break;
        case 22: out += "null"; break;
        case 23: out += "undefined"; break;
        default: out += "simple(" + std::to_string(v.raw()) + ")"; break;
      }
      break;
    case Type::Float:
      appendDouble(out, v.asDouble());
      break;
  }
}

}  // namespace

// ------------------------------------------------------------ interface ---

Result<Value> decode(ByteView input, const DecodeOptions& options) { return Decoder(input, options).run(); }

Bytes encode(const Value& value) {
  Bytes out;
  out.reserve(256);  // a ZC1 payload or COSE_Sign1 mostly fits without regrowth
  encodeTo(out, value);
  return out;
}

std::string diagnostic(const Value& value) {
  std::string out;
  appendDiagnostic(out, value);
  return out;
}

void Writer::head(std::uint8_t major, std::uint64_t arg) { appendHead(out_, major, arg); }

void Writer::uint(std::uint64_t u) { head(0, u); }

void Writer::integer(std::int64_t i) {
  if (i >= 0)
    head(0, static_cast<std::uint64_t>(i));
  else
    head(1, static_cast<std::uint64_t>(-1 - i));
}

void Writer::bytes(ByteView b) {
  head(2, b.size());
  out_.insert(out_.end(), b.begin(), b.end());
}

void Writer::text(std::string_view s) {
  head(3, s.size());
  out_.insert(out_.end(), s.begin(), s.end());
}

void Writer::arrayHeader(std::uint64_t count) { head(4, count); }
void Writer::mapHeader(std::uint64_t count) { head(5, count); }
void Writer::tag(std::uint64_t tag) { head(6, tag); }
void Writer::simple(std::uint8_t s) { appendSimple(out_, s); }
void Writer::raw(ByteView encodedItem) { out_.insert(out_.end(), encodedItem.begin(), encodedItem.end()); }

}  // namespace titlecert::cbor
