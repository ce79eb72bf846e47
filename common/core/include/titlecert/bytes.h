// Byte buffers and views, and hex helpers (binary values are lowercase hex
// everywhere in titlecert's outputs).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace titlecert {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView asBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view asText(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes toBytes(std::string_view s) { auto v = asBytes(s); return Bytes(v.begin(), v.end()); }

std::string toHex(ByteView bytes);
// Accepts upper or lower case; nullopt on odd length or a non-hex character.
std::optional<Bytes> fromHex(std::string_view hex);

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
bool isValidUtf8(std::string_view text);
// Every byte in 0x20..0x7e.
bool isPrintableAscii(std::string_view text);

}  // namespace titlecert
