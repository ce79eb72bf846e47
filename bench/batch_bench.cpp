// Batch mode (`titlecert-verify -`) measured as users run it: the whole
// process from exec to exit, next to the raw EVP verify of the same
// credential in this process, interleaved so that both see the same machine.
// Per repetition and algorithm: raw verify, one batch process, raw verify
// again; the batch's CPU time per line is divided by the mean of the two raw
// figures around it. A run on empty input gives the start-up the batch
// spreads over its lines (reported apart, never subtracted from the goal's
// figure), and a `--jobs 0` run gives the throughput with every core.
//
// Usage: bench_batch VERIFY_BINARY REPETITIONS RAW_SECONDS EDDSA_LINES ES256_LINES SM2_LINES [--callgrind]
// Prints one line per measurement and, per algorithm, a summary line
//   batch-ratio ALG LINES e2e MEDIAN startup-excluded MEDIAN jobs0-wall MEDIAN
// (medians of the per-repetition ratios; >= 0.90 is the goal of e2e).
// --callgrind adds the same comparison in instructions (valgrind), which the
// load of a shared machine does not move:
//   batch-instructions ALG raw N per-line N startup N ratio-beyond-startup R ratio-at-LINES R
// `bench_batch --raw ALG COUNT` (what callgrind runs) makes COUNT raw verifies.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "raw_verify.h"
#include "titlecert/dates.h"

using namespace titlecert;
namespace fs = std::filesystem;

namespace {

struct ProcessCost {
  double cpuMs = 0;
  double wallMs = 0;
};

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// Runs the command with stdin from a file and stdout to /dev/null; its CPU
// time (user + system) comes from wait4, so this process's work is not in it.
ProcessCost runProcess(const std::vector<std::string>& args, const std::string& stdinPath) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(open("/dev/null", O_WRONLY), 1);
    dup2(open(stdinPath.c_str(), O_RDONLY), 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "bench_batch: %s failed (status %d)\n", args[0].c_str(), status);
    std::exit(1);
  }
  return {(seconds(usage.ru_utime) + seconds(usage.ru_stime)) * 1e3,
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()};
}

double threadCpuNs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

// CPU nanoseconds per raw verify, over at least `budget` seconds of CPU.
double rawVerifyNs(crypto::Alg alg, double budget) {
  const auto& s = bench::sample(alg);
  EVP_PKEY* key = bench::rawPublicKey(alg);
  const double start = threadCpuNs();
  long count = 0;
  double elapsed = 0;
  do {
    for (int i = 0; i < 16; ++i)
      if (!bench::rawVerify(key, alg, s.toBeSigned, s.derSignature)) std::abort();
    count += 16;
    elapsed = threadCpuNs() - start;
  } while (elapsed < budget * 1e9);
  return elapsed / static_cast<double>(count);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void writeFile(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// Instructions valgrind's callgrind counts for a whole command.
double instructions(const std::vector<std::string>& command, const std::string& stdinPath, const fs::path& log) {
  std::vector<std::string> args = {"/usr/bin/valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                                   "--log-file=" + log.string()};
  args.insert(args.end(), command.begin(), command.end());
  runProcess(args, stdinPath);
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);)
    if (const auto at = line.find("Collected : "); at != std::string::npos) return std::atof(line.c_str() + at + 12);
  return 0;
}

crypto::Alg algNamed(const std::string& name) {
  return name == "EdDSA" ? crypto::Alg::EdDSA : name == "ES256" ? crypto::Alg::ES256 : crypto::Alg::SM2_SM3;
}

int rawOnly(const std::string& alg, long count) {
  const auto a = algNamed(alg);
  const auto& s = bench::sample(a);
  EVP_PKEY* key = bench::rawPublicKey(a);
  for (long i = 0; i < count; ++i)
    if (!bench::rawVerify(key, a, s.toBeSigned, s.derSignature)) return 1;
  return 0;
}

struct AlgRun {
  crypto::Alg alg;
  const char* name;
  long lines;
  std::string input;
  std::vector<double> endToEnd, beyondStartup, allCoresWall;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--raw") return rawOnly(argv[2], std::atol(argv[3]));
  const bool callgrind = argc == 8 && std::string(argv[7]) == "--callgrind";
  if (argc != 7 && !callgrind) {
    std::fprintf(stderr, "usage: bench_batch VERIFY_BINARY REPETITIONS RAW_SECONDS EDDSA_LINES ES256_LINES SM2_LINES"
                         " [--callgrind]\n");
    return 2;
  }
  const std::string verifyBinary = argv[1];
  const int repetitions = std::max(1, std::atoi(argv[2]));
  const double rawSeconds = std::atof(argv[3]);
  std::vector<AlgRun> runs = {{crypto::Alg::EdDSA, "EdDSA", std::atol(argv[4]), {}, {}, {}, {}},
                              {crypto::Alg::ES256, "ES256", std::atol(argv[5]), {}, {}, {}, {}},
                              {crypto::Alg::SM2_SM3, "SM2_SM3", std::atol(argv[6]), {}, {}, {}, {}}};

  const auto& w = testing::world();
  const fs::path dir = fs::temp_directory_path() / ("titlecert-bench-batch-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const Bytes bundle = w.signedBundle();
  writeFile(dir / "bundle.cbor", std::string(bundle.begin(), bundle.end()));
  writeFile(dir / "root.pub.pem", w.root.publicKey().pem());
  writeFile(dir / "empty.txt", "");
  for (auto& r : runs) {
    r.input = (dir / (std::string(r.name) + ".txt")).string();
    std::string text;
    for (long i = 0; i < r.lines; ++i) text += bench::sample(r.alg).text + "\n";
    writeFile(r.input, text);
  }
  const std::vector<std::string> verify = {verifyBinary, "--bundle", (dir / "bundle.cbor").string(),
                                           "--root", (dir / "root.pub.pem").string(),
                                           "--now", dates::formatRfc3339(testing::kNow)};
  auto withJobs = [&](const char* jobs) {
    auto args = verify;
    args.insert(args.end(), {"--jobs", jobs, "-"});
    return args;
  };

  std::printf("# raw: EVP verify in this process (CPU); batch: titlecert-verify - exec to exit (CPU of the child)\n");
  for (int rep = 1; rep <= repetitions; ++rep) {
    const double startupMs = runProcess(withJobs("1"), (dir / "empty.txt").string()).cpuMs;
    std::printf("rep %d: start-up on empty input %.2f ms cpu\n", rep, startupMs);
    for (auto& r : runs) {
      if (r.lines <= 0) continue;
      const double rawBefore = rawVerifyNs(r.alg, rawSeconds);
      const ProcessCost one = runProcess(withJobs("1"), r.input);
      const double rawAfter = rawVerifyNs(r.alg, rawSeconds);
      const ProcessCost all = runProcess(withJobs("0"), r.input);
      const double raw = (rawBefore + rawAfter) / 2;
      const double lines = static_cast<double>(r.lines);
      const double lineNs = one.cpuMs * 1e6 / lines;
      const double beyondNs = std::max(1.0, one.cpuMs - startupMs) * 1e6 / lines;
      const double allWallNs = all.wallMs * 1e6 / lines;
      r.endToEnd.push_back(raw / lineNs);
      r.beyondStartup.push_back(raw / beyondNs);
      r.allCoresWall.push_back(raw / allWallNs);
      std::printf("rep %d %-7s raw %.1f/%.1f us, --jobs 1 %.1f us/line cpu -> %.3f (%.3f beyond start-up), "
                  "--jobs 0 %.1f us/line wall -> %.3f\n",
                  rep, r.name, rawBefore / 1e3, rawAfter / 1e3, lineNs / 1e3, r.endToEnd.back(),
                  r.beyondStartup.back(), allWallNs / 1e3, r.allCoresWall.back());
      std::fflush(stdout);
    }
  }
  for (const auto& r : runs) {
    if (r.endToEnd.empty()) continue;
    std::printf("batch-ratio %s %ld e2e %.3f startup-excluded %.3f jobs0-wall %.3f\n", r.name, r.lines,
                median(r.endToEnd), median(r.beyondStartup), median(r.allCoresWall));
  }
  if (callgrind) {
    // Small inputs: callgrind runs some 50 times slower.
    const long lines = 100;
    const double startup = instructions(withJobs("1"), (dir / "empty.txt").string(), dir / "cg.log");
    for (const auto& r : runs) {
      std::string text;
      for (long i = 0; i < lines; ++i) text += bench::sample(r.alg).text + "\n";
      writeFile(dir / "cg.txt", text);
      const double batch = instructions(withJobs("1"), (dir / "cg.txt").string(), dir / "cg.log");
      const std::vector<std::string> self = {fs::canonical("/proc/self/exe").string(), "--raw", r.name};
      auto rawCount = [&](long n) {
        auto args = self;
        args.push_back(std::to_string(n));
        return instructions(args, (dir / "empty.txt").string(), dir / "cg.log");
      };
      const double raw = (rawCount(lines) - rawCount(0)) / static_cast<double>(lines);
      const double perLine = (batch - startup) / static_cast<double>(lines);
      const double atLines = (perLine * static_cast<double>(r.lines) + startup) / static_cast<double>(r.lines);
      std::printf("batch-instructions %s raw %.0f per-line %.0f startup %.0f ratio-beyond-startup %.3f ratio-at-%ld %.3f\n",
                  r.name, raw, perLine, startup, raw / perLine, r.lines, raw / atLines);
      std::fflush(stdout);
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
