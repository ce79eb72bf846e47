// The one file that includes ZXing-cpp (1.4, Debian 12). ZX_USE_UTF8 is
// defined for this file only (verifier/CMakeLists.txt), so Result::text()
// is the UTF-8 std::string rather than a std::wstring.
#include "titlecert/scan.h"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>
#include <ZXing/Result.h>

#include <algorithm>

#ifndef ZX_USE_UTF8
#error "scan.cpp needs ZX_USE_UTF8 so that ZXing::Result::text() is UTF-8"
#endif

namespace titlecert::scan {

bool available() noexcept { return true; }

std::string unavailableReason() { return {}; }

namespace {

bool toZxingFormat(int channels, ZXing::ImageFormat& format) {
  switch (channels) {
    case 1: format = ZXing::ImageFormat::Lum; return true;
    case 3: format = ZXing::ImageFormat::RGB; return true;
    case 4: format = ZXing::ImageFormat::RGBX; return true;
    default: return false;
  }
}

// ZXing reads data(x, y) without bounds checks, so a view that lies about
// its shape would read out of bounds: refuse it here. The loader's limits
// also apply, since ZXing allocates working copies of the image.
bool isUsable(const ImageView& v, int rowStride) {
  return v.data != nullptr && v.width > 0 && v.height > 0 && v.width <= kMaxImageSide &&
         v.height <= kMaxImageSide && static_cast<long long>(v.width) * v.height <= kMaxImagePixels &&
         rowStride >= v.width * v.channels;
}

int codeLimit(const ScanOptions& options) { return std::clamp(options.maxCodes, 1, 254); }

// One symbol more than the limit is asked for: finding it is how an image
// with too many codes is told from one with exactly the limit.
ZXing::DecodeHints toHints(const ScanOptions& options) {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode)
      .setTryHarder(options.tryHarder)
      .setTryRotate(options.tryRotate)
      .setMaxNumberOfSymbols(static_cast<std::uint8_t>(codeLimit(options) + 1));
  return hints;
}

std::vector<std::string> decode(const ZXing::ImageView& zxView, const ZXing::DecodeHints& hints) {
  std::vector<std::string> texts;
  for (const ZXing::Result& r : ZXing::ReadBarcodes(zxView, hints)) {
    // isValid() is false for symbols found but not decoded (checksum or
    // format errors); those carry no trustworthy text.
    if (r.isValid() && r.format() == ZXing::BarcodeFormat::QRCode) texts.push_back(r.text());
  }
  return texts;
}

// Light-on-dark codes (a phone screen in dark mode): ZXing 1.4 has no
// try-invert option, so an inverted gray copy is made here (colour pixels
// weighted as BT.601 luma).
std::vector<std::uint8_t> invertedGray(const ImageView& view, int rowStride) {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(view.width) * view.height);
  for (int y = 0; y < view.height; ++y) {
    const std::uint8_t* row = view.data + static_cast<std::size_t>(y) * rowStride;
    for (int x = 0; x < view.width; ++x) {
      const std::uint8_t* p = row + static_cast<std::size_t>(x) * view.channels;
      const int luma = view.channels == 1 ? p[0] : (77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8;
      out[static_cast<std::size_t>(y) * view.width + x] = static_cast<std::uint8_t>(255 - luma);
    }
  }
  return out;
}

std::vector<std::string> readTexts(const ImageView& view, const ScanOptions& options) {
  ZXing::ImageFormat format{};
  const int rowStride = view.rowStride != 0 ? view.rowStride : view.width * view.channels;
  if (!toZxingFormat(view.channels, format) || !isUsable(view, rowStride)) return {};
  const ZXing::ImageView zxView(view.data, view.width, view.height, format, rowStride);
  auto hints = toHints(options);
  auto texts = decode(zxView, hints);
  if (!texts.empty() || !options.tryHarder || !options.retryWhenNothingFound) return texts;
  // Nothing found: a second binarizer copes with uneven light where the
  // local one fails; the retries cost time only on images without a code.
  texts = decode(zxView, hints.setBinarizer(ZXing::Binarizer::GlobalHistogram));
  if (!texts.empty()) return texts;
  const auto inverted = invertedGray(view, rowStride);
  const ZXing::ImageView invView(inverted.data(), view.width, view.height, ZXing::ImageFormat::Lum);
  texts = decode(invView, hints.setBinarizer(ZXing::Binarizer::LocalAverage));
  return texts;
}

}  // namespace

QrScan scanQrCodes(const ImageView& view, const ScanOptions& options) noexcept {
  // ZXing may throw (std::bad_alloc at least); a scan that fails finds nothing.
  try {
    QrScan scan{readTexts(view, options), false};
    const auto limit = static_cast<std::size_t>(codeLimit(options));
    if (scan.texts.size() > limit) {
      scan.texts.resize(limit);
      scan.codesSkipped = true;
    }
    return scan;
  } catch (...) {
    return {};
  }
}

std::vector<std::string> readQrTexts(const ImageView& view, const ScanOptions& options) noexcept {
  return scanQrCodes(view, options).texts;
}

}  // namespace titlecert::scan
