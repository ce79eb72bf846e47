#include "key_encoding.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace titlecert::crypto::wasm {
namespace {

// The fixed prefixes of the three canonical SPKIs (RFC 8410 for Ed25519,
// RFC 5480 with the named curve prime256v1 or SM2 1.2.156.10197.1.301).
constexpr std::array<std::uint8_t, 12> kEd25519Prefix{0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                      0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
constexpr std::array<std::uint8_t, 26> kP256Prefix{0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                                   0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                                   0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
constexpr std::array<std::uint8_t, 26> kSm2Prefix{0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                                  0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x81, 0x1c,
                                                  0xcf, 0x55, 0x01, 0x82, 0x2d, 0x03, 0x42, 0x00};
constexpr std::size_t kEd25519KeySize = 32;
constexpr std::size_t kPointSize = 65;
constexpr std::size_t kFieldSize = 32;

ByteView prefixOf(Alg alg) {
  switch (alg) {
    case Alg::EdDSA: return kEd25519Prefix;
    case Alg::ES256: return kP256Prefix;
    case Alg::SM2_SM3: return kSm2Prefix;
  }
  return {};
}

std::size_t rawSizeOf(Alg alg) { return alg == Alg::EdDSA ? kEd25519KeySize : kPointSize; }

constexpr std::string_view kBegin = "-----BEGIN PUBLIC KEY-----";
constexpr std::string_view kEnd = "-----END PUBLIC KEY-----";
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
  auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// Base64 with padding; whitespace between characters is skipped.
std::optional<Bytes> base64Decode(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') clean.push_back(c);
  if (clean.empty() || clean.size() % 4 != 0) return std::nullopt;
  Bytes out;
  for (std::size_t i = 0; i < clean.size(); i += 4) {
    const bool last = i + 4 == clean.size();
    std::uint32_t group = 0;
    int pads = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = clean[i + j];
      int v = 0;
      if (c == '=' && last && j >= 2) {
        ++pads;
      } else {
        if (pads > 0) return std::nullopt;
        v = sextet(c);
        if (v < 0) return std::nullopt;
      }
      group = (group << 6) | static_cast<std::uint32_t>(v);
    }
    out.push_back(static_cast<std::uint8_t>(group >> 16));
    if (pads < 2) out.push_back(static_cast<std::uint8_t>(group >> 8));
    if (pads < 1) out.push_back(static_cast<std::uint8_t>(group));
  }
  return out;
}

std::string base64Encode(ByteView data) {
  std::string out;
  for (std::size_t i = 0; i < data.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, data.size() - i);
    std::uint32_t group = static_cast<std::uint32_t>(data[i]) << 16;
    if (n > 1) group |= static_cast<std::uint32_t>(data[i + 1]) << 8;
    if (n > 2) group |= data[i + 2];
    for (std::size_t j = 0; j < 4; ++j)
      out.push_back(j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 0x3f] : '=');
  }
  return out;
}

// One strict DER INTEGER at der[pos]: its unsigned value right-aligned in
// 32 bytes at out; advances pos.
bool readInteger(ByteView der, std::size_t& pos, std::uint8_t* out) {
  if (pos + 2 > der.size() || der[pos] != 0x02) return false;
  const std::size_t len = der[pos + 1];
  pos += 2;
  if (len == 0 || len >= 0x80 || pos + len > der.size()) return false;
  ByteView v = der.subspan(pos, len);
  pos += len;
  if ((v[0] & 0x80) != 0) return false;                      // negative
  if (v.size() > 1 && v[0] == 0 && (v[1] & 0x80) == 0) return false;  // padded
  if (v[0] == 0 && v.size() > 1) v = v.subspan(1);
  if (v.size() > kFieldSize) return false;
  std::fill(out, out + kFieldSize, std::uint8_t{0});
  std::copy(v.begin(), v.end(), out + (kFieldSize - v.size()));
  return true;
}

}  // namespace

Bytes spkiOf(Alg alg, ByteView raw) {
  ByteView prefix = prefixOf(alg);
  Bytes out(prefix.begin(), prefix.end());
  out.insert(out.end(), raw.begin(), raw.end());
  return out;
}

std::optional<RawKey> rawOfSpki(ByteView der) {
  for (Alg alg : {Alg::EdDSA, Alg::ES256, Alg::SM2_SM3}) {
    ByteView prefix = prefixOf(alg);
    if (der.size() == prefix.size() + rawSizeOf(alg) && std::equal(prefix.begin(), prefix.end(), der.begin()))
      return RawKey{alg, Bytes(der.begin() + static_cast<std::ptrdiff_t>(prefix.size()), der.end())};
  }
  return std::nullopt;
}

std::optional<Bytes> publicKeyPemBody(std::string_view pem) {
  const auto begin = pem.find(kBegin);
  if (begin == std::string_view::npos) return std::nullopt;
  const auto bodyStart = begin + kBegin.size();
  const auto end = pem.find(kEnd, bodyStart);
  if (end == std::string_view::npos) return std::nullopt;
  return base64Decode(pem.substr(bodyStart, end - bodyStart));
}

std::string publicKeyPem(ByteView der) {
  const std::string body = base64Encode(der);
  std::string out(kBegin);
  out += '\n';
  for (std::size_t i = 0; i < body.size(); i += 64) out += body.substr(i, 64) + '\n';
  out += kEnd;
  out += '\n';
  return out;
}

std::optional<Bytes> strictDerToRaw(ByteView der) {
  if (der.size() < 2 || der[0] != 0x30 || der[1] >= 0x80 || der[1] + std::size_t{2} != der.size())
    return std::nullopt;
  Bytes out(2 * kFieldSize);
  std::size_t pos = 2;
  if (!readInteger(der, pos, out.data()) || !readInteger(der, pos, out.data() + kFieldSize)) return std::nullopt;
  if (pos != der.size()) return std::nullopt;
  return out;
}

}  // namespace titlecert::crypto::wasm
