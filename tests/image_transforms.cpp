// Synthetic distortions and encoders for the QR image tests. The encoders
// use libpng / libjpeg with the same setjmp rule as the library: nothing
// with a destructor lives in a frame a longjmp may cross.
#include "image_transforms.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <random>

#include <jpeglib.h>

namespace titlecert::testimg {

namespace {

std::uint8_t toByte(double v) { return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

std::size_t at(const Image& img, int x, int y) {
  return static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(x);
}

// Bilinear value at (u, v) in pixel coordinates (pixel centres at +0.5);
// coordinates past the border repeat the border pixel.
double sampleBilinear(const Image& src, double u, double v) {
  u -= 0.5;
  v -= 0.5;
  const double fu = std::floor(u), fv = std::floor(v);
  const int x0 = static_cast<int>(fu), y0 = static_cast<int>(fv);
  const double ax = u - fu, ay = v - fv;
  auto px = [&](int x, int y) -> double {
    return src.pixels[at(src, std::clamp(x, 0, src.width - 1), std::clamp(y, 0, src.height - 1))];
  };
  const double top = px(x0, y0) * (1 - ax) + px(x0 + 1, y0) * ax;
  const double bottom = px(x0, y0 + 1) * (1 - ax) + px(x0 + 1, y0 + 1) * ax;
  return top * (1 - ay) + bottom * ay;
}

// One horizontal (dx = 1) or vertical (dx = 0) box pass with a running sum.
void boxPass(Image& img, int radius, bool horizontal) {
  const int lines = horizontal ? img.height : img.width;
  const int length = horizontal ? img.width : img.height;
  std::vector<int> line(static_cast<std::size_t>(length));
  for (int l = 0; l < lines; ++l) {
    auto index = [&](int i) { return horizontal ? at(img, i, l) : at(img, l, i); };
    for (int i = 0; i < length; ++i) line[static_cast<std::size_t>(i)] = img.pixels[index(i)];
    auto value = [&](int i) { return line[static_cast<std::size_t>(std::clamp(i, 0, length - 1))]; };
    int sum = 0;
    for (int i = -radius; i <= radius; ++i) sum += value(i);
    for (int i = 0; i < length; ++i) {
      img.pixels[index(i)] = static_cast<std::uint8_t>((sum + radius) / (2 * radius + 1));
      sum += value(i + radius + 1) - value(i - radius);
    }
  }
}

// ------------------------------------------------------------- PNG

struct PngOut {
  Bytes* bytes;
};

void pngWrite(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<PngOut*>(png_get_io_ptr(png));
  out->bytes->insert(out->bytes->end(), data, data + length);  // test code: bad_alloc would abort anyway
}
void pngFlush(png_structp) {}
[[noreturn]] void pngFail(png_structp png, png_const_charp) { png_longjmp(png, 1); }

bool writePng(png_structp png, png_infop info, PngOut* out, const Image* img, int bitDepth, int colorType,
              int interlace, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_write_fn(png, out, pngWrite, pngFlush);
  png_set_IHDR(png, info, static_cast<png_uint_32>(img->width), static_cast<png_uint_32>(img->height), bitDepth,
               colorType, interlace, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows);  // does the Adam7 passes itself
  png_write_end(png, nullptr);
  return true;
}

// Interleaves colour (+ alpha) samples at 8 or 16 bits, big-endian.
std::vector<std::uint8_t> pngSamples(const Image& img, int bitDepth, const std::vector<std::uint8_t>* alpha) {
  std::vector<std::uint8_t> out;
  const std::size_t pixels = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height);
  const auto channels = static_cast<std::size_t>(img.channels);
  auto put = [&](std::uint8_t v) {
    out.push_back(v);
    if (bitDepth == 16) out.push_back(v);  // v * 257: the same byte twice
  };
  for (std::size_t i = 0; i < pixels; ++i) {
    for (std::size_t c = 0; c < channels; ++c) put(img.pixels[i * channels + c]);
    if (alpha) put((*alpha)[i]);
  }
  return out;
}

// ------------------------------------------------------------ JPEG

struct JpegFail {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
};

[[noreturn]] void jpegFail(j_common_ptr cinfo) { std::longjmp(reinterpret_cast<JpegFail*>(cinfo->err)->jump, 1); }

struct JpegParams {
  int width, height, components, quality;
  bool cmyk, progressive;
};

bool writeJpeg(j_compress_ptr cinfo, JpegFail* err, const std::uint8_t* samples, const JpegParams* p,
               unsigned char** out, unsigned long* size) {
  if (setjmp(err->jump)) return false;
  jpeg_create_compress(cinfo);
  jpeg_mem_dest(cinfo, out, size);
  cinfo->image_width = static_cast<JDIMENSION>(p->width);
  cinfo->image_height = static_cast<JDIMENSION>(p->height);
  cinfo->input_components = p->components;
  cinfo->in_color_space = p->cmyk ? JCS_CMYK : p->components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(cinfo);  // CMYK: also writes the Adobe marker
  jpeg_set_quality(cinfo, p->quality, TRUE);
  if (p->progressive) jpeg_simple_progression(cinfo);
  jpeg_start_compress(cinfo, TRUE);
  const auto stride = static_cast<std::size_t>(p->width) * static_cast<std::size_t>(p->components);
  while (cinfo->next_scanline < cinfo->image_height) {
    auto row = const_cast<JSAMPROW>(samples + cinfo->next_scanline * stride);
    jpeg_write_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_compress(cinfo);
  return true;
}

}  // namespace

Image filled(int width, int height, std::uint8_t value) {
  Image img;
  img.width = width;
  img.height = height;
  img.channels = 1;
  img.pixels.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), value);
  return img;
}

void drawTransformed(Image& canvas, const Image& src, double scale, double degrees, double centreX,
                     double centreY) {
  const double rad = degrees * 3.14159265358979323846 / 180.0;
  const double c = std::cos(rad), s = std::sin(rad);
  for (int y = 0; y < canvas.height; ++y) {
    for (int x = 0; x < canvas.width; ++x) {
      // Inverse mapping: where in `src` does this canvas pixel come from?
      const double dx = x + 0.5 - centreX, dy = y + 0.5 - centreY;
      const double u = (c * dx + s * dy) / scale + src.width / 2.0;
      const double v = (-s * dx + c * dy) / scale + src.height / 2.0;
      if (u < 0 || v < 0 || u >= src.width || v >= src.height) continue;
      canvas.pixels[at(canvas, x, y)] = toByte(sampleBilinear(src, u, v));
    }
  }
}

void boxBlur(Image& img, int radius, int passes) {
  for (int p = 0; p < passes; ++p) {
    boxPass(img, radius, true);
    boxPass(img, radius, false);
  }
}

void setContrast(Image& img, std::uint8_t dark, std::uint8_t light) {
  for (auto& p : img.pixels) p = toByte(dark + (light - dark) * (p / 255.0));
}

void addNoise(Image& img, double sigma, std::uint32_t seed) {
  std::mt19937 rng(seed);  // its output sequence is fixed by the standard
  for (auto& p : img.pixels) {
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += static_cast<double>(rng()) / 4294967296.0;  // uniform [0, 1)
    p = toByte(p + sigma * (sum - 6.0));                        // variance 12 * 1/12 = 1
  }
}

Bytes encodePng(const Image& img, int bitDepth, bool interlaced, const std::vector<std::uint8_t>* alpha) {
  std::vector<std::uint8_t> samples = pngSamples(img, bitDepth, alpha);
  const std::size_t rowBytes = samples.size() / static_cast<std::size_t>(img.height);
  std::vector<png_bytep> rows(static_cast<std::size_t>(img.height));
  for (std::size_t y = 0; y < rows.size(); ++y) rows[y] = samples.data() + y * rowBytes;
  const int colorType = img.channels == 1 ? (alpha ? PNG_COLOR_TYPE_GRAY_ALPHA : PNG_COLOR_TYPE_GRAY)
                                          : (alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB);
  Bytes bytes;
  PngOut out{&bytes};
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, pngFail, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  const bool ok = info && writePng(png, info, &out, &img, bitDepth, colorType,
                                   interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, rows.data());
  png_destroy_write_struct(&png, &info);
  return ok ? bytes : Bytes{};
}

Bytes encodeJpeg(const Image& img, int quality, bool cmyk, bool progressive) {
  std::vector<std::uint8_t> samples = img.pixels;
  int components = img.channels;
  if (cmyk) {  // Adobe CMYK is stored inverted: 255 = no ink. All in K here.
    samples.clear();
    for (std::size_t i = 0; i < img.pixels.size(); i += static_cast<std::size_t>(img.channels))
      samples.insert(samples.end(), {255, 255, 255, img.pixels[i]});
    components = 4;
  }
  jpeg_compress_struct cinfo{};
  JpegFail err{};
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = jpegFail;
  unsigned char* out = nullptr;
  unsigned long size = 0;
  const JpegParams params{img.width, img.height, components, quality, cmyk, progressive};
  const bool ok = writeJpeg(&cinfo, &err, samples.data(), &params, &out, &size);
  jpeg_destroy_compress(&cinfo);
  Bytes bytes;
  if (ok && out) bytes.assign(out, out + size);
  std::free(out);  // jpeg_mem_dest's buffer is malloc'd and ours to free
  return bytes;
}

}  // namespace titlecert::testimg
