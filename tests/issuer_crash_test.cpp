// Crash safety of batch issuance: the titlecert-issuer binary is killed
// with SIGKILL in the middle of a CSV batch; the data directory must then
// hold only whole certificates, with dense status indexes and numbers, an
// intact audit chain, and the batch must run again to completion without
// issuing any row twice.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "support/issuer_fixture.h"

namespace titlecert::testing {
namespace {

constexpr int kRows = 160;

std::string writeCsv(const std::string& dir) {
  const std::string path = dir + "/committee-list.csv";
  std::ofstream csv(path);
  csv << "type,holder_name,holder_id,series,specialty,level,route,granted,approval_no\n";
  for (int i = 0; i < kRows; ++i)
    csv << "title,持有人" << i << "," << cnId(i) << ",4,401,3,review,2026-11-20,新高人社职〔2026〕12号\n";
  return path;
}

struct Child {
  pid_t pid = -1;
  int out = -1;  // its stdout
};

Child spawnIssue(const std::string& dataDir, const std::string& csv, const std::string& passphrase) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::setenv("TITLECERT_PASSPHRASE", passphrase.c_str(), 1);
    ::execl(TITLECERT_ISSUER_BIN, TITLECERT_ISSUER_BIN, "issue", "--data", dataDir.c_str(), "--csv", csv.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

// Reads the child's report lines until `lines` have come (or it ends).
std::vector<std::string> readLines(int fd, std::size_t lines) {
  std::vector<std::string> out;
  std::string pending;
  char buffer[4096];
  while (out.size() < lines) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      out.push_back(pending.substr(0, nl));
      pending.erase(0, nl + 1);
    }
  }
  return out;
}

int waitFor(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

struct DbState {
  std::vector<long long> indexes;
  std::vector<std::string> numbers;
  long long issueEntries = 0;
  long long nextStatus = -1, nextNumber = -1;
};

DbState readState(const std::string& db) {
  DbState s;
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  auto each = [&](const char* sql, const std::function<void(sqlite3_stmt*)>& f) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(h, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(st) == SQLITE_ROW) f(st);
    sqlite3_finalize(st);
  };
  each("SELECT status_index, cert_no FROM certificates ORDER BY status_index", [&](sqlite3_stmt* st) {
    s.indexes.push_back(sqlite3_column_int64(st, 0));
    s.numbers.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
  });
  each("SELECT COUNT(*) FROM audit WHERE action = 'certificate.issue'", [&](sqlite3_stmt* st) { s.issueEntries = sqlite3_column_int64(st, 0); });
  each("SELECT name, next_value FROM counters", [&](sqlite3_stmt* st) {
    const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    if (name.rfind("status:", 0) == 0) s.nextStatus = sqlite3_column_int64(st, 1);
    if (name.rfind("certno:", 0) == 0) s.nextNumber = sqlite3_column_int64(st, 1);
  });
  sqlite3_close(h);
  return s;
}

// Whole certificates only, dense indexes 0..n-1 and numbers 1..n, one audit
// entry each, counters right after the last.
void expectConsistent(const DbState& s) {
  const auto n = static_cast<long long>(s.indexes.size());
  std::set<std::string> numbers(s.numbers.begin(), s.numbers.end());
  EXPECT_EQ(static_cast<long long>(numbers.size()), n);
  for (long long i = 0; i < n; ++i) EXPECT_EQ(s.indexes[static_cast<std::size_t>(i)], i);
  for (long long i = 1; i <= n; ++i) {
    char expected[32];
    std::snprintf(expected, sizeof expected, "650100-2026-%06lld", i);
    EXPECT_TRUE(numbers.count(expected)) << expected;
  }
  EXPECT_EQ(s.issueEntries, n);
  if (n > 0) {
    EXPECT_EQ(s.nextStatus, n);
    EXPECT_EQ(s.nextNumber, n + 1);
  }
}

TEST(IssuerCrash, Kill9InTheMiddleOfABatchLeavesNoHalfIssuedCertificate) {
  IssuerWorldOptions options;
  options.startServer = false;
  options.extraProperties = {"batch.commit_rows = 16"};
  IssuerWorld w(options);
  w.clock.set(1795741200);
  w.stop();  // the child process owns the data directory now
  const std::string csv = writeCsv(w.dir);

  Child child = spawnIssue(w.dir, csv, w.passphrase);
  ASSERT_GT(child.pid, 0);
  const auto before = readLines(child.out, 40);
  ASSERT_GE(before.size(), 40u) << "the batch ended before it could be killed";
  ::usleep(150 * 1000);  // into the middle of the next group
  ::kill(child.pid, SIGKILL);
  const int status = waitFor(child.pid);
  ::close(child.out);
  ASSERT_TRUE(WIFSIGNALED(status));

  const DbState afterKill = readState(w.dir + "/issuer.db");
  EXPECT_GE(afterKill.indexes.size(), before.size());
  EXPECT_LT(afterKill.indexes.size(), static_cast<std::size_t>(kRows));
  expectConsistent(afterKill);
  w.reopen();
  auto check = w.service->verifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->intact) << check->reason;
  w.stop();

  // The same batch again: the committed rows are found, the rest issued.
  Child rerun = spawnIssue(w.dir, csv, w.passphrase);
  const auto report = readLines(rerun.out, kRows + 1);
  ::close(rerun.out);
  const int rerunStatus = waitFor(rerun.pid);
  ASSERT_TRUE(WIFEXITED(rerunStatus));
  EXPECT_EQ(WEXITSTATUS(rerunStatus), 0);
  ASSERT_EQ(report.size(), static_cast<std::size_t>(kRows));
  std::size_t exists = 0;
  for (const auto& line : report) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_NE(j["status"], "error") << line;
    if (j["status"] == "exists") ++exists;
  }
  EXPECT_EQ(exists, afterKill.indexes.size());
  const DbState done = readState(w.dir + "/issuer.db");
  EXPECT_EQ(done.indexes.size(), static_cast<std::size_t>(kRows));
  expectConsistent(done);
  w.reopen();
  EXPECT_TRUE(w.service->verifyAudit()->intact);
}

}  // namespace
}  // namespace titlecert::testing
