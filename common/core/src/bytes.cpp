#include "titlecert/bytes.h"

namespace titlecert {

std::string toHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

namespace {
int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<Bytes> fromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

}  // namespace titlecert

namespace titlecert {

bool isPrintableAscii(std::string_view text) {
  for (char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

namespace {
// Length of the UTF-8 sequence starting with lead byte b, and the allowed
// range of its second byte (which excludes overlongs and surrogates).
bool utf8Lead(std::uint8_t b, int& length, std::uint8_t& lo, std::uint8_t& hi) {
  lo = 0x80;
  hi = 0xbf;
  if (b < 0x80) { length = 1; return true; }
  if (b >= 0xc2 && b <= 0xdf) { length = 2; return true; }
  if (b >= 0xe0 && b <= 0xef) {
    length = 3;
    if (b == 0xe0) lo = 0xa0;
    if (b == 0xed) hi = 0x9f;
    return true;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    length = 4;
    if (b == 0xf0) lo = 0x90;
    if (b == 0xf4) hi = 0x8f;
    return true;
  }
  return false;
}
}  // namespace

bool isValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    int length = 0;
    std::uint8_t lo = 0, hi = 0;
    if (!utf8Lead(p[i], length, lo, hi)) return false;
    if (n - i < static_cast<std::size_t>(length)) return false;
    for (int k = 1; k < length; ++k) {
      const std::uint8_t c = p[i + k];
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xbf)) return false;
    }
    i += static_cast<std::size_t>(length);
  }
  return true;
}

}  // namespace titlecert
