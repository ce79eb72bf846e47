#include "issuer_load_proc.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "issuer_load_net.h"

namespace issuer_load {
namespace {

// Servers the watchdog must not leave behind (a signal handler reads it).
std::atomic<pid_t> gServers[8];

void remember(pid_t pid) {
  for (auto& slot : gServers) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}
void forget(pid_t pid) {
  for (auto& slot : gServers) {
    pid_t p = pid;
    slot.compare_exchange_strong(p, 0);
  }
}

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

std::vector<char*> argvOf(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

// fork + exec with the passphrase in the environment and the three
// standard descriptors on the given files.
pid_t spawn(const std::vector<std::string>& argv, const std::string& in, const std::string& out,
            const std::string& err) {
  auto args = argvOf(argv);
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::setenv("TITLECERT_PASSPHRASE", passphrase().c_str(), 1);
  const int i = ::open(in.empty() ? "/dev/null" : in.c_str(), O_RDONLY);
  const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  ::dup2(i, 0);
  ::dup2(o, 1);
  ::dup2(e, 2);
  ::execv(args[0], args.data());
  ::_exit(127);
}

}  // namespace

std::string passphrase() { return "issuer-load-bench-passphrase"; }

std::string makeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) return {};
  return pattern;
}

std::string readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<std::string> linesWith(const std::string& path, const std::string& needle) {
  std::vector<std::string> out;
  std::ifstream f(path);
  for (std::string line; std::getline(f, line);)
    if (line.find(needle) != std::string::npos) out.push_back(line);
  return out;
}

CommandResult runCommand(const std::vector<std::string>& argv, const std::string& stdinFile, double timeout) {
  CommandResult r;
  const std::string dir = makeTempDir("issuer-load-cmd");
  const pid_t pid = spawn(argv, stdinFile, dir + "/out", dir + "/err");
  const auto started = Clock::now();
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::duration<double>(Clock::now() - started).count() > timeout) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status)) r.exitCode = WEXITSTATUS(status);
  r.out = readFile(dir + "/out");
  r.err = readFile(dir + "/err");
  std::filesystem::remove_all(dir);
  return r;
}

void killAllServers() {
  for (auto& slot : gServers) {
    const pid_t pid = slot.load();
    if (pid > 0) ::kill(pid, SIGKILL);
  }
}

IssuerProcess::IssuerProcess(Tools tools, std::string dataDir, std::string logFile)
    : tools_(std::move(tools)), dir_(std::move(dataDir)), log_(std::move(logFile)) {
  if (log_.empty()) log_ = dir_ + ".serve.log";
}

IssuerProcess::~IssuerProcess() {
  if (pid_ > 0) kill9();
  if (std::getenv("ISSUER_LOAD_KEEP")) return;  // for a look at the data and log after a run
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  std::filesystem::remove(log_, ec);
  for (const auto& file : {dir_, log_}) std::filesystem::remove(std::filesystem::path(file).parent_path(), ec);
}

std::string IssuerProcess::init(const std::string& dbConnection) {
  std::vector<std::string> argv{tools_.issuer, "init", "--data", dir_, "--alg", "EdDSA"};
  if (!dbConnection.empty()) {
    argv.insert(argv.end(), {"--db-connector", "postgresql", "--db-connection", dbConnection});
  }
  const CommandResult r = runCommand(argv);
  if (r.exitCode != 0) return "init failed (" + std::to_string(r.exitCode) + "): " + r.err;
  const auto j = nlohmann::json::parse(r.out, nullptr, false);
  if (j.is_discarded() || !j.contains("admin_token")) return "init printed no admin token: " + r.out;
  admin_ = j["admin_token"].get<std::string>();
  return {};
}

std::string IssuerProcess::start(double timeout) {
  if (port_ == 0) port_ = freePort();
  const std::string listen = "127.0.0.1:" + std::to_string(port_);
  pid_ = spawn({tools_.issuer, "serve", "--data", dir_, "--listen", listen}, {}, log_, log_);
  remember(pid_);
  const auto started = Clock::now();
  while (std::chrono::duration<double>(Clock::now() - started).count() < timeout) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      forget(pid_);
      pid_ = -1;
      return "serve exited at start (log: " + log_ + ")";
    }
    if (call(port_, "GET", "/v1/health", {}, {}, 2).status == 200) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill9();
  return "serve did not answer /v1/health within " + std::to_string(static_cast<int>(timeout)) + " s";
}

std::string IssuerProcess::clerkToken() {
  if (!clerk_.empty()) return clerk_;
  const Reply r = call(port_, "POST", "/v1/tokens", R"({"role":"clerk"})", admin_);
  const auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (r.status == 201 && !j.is_discarded() && j.contains("token")) clerk_ = j["token"].get<std::string>();
  return clerk_;
}

void IssuerProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  forget(pid_);
  pid_ = -1;
}

void IssuerProcess::terminate() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      forget(pid_);
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill9();  // it did not stop within 10 s
}

long IssuerProcess::rssKiB() const {
  if (pid_ <= 0) return 0;
  for (const auto& line : linesWith("/proc/" + std::to_string(pid_) + "/status", "VmRSS:"))
    return std::atol(line.c_str() + 6);
  return 0;
}

int IssuerProcess::openDescriptors() const {
  if (pid_ <= 0) return 0;
  std::error_code ec;
  int n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

}  // namespace issuer_load
