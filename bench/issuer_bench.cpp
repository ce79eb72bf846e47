// The issuer service's throughput, next to the floors it is compared with,
// all measured in the same run:
//
//   BM_RawSign/ALG        PrivateKey::sign of a credential-sized message, one
//                         thread (rates in real time, like the issuance's)
//   BM_IssueBatch/ALG     validate + number + sign + store + audit: a list of
//                         1024 rows, committed in groups of batch.commit_rows
//                         (256; durable: WAL, synchronous=FULL)
//   BM_StorageFloor/ALG   the same rows BM_IssueBatch stored, inserted again
//                         into a copy of its database, same settings and group
//                         size, committed durably: no signing (storage_floor.h)
//   BM_IssueSingle/ALG    the same, one transaction per credential
//   BM_IssueHttp/ALG      POST /v1/certificates from 8 concurrent clients
//   BM_Scrypt             the holder binding alone (left out of the issue
//                         figures: the service is given a precomputed one)
//   BM_QrPngLibqrencode   libqrencode + a plain 1-bit libpng write (floor), at
//                         zlib's default level and at level 9
//   BM_QrPngTitlecert     titlecert_qr: encode + 1-bit PNG
//   BM_QrPngService       the service's uncached /qr.png path (DB read included)
//
// Goals (docs/issuer.md): issue batch >= 0.8x min(raw sign, storage floor); QR PNG <= 1.2x floor.
// Run: build-bench/bench/bench_issuer [--benchmark_min_time=0.5]
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <benchmark/benchmark.h>
#include <png.h>
#include <qrencode.h>
#include <stdlib.h>

#include <cstdlib>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "titlecert/idh.h"
#include "titlecert/issuer/http_requests.h"
#include "titlecert/issuer/server.h"
#include "titlecert/issuer/service.h"
#include "storage_floor.h"
#include "title_request.h"
#include "titlecert/qr.h"

using namespace titlecert;
using namespace titlecert::issuer;

namespace {

// The binding is measured apart (BM_Scrypt): here it is a constant.
class PrecomputedBinder final : public HolderBinder {
 public:
  Result<idh::Idh> bind(std::string_view, std::string_view) const override { return idh::Idh{1, 2, 3}; }
};

std::atomic<int> nameCounter{0};

nlohmann::json titleBody() {
  const int n = nameCounter++;
  return titlecert::bench::reviewTitleRequest("阿依古丽·买买提" + std::to_string(n), "CN:650102199001011239");
}

struct Bench {
  std::string dir;
  std::unique_ptr<Service> service;
  std::unique_ptr<HttpServer> server;
  std::string token;
  ManualClock clock{1795741200};
  ~Bench() {
    server.reset();
    service.reset();
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(dir).parent_path(), ec);
  }
};

Bench& bench(crypto::Alg alg) {
  static std::map<crypto::Alg, std::unique_ptr<Bench>> all;
  auto& b = all[alg];
  if (b) return *b;
  b = std::make_unique<Bench>();
  std::string pattern = (std::filesystem::temp_directory_path() / "titlecert-bench-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) std::abort();
  b->dir = pattern + "/data";
  auto init = Service::init({b->dir, "bench-passphrase", alg, std::nullopt, std::nullopt, std::nullopt, std::nullopt}, b->clock);
  if (!init) std::abort();
  b->token = init->adminToken;
  // TITLECERT_BENCH_COMMIT_ROWS tries another batch.commit_rows (the group
  // size of BM_IssueBatch and of the storage floor alike).
  if (const char* rows = std::getenv("TITLECERT_BENCH_COMMIT_ROWS"))
    std::ofstream(b->dir + "/issuer.properties", std::ios::app) << "batch.commit_rows = " << rows << "\n";
  auto s = Service::open({b->dir, "bench-passphrase", std::make_shared<PrecomputedBinder>()}, b->clock);
  if (!s) std::abort();
  b->service = std::move(s).value();
  auto srv = HttpServer::start(*b->service, "127.0.0.1:0");
  if (!srv) std::abort();
  b->server = std::move(srv).value();
  return *b;
}

crypto::Alg algOf(const benchmark::State& state) { return static_cast<crypto::Alg>(state.range(0)); }

void BM_RawSign(benchmark::State& state) {
  auto key = crypto::PrivateKey::generate(algOf(state));
  const Bytes message(260, 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(key->sign(message));
  state.SetItemsProcessed(state.iterations());
}

void BM_IssueBatch(benchmark::State& state) {
  Bench& b = bench(algOf(state));
  constexpr std::size_t kRows = 1024;
  for (auto _ : state) {
    // Writing the clerks' JSON is the bench's work, not the issuer's; reading
    // it (readIssueRequest) is issuance and stays timed. Fresh names each
    // time: a row seen before would be answered from its request key.
    state.PauseTiming();
    std::vector<std::string> bodies;
    bodies.reserve(kRows);
    for (std::size_t i = 0; i < kRows; ++i) bodies.push_back(titleBody().dump());
    state.ResumeTiming();
    std::vector<BatchRow> rows;
    rows.reserve(kRows);
    for (std::size_t i = 0; i < kRows; ++i) rows.push_back({i + 1, readIssueRequest(bodies[i])});
    auto out = b.service->issueBatch(rows, localOperator());
    if (!out.back().result.ok()) state.SkipWithError(out.back().result.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kRows));
}

// Rows per transaction in BM_IssueBatch: batch.commit_rows.
std::size_t commitRows() {
  const char* rows = std::getenv("TITLECERT_BENCH_COMMIT_ROWS");
  return rows ? static_cast<std::size_t>(std::atol(rows)) : 256;
}

void BM_StorageFloor(benchmark::State& state) {
  Bench& b = bench(algOf(state));
  constexpr int kRows = 1024;
  // Rows of this algorithm's issuer to copy (BM_IssueBatch has usually
  // stored them already).
  std::vector<BatchRow> rows;
  for (std::size_t i = 0; i < kRows; ++i) rows.push_back({i + 1, readIssueRequest(titleBody().dump())});
  b.service->issueBatch(rows, localOperator());
  const std::string floorDb = std::filesystem::path(b.dir).parent_path() / "floor.db";
  bench::StorageFloor floor(b.dir + "/issuer.db", floorDb, kRows);
  if (!floor.ok()) return state.SkipWithError(floor.error().c_str());
  for (auto _ : state)
    if (!floor.insertAll(commitRows())) return state.SkipWithError(floor.error().c_str());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(floor.sampleRows()));
}

void BM_IssueSingle(benchmark::State& state) {
  Bench& b = bench(algOf(state));
  for (auto _ : state) {
    auto request = readIssueRequest(titleBody().dump());
    if (!request) std::abort();
    auto r = b.service->issue(*request, localOperator());
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

void postIssue(std::uint16_t port, const std::string& token, int count) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  for (int i = 0; i < count; ++i) {
    const std::string body = titleBody().dump();
    Poco::Net::HTTPRequest request("POST", "/v1/certificates", Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    Poco::NullOutputStream sink;
    Poco::StreamCopier::copyStream(session.receiveResponse(response), sink);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_CREATED) std::abort();
  }
}

void BM_IssueHttp(benchmark::State& state) {
  Bench& b = bench(algOf(state));
  constexpr int kClients = 8, kEach = 16;
  for (auto _ : state) {
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) clients.emplace_back(postIssue, b.server->port(), b.token, kEach);
    for (auto& t : clients) t.join();
  }
  state.SetItemsProcessed(state.iterations() * kClients * kEach);
}

void BM_Scrypt(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(idh::derive("CN:650102199001011239", "650100-2026-000001"));
  state.SetItemsProcessed(state.iterations());
}

std::string samplePayload() {
  Bench& b = bench(crypto::Alg::SM2_SM3);
  static const std::string payload = [&] {
    auto r = b.service->issue(*readIssueRequest(titleBody().dump()), localOperator());
    return r ? r->payload : std::string();
  }();
  return payload;
}

// The floor: libqrencode, then libpng writing 1-bit gray rows directly.
Bytes floorPng(const std::string& text, int module, int quiet, int zlibLevel) {
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!code) return {};
  const int side = (code->width + 2 * quiet) * module;
  Bytes out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &out, [](png_structp p, png_bytep data, png_size_t n) {
    auto* o = static_cast<Bytes*>(png_get_io_ptr(p));
    o->insert(o->end(), data, data + n);
  }, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(side), static_cast<png_uint_32>(side), 1, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (zlibLevel >= 0) png_set_compression_level(png, zlibLevel);
  png_write_info(png, info);
  std::vector<png_byte> row(static_cast<std::size_t>((side + 7) / 8));
  for (int y = 0; y < side; ++y) {
    std::fill(row.begin(), row.end(), 0xff);
    const int my = y / module - quiet;
    for (int x = 0; x < side; ++x) {
      const int mx = x / module - quiet;
      const bool dark = my >= 0 && mx >= 0 && my < code->width && mx < code->width && (code->data[my * code->width + mx] & 1);
      if (dark) row[static_cast<std::size_t>(x / 8)] &= static_cast<png_byte>(~(0x80 >> (x % 8)));
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  QRcode_free(code);
  return out;
}

// state.range(0): zlib level (-1: libpng's default, 6; 9: what titlecert_qr uses).
void BM_QrPngLibqrencode(benchmark::State& state) {
  const std::string text = samplePayload();
  for (auto _ : state) benchmark::DoNotOptimize(floorPng(text, 8, 4, static_cast<int>(state.range(0))));
  state.SetItemsProcessed(state.iterations());
}

void BM_QrPngTitlecert(benchmark::State& state) {
  const std::string text = samplePayload();
  for (auto _ : state) {
    auto m = qr::encode(text);
    benchmark::DoNotOptimize(qr::toPng(*m, 8, 4));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_QrPngService(benchmark::State& state) {
  Bench& b = bench(crypto::Alg::SM2_SM3);
  // Fresh certificates each time, so the LRU cache never answers.
  std::vector<std::string> numbers;
  for (int i = 0; i < 512; ++i) numbers.push_back(b.service->issue(*readIssueRequest(titleBody().dump()), localOperator())->certNo);
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == numbers.size()) {
      state.PauseTiming();
      for (auto& n : numbers) n = b.service->issue(*readIssueRequest(titleBody().dump()), localOperator())->certNo;
      i = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(b.service->qrPng(numbers[i++]));
  }
  state.SetItemsProcessed(state.iterations());
}

const std::vector<std::int64_t> kAlgs = {static_cast<std::int64_t>(crypto::Alg::EdDSA),
                                         static_cast<std::int64_t>(crypto::Alg::ES256),
                                         static_cast<std::int64_t>(crypto::Alg::SM2_SM3)};

void algs(benchmark::internal::Benchmark* b) {
  for (auto a : kAlgs) b->Arg(a);
  b->ArgName("alg");
}

BENCHMARK(BM_RawSign)->Apply(algs)->UseRealTime();
// Rates in real time (what a clerk waits for); the CPU column of these two
// is every thread of the process, the work a loaded machine has to find.
BENCHMARK(BM_IssueBatch)->Apply(algs)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_StorageFloor)->Apply(algs)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_IssueSingle)->Apply(algs)->UseRealTime();
BENCHMARK(BM_IssueHttp)->Apply(algs)->UseRealTime()->Iterations(8);
BENCHMARK(BM_Scrypt)->Iterations(20);
BENCHMARK(BM_QrPngLibqrencode)->Arg(-1)->Arg(9)->ArgName("zlib");
BENCHMARK(BM_QrPngTitlecert);
BENCHMARK(BM_QrPngService);

}  // namespace

BENCHMARK_MAIN();
