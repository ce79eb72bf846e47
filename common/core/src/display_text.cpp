// safeForDisplay: a UTF-8 walk that copies printable code points and
// replaces controls, bidi overrides and malformed bytes (display_text.h).
#include "titlecert/display_text.h"

#include <cstdint>
#include <optional>

namespace titlecert {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

struct Decoded {
  char32_t codePoint;
  std::size_t length;
};

// One well-formed UTF-8 sequence (RFC 3629: shortest form, no surrogates,
// nothing above U+10FFFF) at the start of `s`, or nullopt.
std::optional<Decoded> decodeOne(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
  const std::uint8_t lead = byte(0);
  std::size_t length = 0;
  char32_t cp = 0;
  if (lead < 0x80) return Decoded{lead, 1};
  if (lead >= 0xC2 && lead <= 0xDF) length = 2, cp = lead & 0x1Fu;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3, cp = lead & 0x0Fu;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4, cp = lead & 0x07u;
  else return std::nullopt;
  if (s.size() < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0u) != 0x80u) return std::nullopt;
    cp = (cp << 6) | (byte(i) & 0x3Fu);
  }
  const bool overlong = (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  if (overlong || surrogate || cp > 0x10FFFF) return std::nullopt;
  return Decoded{cp, length};
}

bool isUnsafe(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;  // C0, DEL, C1
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F) return true;
  if (cp >= 0x202A && cp <= 0x202E) return true;
  if (cp >= 0x2066 && cp <= 0x2069) return true;
  return cp == 0x2028 || cp == 0x2029;
}

}  // namespace

std::string safeForDisplay(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const auto d = decodeOne(text);
    if (!d) {
      out += kReplacement;
      text.remove_prefix(1);
      continue;
    }
    if (isUnsafe(d->codePoint)) out += kReplacement;
    else out += text.substr(0, d->length);
    text.remove_prefix(d->length);
  }
  return out;
}

}  // namespace titlecert
