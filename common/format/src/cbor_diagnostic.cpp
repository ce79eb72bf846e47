// CBOR diagnostic notation (RFC 8949 §8), for logs, tests and tools.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <system_error>

#include "titlecert/cbor.h"

namespace titlecert::cbor {

namespace {

// Shortest round-trip digits; always with a '.' or exponent so that the
// reader sees a float (RFC 8949 §8: 1.0, 1.5e+300). Fixed notation for
// everyday magnitudes, scientific otherwise.
#if defined(__EMSCRIPTEN__)
// emscripten 3.1.6's libc++ has no floating-point to_chars: the same
// shortest round-trip digits, found with printf (fewest significant digits
// that read back as d), then written in the chosen notation.
std::string shortestDigits(double d, bool fixed) {
  char buf[64];
  int digits = 1;
  for (; digits < 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, d);
  if (!fixed) return buf;
  const int exponent = std::atoi(std::strchr(buf, 'e') + 1);
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, digits - 1 - exponent), d);
  return buf;
}
#endif

void appendDouble(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
    return;
  }
  const double a = std::fabs(d);
  const bool fixed = a == 0 || (a >= 1e-5 && a < 1e17);
#if defined(__EMSCRIPTEN__)
  std::string s = shortestDigits(d, fixed);
#else
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, d,
                               fixed ? std::chars_format::fixed : std::chars_format::scientific);
  std::string s(buf, r.ec == std::errc() ? r.ptr : buf);
#endif
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

std::string diagnostic(const Value& value) {
  std::string out;
  appendDiagnostic(out, value);
  return out;
}

}  // namespace titlecert::cbor
