// QR rendering: a text in, a module matrix out, then PNG / SVG / raw pixels.
// ZC1 texts ("ZC1:" + Base45) are encoded as ONE alphanumeric segment
// (ZC1.md §1), so a text's version is predictable from its length alone.
//
// Errors are values; nothing here throws except std::bad_alloc. Every
// function may be called from several threads at once: libpng state is per
// call and Debian's libqrencode is built with its pthread locks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/result.h"

namespace titlecert::qr {

// QR error correction: L ~7 %, M ~15 % (ZC1 default), Q ~25 %, H ~30 %.
enum class EcLevel { L, M, Q, H };

// A symbol without its quiet zone. dark[y * size + x] is 1 for a dark module.
struct Matrix {
  int size = 0;
  std::vector<std::uint8_t> dark;
  int version = 0;
};

// The smallest symbol of `level` that holds `text`: one alphanumeric
// segment when every character is in the QR alphanumeric set (which is the
// Base45 alphabet), else one 8-bit byte segment of the text's bytes.
// INVALID_ARGUMENT: empty text, maxVersion outside 1..40.
// PAYLOAD_TOO_LARGE: the symbol would be larger than maxVersion.
Result<Matrix> encode(std::string_view text, EcLevel level = EcLevel::M, int maxVersion = 40);

// Largest image side toPng / toGray8 produce; the same as the scanner's
// loading limit, so every image we render can be read back.
inline constexpr int kMaxImageSide = 16384;

// A 1-bit grayscale PNG (bit depth 1, PNG_COLOR_TYPE_GRAY: about six times
// smaller than 8-bit) with `quietZone` light modules on every side.
// Empty when the matrix is malformed, moduleSize < 1, quietZone < 0 or the
// image side would exceed kMaxImageSide.
Bytes toPng(const Matrix& matrix, int moduleSize = 8, int quietZone = 4);

// An SVG whose viewBox is in modules (quiet zone included): a light
// background and one <path> of the dark modules, shape-rendering crispEdges.
// Empty under the same conditions as toPng.
std::string toSvg(const Matrix& matrix, int quietZone = 4);

// Raw 8-bit gray pixels (0 dark, 255 light), row-major, widthOut x widthOut;
// for tests and image synthesis. Empty (widthOut 0) on the conditions above.
Bytes toGray8(const Matrix& matrix, int moduleSize, int quietZone, int& widthOut);

}  // namespace titlecert::qr
