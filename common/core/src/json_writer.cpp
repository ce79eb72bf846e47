#include "titlecert/json_writer.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace titlecert::json {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The number of continuation bytes a lead byte announces and the range its
// first continuation byte must be in (Unicode Table 3-7: no overlongs, no
// surrogates, nothing above U+10FFFF); 0 continuation bytes for ASCII and -1
// for a byte that cannot start a sequence.
struct Lead {
  int continuation;
  unsigned char firstLo, firstHi;
};

Lead leadOf(unsigned char b) {
  if (b < 0x80) return {0, 0, 0};
  if (b >= 0xC2 && b <= 0xDF) return {1, 0x80, 0xBF};
  if (b == 0xE0) return {2, 0xA0, 0xBF};
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return {2, 0x80, 0xBF};
  if (b == 0xED) return {2, 0x80, 0x9F};
  if (b == 0xF0) return {3, 0x90, 0xBF};
  if (b >= 0xF1 && b <= 0xF3) return {3, 0x80, 0xBF};
  if (b == 0xF4) return {3, 0x80, 0x8F};
  return {-1, 0, 0};
}

void appendEscapedAscii(std::string& out, char ch) {
  switch (ch) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  if (static_cast<unsigned char>(ch) < 0x20) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(ch)));
    out += buf;
    return;
  }
  out += ch;
}

// The length of the well-formed sequence at s[i], or 0 with `consumed` set
// to the bytes of the ill-formed prefix that one U+FFFD replaces: a bad
// lead byte alone, or a lead with the continuation bytes that fit before
// the byte that does not (which is then read again).
std::size_t sequenceAt(std::string_view s, std::size_t i, std::size_t& consumed) {
  const Lead lead = leadOf(static_cast<unsigned char>(s[i]));
  if (lead.continuation < 0) {
    consumed = 1;
    return 0;
  }
  std::size_t n = 1;
  for (int k = 0; k < lead.continuation; ++k, ++n) {
    if (i + n >= s.size()) {
      consumed = n;
      return 0;
    }
    const auto b = static_cast<unsigned char>(s[i + n]);
    const unsigned char lo = k == 0 ? lead.firstLo : 0x80, hi = k == 0 ? lead.firstHi : 0xBF;
    if (b < lo || b > hi) {
      consumed = n;
      return 0;
    }
  }
  return n;
}

// Printable ASCII but '"' and '\\': the bytes the scan passes over with one
// lookup (a line of verdicts is mostly these).
constexpr auto kCopiedAsIs = [] {
  std::array<bool, 256> t{};
  for (int b = 0x20; b < 0x80; ++b) t[static_cast<std::size_t>(b)] = b != '"' && b != '\\';
  return t;
}();

// The number of bytes at the front of s that are copied as they are: printable
// ASCII (eight at a time while it lasts, then one at a time) and the
// well-formed three-byte UTF-8 of CJK text; it stops at anything else, which
// the caller then examines.
std::size_t plainPrefix(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
  auto hasByteBelow = [](std::uint64_t x, std::uint64_t n) { return (x - kOnes * n) & ~x & kHighs; };
  auto hasByte = [&](std::uint64_t x, std::uint64_t b) { return hasByteBelow(x ^ (kOnes * b), 1); };
  std::size_t i = 0;
  for (std::uint64_t x; i + 8 <= s.size(); i += 8) {
    std::memcpy(&x, s.data() + i, 8);
    if ((x & kHighs) | hasByteBelow(x, 0x20) | hasByte(x, '"') | hasByte(x, '\\')) break;
  }
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (kCopiedAsIs[b]) {
      ++i;
      continue;
    }
    // E1..EC and EE..EF lead three-byte sequences whose continuation bytes
    // are both 80..BF (Unicode Table 3-7): CJK ideographs and punctuation.
    if (i + 3 > s.size() || b < 0xE1 || b > 0xEF || b == 0xED) break;
    const auto c1 = static_cast<unsigned char>(s[i + 1]), c2 = static_cast<unsigned char>(s[i + 2]);
    if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) break;
    i += 3;
  }
  return i;
}

template <class Integer>
void appendNumber(std::string& out, Integer n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

}  // namespace

// Bytes that need no escape (printable ASCII other than '"' and '\\', and
// well-formed UTF-8) are copied in runs, one append per run: most texts are
// a single run (found by plainPrefix and copied at once), and a batch of
// verdicts renders thousands of them.
void appendQuoted(std::string& out, std::string_view s) {
  const std::size_t plain = plainPrefix(s);
  if (plain == s.size()) {  // the common case: the text as it is, in quotes
    const std::size_t at = out.size();
    out.resize(at + s.size() + 2);
    char* p = out.data() + at;
    p[0] = '"';
    std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    return;
  }
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = plain; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (kCopiedAsIs[b]) {
      ++i;
      continue;
    }
    std::size_t consumed = 0;
    const std::size_t n = b < 0x80 ? 0 : sequenceAt(s, i, consumed);
    if (n > 0) {
      i += n;
      continue;
    }
    out.append(s.data() + run, i - run);
    if (b < 0x80) {
      appendEscapedAscii(out, s[i]);
      ++i;
    } else {
      out += kReplacement;
      i += consumed;
    }
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void Writer::beforeValue() {
  if (afterKey_) {
    afterKey_ = false;
    return;
  }
  if (depth_ > 0 && memberWritten_) *out_ += ',';
}

void Writer::open(char bracket) {
  beforeValue();
  *out_ += bracket;
  ++depth_;
  memberWritten_ = false;
}

void Writer::close(char bracket) {
  *out_ += bracket;
  --depth_;
  afterValue();
}

Writer& Writer::beginObject() {
  open('{');
  return *this;
}

Writer& Writer::endObject() {
  close('}');
  return *this;
}

Writer& Writer::beginArray() {
  open('[');
  return *this;
}

Writer& Writer::endArray() {
  close(']');
  return *this;
}

Writer& Writer::key(std::string_view name) {
  beforeValue();
  appendQuoted(*out_, name);
  *out_ += ':';
  afterKey_ = true;
  return *this;
}

Writer& Writer::text(std::string_view s) {
  beforeValue();
  appendQuoted(*out_, s);
  afterValue();
  return *this;
}

Writer& Writer::number(std::uint64_t n) {
  beforeValue();
  appendNumber(*out_, n);
  afterValue();
  return *this;
}

Writer& Writer::number(std::int64_t n) {
  beforeValue();
  appendNumber(*out_, n);
  afterValue();
  return *this;
}

Writer& Writer::boolean(bool b) {
  beforeValue();
  *out_ += b ? "true" : "false";
  afterValue();
  return *this;
}

Writer& Writer::null() {
  beforeValue();
  *out_ += "null";
  afterValue();
  return *this;
}

}  // namespace titlecert::json
