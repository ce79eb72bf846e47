// CBOR (RFC 8949) encoding: the deterministic encoder (RFC 8949 §4.2.1) of
// values and the Writer that streams items straight into bytes.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "titlecert/cbor.h"

namespace titlecert::cbor {

namespace {

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

}  // namespace

Bytes encode(const Value& value) {
  Bytes out;
  out.reserve(256);  // a ZC1 payload or COSE_Sign1 mostly fits without regrowth
  encodeTo(out, value);
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
