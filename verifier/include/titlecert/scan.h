// Scanning: image files in, QR texts out. ZXing-cpp stays behind this
// header (only src/scan.cpp includes it), so callers never see its types or
// its exceptions.
//
// Every function may be called from several threads at once; none keeps
// state between calls. Loading limits are checked from the image header
// before any pixel buffer is allocated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/result.h"

namespace titlecert::scan {

// Decoded pixels, row-major and tightly packed (row stride = width * channels).
struct Image {
  int width = 0, height = 0, channels = 1;  // 1 = gray, 3 = RGB
  std::vector<std::uint8_t> pixels;
};

inline constexpr int kMaxImageSide = 16384;                     // pixels, each of width and height
inline constexpr long long kMaxImagePixels = 40LL * 1000 * 1000;  // 40 megapixels
inline constexpr std::size_t kMaxFileBytes = 64u << 20;          // 64 MiB

// PNG or JPEG, recognised by their magic bytes. PNGs of any colour type and
// depth become 8-bit gray or RGB (alpha is composited over white, so a
// transparent background reads as paper); CMYK JPEGs become RGB.
// INVALID_ARGUMENT: not a PNG or JPEG, corrupt or truncated data, or an
// image beyond the limits above.
Result<Image> loadImage(ByteView fileBytes);

// loadImage on a file's contents. IO_ERROR when it cannot be read;
// INVALID_ARGUMENT when it is larger than kMaxFileBytes.
Result<Image> loadImageFile(const std::string& path);

// A non-owning view of 8-bit pixels; the caller keeps them alive.
struct ImageView {
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 1;   // 1 = gray, 3 = RGB, 4 = RGBX (the 4th byte is ignored)
  int rowStride = 0;  // bytes from one row to the next; 0 = width * channels
};

inline ImageView viewOf(const Image& image) {
  return {image.pixels.data(), image.width, image.height, image.channels, image.width * image.channels};
}

struct ScanOptions {
  bool tryHarder = true;  // denser search: slower, finds small and damaged codes
  bool tryRotate = true;  // also search the image turned by 90, 180 and 270 degrees
  int maxCodes = 16;      // read this many codes at most (clamped to 1..254); see scanQrCodes
  // When the first decode finds nothing, try again with a global binarizer
  // and on an inverted copy (light-on-dark codes). A still image wants it; a
  // camera loop, where most frames hold no code and the next frame comes in
  // tens of milliseconds, does not (it would triple the cost of an empty frame).
  bool retryWhenNothingFound = true;
  // No tryInvert: ZXing-cpp 1.4 has no such hint (later releases do).
};

// False in a text-only build (TITLECERT_SCAN=OFF), and in the CLI and the
// C library when their image module (titlecert-scan.so, opened by the first
// image call) is missing or cannot be loaded: then loadImage and
// loadImageFile fail with NOT_IMPLEMENTED and readQrTexts finds nothing, so
// callers that take images must ask first and refuse them.
bool available() noexcept;

// Why available() is false, in a sentence for a message; empty when it is true.
std::string unavailableReason();

// The text of every valid QR code in the image, as UTF-8, in the order
// ZXing-cpp reports them; QR only (no other symbology can produce a
// titlecert text). Empty when there is none, when the view is unusable
// (null data, channels not 1/3/4, row stride below width * channels, or
// beyond the loading limits above), or when the decoder fails; callers map
// an empty result to NO_CODE_FOUND.
std::vector<std::string> readQrTexts(const ImageView& view, const ScanOptions& options = {}) noexcept;

// The same, and whether the image held more codes than options.maxCodes:
// then texts has the first maxCodes of them and codesSkipped is true, and a
// caller must not call the image valid (it reports CODES_SKIPPED).
struct QrScan {
  std::vector<std::string> texts;
  bool codesSkipped = false;
};
QrScan scanQrCodes(const ImageView& view, const ScanOptions& options = {}) noexcept;

}  // namespace titlecert::scan
