// CBOR (RFC 8949) decoding: a bounded recursive-descent decoder with the
// strict ZC1 profile (ZC1.md §3, §6) layered on the same pass. It writes a
// flat tape (cbor_tape.h); a Value tree, where wanted, is built from it.
//
// Safety on untrusted input (this file is fuzzed under ASan/UBSan):
//  * recursion is bounded: arrays and maps by maxDepth, tags by a separate
//    count that is also held to maxDepth (a chain of tags c6 c6 c6 ... would
//    otherwise recurse once per input byte), and both by kHardNestingLimit
//    whatever the caller passes, so the stack stays small;
//  * no allocation is sized by an untrusted length before that length has
//    been checked against the bytes that remain (a string needs its length in
//    bytes, an array element at least one byte, a map pair at least two),
//    and the tape grows by one item per item actually read;
//  * all arithmetic on lengths is written as "x > remaining" comparisons that
//    cannot overflow.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

#include "titlecert/cbor.h"
#include "titlecert/cbor_tape.h"

namespace titlecert::cbor {

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
    // Eight ASCII bytes at a time where there are eight to look at.
    if (n - i >= 8) {
      std::uint64_t word;
      std::memcpy(&word, s + i, sizeof word);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const std::uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Three-byte forms (CJK, most of a catalogue's text) checked in one step:
    // U+0800..U+FFFF without the surrogates.
    if ((c & 0xf0) == 0xe0 && n - i >= 3 && (s[i + 1] & 0xc0) == 0x80 && (s[i + 2] & 0xc0) == 0x80) {
      const std::uint32_t cp3 = (c & 0x0fu) << 12 | (s[i + 1] & 0x3fu) << 6 | (s[i + 2] & 0x3fu);
      if (cp3 < 0x800 || (cp3 >= 0xd800 && cp3 <= 0xdfff)) return i;
      i += 3;
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

// Items are indexed by 32 bits on the tape; no profile comes near this.
constexpr std::size_t kHardByteLimit = 0xffffffffu;

// One decode call. Parse functions append the item they read (and its
// subtree) to the tape and return false after the first error, recorded by
// fail(); every caller then unwinds at once and the partial tape is dropped.
class Decoder {
 public:
  Decoder(ByteView in, const DecodeOptions& options)
      : in_(in),
        p_(in.data()),
        n_(in.size()),
        strict_(options.strict),
        maxDepth_(std::min(options.maxDepth, kHardNestingLimit)),
        maxItems_(options.maxItems),
        maxBytes_(std::min(options.maxBytes, kHardByteLimit)) {}

  Result<Tape> run() {
    if (n_ > maxBytes_) {
      fail("input of " + std::to_string(n_) + " bytes exceeds the limit of " + std::to_string(maxBytes_), 0);
      return makeError(Code::BAD_CBOR, std::move(error_));
    }
    // Most items of real documents take several bytes; growing beyond this
    // guess copies trivially copyable items only.
    tape_.reserve(n_ / 4 + 1);
    if (!item()) return makeError(Code::BAD_CBOR, std::move(error_));
    if (pos_ != n_) {
      fail("trailing bytes after the item", pos_);
      return makeError(Code::BAD_CBOR, std::move(error_));
    }
    return Tape(in_, std::move(tape_), strict_);
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

  // Appends a leaf (its subtree is itself); returns its index.
  std::size_t push(Type type, const Head& h, std::uint64_t arg, std::size_t offset = 0) {
    TapeItem it;
    it.arg = arg;
    it.offset = offset;
    it.type = type;
    it.ai = h.ai;
    tape_.push_back(it);
    tape_.back().next = static_cast<std::uint32_t>(tape_.size());
    return tape_.size() - 1;
  }
  // Closes a container pushed at `index` once its children are on the tape.
  void close(std::size_t index) { tape_[index].next = static_cast<std::uint32_t>(tape_.size()); }

  bool item() {
    Head h;
    if (!readHead(h)) return false;
    switch (h.major) {
      case 0:
      case 1:
        if (h.ai == 31) return fail("indefinite-length marker on an integer", h.offset);
        push(h.major == 0 ? Type::Unsigned : Type::Negative, h, h.arg);
        return true;
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

  static Type stringType(const Head& h) { return h.major == 2 ? Type::Bytes : Type::Text; }

  bool definiteString(const Head& h) {
    if (h.arg > remaining()) return fail("string length beyond the end of input", h.offset);
    const auto len = static_cast<std::size_t>(h.arg);
    if (h.major == 3 && !checkText(p_ + pos_, len, pos_)) return false;
    push(stringType(h), h, len, pos_);
    pos_ += len;
    return true;
  }

  // Chunks must be definite-length strings of the same major type; they
  // follow the string on the tape, which records their total length.
  bool indefiniteString(const Head& h) {
    if (strict_) return fail("indefinite-length string", h.offset);
    const std::size_t at = push(stringType(h), h, 0);
    std::uint64_t total = 0;
    for (;;) {
      if (pos_ >= n_) return fail("end of input inside an indefinite-length string", h.offset);
      if (p_[pos_] == 0xff) break;
      Head c;
      if (!readHead(c)) return false;
      if (c.major != h.major || c.ai == 31)
        return fail("chunk of an indefinite-length string that is not a definite string of its type", c.offset);
      if (c.arg > remaining()) return fail("string length beyond the end of input", c.offset);
      push(stringType(c), c, c.arg, pos_);
      total += c.arg;
      pos_ += static_cast<std::size_t>(c.arg);
    }
    ++pos_;  // the break
    tape_[at].arg = total;
    close(at);
    return true;
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

  bool array(const Head& h) {
    if (h.ai == 31 && strict_) return fail("indefinite-length array", h.offset);
    if (!enter(h)) return false;
    const std::size_t at = push(Type::Array, h, h.arg);
    if (h.ai == 31) {
      std::uint64_t count = 0;
      for (;;) {
        if (pos_ >= n_) return fail("end of input inside an indefinite-length array", h.offset);
        if (p_[pos_] == 0xff) break;
        if (!countItems(1, pos_)) return false;
        if (!item()) return false;
        ++count;
      }
      ++pos_;  // the break
      tape_[at].arg = count;
    } else {
      // Every element takes at least one byte: this bounds the loop.
      if (h.arg > remaining()) return fail("array count beyond the end of input", h.offset);
      if (!countItems(h.arg, h.offset)) return false;
      for (std::uint64_t i = 0; i < h.arg; ++i)
        if (!item()) return false;
    }
    close(at);
    --depth_;
    return true;
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
  bool checkKey(Type key, std::size_t start, std::size_t end, std::size_t& prevStart, std::size_t& prevEnd) {
    if (key != Type::Unsigned && key != Type::Negative && key != Type::Text)
      return fail("map key that is not an integer or text string", start);
    if (prevEnd != 0) {
      const int cmp = compareKeys(prevStart, prevEnd, start, end);
      if (cmp == 0) return fail("duplicate map key", start);
      if (cmp > 0) return fail("map keys not sorted by their encoded bytes", start);
    }
    prevStart = start;
    prevEnd = end;
    return true;
  }

  // One key/value pair; prev* track the previous key for the strict
  // ordering check.
  bool pair(std::size_t& prevStart, std::size_t& prevEnd, bool indefinite) {
    const std::size_t keyStart = pos_;
    const std::size_t keyIndex = tape_.size();
    if (!item()) return false;
    if (strict_ && !checkKey(tape_[keyIndex].type, keyStart, pos_, prevStart, prevEnd)) return false;
    if (indefinite && pos_ < n_ && p_[pos_] == 0xff) return fail("break in place of a map value", pos_);
    return item();
  }

  bool map(const Head& h) {
    if (h.ai == 31 && strict_) return fail("indefinite-length map", h.offset);
    if (!enter(h)) return false;
    const std::size_t at = push(Type::Map, h, h.arg);
    std::size_t prevStart = 0, prevEnd = 0;
    if (h.ai == 31) {
      std::uint64_t count = 0;
      for (;;) {
        if (pos_ >= n_) return fail("end of input inside an indefinite-length map", h.offset);
        if (p_[pos_] == 0xff) break;
        if (!countItems(1, pos_)) return false;
        if (!pair(prevStart, prevEnd, true)) return false;
        ++count;
      }
      ++pos_;  // the break
      tape_[at].arg = count;
    } else {
      // Every pair takes at least two bytes: this bounds the loop.
      if (h.arg > remaining() / 2) return fail("map size beyond the end of input", h.offset);
      if (!countItems(h.arg, h.offset)) return false;
      for (std::uint64_t i = 0; i < h.arg; ++i)
        if (!pair(prevStart, prevEnd, false)) return false;
    }
    close(at);
    --depth_;
    return true;
  }

  // Strict: a tag is allowed only as the very first head of the input, which
  // admits one outer tag and rejects nested and stacked tags alike.
  bool tag(const Head& h) {
    if (h.ai == 31) return fail("indefinite-length marker on a tag", h.offset);
    if (strict_ && h.offset != 0) return fail("tag other than one at the outermost position", h.offset);
    if (tagDepth_ >= maxDepth_) return fail("tags nested deeper than " + std::to_string(maxDepth_), h.offset);
    ++tagDepth_;
    const std::size_t at = push(Type::Tag, h, h.arg);
    if (!item()) return false;
    close(at);
    --tagDepth_;
    return true;
  }

  bool simpleOrFloat(const Head& h) {
    switch (h.ai) {
      case 24:
        // Simple values 0..31 have only the one-byte form (RFC 8949 §3.3).
        if (h.arg < 32) return fail("two-byte encoding of a simple value below 32", h.offset);
        [[fallthrough]];
      default:  // ai < 24
        if (strict_ && (h.arg < 20 || h.arg > 22))
          return fail("simple value other than false, true or null", h.offset);
        push(Type::Simple, h, h.arg);
        return true;
      case 25:
      case 26:
      case 27:
        if (strict_) return fail("floating-point number", h.offset);
        push(Type::Float, h, h.arg);
        return true;
      case 31:
        return fail("break stop code outside an indefinite-length item", h.offset);
    }
  }

  ByteView in_;
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
  std::vector<TapeItem> tape_;
};

double floatToDouble(const TapeItem& it) {
  if (it.ai == 25) return halfToDouble(static_cast<std::uint16_t>(it.arg));
  if (it.ai == 26) {
    const auto bits = static_cast<std::uint32_t>(it.arg);
    float f = 0;
    std::memcpy(&f, &bits, sizeof f);
    return static_cast<double>(f);
  }
  double d = 0;
  std::memcpy(&d, &it.arg, sizeof d);
  return d;
}

// The bytes of a string item: its one view, or its chunks joined.
template <class Out>
Out stringContent(const Tape& tape, std::size_t index) {
  const TapeItem& it = tape[index];
  const auto* base = tape.input().data();
  if (it.ai != 31) return Out(base + it.offset, base + it.offset + it.arg);
  Out out;
  out.reserve(static_cast<std::size_t>(it.arg));
  for (std::size_t c = index + 1; c < it.next; c = tape[c].next)
    out.insert(out.end(), base + tape[c].offset, base + tape[c].offset + tape[c].arg);
  return out;
}

}  // namespace

Result<Tape> decodeTape(ByteView input, const DecodeOptions& options) { return Decoder(input, options).run(); }

// Recursion follows the tape's nesting, which the decoder bounded.
Value toValue(const Tape& tape, std::size_t index) {
  const TapeItem& it = tape[index];
  switch (it.type) {
    case Type::Unsigned: return Value::uint(it.arg);
    case Type::Negative: return Value::negative(it.arg);
    case Type::Bytes: return Value::bytes(stringContent<Bytes>(tape, index));
    case Type::Text: return Value::text(stringContent<std::string>(tape, index));
    case Type::Array: {
      Array items;
      items.reserve(static_cast<std::size_t>(it.arg));
      for (std::size_t c = index + 1; c < it.next; c = tape[c].next) items.push_back(toValue(tape, c));
      return Value::array(std::move(items));
    }
    case Type::Map: {
      Map pairs;
      pairs.reserve(static_cast<std::size_t>(it.arg));
      for (std::size_t k = index + 1; k < it.next;) {
        const std::size_t v = tape[k].next;
        pairs.emplace_back(toValue(tape, k), toValue(tape, v));
        k = tape[v].next;
      }
      return Value::map(std::move(pairs));
    }
    case Type::Tag: return Value::tag(it.arg, toValue(tape, index + 1));
    case Type::Simple: return Value::simple(static_cast<std::uint8_t>(it.arg));
    case Type::Float: return Value::floating(floatToDouble(it));
  }
  return {};
}

Result<Value> decode(ByteView input, const DecodeOptions& options) {
  TC_ASSIGN(auto tape, decodeTape(input, options));
  return toValue(tape);
}

}  // namespace titlecert::cbor
