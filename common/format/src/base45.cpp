// Base45 (RFC 9285), strict. Two bytes become three characters (value
// c + 45*d + 2025*e, least significant first); a trailing single byte becomes
// two. Decoding rejects anything an encoder cannot have produced: characters
// outside the alphabet, lengths 3n+1, triplets above 65535 and trailing pairs
// above 255 (RFC 9285 §6), so every accepted text has exactly one meaning.
#include "titlecert/base45.h"

#include <array>
#include <cstdint>
#include <string>

namespace titlecert::base45 {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
static_assert(kAlphabet.size() == 45);

// Character -> digit value, -1 for bytes outside the alphabet (lower case,
// '=', control characters and every non-ASCII byte included).
constexpr std::array<std::int8_t, 256> makeDigitTable() {
  std::array<std::int8_t, 256> table{};
  for (auto& t : table) t = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}
constexpr std::array<std::int8_t, 256> kDigit = makeDigitTable();

Error badEncoding(std::string what, std::size_t offset) {
  return makeError(Code::BAD_ENCODING, "Base45: " + what + " at offset " + std::to_string(offset));
}

}  // namespace

std::size_t decodedSize(std::size_t textLength) {
  if (textLength % 3 == 1) return SIZE_MAX;
  return textLength / 3 * 2 + (textLength % 3 == 2 ? 1 : 0);
}

std::string encode(ByteView data) {
  std::string out;
  out.reserve(data.size() / 2 * 3 + 2);
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) {
    unsigned n = static_cast<unsigned>(data[i]) << 8 | data[i + 1];
    out.push_back(kAlphabet[n % 45]);
    out.push_back(kAlphabet[n / 45 % 45]);
    out.push_back(kAlphabet[n / 2025]);  // n <= 65535 so this is < 45
  }
  if (i < data.size()) {
    unsigned n = data[i];
    out.push_back(kAlphabet[n % 45]);
    out.push_back(kAlphabet[n / 45]);  // n <= 255 so this is < 6
  }
  return out;
}

Result<Bytes> decode(std::string_view text) {
  if (text.size() % 3 == 1)
    return makeError(Code::BAD_ENCODING,
                     "Base45: length " + std::to_string(text.size()) + " is of the form 3n+1");
  // Validate every character first so that the error names the first bad
  // character rather than an overflow caused by it.
  for (std::size_t i = 0; i < text.size(); ++i)
    if (kDigit[static_cast<unsigned char>(text[i])] < 0) return badEncoding("character outside the alphabet", i);

  Bytes out;
  out.reserve(decodedSize(text.size()));
  auto digit = [&](std::size_t i) { return static_cast<unsigned>(kDigit[static_cast<unsigned char>(text[i])]); };
  std::size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    unsigned n = digit(i) + digit(i + 1) * 45 + digit(i + 2) * 2025;
    if (n > 0xffff) return badEncoding("triplet value " + std::to_string(n) + " above 65535", i);
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n & 0xff));
  }
  if (i < text.size()) {  // exactly two characters remain (3n+1 excluded above)
    unsigned n = digit(i) + digit(i + 1) * 45;
    if (n > 0xff) return badEncoding("pair value " + std::to_string(n) + " above 255", i);
    out.push_back(static_cast<std::uint8_t>(n));
  }
  return out;
}

}  // namespace titlecert::base45
