// Process start to verdict, and peak RSS, of the titlecert-verify CLI: runs
// the command N times (fork + exec + wait4) and prints the median wall time
// and the largest ru_maxrss. Usage: bench_process N -- COMMAND ARGS...
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

int main(int argc, char** argv) {
  if (argc < 4 || std::strcmp(argv[2], "--") != 0) {
    std::fprintf(stderr, "usage: bench_process N -- COMMAND ARGS...\n");
    return 2;
  }
  const int runs = std::atoi(argv[1]);
  std::vector<double> ms;
  long maxRssKiB = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
      const int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      execv(argv[3], argv + 3);
      _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    maxRssKiB = std::max(maxRssKiB, usage.ru_maxrss);
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
      std::fprintf(stderr, "bench_process: the command failed (status %d)\n", status);
      return 1;
    }
  }
  std::sort(ms.begin(), ms.end());
  std::printf("process start to verdict: median %.2f ms, min %.2f ms over %d runs; peak RSS %.1f MiB\n",
              ms[ms.size() / 2], ms.front(), runs, static_cast<double>(maxRssKiB) / 1024.0);
  return 0;
}
