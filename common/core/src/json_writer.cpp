#include "titlecert/json_writer.h"

#include <cstdio>

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

}  // namespace

// Bytes that need no escape (printable ASCII other than '"' and '\\', and
// well-formed UTF-8) are copied in runs, one append per run: most texts are
// a single run, and a batch of verdicts renders thousands of them.
void appendQuoted(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b < 0x80 && b != '"' && b != '\\') {
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
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

Writer& Writer::beginObject() {
  beforeValue();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

Writer& Writer::endObject() {
  out_ += '}';
  first_.pop_back();
  return *this;
}

Writer& Writer::beginArray() {
  beforeValue();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

Writer& Writer::endArray() {
  out_ += ']';
  first_.pop_back();
  return *this;
}

Writer& Writer::key(std::string_view name) {
  beforeValue();
  appendQuoted(out_, name);
  out_ += ':';
  afterKey_ = true;
  return *this;
}

Writer& Writer::text(std::string_view s) {
  beforeValue();
  appendQuoted(out_, s);
  return *this;
}

Writer& Writer::number(std::uint64_t n) {
  beforeValue();
  out_ += std::to_string(n);
  return *this;
}

Writer& Writer::number(std::int64_t n) {
  beforeValue();
  out_ += std::to_string(n);
  return *this;
}

Writer& Writer::boolean(bool b) {
  beforeValue();
  out_ += b ? "true" : "false";
  return *this;
}

Writer& Writer::null() {
  beforeValue();
  out_ += "null";
  return *this;
}

}  // namespace titlecert::json
