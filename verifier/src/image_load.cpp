// PNG (libpng) and JPEG (libjpeg) files to 8-bit gray or RGB pixels.
//
// Both libraries report errors by longjmp (libjpeg's default would even
// call exit()). The rule kept here: a function that calls setjmp, and every
// callback the libraries make, holds no object with a destructor, so a
// longjmp never skips one. Each such function covers one phase of a decode
// (header, set-up, pixels); buffers and library structs are owned by the
// caller's frame, where RAII is safe. Limits are checked between the header
// phase and the first large allocation.
#include <png.h>

#include <algorithm>
#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

// jpeglib.h needs FILE and size_t declared before it.
#include <jerror.h>
#include <jpeglib.h>

#include "titlecert/scan.h"

namespace titlecert::scan {

namespace {

Error invalid(std::string detail) { return makeError(Code::INVALID_ARGUMENT, std::move(detail)); }

Status checkSize(long long width, long long height) {
  const std::string dims = std::to_string(width) + "x" + std::to_string(height);
  if (width < 1 || height < 1) return invalid("image " + dims + " has no pixels");
  if (width > kMaxImageSide || height > kMaxImageSide)
    return invalid("image " + dims + " exceeds " + std::to_string(kMaxImageSide) + " pixels per side");
  if (width * height > kMaxImagePixels) return invalid("image " + dims + " exceeds 40 megapixels");
  return Status::Ok();
}

bool startsWith(ByteView bytes, std::initializer_list<std::uint8_t> magic) {
  return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin());
}

// Blends `channels - 1` colour channels and one alpha channel over white,
// in place, leaving tightly packed pixels without alpha.
void flattenAlphaOverWhite(std::vector<std::uint8_t>& pixels, int channels, std::size_t pixelCount) {
  const auto colour = static_cast<std::size_t>(channels - 1);
  for (std::size_t i = 0; i < pixelCount; ++i) {
    const std::uint8_t* src = pixels.data() + i * (colour + 1);  // never behind dst: read first
    const unsigned alpha = src[colour];
    std::uint8_t out[3];
    for (std::size_t c = 0; c < colour; ++c)
      out[c] = static_cast<std::uint8_t>((src[c] * alpha + 255u * (255u - alpha) + 127u) / 255u);
    std::memcpy(pixels.data() + i * colour, out, colour);
  }
  pixels.resize(pixelCount * colour);
}

// ---------------------------------------------------------------- PNG

struct PngSource {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t pos;
  char message[160];
};

void readFromSource(png_structp png, png_bytep out, png_size_t length) {
  auto* src = static_cast<PngSource*>(png_get_io_ptr(png));
  if (length > src->size - src->pos) png_error(png, "truncated data");
  std::memcpy(out, src->data + src->pos, length);
  src->pos += length;
}

[[noreturn]] void onPngError(png_structp png, png_const_charp message) {
  auto* src = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(src->message, sizeof src->message, "%s", message);
  png_longjmp(png, 1);
}

void onPngWarning(png_structp, png_const_charp) {}  // ancillary damage: keep going, quietly

struct PngLayout {
  png_uint_32 width, height;
  int channels;  // after the transforms of preparePngPixels: 1..4
  std::size_t rowBytes;
};

// Phase 1: the chunks before the image data (IHDR, PLTE, tRNS, ...).
bool readPngHeader(png_structp png, png_infop info, PngSource* src, PngLayout* out) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_read_fn(png, src, readFromSource);
  png_read_info(png, info);
  out->width = png_get_image_width(png, info);
  out->height = png_get_image_height(png, info);
  return true;
}

// Phase 2: ask libpng for 8-bit gray, gray+alpha, RGB or RGBA.
bool preparePngPixels(png_structp png, png_infop info, PngLayout* out) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_expand(png);    // palette -> RGB, 1/2/4-bit gray -> 8-bit, tRNS -> alpha
  png_set_scale_16(png);  // 16-bit -> 8-bit
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  out->channels = png_get_channels(png, info);
  out->rowBytes = png_get_rowbytes(png, info);
  return true;
}

// Phase 3: the pixels, then the rest of the file up to IEND, so truncated
// or corrupt data is an error rather than a silently partial image.
bool readPngPixels(png_structp png, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_image(png, rows);
  png_read_end(png, nullptr);
  return true;
}

struct PngReader {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngReader() { png_destroy_read_struct(&png, &info, nullptr); }  // accepts nulls
};

Error pngError(const PngSource& src) { return invalid(std::string("corrupt PNG: ") + src.message); }

Result<Image> loadPng(ByteView bytes) {
  PngSource src{bytes.data(), bytes.size(), 0, "unknown error"};
  PngReader r;
  r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, onPngError, onPngWarning);
  if (r.png) r.info = png_create_info_struct(r.png);
  if (!r.info) return makeError(Code::INTERNAL_ERROR, "libpng: out of memory");
  PngLayout layout{};
  if (!readPngHeader(r.png, r.info, &src, &layout)) return pngError(src);
  TC_TRY(checkSize(layout.width, layout.height));
  if (!preparePngPixels(r.png, r.info, &layout)) return pngError(src);
  if (layout.channels < 1 || layout.channels > 4 ||
      layout.rowBytes != static_cast<std::size_t>(layout.width) * static_cast<std::size_t>(layout.channels))
    return makeError(Code::INTERNAL_ERROR, "libpng: unexpected pixel layout");

  Image image;
  image.width = static_cast<int>(layout.width);
  image.height = static_cast<int>(layout.height);
  image.pixels.resize(layout.rowBytes * layout.height);
  std::vector<png_bytep> rows(layout.height);
  for (std::size_t y = 0; y < rows.size(); ++y) rows[y] = image.pixels.data() + y * layout.rowBytes;
  if (!readPngPixels(r.png, rows.data())) return pngError(src);

  const std::size_t pixelCount = static_cast<std::size_t>(layout.width) * layout.height;
  image.channels = layout.channels;
  if (layout.channels == 2 || layout.channels == 4) {
    flattenAlphaOverWhite(image.pixels, layout.channels, pixelCount);
    image.channels = layout.channels - 1;
  }
  return image;
}

// --------------------------------------------------------------- JPEG

// Progressive JPEGs may hold any number of scans, each a full pass over the
// image: a small file could keep us busy for minutes. Real ones have ~10.
constexpr int kMaxJpegScans = 500;
// libjpeg's whole-image buffers (progressive / multi-scan files) beyond this
// are refused (it has no backing store): more than a 40 MP image needs.
constexpr long kMaxJpegMemory = 512L << 20;

struct JpegErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg hands us a pointer to it
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void onJpegError(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, e->message);
  std::longjmp(e->jump, 1);
}

void onJpegMessage(j_common_ptr cinfo, int level) {
  // libjpeg pads a truncated file with gray and only warns; for a scanner a
  // half-decoded image is corrupt input. Other warnings are ignored quietly.
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) onJpegError(cinfo);
}

// Our own refusals, reported the way libjpeg reports its errors.
[[noreturn]] void failJpeg(j_common_ptr cinfo, const char* message) {
  auto* e = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  std::snprintf(e->message, sizeof e->message, "%s", message);
  std::longjmp(e->jump, 1);
}

void onJpegProgress(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxJpegScans)
    failJpeg(cinfo, "too many progressive scans");
}

// Phase 1: markers up to the first scan.
bool readJpegHeader(j_decompress_ptr cinfo, JpegErrorManager* err, ByteView bytes) {
  if (setjmp(err->jump)) return false;
  jpeg_create_decompress(cinfo);
  cinfo->mem->max_memory_to_use = kMaxJpegMemory;
  jpeg_mem_src(cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(cinfo, TRUE);
  return true;
}

// Phase 2: decode every scanline into `pixels` (output_height rows of
// output_width * output_components bytes, checked by the caller).
bool readJpegPixels(j_decompress_ptr cinfo, JpegErrorManager* err, std::uint8_t* pixels, std::size_t rowBytes) {
  if (setjmp(err->jump)) return false;
  jpeg_start_decompress(cinfo);
  if (static_cast<std::size_t>(cinfo->output_width) * static_cast<std::size_t>(cinfo->output_components) != rowBytes)
    failJpeg(reinterpret_cast<j_common_ptr>(cinfo), "unexpected output size");  // never overrun the buffer
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = pixels + static_cast<std::size_t>(cinfo->output_scanline) * rowBytes;
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_decompress(cinfo);
  return true;
}

struct JpegReader {
  jpeg_decompress_struct cinfo{};  // zeroed: destroying it before create is a no-op
  JpegErrorManager err{};
  jpeg_progress_mgr progress{};
  ~JpegReader() { jpeg_destroy_decompress(&cinfo); }
};

// CMYK as Photoshop writes it (Adobe marker: stored inverted) or plain.
void cmykToRgb(const std::vector<std::uint8_t>& cmyk, bool inverted, std::vector<std::uint8_t>& rgb) {
  const std::size_t n = cmyk.size() / 4;
  rgb.resize(n * 3);
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned k = inverted ? cmyk[i * 4 + 3] : 255u - cmyk[i * 4 + 3];
    for (std::size_t c = 0; c < 3; ++c) {
      const unsigned v = inverted ? cmyk[i * 4 + c] : 255u - cmyk[i * 4 + c];
      rgb[i * 3 + c] = static_cast<std::uint8_t>((v * k + 127u) / 255u);
    }
  }
}

// Components of unknown meaning: their mean is as good a gray as any.
void meanToGray(const std::vector<std::uint8_t>& in, int components, std::vector<std::uint8_t>& gray) {
  const auto n = static_cast<std::size_t>(components);
  gray.resize(in.size() / n);
  for (std::size_t i = 0; i < gray.size(); ++i) {
    unsigned sum = 0;
    for (std::size_t c = 0; c < n; ++c) sum += in[i * n + c];
    gray[i] = static_cast<std::uint8_t>(sum / n);
  }
}

// What we ask libjpeg for, given what the file holds.
J_COLOR_SPACE outputSpaceFor(J_COLOR_SPACE stored) {
  switch (stored) {
    case JCS_GRAYSCALE: return JCS_GRAYSCALE;
    case JCS_YCbCr:
    case JCS_RGB: return JCS_RGB;
    case JCS_CMYK:
    case JCS_YCCK: return JCS_CMYK;
    default: return stored;  // libjpeg converts nothing else
  }
}

Error jpegError(const JpegReader& r) { return invalid(std::string("corrupt JPEG: ") + r.err.message); }

// Turns libjpeg's output (gray, RGB, CMYK or other) into gray or RGB.
Image toGrayOrRgb(const JpegReader& r, std::vector<std::uint8_t> decoded) {
  Image image;
  image.width = static_cast<int>(r.cinfo.output_width);
  image.height = static_cast<int>(r.cinfo.output_height);
  const int components = r.cinfo.output_components;
  if (r.cinfo.out_color_space == JCS_CMYK) {
    cmykToRgb(decoded, r.cinfo.saw_Adobe_marker != 0, image.pixels);
    image.channels = 3;
  } else if (components == 1 || components == 3) {
    image.pixels = std::move(decoded);
    image.channels = components;
  } else {
    meanToGray(decoded, components, image.pixels);
    image.channels = 1;
  }
  return image;
}

Result<Image> loadJpeg(ByteView bytes) {
  auto r = std::make_unique<JpegReader>();  // jmp_buf and friends: keep them off the stack
  r->cinfo.err = jpeg_std_error(&r->err.pub);
  r->err.pub.error_exit = onJpegError;
  r->err.pub.emit_message = onJpegMessage;
  r->progress.progress_monitor = onJpegProgress;
  if (!readJpegHeader(&r->cinfo, &r->err, bytes)) return jpegError(*r);
  r->cinfo.progress = &r->progress;
  TC_TRY(checkSize(r->cinfo.image_width, r->cinfo.image_height));
  if (r->cinfo.num_components < 1 || r->cinfo.num_components > 4)
    return invalid("corrupt JPEG: " + std::to_string(r->cinfo.num_components) + " components");

  r->cinfo.out_color_space = outputSpaceFor(r->cinfo.jpeg_color_space);
  const int components = r->cinfo.out_color_space == JCS_GRAYSCALE ? 1
                         : r->cinfo.out_color_space == JCS_RGB     ? 3
                         : r->cinfo.out_color_space == JCS_CMYK    ? 4
                                                                   : r->cinfo.num_components;
  const std::size_t rowBytes = static_cast<std::size_t>(r->cinfo.image_width) * static_cast<std::size_t>(components);
  std::vector<std::uint8_t> decoded(rowBytes * r->cinfo.image_height);
  if (!readJpegPixels(&r->cinfo, &r->err, decoded.data(), rowBytes)) return jpegError(*r);
  return toGrayOrRgb(*r, std::move(decoded));
}

struct FileClose {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

Result<Image> loadImage(ByteView fileBytes) {
  if (startsWith(fileBytes, {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) return loadPng(fileBytes);
  if (startsWith(fileBytes, {0xff, 0xd8, 0xff})) return loadJpeg(fileBytes);
  return invalid("not a PNG or JPEG");
}

Result<Image> loadImageFile(const std::string& path) {
  std::unique_ptr<std::FILE, FileClose> f(std::fopen(path.c_str(), "rb"));
  if (!f) return makeError(Code::IO_ERROR, "cannot open " + path + ": " + std::strerror(errno));
  // Read up to one byte past the cap: works for pipes too, where size is unknown.
  Bytes bytes;
  std::uint8_t chunk[1 << 16];
  while (bytes.size() <= kMaxFileBytes) {
    const std::size_t n = std::fread(chunk, 1, sizeof chunk, f.get());
    bytes.insert(bytes.end(), chunk, chunk + n);
    if (n < sizeof chunk) break;
  }
  if (std::ferror(f.get())) return makeError(Code::IO_ERROR, "cannot read " + path);
  if (bytes.size() > kMaxFileBytes)
    return invalid(path + " is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
  return loadImage(bytes);
}

}  // namespace titlecert::scan
