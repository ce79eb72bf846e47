// QR images: rendering (libqrencode + libpng), loading (libpng + libjpeg)
// and scanning (ZXing-cpp 1.4), from our own symbols through synthetic
// camera frames to zxing-cpp's sample corpus.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "image_transforms.h"
#include "titlecert/qr.h"
#include "titlecert/scan.h"

namespace {

using namespace titlecert;
namespace fs = std::filesystem;

constexpr std::string_view kBase45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

// "ZC1:" followed by Base45-alphabet characters up to `length`, from a
// fixed seed (the QR layer only cares about the alphabet and the length).
std::string zc1Text(std::size_t length, std::uint32_t seed = 1) {
  std::mt19937 rng(seed);
  std::string text = "ZC1:";
  while (text.size() < length) text += kBase45[rng() % kBase45.size()];
  return text;
}

qr::Matrix encodeOk(std::string_view text, qr::EcLevel level = qr::EcLevel::M) {
  auto m = qr::encode(text, level);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().detail);
  return m.ok() ? *m : qr::Matrix{};
}

scan::Image loadOk(ByteView bytes) {
  auto img = scan::loadImage(bytes);
  EXPECT_TRUE(img.ok()) << (img.ok() ? "" : img.error().detail);
  return img.ok() ? *img : scan::Image{};
}

std::vector<std::string> scanImage(const scan::Image& img) { return scan::readQrTexts(scan::viewOf(img)); }

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::uint32_t readBigEndian32(const Bytes& b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 | std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}

// ------------------------------------------------------------ QrRender

TEST(QrRender, WorkedNumbersOfZc1AtLevelM) {
  // ZC1.md §7: 279 characters -> version 10, 445 -> version 13, at M.
  const qr::Matrix v10 = encodeOk(zc1Text(279));
  EXPECT_EQ(v10.version, 10);
  EXPECT_EQ(v10.size, 57);
  EXPECT_EQ(v10.dark.size(), 57u * 57u);
  const qr::Matrix v13 = encodeOk(zc1Text(445));
  EXPECT_EQ(v13.version, 13);
  EXPECT_EQ(v13.size, 69);
}

TEST(QrRender, AlphanumericModeCapacityBoundary) {
  // Version 10-M holds 311 alphanumeric characters (ISO/IEC 18004 table 7)
  // but only 213 bytes: landing exactly on 311/312 proves alphanumeric mode.
  EXPECT_EQ(encodeOk(zc1Text(311)).version, 10);
  EXPECT_EQ(encodeOk(zc1Text(312)).version, 11);
}

TEST(QrRender, TextOutsideAlphanumericSetIsByteModeAndCaseSensitive) {
  const std::string text = "zc1:lower case, UTF-8 \xe8\x81\x8c\xe7\xa7\xb0";
  const qr::Matrix m = encodeOk(text);
  const scan::Image img = loadOk(qr::toPng(m, 4));
  EXPECT_EQ(scanImage(img), std::vector<std::string>{text});
}

TEST(QrRender, HigherEcLevelNeverShrinksTheSymbol) {
  const std::string text = zc1Text(279);
  const int l = encodeOk(text, qr::EcLevel::L).version, m = encodeOk(text, qr::EcLevel::M).version;
  const int q = encodeOk(text, qr::EcLevel::Q).version, h = encodeOk(text, qr::EcLevel::H).version;
  EXPECT_LE(l, m);
  EXPECT_LE(m, q);
  EXPECT_LE(q, h);
  EXPECT_LT(l, h);
}

TEST(QrRender, PngIsOneBitGrayWithQuietZoneAndRoundTrips) {
  const std::string text = zc1Text(279);
  const qr::Matrix m = encodeOk(text);
  const Bytes png = qr::toPng(m);  // 8 px per module, 4-module quiet zone
  ASSERT_GT(png.size(), 33u);
  const int side = (57 + 2 * 4) * 8;
  // IHDR is the first chunk: length at 8, type at 12, then the fields.
  EXPECT_EQ(asText(ByteView(png).subspan(12, 4)), "IHDR");
  EXPECT_EQ(readBigEndian32(png, 16), static_cast<std::uint32_t>(side));
  EXPECT_EQ(readBigEndian32(png, 20), static_cast<std::uint32_t>(side));
  EXPECT_EQ(png[24], 1) << "bit depth";
  EXPECT_EQ(png[25], 0) << "colour type: gray";
  EXPECT_EQ(png[28], 0) << "not interlaced";

  const scan::Image img = loadOk(png);
  ASSERT_EQ(img.width, side);
  ASSERT_EQ(img.channels, 1);
  const int quiet = 4 * 8;
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      if (x < quiet || y < quiet || x >= side - quiet || y >= side - quiet) {
        ASSERT_EQ(img.pixels[static_cast<std::size_t>(y * side + x)], 255) << x << "," << y;
      }
    }
  }
  // The finder pattern's corner starts right after the quiet zone.
  EXPECT_EQ(img.pixels[static_cast<std::size_t>(quiet * side + quiet)], 0);
  EXPECT_EQ(scanImage(img), std::vector<std::string>{text});

  // The 8-bit rendering of the same symbol has the same pixels.
  int width = 0;
  const Bytes gray = qr::toGray8(m, 8, 4, width);
  EXPECT_EQ(width, side);
  EXPECT_EQ(gray, img.pixels);
  std::printf("[qr] 279 chars, v10-M, 8 px/module: PNG %zu bytes (1-bit), raw 8-bit %zu bytes\n", png.size(),
              gray.size());
}

TEST(QrRender, SvgHasOnePathAndViewBoxInModules) {
  const qr::Matrix m = encodeOk(zc1Text(445));
  const std::string svg = qr::toSvg(m);
  EXPECT_NE(svg.find("viewBox=\"0 0 77 77\""), std::string::npos) << svg.substr(0, 200);
  EXPECT_NE(svg.find("crispEdges"), std::string::npos);
  const auto first = svg.find("<path");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(svg.find("<path", first + 1), std::string::npos) << "exactly one path";
  // The top-left finder row: 7 dark modules starting at the quiet zone.
  EXPECT_NE(svg.find("M4 4h7v1h-7z"), std::string::npos);
  EXPECT_NE(qr::toSvg(m, 0).find("viewBox=\"0 0 69 69\""), std::string::npos);
}

TEST(QrRender, RefusesWhatDoesNotFit) {
  const std::string text = zc1Text(445);
  auto capped = qr::encode(text, qr::EcLevel::M, 12);
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.code(), Code::PAYLOAD_TOO_LARGE);
  EXPECT_NE(capped.error().detail.find("version 13"), std::string::npos) << capped.error().detail;
  EXPECT_TRUE(qr::encode(text, qr::EcLevel::M, 13).ok());

  EXPECT_EQ(qr::encode(zc1Text(4000), qr::EcLevel::M).code(), Code::PAYLOAD_TOO_LARGE);  // > v40-M (3391)
  EXPECT_TRUE(qr::encode(zc1Text(4296), qr::EcLevel::L).ok());                         // exactly v40-L
  EXPECT_EQ(qr::encode(zc1Text(4297), qr::EcLevel::L).code(), Code::PAYLOAD_TOO_LARGE);
  EXPECT_EQ(qr::encode(std::string(100000, 'A')).code(), Code::PAYLOAD_TOO_LARGE);
  EXPECT_EQ(qr::encode("").code(), Code::INVALID_ARGUMENT);
  EXPECT_EQ(qr::encode("ZC1:", qr::EcLevel::M, 0).code(), Code::INVALID_ARGUMENT);
  EXPECT_EQ(qr::encode("ZC1:", qr::EcLevel::M, 41).code(), Code::INVALID_ARGUMENT);
}

TEST(QrRender, RenderersRefuseMalformedInput) {
  const qr::Matrix m = encodeOk("ZC1:ABC");
  qr::Matrix broken = m;
  broken.dark.pop_back();
  int width = -1;
  EXPECT_TRUE(qr::toPng(broken).empty());
  EXPECT_TRUE(qr::toSvg(broken).empty());
  EXPECT_TRUE(qr::toGray8(broken, 1, 4, width).empty());
  EXPECT_EQ(width, 0);
  EXPECT_TRUE(qr::toPng(m, 0).empty());
  EXPECT_TRUE(qr::toPng(m, 8, -1).empty());
  EXPECT_TRUE(qr::toPng(m, 1000).empty()) << "side above kMaxImageSide";
  EXPECT_FALSE(qr::toPng(m, 1, 0).empty());
}

// -------------------------------------------------------------- QrScan

TEST(QrScan, OwnPngs) {
  std::uint32_t seed = 10;
  for (std::size_t length : {100u, 180u, 279u, 445u, 600u, 800u, 1000u}) {
    const std::string text = zc1Text(length, seed++);
    const qr::Matrix m = encodeOk(text);
    for (int moduleSize : {2, 5}) {
      SCOPED_TRACE("length " + std::to_string(length) + ", version " + std::to_string(m.version) +
                   ", module " + std::to_string(moduleSize) + " px");
      EXPECT_EQ(scanImage(loadOk(qr::toPng(m, moduleSize))), std::vector<std::string>{text});
    }
  }
}

TEST(QrScan, TwoCodesInOneImageBothRead) {
  const std::string a = zc1Text(120, 7), b = zc1Text(150, 8);
  int wa = 0, wb = 0;
  const Bytes ga = qr::toGray8(encodeOk(a), 3, 4, wa), gb = qr::toGray8(encodeOk(b), 3, 4, wb);
  scan::Image canvas = testimg::filled(wa + wb, std::max(wa, wb), 255);
  for (int y = 0; y < wa; ++y)
    std::copy_n(ga.begin() + y * wa, wa, canvas.pixels.begin() + y * canvas.width);
  for (int y = 0; y < wb; ++y)
    std::copy_n(gb.begin() + y * wb, wb, canvas.pixels.begin() + y * canvas.width + wa);
  std::vector<std::string> texts = scanImage(canvas);
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts, (std::vector<std::string>{a, b}));
  scan::ScanOptions one;
  one.maxCodes = 1;
  EXPECT_EQ(scan::readQrTexts(scan::viewOf(canvas), one).size(), 1u);
}

struct FrameVariant {
  const char* name;
  double degrees;
  int blurRadius;  // 0: sharp
  std::uint8_t dark, light;
  double noiseSigma;
};

// The 445-character symbol (version 13, 77 modules with its quiet zone) at
// ~5.5 px per module in a 1280x720 camera frame: a phone held at reading
// distance from a printed certificate.
scan::Image cameraFrame(const qr::Matrix& m, const FrameVariant& v) {
  int width = 0;
  const Bytes sharp = qr::toGray8(m, 8, 4, width);
  scan::Image symbol{width, width, 1, sharp};
  scan::Image frame = testimg::filled(1280, 720, 200);  // a light desk around the paper
  testimg::drawTransformed(frame, symbol, 5.5 / 8, v.degrees, 640, 360);
  if (v.blurRadius > 0) testimg::boxBlur(frame, v.blurRadius);
  testimg::setContrast(frame, v.dark, v.light);
  testimg::addNoise(frame, v.noiseSigma, 20240601);
  return frame;
}

TEST(QrScan, NoisyFrame) {
  const std::string text = zc1Text(445, 99);
  const qr::Matrix m = encodeOk(text);
  const FrameVariant variants[] = {
      {"upright, noise 12", 0, 0, 0, 255, 12},
      {"rotated 10", 10, 0, 0, 255, 12},
      {"rotated 45", 45, 0, 0, 255, 12},
      {"rotated 90", 90, 0, 0, 255, 12},
      {"rotated 200", 200, 0, 0, 255, 12},
      {"blurred r1 x3 (sigma ~1.4 px)", 0, 1, 0, 255, 8},
      {"blurred r2 x3 (sigma ~2.4 px)", 0, 2, 0, 255, 4},
      {"low contrast 100..160", 0, 0, 100, 160, 6},
      {"combined: 30 deg, blur r1, 90..170, noise 8", 30, 1, 90, 170, 8},
  };
  for (const FrameVariant& v : variants) {
    SCOPED_TRACE(v.name);
    const scan::Image frame = cameraFrame(m, v);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(scanImage(frame), std::vector<std::string>{text});
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::printf("[frame] %-45s %4lld ms\n", v.name, static_cast<long long>(ms.count()));
  }
}

TEST(QrScan, UnusableViewsFindNothing) {
  const std::uint8_t pixels[16] = {};
  EXPECT_TRUE(scan::readQrTexts({nullptr, 4, 4, 1, 4}).empty());
  EXPECT_TRUE(scan::readQrTexts({pixels, 4, 4, 2, 8}).empty()) << "2 channels";
  EXPECT_TRUE(scan::readQrTexts({pixels, 4, 4, 1, 3}).empty()) << "row stride below width";
  EXPECT_TRUE(scan::readQrTexts({pixels, 0, 4, 1, 0}).empty());
  EXPECT_TRUE(scan::readQrTexts({pixels, 4, 4, 1, 0}).empty()) << "blank";
  EXPECT_TRUE(scan::readQrTexts({pixels, 16384, 4096, 1, 16384}).empty()) << "67 MP: refused before ZXing reads";
}

// -------------------------------------------------------- ZXingSamples

const fs::path kCorpus = fs::path(TITLECERT_SHARED_DIR) / "testdata" / "zxing-cpp-qr";

// Counts ZXing-cpp 1.4 (Debian 12) reads at rotation 0 with our default
// ScanOptions (tryHarder, tryRotate), where they are below the manifest's
// minimum, which was tuned for zxing-cpp at a later commit. A ratchet: the
// count may rise (then raise the pin) but never fall; drop a pin once the
// manifest minimum is reached. Measured with libzxing2 1.4.0-3+b1; our
// loader's pixels were checked equal to ImageMagick's for every sample, so
// the gap is the decoder's.
const std::map<std::string, int> kPinnedRot0 = {
    // manifest 48. Misses: QR model 1, circular modules, a high-res photo,
    // #1086, #940, 12, 13. (Inverted codes read since scan.cpp retries an
    // inverted copy.)
    {"qrcode-2", 47},
    // manifest 28. Misses: 22, 23. (21 reads with the GlobalHistogram retry.)
    {"qrcode-3", 26},
    // qrcode-4 reaches the manifest's 16 with the GlobalHistogram retry.
};

struct FolderCount {
  int read = 0, total = 0;
  std::vector<std::string> missed;
};

std::vector<std::string> scanFile(const fs::path& path) {
  auto img = scan::loadImageFile(path.string());
  EXPECT_TRUE(img.ok()) << path << ": " << (img.ok() ? "" : img.error().detail);
  return img.ok() ? scanImage(*img) : std::vector<std::string>{};
}

TEST(ZXingSamples, PerFolderAtRotation0) {
  const nlohmann::json manifest = nlohmann::json::parse(readFile(kCorpus / "manifest.json"));
  const auto& thresholds = manifest.at("thresholds");
  for (const auto& dir : fs::directory_iterator(kCorpus / "samples"))
    EXPECT_TRUE(thresholds.contains(dir.path().filename().string())) << "folder not in manifest: " << dir.path();

  std::map<std::string, FolderCount> counts;
  std::map<std::string, std::string> groupText;  // structured append: message so far, in file order
  std::map<std::string, int> groupSymbols;
  std::map<std::string, std::string> groupFolder;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& entry : manifest.at("images")) {
    const std::string folder = entry.at("folder");
    const fs::path image = kCorpus / entry.at("image").get<std::string>();
    const std::vector<std::string> texts = scanFile(image);
    FolderCount& c = counts[folder];
    if (entry.value("expectNoDecode", false)) {
      ++c.total;
      if (!texts.empty()) {
        ++c.read;
        ADD_FAILURE() << "false positive: " << image << " decoded as \"" << texts.front() << "\"";
      }
      continue;
    }
    if (entry.contains("structuredAppendGroup")) {
      const std::string group = entry.at("structuredAppendGroup");
      groupFolder[group] = folder;
      if (texts.size() == 1) {
        ++groupSymbols[group];
        groupText[group] += texts.front();
      }
      continue;
    }
    const std::string expected = readFile(kCorpus / entry.at("expectedText").get<std::string>());
    ++c.total;
    if (std::find(texts.begin(), texts.end(), expected) != texts.end())
      ++c.read;
    else
      c.missed.push_back(image.filename().string());
  }
  // A structured-append message counts once, when all of its symbols were
  // read and, joined in sequence order (= file order), give the expected text.
  for (const auto& [group, text] : groupText) {
    FolderCount& c = counts[groupFolder[group]];
    ++c.total;
    const std::string expected = readFile(kCorpus / (group + ".txt"));
    std::printf("[corpus] zxing %s: structured append %s: %d symbols read\n", groupFolder[group].c_str(),
                group.c_str(), groupSymbols[group]);
    if (text == expected) ++c.read; else c.missed.push_back(group);
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  for (const auto& [folder, c] : counts) {
    const auto& t = thresholds.at(folder);
    if (t.contains("maxFalseDecodes")) {
      std::printf("[corpus] zxing %s: %d of %d images decoded (must be 0)\n", folder.c_str(), c.read, c.total);
      continue;
    }
    const int manifestMin = t.at("rot0");
    const auto pin = kPinnedRot0.find(folder);
    const std::string pinText = pin == kPinnedRot0.end() ? "-" : std::to_string(pin->second);
    std::printf("[corpus] zxing %s: read %d of %d (manifest min %d, pinned %s)", folder.c_str(), c.read, c.total,
                manifestMin, pinText.c_str());
    if (!c.missed.empty()) {
      std::printf("; missed:");
      for (const auto& name : c.missed) std::printf(" %s", name.c_str());
    }
    std::printf("\n");
    EXPECT_EQ(c.total, t.at("total").get<int>()) << folder;
    EXPECT_GE(c.read, pin == kPinnedRot0.end() ? manifestMin : pin->second) << folder;
  }
  std::printf("[corpus] %zu images scanned in %.1f s\n", manifest.at("images").size(), seconds);
}

// ----------------------------------------------------------- ImageLoad

std::uint32_t crc32(const std::uint8_t* data, std::size_t n) {
  std::uint32_t crc = 0xffffffffu;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void appendBigEndian32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void appendChunk(Bytes& png, const char* type, const Bytes& data) {
  appendBigEndian32(png, static_cast<std::uint32_t>(data.size()));
  const std::size_t typeAt = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), data.begin(), data.end());
  appendBigEndian32(png, crc32(png.data() + typeAt, png.size() - typeAt));
}

// A well-formed PNG header for any size: the signature, IHDR, an IDAT whose
// contents do not matter (limits come first), IEND.
Bytes pngHeaderOnly(std::uint32_t width, std::uint32_t height, std::uint8_t bitDepth = 8) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  Bytes ihdr;
  appendBigEndian32(ihdr, width);
  appendBigEndian32(ihdr, height);
  ihdr.insert(ihdr.end(), {bitDepth, 0, 0, 0, 0});  // gray, deflate, no filter, no interlace
  appendChunk(png, "IHDR", ihdr);
  appendChunk(png, "IDAT", {0x78, 0x01});
  appendChunk(png, "IEND", {});
  return png;
}

void expectInvalid(ByteView bytes, const std::string& detailPart, const std::string& what) {
  auto img = scan::loadImage(bytes);
  ASSERT_FALSE(img.ok()) << what;
  EXPECT_EQ(img.code(), Code::INVALID_ARGUMENT) << what;
  EXPECT_NE(img.error().detail.find(detailPart), std::string::npos) << what << ": " << img.error().detail;
}

TEST(ImageLoad, NotAnImage) {
  expectInvalid(asBytes("hello, world"), "not a PNG or JPEG", "text");
  expectInvalid({}, "not a PNG or JPEG", "empty");
  expectInvalid(asBytes("GIF89a\x01\x00\x01\x00"), "not a PNG or JPEG", "GIF");
}

TEST(ImageLoad, HugeDimensionsRefusedFromTheHeader) {
  expectInvalid(pngHeaderOnly(100000, 100000), "exceeds 16384 pixels per side", "PNG 100000x100000");
  expectInvalid(pngHeaderOnly(16384, 16384), "exceeds 40 megapixels", "PNG 16384x16384");
  expectInvalid(pngHeaderOnly(20000, 10), "exceeds 16384", "PNG 20000x10");
  expectInvalid(pngHeaderOnly(0, 10), "corrupt PNG", "PNG 0x10 (libpng refuses)");
  expectInvalid(pngHeaderOnly(10, 10, 3), "corrupt PNG", "PNG bit depth 3");

  // A JPEG whose SOF0 claims 60000 x 60000 (JPEG sizes are 16-bit).
  Bytes jpeg = testimg::encodeJpeg(testimg::filled(16, 16, 128));
  ASSERT_FALSE(jpeg.empty());
  std::size_t sof = 2;
  while (sof + 9 < jpeg.size() && !(jpeg[sof] == 0xff && jpeg[sof + 1] == 0xc0)) ++sof;
  ASSERT_LT(sof + 9, jpeg.size()) << "no SOF0";
  for (std::size_t at : {sof + 5, sof + 7}) {  // height, width: 0xea60 = 60000
    jpeg[at] = 0xea;
    jpeg[at + 1] = 0x60;
  }
  expectInvalid(jpeg, "exceeds 16384 pixels per side", "JPEG 60000x60000");
}

TEST(ImageLoad, EveryTruncatedPngIsAnError) {
  const Bytes png = qr::toPng(encodeOk("ZC1:TRUNCATE ME"), 1);
  ASSERT_TRUE(scan::loadImage(png).ok());
  for (std::size_t n = 0; n < png.size(); ++n) {
    auto img = scan::loadImage(ByteView(png).first(n));
    EXPECT_EQ(img.code(), Code::INVALID_ARGUMENT) << "first " << n << " of " << png.size() << " bytes";
  }
}

TEST(ImageLoad, EveryFlippedBytePngIsAnError) {
  // Every byte of a PNG is covered by the signature, a chunk CRC or a
  // length that then mismatches: one flipped byte anywhere must be caught.
  const Bytes png = qr::toPng(encodeOk("ZC1:FLIP"), 1);
  for (std::size_t i = 0; i < png.size(); ++i) {
    Bytes bad = png;
    bad[i] ^= 0x20;
    auto img = scan::loadImage(bad);
    EXPECT_EQ(img.code(), Code::INVALID_ARGUMENT) << "byte " << i << " of " << png.size();
  }
}

TEST(ImageLoad, TruncatedAndCorruptJpegAreErrors) {
  int width = 0;
  const Bytes gray = qr::toGray8(encodeOk("ZC1:JPEG"), 4, 4, width);
  const Bytes jpeg = testimg::encodeJpeg({width, width, 1, gray});
  ASSERT_TRUE(scan::loadImage(jpeg).ok());
  for (std::size_t n = 0; n < jpeg.size(); n += 7) {
    auto img = scan::loadImage(ByteView(jpeg).first(n));
    EXPECT_EQ(img.code(), Code::INVALID_ARGUMENT) << "first " << n << " of " << jpeg.size() << " bytes";
  }
  expectInvalid(ByteView(jpeg).first(jpeg.size() - 2), "Premature end", "JPEG without EOI");
  // Garbage after the SOI marker: libjpeg's own error, no exit().
  Bytes garbage = {0xff, 0xd8, 0xff};
  for (int i = 0; i < 200; ++i) garbage.push_back(static_cast<std::uint8_t>(i * 37));
  expectInvalid(garbage, "corrupt JPEG", "JPEG garbage");
  // Damaged entropy-coded data decodes to wrong pixels (JPEG has no
  // checksum) but must never crash or fail to terminate.
  Bytes damaged = jpeg;
  for (std::size_t i = damaged.size() / 2; i < damaged.size() - 2; i += 5) damaged[i] ^= 0x5a;
  (void)scan::loadImage(damaged);
  for (std::size_t i = 0; i < jpeg.size(); ++i) {  // and one flipped byte anywhere
    Bytes flipped = jpeg;
    flipped[i] ^= 0x20;
    (void)scan::loadImage(flipped);
  }
}

// The segments of a JPEG from the first SOS marker up to the next marker
// that is not a restart or stuffed byte: one scan's header and data.
std::pair<std::size_t, std::size_t> firstScan(const Bytes& jpeg) {
  std::size_t sos = 2;
  while (sos + 1 < jpeg.size() && !(jpeg[sos] == 0xff && jpeg[sos + 1] == 0xda)) ++sos;
  std::size_t end = sos + 2;
  while (end + 1 < jpeg.size() &&
         !(jpeg[end] == 0xff && jpeg[end + 1] != 0x00 && (jpeg[end + 1] < 0xd0 || jpeg[end + 1] > 0xd7)))
    ++end;
  return {sos, end};
}

TEST(ImageLoad, JpegWithThousandsOfScansIsRefused) {
  // A small file can repeat one progressive scan without end; libjpeg only
  // warns and decodes every repeat. Ours stops after kMaxJpegScans.
  const Bytes jpeg = testimg::encodeJpeg(testimg::filled(64, 64, 128), 90, false, true);
  ASSERT_TRUE(scan::loadImage(jpeg).ok());
  const auto [sos, end] = firstScan(jpeg);
  ASSERT_LT(end, jpeg.size());
  auto repeated = [&](int times) {
    Bytes out(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(end));
    for (int i = 1; i < times; ++i)
      out.insert(out.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(sos), jpeg.begin() + static_cast<std::ptrdiff_t>(end));
    out.insert(out.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(end), jpeg.end());
    return out;
  };
  EXPECT_TRUE(scan::loadImage(repeated(100)).ok()) << "bogus but bounded: libjpeg decodes it";
  expectInvalid(repeated(2000), "too many progressive scans", "2000 scans");
}

TEST(ImageLoad, JpegGrayRgbAndCmykLoadAndScan) {
  const std::string text = zc1Text(200, 5);
  int width = 0;
  const Bytes gray = qr::toGray8(encodeOk(text), 4, 4, width);
  const scan::Image grayImg{width, width, 1, gray};
  scan::Image rgbImg{width, width, 3, {}};
  for (std::uint8_t v : gray) rgbImg.pixels.insert(rgbImg.pixels.end(), {v, v, v});

  const scan::Image fromGray = loadOk(testimg::encodeJpeg(grayImg));
  EXPECT_EQ(fromGray.channels, 1);
  EXPECT_EQ(fromGray.width, width);
  EXPECT_EQ(scanImage(fromGray), std::vector<std::string>{text});

  const scan::Image fromRgb = loadOk(testimg::encodeJpeg(rgbImg));
  EXPECT_EQ(fromRgb.channels, 3);
  EXPECT_EQ(fromRgb.pixels.size(), gray.size() * 3);
  EXPECT_EQ(scanImage(fromRgb), std::vector<std::string>{text});

  const scan::Image fromCmyk = loadOk(testimg::encodeJpeg(grayImg, 95, true));
  EXPECT_EQ(fromCmyk.channels, 3);
  ASSERT_EQ(fromCmyk.pixels.size(), gray.size() * 3);
  EXPECT_GT(fromCmyk.pixels[0], 200) << "quiet zone stays light (Adobe inversion handled)";
  EXPECT_EQ(scanImage(fromCmyk), std::vector<std::string>{text});
}

TEST(ImageLoad, PngVariantsBecomeGrayOrRgb) {
  const std::string text = zc1Text(150, 6);
  int width = 0;
  const Bytes gray = qr::toGray8(encodeOk(text), 3, 4, width);
  const scan::Image grayImg{width, width, 1, gray};

  for (int depth : {8, 16}) {
    for (bool interlaced : {false, true}) {
      SCOPED_TRACE("depth " + std::to_string(depth) + (interlaced ? " interlaced" : ""));
      const scan::Image img = loadOk(testimg::encodePng(grayImg, depth, interlaced));
      EXPECT_EQ(img.channels, 1);
      EXPECT_EQ(img.pixels, gray);
    }
  }
  // Dark modules on a transparent background whose hidden colour is black:
  // alpha is composited over white, as on paper.
  std::vector<std::uint8_t> alpha(gray.size());
  scan::Image inkOnly = grayImg;
  for (std::size_t i = 0; i < gray.size(); ++i) {
    alpha[i] = gray[i] == 0 ? 255 : 0;
    inkOnly.pixels[i] = 0;
  }
  const scan::Image flattened = loadOk(testimg::encodePng(inkOnly, 8, false, &alpha));
  EXPECT_EQ(flattened.channels, 1);
  EXPECT_EQ(flattened.pixels, gray);
  EXPECT_EQ(scanImage(flattened), std::vector<std::string>{text});

  scan::Image rgb{width, width, 3, {}};
  for (std::uint8_t v : gray) rgb.pixels.insert(rgb.pixels.end(), {v, v, v});
  const scan::Image rgba = loadOk(testimg::encodePng(rgb, 16, true, &alpha));
  EXPECT_EQ(rgba.channels, 3);
  EXPECT_EQ(scanImage(rgba), std::vector<std::string>{text});
}

TEST(ImageLoad, FileErrors) {
  EXPECT_EQ(scan::loadImageFile("/nonexistent/titlecert/qr.png").code(), Code::IO_ERROR);
  EXPECT_EQ(scan::loadImageFile(fs::temp_directory_path().string()).code(), Code::IO_ERROR) << "a directory";
  const fs::path jpg = kCorpus / "samples" / "qrcode-2" / "#142.jpg";
  auto img = scan::loadImageFile(jpg.string());
  ASSERT_TRUE(img.ok()) << img.error().detail;
  EXPECT_GT(img->width, 0);
}

}  // namespace
