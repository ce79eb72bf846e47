// QR rendering with libqrencode (the symbol) and libpng (the 1-bit image).
//
// libpng reports errors by longjmp. The rule kept here: the function that
// calls setjmp (writePngImage) and everything libpng calls back into hold
// no object with a destructor, so a longjmp never skips one. Buffers and
// the libpng structs are owned one frame further out, where RAII is safe.
#include "titlecert/qr.h"

#include <png.h>
#include <qrencode.h>

#include <array>
#include <cerrno>
#include <csetjmp>
#include <cstddef>
#include <memory>
#include <string>

namespace titlecert::qr {

namespace {

// The QR alphanumeric set (ISO/IEC 18004 table 5) is exactly the Base45
// alphabet, which is why ZC1 texts fit alphanumeric mode.
constexpr std::string_view kAlphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

constexpr std::array<bool, 256> makeAlphanumericTable() {
  std::array<bool, 256> table{};
  for (char c : kAlphanumeric) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kIsAlphanumeric = makeAlphanumericTable();

// A version-40 symbol holds at most 7089 digits; anything longer cannot fit
// in any mode, and the check keeps the length inside libqrencode's int.
constexpr std::size_t kMaxQrCharacters = 7089;

bool isAlphanumeric(std::string_view text) {
  for (char c : text)
    if (!kIsAlphanumeric[static_cast<unsigned char>(c)]) return false;
  return true;
}

QRecLevel toQrLevel(EcLevel level) {
  switch (level) {
    case EcLevel::L: return QR_ECLEVEL_L;
    case EcLevel::M: return QR_ECLEVEL_M;
    case EcLevel::Q: return QR_ECLEVEL_Q;
    case EcLevel::H: return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

struct QrInputFree {
  void operator()(QRinput* p) const { QRinput_free(p); }
};
struct QrCodeFree {
  void operator()(QRcode* p) const { QRcode_free(p); }
};

Error encodeFailure(const char* step) {
  // ERANGE is libqrencode's "does not fit in version 40".
  if (errno == ERANGE) return makeError(Code::PAYLOAD_TOO_LARGE, "QR: text does not fit in any QR version");
  return makeError(Code::INTERNAL_ERROR, std::string("QR: ") + step + " failed (errno " + std::to_string(errno) + ")");
}

// One explicit segment instead of QRcode_encodeString: that function only
// takes QR_MODE_8 / QR_MODE_KANJI hints (others are EINVAL) and may split a
// Base45 text into numeric and alphanumeric runs.
Result<std::unique_ptr<QRcode, QrCodeFree>> encodeSegment(std::string_view text, EcLevel level) {
  std::unique_ptr<QRinput, QrInputFree> input(QRinput_new2(0, toQrLevel(level)));  // 0: smallest version
  if (!input) return encodeFailure("QRinput_new2");
  const QRencodeMode mode = isAlphanumeric(text) ? QR_MODE_AN : QR_MODE_8;
  errno = 0;
  if (QRinput_append(input.get(), mode, static_cast<int>(text.size()),
                     reinterpret_cast<const unsigned char*>(text.data())) != 0)
    return encodeFailure("QRinput_append");
  errno = 0;
  std::unique_ptr<QRcode, QrCodeFree> code(QRcode_encodeInput(input.get()));
  if (!code) return encodeFailure("QRcode_encodeInput");
  return code;
}

bool isWellFormed(const Matrix& m) {
  return m.size > 0 && m.size <= 177 && m.dark.size() == static_cast<std::size_t>(m.size) * m.size;
}

// Image side in pixels, or 0 when the arguments are unusable.
int imageSide(const Matrix& m, int moduleSize, int quietZone) {
  if (!isWellFormed(m) || moduleSize < 1 || quietZone < 0 || quietZone > kMaxImageSide) return 0;
  const long long side = (static_cast<long long>(m.size) + 2LL * quietZone) * moduleSize;
  return side <= kMaxImageSide ? static_cast<int>(side) : 0;
}

bool isDark(const Matrix& m, int x, int y) {
  if (x < 0 || y < 0 || x >= m.size || y >= m.size) return false;  // quiet zone
  return m.dark[static_cast<std::size_t>(y) * m.size + x] != 0;
}

// --- PNG (see the setjmp rule at the top of this file) ---

struct PngSink {
  Bytes* out;
};

void writeToSink(png_structp png, png_bytep data, png_size_t length) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  bool ok = true;
  try {
    sink->out->insert(sink->out->end(), data, data + length);
  } catch (...) {  // an exception must not unwind through libpng's C frames
    ok = false;
  }
  if (!ok) png_error(png, "out of memory");
}

void flushSink(png_structp) {}

[[noreturn]] void onPngError(png_structp png, png_const_charp) { png_longjmp(png, 1); }
void onPngWarning(png_structp, png_const_charp) {}  // nothing to warn about on write

// Packs one module row into 1-bit pixels, most significant bit first,
// 1 = white (PNG gray: 0 is black).
void packRow(const Matrix& m, int moduleY, int moduleSize, int quietZone, int side, png_bytep row) {
  const std::size_t rowBytes = (static_cast<std::size_t>(side) + 7) / 8;
  for (std::size_t i = 0; i < rowBytes; ++i) row[i] = 0xff;
  for (int px = 0; px < side; ++px) {
    if (isDark(m, px / moduleSize - quietZone, moduleY))
      row[px / 8] = static_cast<png_byte>(row[px / 8] & ~(0x80u >> (px % 8)));
  }
}

// Every libpng call that can fail. `row` holds (side + 7) / 8 bytes.
bool writePngImage(png_structp png, png_infop info, PngSink* sink, const Matrix* m, int moduleSize,
                   int quietZone, int side, png_bytep row) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_write_fn(png, sink, writeToSink, flushSink);
  png_set_IHDR(png, info, static_cast<png_uint_32>(side), static_cast<png_uint_32>(side), 1, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  // zlib's default level: level 9 costs ~5x the time for a few bytes on a
  // 1-bit image, and PNGs are rendered on request.
  png_set_compression_level(png, PNG_Z_DEFAULT_COMPRESSION);
  png_write_info(png, info);
  const int modulesPerSide = side / moduleSize;
  for (int my = 0; my < modulesPerSide; ++my) {
    packRow(*m, my - quietZone, moduleSize, quietZone, side, row);
    for (int repeat = 0; repeat < moduleSize; ++repeat) png_write_row(png, row);
  }
  png_write_end(png, nullptr);
  return true;
}

struct PngWriter {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngWriter() { png_destroy_write_struct(&png, &info); }  // accepts nulls
};

void appendNumber(std::string& out, int n) { out += std::to_string(n); }

}  // namespace

Result<Matrix> encode(std::string_view text, EcLevel level, int maxVersion) {
  if (text.empty()) return makeError(Code::INVALID_ARGUMENT, "QR: empty text");
  if (maxVersion < 1 || maxVersion > 40)
    return makeError(Code::INVALID_ARGUMENT, "QR: maxVersion must be 1..40, not " + std::to_string(maxVersion));
  if (text.size() > kMaxQrCharacters)
    return makeError(Code::PAYLOAD_TOO_LARGE, "QR: " + std::to_string(text.size()) + " characters cannot fit");
  TC_ASSIGN(auto code, encodeSegment(text, level));
  if (code->version > maxVersion)
    return makeError(Code::PAYLOAD_TOO_LARGE, "QR: needs version " + std::to_string(code->version) +
                                                  ", limit " + std::to_string(maxVersion));
  Matrix m;
  m.size = code->width;
  m.version = code->version;
  const std::size_t count = static_cast<std::size_t>(m.size) * m.size;
  m.dark.resize(count);
  for (std::size_t i = 0; i < count; ++i) m.dark[i] = code->data[i] & 1u;  // bit 0: dark module
  return m;
}

Bytes toPng(const Matrix& matrix, int moduleSize, int quietZone) {
  const int side = imageSide(matrix, moduleSize, quietZone);
  if (side == 0) return {};
  Bytes out;
  std::vector<png_byte> row((static_cast<std::size_t>(side) + 7) / 8);
  PngSink sink{&out};
  PngWriter w;
  w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, onPngError, onPngWarning);
  if (w.png) w.info = png_create_info_struct(w.png);
  if (!w.info) return {};
  if (!writePngImage(w.png, w.info, &sink, &matrix, moduleSize, quietZone, side, row.data())) return {};
  return out;
}

std::string toSvg(const Matrix& matrix, int quietZone) {
  const int side = imageSide(matrix, 1, quietZone);
  if (side == 0) return {};
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ";
  appendNumber(out, side);
  out += ' ';
  appendNumber(out, side);
  out += "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One sub-path per horizontal run of dark modules keeps the path short.
  for (int y = 0; y < matrix.size; ++y) {
    for (int x = 0; x < matrix.size;) {
      if (!isDark(matrix, x, y)) { ++x; continue; }
      int run = 1;
      while (isDark(matrix, x + run, y)) ++run;
      out += 'M'; appendNumber(out, x + quietZone);
      out += ' '; appendNumber(out, y + quietZone);
      out += 'h'; appendNumber(out, run);
      out += "v1h-"; appendNumber(out, run);
      out += 'z';
      x += run;
    }
  }
  out += "\"/></svg>\n";
  return out;
}

Bytes toGray8(const Matrix& matrix, int moduleSize, int quietZone, int& widthOut) {
  widthOut = 0;
  const int side = imageSide(matrix, moduleSize, quietZone);
  if (side == 0) return {};
  Bytes pixels(static_cast<std::size_t>(side) * side);
  for (int y = 0; y < side; ++y) {
    std::uint8_t* row = pixels.data() + static_cast<std::size_t>(y) * side;
    const int my = y / moduleSize - quietZone;
    for (int x = 0; x < side; ++x) row[x] = isDark(matrix, x / moduleSize - quietZone, my) ? 0 : 255;
  }
  widthOut = side;
  return pixels;
}

}  // namespace titlecert::qr
