// The issuer load bench's processes: `titlecert-issuer init` and `serve` in
// a data folder of their own, the server's RSS, kill -9 and restarts, other
// commands (audit verify, titlecert-verify, the PostgreSQL test cluster).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace issuer_load {

struct Tools {
  std::string issuer;    // the titlecert-issuer binary
  std::string verify;    // the titlecert-verify binary
  std::string pgScript;  // scripts/test-postgresql.sh
};

struct CommandResult {
  int exitCode = -1;  // -1: it did not run or was killed
  std::string out, err;
};
// Runs a command with TITLECERT_PASSPHRASE set, stdin from `stdinFile`
// (empty: /dev/null), and waits for it at most `timeout` seconds.
CommandResult runCommand(const std::vector<std::string>& argv, const std::string& stdinFile = {},
                         double timeout = 120);

// The server under test. Every pid it starts is also recorded for the
// bench's watchdog, so a run that overstays its time leaves no server.
class IssuerProcess {
 public:
  // The server's log goes to `logFile` (default: beside the data folder).
  // The folder and the log are removed with the object.
  IssuerProcess(Tools tools, std::string dataDir, std::string logFile = {});
  ~IssuerProcess();

  // `init` (SQLite, or PostgreSQL when dbConnection is given); reads the
  // admin token. Returns an error text, empty when it worked.
  std::string init(const std::string& dbConnection = {});
  // Starts `serve` on a free port of 127.0.0.1 (the same port on every
  // restart) and waits until /v1/health answers. Error text or empty.
  std::string start(double timeout = 30);
  // A clerk token (made once, through the admin token).
  std::string clerkToken();
  void kill9();
  void terminate();  // SIGTERM, then waits
  bool running() const { return pid_ > 0; }
  long rssKiB() const;  // VmRSS of the server, 0 when it is not running
  int openDescriptors() const;

  int port() const { return port_; }
  const std::string& dataDir() const { return dir_; }
  const std::string& logFile() const { return log_; }
  const std::string& adminToken() const { return admin_; }
  const Tools& tools() const { return tools_; }

 private:
  Tools tools_;
  std::string dir_, log_, admin_, clerk_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// Called by the watchdog: SIGKILL to every server still running.
void killAllServers();

std::string passphrase();
std::string makeTempDir(const std::string& prefix);
std::string readFile(const std::string& path);
// Lines of a file that contain `needle`.
std::vector<std::string> linesWith(const std::string& path, const std::string& needle);

}  // namespace issuer_load
