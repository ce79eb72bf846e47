// The fault parts of the issuer load bench: kill -9 while clients issue,
// PostgreSQL restarted under load, a full disk and a read-only folder, the
// SQLite write lock held by another process. Each says what it measured
// and what the service answered.
#include <sqlite3.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "issuer_load.h"

namespace issuer_load {
namespace {

using std::chrono::duration;

std::string fixed(double v, int digits = 2) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

std::string utcNow() {
  const std::time_t t = std::time(nullptr);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return b;
}

// "201" or "503 STORAGE_UNAVAILABLE" or "no answer (reset)".
std::string answerOf(const Reply& r) {
  if (r.status == 0) return "no answer (" + r.error + ")";
  std::string code;
  if (auto at = r.body.find("\"error\":\""); at != std::string::npos)
    code = " " + r.body.substr(at + 9, r.body.find('"', at + 9) - at - 9);
  return std::to_string(r.status) + code;
}

std::string tally(const std::map<std::string, int>& m) {
  std::string s;
  for (const auto& [k, v] : m) s += (s.empty() ? "" : ", ") + k + " ×" + std::to_string(v);
  return s;
}

Reply issueOne(const IssuerProcess& p, std::uint64_t n, double timeout = 30) {
  return call(p.port(), "POST", "/v1/certificates", issueBody(n), const_cast<IssuerProcess&>(p).clerkToken(), timeout);
}

// The 201s of a kill -9 run, checked after the last restart.
void checkKept(IssuerProcess& p, const std::vector<std::pair<std::string, std::string>>& issued, Report& report) {
  std::set<std::string> numbers;
  std::size_t twice = 0, kept = 0, missing = 0, changed = 0;
  const std::string dir = makeTempDir("issuer-load-kept");
  std::ofstream payloads(dir + "/payloads.txt");
  for (const auto& [certNo, payload] : issued) {
    if (!numbers.insert(certNo).second) ++twice;
    const Reply r = call(p.port(), "GET", "/v1/certificates/" + certNo, {}, p.clerkToken());
    if (r.status != 200) ++missing;
    else if (payloadOf(r.body) != payload) ++changed;
    else ++kept;
    payloads << payload << "\n";
  }
  payloads.close();
  const Reply bundle = call(p.port(), "GET", "/v1/bundle");
  std::ofstream(dir + "/bundle.cbor", std::ios::binary) << bundle.body;
  const CommandResult verified =
      runCommand({p.tools().verify, "--bundle", dir + "/bundle.cbor", "--root", p.dataDir() + "/root.pub.pem", "--now",
                  utcNow(), "--json", "--jobs", "0", "-"},
                 dir + "/payloads.txt");
  std::size_t lines = 0;
  for (char c : verified.out) lines += c == '\n';
  p.terminate();
  const CommandResult audit = runCommand({p.tools().issuer, "audit", "verify", "--data", p.dataDir()});
  report.line("201 answers: " + std::to_string(issued.size()) + "; still there with the same payload: " +
              std::to_string(kept) + "; missing: " + std::to_string(missing) + "; payload changed: " +
              std::to_string(changed) + "; cert_no twice: " + std::to_string(twice));
  report.line("titlecert-verify against the served bundle: " + std::to_string(lines) + " verdicts, exit " +
              std::to_string(verified.exitCode) + (verified.exitCode == 0 ? " (every payload valid)" : " (NOT all valid)"));
  report.line("titlecert-issuer audit verify: exit " + std::to_string(audit.exitCode) +
              (audit.exitCode == 0 ? " (intact)" : " (BROKEN: " + audit.out.substr(0, 300) + audit.err.substr(0, 300) + ")"));
  std::filesystem::remove_all(dir);
}

}  // namespace

void killRestart(const Options& o, Report& report, bool postgresql) {
  report.heading("kill -9 at random moments, " + std::to_string(o.kills) + " times, while 8 clients issue (" +
                 (postgresql ? "PostgreSQL" : "SQLite") + ")");
  IssuerProcess p(o.tools, makeTempDir("issuer-load-kill") + "/data");
  if (auto e = startIssuer(o, p, postgresql); !e.empty()) return report.line("not run: " + e);
  const std::string token = p.clerkToken();
  std::vector<std::pair<std::string, std::string>> issued;
  std::uint64_t serial = 2000000;
  DriverOptions d;
  d.port = p.port();
  d.clients = 8;
  d.keepAlive = false;
  d.answerTimeout = 5;
  d.next = [&](int, std::uint64_t) { return HttpRequest{"issue", "POST", "/v1/certificates", issueBody(serial++), token}; };
  d.onOutcome = [&](const Outcome& x) {
    if (x.status == 201) issued.emplace_back(certNoOf(x.body), payloadOf(x.body));
  };
  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  // From a restart to the kill: long enough, on a busy machine, for some
  // issuances to be answered, short enough to catch others mid-commit.
  std::uniform_real_distribution<double> wait(1.0, o.quick ? 4.0 : 6.0);
  std::atomic<bool> stop{false};
  std::vector<Outcome> outcomes;
  const auto begin = Clock::now();
  std::thread driver([&] { outcomes = drive(d, stop); });
  double restartSeconds = 0;
  int kills = 0;
  std::string failure;
  for (; kills < o.kills && failure.empty(); ++kills) {
    std::this_thread::sleep_for(duration<double>(wait(random)));
    p.kill9();
    const auto t = Clock::now();
    failure = p.start();
    restartSeconds += duration<double>(Clock::now() - t).count();
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  stop = true;
  driver.join();
  if (!failure.empty()) report.line("restart failed after kill " + std::to_string(kills) + ": " + failure);
  if (!p.running() && !p.start().empty()) return report.line("the issuer does not start again after the kills");
  report.line(std::to_string(kills) + " kills (random seed " + std::to_string(seed) + "), restart to /v1/health " +
              fixed(kills ? restartSeconds / kills : 0) + " s on average");
  report.line("requests: " + describe(summarize(outcomes), duration<double>(Clock::now() - begin).count()));
  checkKept(p, issued, report);
}

void postgresqlRestart(const Options& o, Report& report) {
  report.heading("PostgreSQL restarted under load (8 clients issuing, keep-alive; the server down 5 s)");
  IssuerProcess p(o.tools, makeTempDir("issuer-load-pg") + "/data");
  if (auto e = startIssuer(o, p, true); !e.empty()) return report.line("not run: " + e);
  const std::string token = p.clerkToken();
  std::uint64_t serial = 3000000;
  DriverOptions d;
  d.port = p.port();
  d.clients = 8;
  d.answerTimeout = 10;
  d.next = [&](int, std::uint64_t) { return HttpRequest{"issue", "POST", "/v1/certificates", issueBody(serial++), token}; };
  std::atomic<bool> stop{false};
  std::vector<Outcome> outcomes;
  const auto begin = Clock::now();
  std::thread driver([&] { outcomes = drive(d, stop); });
  auto at = [&] { return duration<double>(Clock::now() - begin).count(); };
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const int fdBefore = p.openDescriptors();
  const double halting = at();
  const auto halt = runCommand({o.tools.pgScript, "halt", o.pgDir});
  const double halted = at();
  std::this_thread::sleep_for(std::chrono::seconds(4));
  const Reply ready = call(p.port(), "GET", "/v1/ready", {}, {}, 15);
  const int fdDown = p.openDescriptors();
  const auto resume = runCommand({o.tools.pgScript, "resume", o.pgDir, std::to_string(o.pgPort)});
  const double resumed = at();
  std::this_thread::sleep_for(std::chrono::seconds(o.quick ? 6 : 10));
  stop = true;
  driver.join();
  if (halt.exitCode != 0 || resume.exitCode != 0) report.line("halt/resume failed: " + halt.err + resume.err);
  std::map<std::string, int> failed;
  double firstAfter = -1;
  std::size_t createdAfter = 0;
  for (const auto& x : outcomes) {
    if (x.doneAt >= halting && x.status != 201 && (firstAfter < 0 || x.doneAt < resumed + firstAfter))
      ++failed[x.status ? std::to_string(x.status) : x.error];
    if (x.doneAt > resumed && x.status == 201) {
      ++createdAfter;
      if (firstAfter < 0) firstAfter = x.doneAt - resumed;
    }
  }
  report.line("halt took " + fixed(halted - halting) + " s; down " + fixed(resumed - halted) + " s; requests: " +
              describe(summarize(outcomes), at()));
  report.line("failed writes from the halt on: " + (failed.empty() ? std::string("none") : tally(failed)));
  report.line("while down: /v1/ready " + answerOf(ready) + "; open descriptors " + std::to_string(fdBefore) +
              " before, " + std::to_string(fdDown) + " while down, " + std::to_string(p.openDescriptors()) + " after");
  report.line(firstAfter < 0 ? "writes did NOT resume without restarting the issuer (no 201 after the restart)"
                             : "writes resumed without restarting the issuer: first 201 " + fixed(firstAfter) +
                                   " s after PostgreSQL was back, " + std::to_string(createdAfter) + " after it");
  p.terminate();
}

namespace {

// Issues `n` and tallies the answers; the last answer's time in `seconds`.
std::string issueSome(const IssuerProcess& p, int n, std::uint64_t& serial) {
  std::map<std::string, int> answers;
  double worst = 0;
  for (int i = 0; i < n; ++i) {
    const Reply r = issueOne(p, serial++);
    ++answers[answerOf(r)];
    worst = std::max(worst, r.seconds);
  }
  return tally(answers) + " (slowest " + fixed(worst) + " s)";
}

// Seconds until an issuance gets 201 again (-1: not within `limit`).
double untilIssued(const IssuerProcess& p, std::uint64_t& serial, double limit) {
  const auto t = Clock::now();
  while (duration<double>(Clock::now() - t).count() < limit) {
    if (issueOne(p, serial++).status == 201) return duration<double>(Clock::now() - t).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return -1;
}

void fill(const std::string& file) {
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (!f) return;
  std::vector<char> block(1 << 16, 'x');
  while (std::fwrite(block.data(), 1, block.size(), f) == block.size()) {}
  std::fclose(f);
}

void logLines(const IssuerProcess& p, Report& report) {
  const auto faults = linesWith(p.logFile(), "storage fault");
  report.line("log: " + std::to_string(faults.size()) + " 'storage fault' lines, " +
              std::to_string(linesWith(p.logFile(), "rollback failed").size()) + " 'rollback failed' lines");
  for (std::size_t i = 0; i < faults.size() && i < 6; ++i) report.line("  " + faults[i].substr(0, 240));
}

// A mount with files open for writing cannot become read-only, so the
// server is stopped, the folder made read-only and the server started on it.
void readOnlyFolder(IssuerProcess& p, const std::string& mount, std::uint64_t& serial, Report& report) {
  p.terminate();
  const auto ro = runCommand({"/bin/mount", "-o", "remount,ro", mount});
  if (ro.exitCode != 0) {
    p.start();
    return report.line("read-only: skipped, remount refused (" + ro.err.substr(0, 200) + ")");
  }
  if (auto e = p.start(); !e.empty()) {
    report.line("read-only folder: serve does not start: " + e);
    const auto lines = linesWith(p.logFile(), "");
    for (std::size_t i = lines.size() > 3 ? lines.size() - 3 : 0; i < lines.size(); ++i)
      report.line("  " + lines[i].substr(0, 240));
  } else {
    report.line("read-only folder: serve starts; 10 issuances: " + issueSome(p, 10, serial));
    report.line("read-only folder: /v1/health " + answerOf(call(p.port(), "GET", "/v1/health")) + ", /v1/ready " +
                answerOf(call(p.port(), "GET", "/v1/ready", {}, {}, 15)) + ", GET /v1/bundle " +
                answerOf(call(p.port(), "GET", "/v1/bundle")));
    p.terminate();
  }
  runCommand({"/bin/mount", "-o", "remount,rw", mount});
  if (auto e = p.start(); !e.empty()) return report.line("writable again: serve does not start: " + e);
  const double rw = untilIssued(p, serial, 15);
  report.line(rw < 0 ? "writable again: no 201 within 15 s" : "writable again: 201 after " + fixed(rw) + " s");
}

}  // namespace

void diskFullAndReadOnly(const Options& o, Report& report) {
  report.heading("a full disk and a read-only data folder (SQLite on a 16 MiB tmpfs)");
  const std::string mount = makeTempDir("issuer-load-disk");
  const auto mounted = runCommand({"/bin/mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount});
  if (mounted.exitCode != 0)
    return report.line("skipped: mounting a tmpfs is not allowed here (" + mounted.err.substr(0, 200) + ")");
  {
    IssuerProcess p(o.tools, mount + "/data", makeTempDir("issuer-load-disk-log") + "/serve.log");
    std::uint64_t serial = 4000000;
    if (auto e = startIssuer(o, p, false); !e.empty()) {
      report.line("not run: " + e);
    } else {
      report.line("before: " + issueSome(p, 3, serial));
      fill(mount + "/filler");
      report.line("disk full: 20 issuances: " + issueSome(p, 20, serial));
      report.line("disk full: /v1/health " + answerOf(call(p.port(), "GET", "/v1/health")) + ", /v1/ready " +
                  answerOf(call(p.port(), "GET", "/v1/ready", {}, {}, 15)));
      std::filesystem::remove(mount + "/filler");
      const double back = untilIssued(p, serial, 15);
      report.line(back < 0 ? "space freed: no 201 within 15 s" : "space freed: 201 again after " + fixed(back) + " s");
      readOnlyFolder(p, mount, serial, report);
      logLines(p, report);
    }
    p.terminate();
  }
  runCommand({"/bin/umount", mount});
  std::filesystem::remove_all(mount);
}

void writeLockHeld(const Options& o, Report& report) {
  const int hold = 15;  // past SQLite's 10 s busy timeout of the issuer's writer
  report.heading("the SQLite write lock held by another process for " + std::to_string(hold) +
                 " s (BEGIN IMMEDIATE), after a revocation");
  IssuerProcess p(o.tools, makeTempDir("issuer-load-lock") + "/data");
  if (auto e = startIssuer(o, p, false); !e.empty()) return report.line("not run: " + e);
  std::uint64_t serial = 5000000;
  const std::string first = certNoOf(issueOne(p, serial++).body);
  issueOne(p, serial++);
  const Reply before = call(p.port(), "GET", "/v1/bundle");
  call(p.port(), "POST", "/v1/certificates/" + first + "/revoke", revokeBody(), p.clerkToken());
  sqlite3* db = nullptr;
  sqlite3_open((p.dataDir() + "/issuer.db").c_str(), &db);
  sqlite3_busy_timeout(db, 10000);
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    report.line("not run: BEGIN IMMEDIATE failed: " + std::string(sqlite3_errmsg(db)));
    sqlite3_close(db);
    return;
  }
  const auto locked = Clock::now();
  // The lock is let go on time whatever the requests below wait for.
  std::thread releaser([&] {
    std::this_thread::sleep_until(locked + std::chrono::seconds(hold));
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  });
  Reply write;
  std::thread writer([&] { write = issueOne(p, serial++, 40); });
  auto show = [&](const std::string& what, const Reply& r) {
    report.line("  " + what + ": " + answerOf(r) + " in " + fixed(r.seconds) + " s");
    return r;
  };
  const Reply bundle = show("GET /v1/bundle", call(p.port(), "GET", "/v1/bundle", {}, {}, 30));
  show("GET /v1/health", call(p.port(), "GET", "/v1/health", {}, {}, 30));
  show("GET /v1/certificates/" + first, call(p.port(), "GET", "/v1/certificates/" + first, {}, p.clerkToken(), 30));
  show("GET /v1/ready", call(p.port(), "GET", "/v1/ready", {}, {}, 30));
  report.line(std::string("  the bundle served while locked is ") +
              (bundle.body == before.body ? "the one before the revocation" : "a new version"));
  writer.join();
  releaser.join();
  show("POST /v1/certificates sent as the lock was taken", write);
  const Reply after = call(p.port(), "GET", "/v1/bundle");
  report.line(std::string("after the lock: GET /v1/bundle ") + answerOf(after) + ", " +
              (after.body != before.body ? "a new version (the revocation is in it)" : "still the old version"));
  logLines(p, report);
  p.terminate();
}

}  // namespace issuer_load
