// Process start to verdict, and peak RSS, of a command (the titlecert-verify
// CLI, or the openssl CLI as the floor): runs it N times (fork + exec +
// wait4) and prints the median wall time, the median CPU time (user + system,
// which a busy shared machine disturbs less) and the largest ru_maxrss.
// Usage: bench_process N [--stdin FILE] [--vs FLOOR ARGS... ] -- COMMAND ARGS...
// With --vs, the floor and the command run in turns (floor, command, then
// command, floor, ...) so that a change of the machine's speed reaches both
// alike; a line for each and their ratios are printed.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <vector>

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

struct Samples {
  std::vector<double> wallMs, cpuMs;
  long maxRssKiB = 0;
};

// One fork + exec + wait4 of argv; false when the command failed.
bool runOnce(char** argv, const char* stdinPath, Samples& out) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    if (stdinPath) dup2(open(stdinPath, O_RDONLY), 0);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  out.wallMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  out.cpuMs.push_back((seconds(usage.ru_utime) + seconds(usage.ru_stime)) * 1e3);
  out.maxRssKiB = std::max(out.maxRssKiB, usage.ru_maxrss);
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
    std::fprintf(stderr, "bench_process: %s failed (status %d)\n", argv[0], status);
    return false;
  }
  return true;
}

void report(const char* label, const Samples& s) {
  std::printf("%sprocess start to verdict: median %.2f ms, min %.2f ms, cpu median %.2f ms over %zu runs; "
              "peak RSS %.1f MiB\n",
              label, median(s.wallMs), *std::min_element(s.wallMs.begin(), s.wallMs.end()), median(s.cpuMs),
              s.wallMs.size(), static_cast<double>(s.maxRssKiB) / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  int at = 2;
  const char* stdinPath = nullptr;
  if (argc > at + 1 && std::strcmp(argv[at], "--stdin") == 0) {
    stdinPath = argv[at + 1];
    at += 2;
  }
  // The floor's argv ends where "--" is: cut it there (argv stays in place).
  std::vector<char*> floorArgv;
  if (argc > at && std::strcmp(argv[at], "--vs") == 0) {
    for (++at; at < argc && std::strcmp(argv[at], "--") != 0; ++at) floorArgv.push_back(argv[at]);
    floorArgv.push_back(nullptr);
  }
  if (argc < at + 2 || std::strcmp(argv[at], "--") != 0 || floorArgv.size() == 1) {
    std::fprintf(stderr, "usage: bench_process N [--stdin FILE] [--vs FLOOR ARGS...] -- COMMAND ARGS...\n");
    return 2;
  }
  char** command = argv + at + 1;
  const int runs = std::max(1, std::atoi(argv[1]));
  Samples ours, floor;
  for (int i = 0; i < runs; ++i) {
    const bool floorFirst = i % 2 == 0;
    if (!floorArgv.empty() && floorFirst && !runOnce(floorArgv.data(), nullptr, floor)) return 1;
    if (!runOnce(command, stdinPath, ours)) return 1;
    if (!floorArgv.empty() && !floorFirst && !runOnce(floorArgv.data(), nullptr, floor)) return 1;
  }
  if (floorArgv.empty()) {
    report("", ours);
    return 0;
  }
  report("floor: ", floor);
  report("command: ", ours);
  std::printf("ratio command / floor: %.3f cpu, %.3f wall (medians, interleaved)\n",
              median(ours.cpuMs) / median(floor.cpuMs), median(ours.wallMs) / median(floor.wallMs));
  return 0;
}
