// The offline verifier, per algorithm, next to the floors it is judged by:
//   Verify       Verifier::verify (the full check list)  vs  raw EVP verify of the same bytes
//   ScanToVerdict a 1280x720 camera-like frame -> verdict vs  ZXing's ReadBarcodes alone
//   FrameToVerdict tc_verify_frame on that frame           vs  the same ZXing decode
//   FrameNoCode   tc_verify_frame on a frame without a code vs  ZXing's ReadBarcodes of it
//   ImageNoCode   tc_verify_image (the thorough search) on it, for comparison
// Goals (docs/performance.md): verify throughput >= 0.9x raw; scan-to-verdict <= 1.1x ZXing;
// a camera frame <= 1.0x ZXing without a code, <= 1.1x with one.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>

#include <memory>

#include "image_transforms.h"
#include "raw_verify.h"
#include "support/world.h"
#include "titlecert/qr.h"
#include "titlecert/scan.h"
#include "titlecert/verifier.h"
#include "titlecert/verify.h"

using namespace titlecert;
using namespace titlecert::testing;
using crypto::Alg;

namespace {

const verifier::Verifier& sharedVerifier() {
  static const verifier::Verifier v = *verifier::Verifier::create(world().signedBundle(), world().root.publicKey());
  return v;
}

using bench::rawVerify;
using bench::sample;

void BM_VerifierVerify(benchmark::State& state, Alg alg) {
  const auto& v = sharedVerifier();
  const auto& s = sample(alg);
  for (auto _ : state) {
    auto o = v.verify(s.text, kNow);
    if (!o.valid()) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(o);
  }
  state.SetItemsProcessed(state.iterations());
}

// What batch mode does per line in the process: verify, then render the
// JSON line (its floor inside the process, without reading and writing).
void BM_VerifyAndRender(benchmark::State& state, Alg alg) {
  const auto& v = sharedVerifier();
  const auto& s = sample(alg);
  for (auto _ : state) {
    auto o = v.verify(s.text, kNow);
    if (!o.valid()) state.SkipWithError("verify failed");
    auto line = v.toJson(o, "1");
    benchmark::DoNotOptimize(line);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_VerifierRawVerify(benchmark::State& state, Alg alg) {
  const auto& s = sample(alg);
  EVP_PKEY* pkey = bench::rawPublicKey(alg);
  for (auto _ : state)
    if (!rawVerify(pkey, alg, s.toBeSigned, s.derSignature)) state.SkipWithError("raw verify failed");
  state.SetItemsProcessed(state.iterations());
}

// A printed certificate photographed on a desk: 5.5 px per module, turned
// 12°, a little blur and sensor noise, in a 1280x720 gray frame.
const scan::Image& frame() {
  static const scan::Image f = [] {
    int width = 0;
    auto matrix = *qr::encode(sample(Alg::SM2_SM3).text);
    scan::Image symbol;
    symbol.pixels = qr::toGray8(matrix, 8, 4, width);
    symbol.width = symbol.height = width;
    symbol.channels = 1;
    auto canvas = testimg::filled(1280, 720, 200);
    testimg::drawTransformed(canvas, symbol, 5.5 / 8, 12, 640, 360);
    testimg::boxBlur(canvas, 1, 1);
    testimg::addNoise(canvas, 6, 42);
    return canvas;
  }();
  return f;
}

void BM_ScanToVerdict(benchmark::State& state) {
  const auto& v = sharedVerifier();
  const auto view = scan::viewOf(frame());
  for (auto _ : state) {
    auto texts = scan::readQrTexts(view);
    if (texts.size() != 1 || !v.verify(texts[0], kNow).valid()) state.SkipWithError("scan or verify failed");
  }
}

void BM_ZXingDecodeOnly(benchmark::State& state) {
  const auto& f = frame();
  const ZXing::ImageView view(f.pixels.data(), f.width, f.height, ZXing::ImageFormat::Lum);
  const auto hints = ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode).setTryHarder(true).setTryRotate(true);
  for (auto _ : state) {
    auto results = ZXing::ReadBarcodes(view, hints);
    if (results.size() != 1) state.SkipWithError("zxing found no code");
    benchmark::DoNotOptimize(results);
  }
}

// The same desk without a code: what a camera loop sees on most frames.
const scan::Image& emptyFrame() {
  static const scan::Image f = [] {
    auto canvas = testimg::filled(1280, 720, 200);
    testimg::boxBlur(canvas, 1, 1);
    testimg::addNoise(canvas, 6, 42);
    return canvas;
  }();
  return f;
}

// The C API's verifier, as a terminal's camera loop holds it.
const tc_verifier* sharedCVerifier() {
  static const tc_verifier* v = [] {
    const Bytes bundle = world().signedBundle();
    const std::string root = world().root.publicKey().pem();
    tc_verifier* out = nullptr;
    return tc_verifier_new(bundle.data(), bundle.size(), root.c_str(), 0, &out) == TC_OK ? out : nullptr;
  }();
  return v;
}

using CEntry = tc_code (*)(const tc_verifier*, const uint8_t*, int, int, int, int, int64_t, const char*,
                           tc_result_list**);

// One C-API call per iteration; `expected` is the verdict of its one result.
void runCApi(benchmark::State& state, CEntry entry, const scan::Image& f, tc_code expected) {
  const tc_verifier* v = sharedCVerifier();
  for (auto _ : state) {
    tc_result_list* list = nullptr;
    if (entry(v, f.pixels.data(), f.width, f.height, 1, f.width, kNow, nullptr, &list) != TC_OK ||
        tc_result_list_size(list) != 1 || tc_result_code(tc_result_list_at(list, 0)) != expected)
      state.SkipWithError("unexpected verdict");
    tc_result_list_free(list);
  }
}

void BM_FrameToVerdict(benchmark::State& state) { runCApi(state, tc_verify_frame, frame(), TC_OK); }
void BM_FrameNoCode(benchmark::State& state) { runCApi(state, tc_verify_frame, emptyFrame(), TC_NO_CODE_FOUND); }
void BM_ImageNoCode(benchmark::State& state) { runCApi(state, tc_verify_image, emptyFrame(), TC_NO_CODE_FOUND); }

void BM_ZXingDecodeOnlyNoCode(benchmark::State& state) {
  const auto& f = emptyFrame();
  const ZXing::ImageView view(f.pixels.data(), f.width, f.height, ZXing::ImageFormat::Lum);
  const auto hints = ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode).setTryHarder(true).setTryRotate(true);
  for (auto _ : state) {
    auto results = ZXing::ReadBarcodes(view, hints);
    if (!results.empty()) state.SkipWithError("zxing found a code on an empty frame");
    benchmark::DoNotOptimize(results);
  }
}

}  // namespace

BENCHMARK_CAPTURE(BM_VerifierVerify, EdDSA, Alg::EdDSA);
BENCHMARK_CAPTURE(BM_VerifierVerify, ES256, Alg::ES256);
BENCHMARK_CAPTURE(BM_VerifierVerify, SM2_SM3, Alg::SM2_SM3);
BENCHMARK_CAPTURE(BM_VerifyAndRender, EdDSA, Alg::EdDSA);
BENCHMARK_CAPTURE(BM_VerifyAndRender, ES256, Alg::ES256);
BENCHMARK_CAPTURE(BM_VerifyAndRender, SM2_SM3, Alg::SM2_SM3);
BENCHMARK_CAPTURE(BM_VerifierRawVerify, EdDSA, Alg::EdDSA);
BENCHMARK_CAPTURE(BM_VerifierRawVerify, ES256, Alg::ES256);
BENCHMARK_CAPTURE(BM_VerifierRawVerify, SM2_SM3, Alg::SM2_SM3);
BENCHMARK(BM_ScanToVerdict)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ZXingDecodeOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameToVerdict)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameNoCode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ZXingDecodeOnlyNoCode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImageNoCode)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
