// CBOR diagnostic notation (RFC 8949 §8), for logs, tests and tools.
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "titlecert/cbor.h"

namespace titlecert::cbor {

namespace {

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

std::string diagnostic(const Value& value) {
  std::string out;
  appendDiagnostic(out, value);
  return out;
}

}  // namespace titlecert::cbor
