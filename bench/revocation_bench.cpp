// Sizes and load times of the revocation set codec next to the bound
// log2 C(N, R) and the formats other schemes ship: a bitstring under gzip
// (W3C status list), a list of 16-byte hashes (EU DCC revocation), a Bloom
// filter at 1e-6 false positives. Writes the table to stdout and to the file
// named by argv[1] (default bench/results/revocation.txt).
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "titlecert/revocation_set.h"

namespace {

using titlecert::revocation::RevocationSet;

constexpr double kLoadGoalMs = 20.0;

std::vector<std::uint64_t> randomIndices(std::uint64_t issued, std::uint64_t count, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<bool> chosen(issued, false);
  for (std::uint64_t j = issued - count; j < issued; ++j) {
    const std::uint64_t pick = std::uniform_int_distribution<std::uint64_t>(0, j)(random);
    chosen[chosen[pick] ? j : pick] = true;
  }
  std::vector<std::uint64_t> indices;
  indices.reserve(count);
  for (std::uint64_t i = 0; i < issued; ++i) {
    if (chosen[i]) indices.push_back(i);
  }
  return indices;
}

double log2Binomial(double issued, double revoked) {
  return (std::lgamma(issued + 1) - std::lgamma(revoked + 1) - std::lgamma(issued - revoked + 1)) / std::log(2.0);
}

// The bundle's current form: bit i of byte i/8, least significant first.
std::size_t gzippedBitstringBytes(std::uint64_t issued, const std::vector<std::uint64_t>& revoked) {
  std::vector<Bytef> bits((issued + 7) / 8, 0);
  for (const std::uint64_t index : revoked) bits[index / 8] = static_cast<Bytef>(bits[index / 8] | (1u << (index % 8)));
  uLongf size = compressBound(static_cast<uLong>(bits.size()));
  std::vector<Bytef> packed(size);
  if (compress2(packed.data(), &size, bits.data(), static_cast<uLong>(bits.size()), 9) != Z_OK) return 0;
  return size;
}

// m = -R ln(p) / (ln 2)^2 bits for false-positive rate p.
double bloomBytes(std::uint64_t revoked, double falsePositive) {
  const double ln2 = std::log(2.0);
  return std::ceil(-static_cast<double>(revoked) * std::log(falsePositive) / (ln2 * ln2) / 8.0);
}

// The median wall time of decoding `bytes`, in milliseconds.
double medianLoadMs(std::uint64_t issued, const std::vector<std::uint8_t>& bytes, int runs) {
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    auto decoded = RevocationSet::decode(issued, bytes);
    const auto end = std::chrono::steady_clock::now();
    if (!decoded.ok()) return -1;
    times.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "bench/results/revocation.txt";
  std::ostringstream out;
  out << "# revocation set codec: sizes in bytes (the issued count N is stored beside the set and not counted)\n";
  out << "# one random set per row (mt19937_64, fixed seed); load = decode to a lookup-ready set, median\n";
  out << "        N   R/N        R     ours    bound  ratio  goal    bits+gzip  hash16     bloom1e-6  load_ms\n";
  bool allWithinGoal = true;
  std::vector<std::string> loadLines;
  for (const std::uint64_t issued : {100'000ull, 1'000'000ull, 10'000'000ull}) {
    for (const double density : {0.0001, 0.001, 0.01, 0.1}) {
      const auto revokedCount = static_cast<std::uint64_t>(std::llround(density * static_cast<double>(issued)));
      const auto revoked = randomIndices(issued, revokedCount, 20261203 + issued + revokedCount);
      const auto bytes = RevocationSet::fromIndices(issued, revoked).value().encode();
      const double boundBits = log2Binomial(static_cast<double>(issued), static_cast<double>(revokedCount));
      const double ratio = static_cast<double>(bytes.size() * 8) / boundBits;
      allWithinGoal = allWithinGoal && ratio <= 1.15;
      const double loadMs = medianLoadMs(issued, bytes, issued >= 10'000'000 ? 5 : 15);
      char line[256];
      std::snprintf(line, sizeof line, "%9llu  %5.2f%% %8llu %8zu %8.0f  %5.3f  %-4s %10zu %9llu %10.0f  %8.3f\n",
                    static_cast<unsigned long long>(issued), density * 100, static_cast<unsigned long long>(revokedCount),
                    bytes.size(), boundBits / 8, ratio, ratio <= 1.15 ? "ok" : "OVER",
                    gzippedBitstringBytes(issued, revoked), static_cast<unsigned long long>(16 * revokedCount),
                    bloomBytes(revokedCount, 1e-6), loadMs);
      out << line;
      if (issued >= 1'000'000) {
        std::snprintf(line, sizeof line, "load N=%-9llu R=%-8llu %8.3f ms  = %.3f of the %.0f ms goal\n",
                      static_cast<unsigned long long>(issued), static_cast<unsigned long long>(revokedCount), loadMs,
                      loadMs / kLoadGoalMs, kLoadGoalMs);
        loadLines.push_back(line);
      }
    }
  }
  out << "\n# size goal <= 1.15 x log2 C(N,R) everywhere: " << (allWithinGoal ? "met" : "NOT met") << "\n";
  out << "# load times against the 20 ms goal (1e6 issued, and 1e6 revoked entries at N=1e7, 10 %)\n";
  for (const auto& line : loadLines) out << line;
  std::cout << out.str();
  std::ofstream file(path);
  file << out.str();
  return file ? 0 : 1;
}
