// titlecert-verify --watch, the scanner-terminal mode, driven through a
// pseudo-terminal as a USB HID or serial scanner would drive it: one verdict
// line per scanned line, a newer bundle taken up from bundle_dir between
// lines (never an older one), and the clock floor raised from what is seen,
// in --watch and in batch mode (CONTRACT.md, "Terminals").
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "support/command.h"
#include "support/world.h"
#include "titlecert/files.h"

using namespace titlecert;
using namespace titlecert::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::int64_t kDay = 86400;

// titlecert-verify on the slave side of a pty (standard input, output and
// error), the test on the master side. Echo is off so that what the test
// reads is what the program wrote.
class PtyProcess {
 public:
  explicit PtyProcess(std::vector<std::string> argv) {
    int slave = -1;
    if (openpty(&master_, &slave, nullptr, nullptr, nullptr) != 0) return;
    // The default line mode of a console, without echo.
    termios mode{};
    tcgetattr(slave, &mode);
    mode.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(slave, TCSANOW, &mode);
    pid_ = fork();
    if (pid_ == 0) {
      setsid();
      dup2(slave, 0), dup2(slave, 1), dup2(slave, 2);
      close(master_), close(slave);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
    close(slave);
  }
  ~PtyProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
  }

  bool started() const { return pid_ > 0; }
  void type(const std::string& text) { ASSERT_EQ(write(master_, text.data(), text.size()), ssize_t(text.size())); }

  // The next output line (without its line end), or "" after a minute of
  // silence (qemu is slow, a hung program must not hang the test).
  std::string readLine() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      if (auto nl = pending_.find('\n'); nl != std::string::npos) {
        std::string line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{master_, POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) return "";
      char buf[4096];
      const ssize_t n = read(master_, buf, sizeof buf);
      if (n <= 0) return "";
      pending_.append(buf, static_cast<std::size_t>(n));
    }
  }

  // The exit status once the program saw the end of input: the master is
  // closed, as when a serial scanner is unplugged.
  int finish() {
    close(master_);
    master_ = -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  std::string pending_;
};

class WatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("titlecert_watch_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(usb());
    put(dir_ / "root.pem", world().root.toPlainPemForTests(crypto::testAccess()));
    put(dir_ / "root.pub.pem", world().root.publicKey().pem());
    const json manifest = {{"version", 1}, {"roots", {"root.pub.pem"}}, {"max_bundle_age_days", 45},
                           {"lang", "en"}, {"bundle_dir", usb().string()}};
    put(dir_ / "terminal.json", manifest.dump());
    const auto r = runCommand(std::string(TITLECERT_TARGET_RUNNER) + TITLECERT_CONFIG_BIN + " terminal build --manifest " +
                              shellQuote(dir_ / "terminal.json") + " --root-key " + shellQuote(dir_ / "root.pem") +
                              " --out " + shellQuote(config()));
    ASSERT_EQ(r.exit, 0) << r.out;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path usb() const { return dir_ / "usb"; }
  fs::path state() const { return dir_ / "state"; }
  fs::path config() const { return dir_ / "terminal.cbor"; }

  static void put(const fs::path& p, const std::string& text) {
    ASSERT_TRUE(files::writeAtomically(p.string(), asBytes(text)).ok()) << p;
  }
  // The world's bundle at a version; `revoking` false clears its revocations.
  void bundleInUsb(const std::string& name, std::uint64_t version, bool revoking = true) {
    auto c = world().contents;
    c.version = version;
    if (!revoking) c.revocation.clear();
    ASSERT_TRUE(files::writeAtomically((usb() / name).string(), *bundle::sign(c, world().root)).ok());
  }

  std::vector<std::string> watchArgs(const std::vector<std::string>& extra) const {
    auto argv = commandWords(std::string(TITLECERT_TARGET_RUNNER) + TITLECERT_VERIFY_BIN);
    const std::vector<std::string> watch = {"--watch", "--config", config().string(), "--state", state().string(),
                                            "--now", rfc3339(kNow)};
    argv.insert(argv.end(), watch.begin(), watch.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  fs::path dir_;
};

std::string revokedText() {
  auto c = sampleTitle();
  c.statusIndex = 13;  // revoked in the world's bundle
  return issueText(c, world().homeEd);
}

}  // namespace

TEST_F(WatchCli, AnswersEachScannedLineBeforeTheNextOne) {
  bundleInUsb("bundle.cbor", 7);
  PtyProcess p(watchArgs({}));
  ASSERT_TRUE(p.started());
  p.type(issueText(sampleTitle(), world().homeEd) + "\r");  // a serial scanner's CR
  EXPECT_EQ(p.readLine(), "✔ VALID · 张三");
  p.type("ZC1:NOT-A-CODE\n");
  const std::string refused = p.readLine();
  EXPECT_EQ(refused.rfind("✘ NOT VALID", 0), 0u) << refused;
  p.type("\n\n");  // empty lines are no scans
  p.type(issueText(sampleTitle(), world().homeEd) + "\n");
  EXPECT_EQ(p.readLine(), "✔ VALID · 张三");
  EXPECT_EQ(p.finish(), 1) << "one scan was not valid";
}

TEST_F(WatchCli, ShowsAHostileNameAsOneSafeLine) {
  bundleInUsb("bundle.cbor", 7);
  auto c = sampleTitle();
  c.holderName = "张三\x1b[2J\n✔ VALID";
  PtyProcess p(watchArgs({}));
  ASSERT_TRUE(p.started());
  p.type(issueText(c, world().homeEd) + "\n");
  EXPECT_EQ(p.readLine(), "✔ VALID · 张三\xEF\xBF\xBD[2J\xEF\xBF\xBD✔ VALID");
  p.type(issueText(sampleTitle(), world().homeEd) + "\n");
  EXPECT_EQ(p.readLine(), "✔ VALID · 张三") << "the fake line did not become a line of its own";
}

TEST_F(WatchCli, TakesUpANewerBundleFromTheFolderButNeverAnOlderOne) {
  bundleInUsb("bundle-v7.cbor", 7, /*revoking=*/false);
  PtyProcess p(watchArgs({"--json"}));
  ASSERT_TRUE(p.started());
  p.type(revokedText() + "\n");
  EXPECT_EQ(json::parse(p.readLine())["code"], "OK") << "bundle 7 revokes nothing";

  bundleInUsb("bundle-v8.cbor", 8);  // the update arrives between two scans
  p.type(revokedText() + "\n");
  EXPECT_EQ(json::parse(p.readLine())["code"], "REVOKED");
  EXPECT_NE(readWholeFile(state()).find("bundle_version 8\n"), std::string::npos) << readWholeFile(state());

  // An older bundle with nothing revoked does not roll the terminal back.
  fs::remove(usb() / "bundle-v8.cbor");
  bundleInUsb("bundle-v7b.cbor", 7, /*revoking=*/false);
  p.type(revokedText() + "\n");
  EXPECT_EQ(json::parse(p.readLine())["code"], "REVOKED");
  EXPECT_EQ(p.finish(), 1);
  EXPECT_NE(readWholeFile(state()).find("bundle_version 8\n"), std::string::npos) << readWholeFile(state());
}

TEST_F(WatchCli, WatchAndBatchRaiseTheClockFloorFromWhatTheySee) {
  bundleInUsb("bundle.cbor", 7);
  auto later = sampleTitle();
  later.iat = static_cast<std::uint64_t>(kNow + 2 * kDay);
  {
    PtyProcess p(watchArgs({"--json"}));
    ASSERT_TRUE(p.started());
    p.type(issueText(later, world().homeEd) + "\n");
    EXPECT_EQ(json::parse(p.readLine())["code"], "OK");
    EXPECT_EQ(p.finish(), 0);
  }
  EXPECT_NE(readWholeFile(state()).find("clock_floor " + std::to_string(kNow + 2 * kDay) + "\n"), std::string::npos)
      << readWholeFile(state());

  auto latest = sampleTitle();
  latest.iat = static_cast<std::uint64_t>(kNow + 5 * kDay);
  put(dir_ / "lines.txt", issueText(sampleTitle(), world().homeEd) + "\n" + issueText(latest, world().homeEd) + "\n");
  const auto r = runCommand(std::string(TITLECERT_TARGET_RUNNER) + TITLECERT_VERIFY_BIN + " --config " +
                            shellQuote(config()) + " --state " + shellQuote(state()) + " --now " +
                            rfc3339(kNow + 6 * kDay) + " - < " + shellQuote(dir_ / "lines.txt"));
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(readWholeFile(state()).find("clock_floor " + std::to_string(kNow + 5 * kDay) + "\n"), std::string::npos)
      << readWholeFile(state());
}
