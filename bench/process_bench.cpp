// Process start to verdict, and peak RSS, of a command (the titlecert-verify
// CLI, or the openssl CLI as the floor): runs it N times (fork + exec +
// wait4) and prints the median wall time, the median CPU time (user + system,
// which a busy shared machine disturbs less) and the largest ru_maxrss.
// Usage: bench_process N [--stdin FILE] -- COMMAND ARGS...
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

}  // namespace

int main(int argc, char** argv) {
  int cmd = 2;
  const char* stdinPath = nullptr;
  if (argc > 4 && std::strcmp(argv[2], "--stdin") == 0) {
    stdinPath = argv[3];
    cmd = 4;
  }
  if (argc < cmd + 2 || std::strcmp(argv[cmd], "--") != 0) {
    std::fprintf(stderr, "usage: bench_process N [--stdin FILE] -- COMMAND ARGS...\n");
    return 2;
  }
  ++cmd;
  const int runs = std::max(1, std::atoi(argv[1]));
  std::vector<double> ms, cpuMs;
  long maxRssKiB = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
      const int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      if (stdinPath) dup2(open(stdinPath, O_RDONLY), 0);
      execvp(argv[cmd], argv + cmd);
      _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    cpuMs.push_back((seconds(usage.ru_utime) + seconds(usage.ru_stime)) * 1e3);
    maxRssKiB = std::max(maxRssKiB, usage.ru_maxrss);
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
      std::fprintf(stderr, "bench_process: the command failed (status %d)\n", status);
      return 1;
    }
  }
  std::printf("process start to verdict: median %.2f ms, min %.2f ms, cpu median %.2f ms over %d runs; "
              "peak RSS %.1f MiB\n",
              median(ms), *std::min_element(ms.begin(), ms.end()), median(cpuMs), runs,
              static_cast<double>(maxRssKiB) / 1024.0);
  return 0;
}
