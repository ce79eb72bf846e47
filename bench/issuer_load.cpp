// The issuer's load and fault bench: starts `titlecert-issuer init` and
// `serve` on 127.0.0.1 and measures it under load (8..512 clients, keep-alive
// and not), beside 200 slow connections, across kill -9s, a PostgreSQL
// restart, a full disk, a read-only folder and a held SQLite write lock.
// Every part stops by itself; a watchdog ends the whole run (and its
// servers) if it overstays --max-seconds. The output ends with the two
// pass/fail lines of docs/issuer.md, "Load and faults".
//
//   bench_issuer_load [--quick] [--clients 8,32] [--seconds S] [--postgresql]
//                     [--parts load,slow,kill,kill-pg,pg,disk,lock] [--out FILE]
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "issuer_load.h"

namespace issuer_load {
namespace {

struct Totals512 {
  bool ran = false;
  std::size_t requests = 0, answered = 0, resets = 0;
  std::string errors;
};
struct SlowResult {
  bool ran = false;
  Summary normal;
};

std::string mib(long kib) { return std::to_string((kib + 512) / 1024); }

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// Runs the driver on its own thread for `seconds`, sampling the server's
// RSS every second; returns the outcomes and the samples (MiB).
std::vector<Outcome> timedRun(const DriverOptions& d, double seconds, const IssuerProcess& p, std::string& rss) {
  std::atomic<bool> stop{false};
  std::vector<Outcome> outcomes;
  std::thread driver([&] { outcomes = drive(d, stop); });
  const auto started = Clock::now();
  for (int second = 0; std::chrono::duration<double>(Clock::now() - started).count() < seconds; ++second) {
    rss += (rss.empty() ? "" : " ") + mib(p.rssKiB());
    std::this_thread::sleep_until(started + std::chrono::seconds(second + 1));
  }
  stop = true;
  driver.join();
  return outcomes;
}

void loadRuns(const Options& o, Report& report, Totals512& totals) {
  report.heading(std::string("sustained issuance and revocation (") + (o.postgresql ? "PostgreSQL" : "SQLite") +
                 ", EdDSA, scrypt holder binding; 1 request in 4 a revocation)");
  IssuerProcess p(o.tools, makeTempDir("issuer-load") + "/data");
  if (auto e = startIssuer(o, p, o.postgresql); !e.empty()) return report.line("not run: " + e);
  const std::string token = p.clerkToken();
  std::uint64_t serial = 0;
  for (int clients : o.clients) {
    for (bool keepAlive : {true, false}) {
      std::deque<std::string> issued;
      DriverOptions d;
      d.port = p.port();
      d.clients = clients;
      d.keepAlive = keepAlive;
      d.next = [&](int, std::uint64_t n) {
        if (n % 4 == 3 && !issued.empty()) {
          const std::string certNo = issued.front();
          issued.pop_front();
          return HttpRequest{"revoke", "POST", "/v1/certificates/" + certNo + "/revoke", revokeBody(), token};
        }
        return HttpRequest{"issue", "POST", "/v1/certificates", issueBody(serial++), token};
      };
      d.onOutcome = [&](const Outcome& x) {
        if (x.kind == "issue" && x.status == 201) issued.push_back(certNoOf(x.body));
      };
      std::string rss;
      const auto outcomes = timedRun(d, o.seconds, p, rss);
      const std::string name = std::to_string(clients) + " clients, " + (keepAlive ? "keep-alive" : "a connection each");
      report.line(name + ":");
      report.line("  issue:  " + describe(summarize(outcomes, "issue"), o.seconds));
      report.line("  revoke: " + describe(summarize(outcomes, "revoke"), o.seconds));
      report.line("  server RSS MiB by second: " + rss + "; open descriptors after: " +
                  std::to_string(p.openDescriptors()));
      if (clients == 512) {
        const Summary all = summarize(outcomes);
        totals.ran = true;
        totals.requests += all.requests;
        totals.answered += all.answered;
        totals.resets += all.resets;
        totals.errors += std::string(totals.errors.empty() ? "" : "; ") + (keepAlive ? "keep-alive " : "each ") + all.errors;
      }
      std::this_thread::sleep_for(std::chrono::seconds(2));  // what the server still has queued drains
    }
  }
  p.terminate();
}

void slowConnections(const Options& o, Report& report, SlowResult& result) {
  report.heading(std::to_string(o.slowConnections) + " slow connections (a header byte every " +
                 std::to_string(static_cast<int>(o.trickleInterval)) + " s) beside 8 clients issuing");
  IssuerProcess p(o.tools, makeTempDir("issuer-load-slow") + "/data");
  if (auto e = startIssuer(o, p, false); !e.empty()) return report.line("not run: " + e);
  std::atomic<bool> stopTrickle{false};
  TrickleReport trickled;
  std::thread slow([&] { trickled = trickle(p.port(), o.slowConnections, o.trickleInterval, stopTrickle); });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const std::string token = p.clerkToken();
  std::uint64_t serial = 1000000;
  DriverOptions d;
  d.port = p.port();
  d.clients = 8;
  d.keepAlive = false;
  d.next = [&](int, std::uint64_t) {
    return HttpRequest{"issue", "POST", "/v1/certificates", issueBody(serial++), token};
  };
  std::string rss;
  const auto outcomes = timedRun(d, o.slowSeconds, p, rss);
  stopTrickle = true;
  slow.join();
  result.ran = true;
  result.normal = summarize(outcomes);
  report.line("slow connections: " + std::to_string(trickled.opened) + " opened, " +
              std::to_string(trickled.failedToOpen) + " refused, " + std::to_string(trickled.closedByServer) +
              " closed by the server during the run");
  report.line("normal clients (8, a connection each, " + std::to_string(static_cast<int>(o.slowSeconds)) +
              " s): " + describe(result.normal, o.slowSeconds));
  report.line("  server RSS MiB by second: " + rss);
  p.terminate();
}

std::string seconds3(double s) {
  if (std::isinf(s)) return "unbounded (over 1 % unanswered)";
  char b[32];
  std::snprintf(b, sizeof b, "%.3f s", s);
  return b;
}

void passLines(Report& report, const Totals512& t, const SlowResult& slow) {
  report.line("");
  if (!t.ran) {
    report.line("SKIP 512 clients: every request answered, 0 resets (not run)");
  } else {
    const bool pass = t.requests > 0 && t.answered == t.requests && t.resets == 0;
    report.line(std::string(pass ? "PASS" : "FAIL") + " 512 clients: every request answered, 0 resets (measured: " +
                std::to_string(t.answered) + " of " + std::to_string(t.requests) + " answered, " +
                std::to_string(t.resets) + " resets; errors " + t.errors + ")");
  }
  if (!slow.ran) {
    report.line("SKIP 200 slow connections: normal p99 < 1 s (not run)");
  } else {
    const Summary& n = slow.normal;
    const bool pass = n.requests > 0 && n.answered == n.requests && n.p99All < 1.0;
    report.line(std::string(pass ? "PASS" : "FAIL") + " 200 slow connections: normal p99 < 1 s (measured: p99 " +
                seconds3(n.p99All) + ", p50 of the answered " + (n.answered ? seconds3(n.p50) : "none") + ", " + std::to_string(n.answered) + " of " +
                std::to_string(n.requests) + " answered)");
  }
}

// The machine is shared: its load says how far the figures can be compared.
std::string loadAverage() {
  std::string s = readFile("/proc/loadavg");
  return s.substr(0, s.find(' ', s.find(' ', s.find(' ') + 1) + 1));
}

void onWatchdog(int) {
  killAllServers();
  const char message[] = "bench_issuer_load: --max-seconds passed, servers killed\n";
  (void)!::write(2, message, sizeof message - 1);
  ::_exit(3);
}

const char* kUsage =
    "usage: bench_issuer_load [--quick] [--clients N,N..] [--seconds S] [--slow-seconds S] [--kills N]\n"
    "                         [--postgresql] [--parts load,slow,kill,kill-pg,pg,disk,lock] [--out FILE]\n"
    "                         [--max-seconds S] [--issuer BIN] [--verify BIN] [--pg-script FILE]\n"
    "                         [--pg-dir DIR] [--pg-port PORT]\n";

bool parseArgs(int argc, char** argv, Options& o, std::string& out, int& maxSeconds) {
  bool clientsGiven = false, secondsGiven = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--quick") o.quick = true;
    else if (a == "--postgresql") o.postgresql = true;
    else if (a == "--clients") {
      o.clients.clear();
      for (const auto& c : splitList(value())) o.clients.push_back(std::atoi(c.c_str()));
      clientsGiven = true;
    } else if (a == "--seconds") o.seconds = std::atof(value().c_str()), secondsGiven = true;
    else if (a == "--slow-seconds") o.slowSeconds = std::atof(value().c_str());
    else if (a == "--kills") o.kills = std::atoi(value().c_str());
    else if (a == "--parts") {
      const auto parts = splitList(value());
      o.parts = {parts.begin(), parts.end()};
    } else if (a == "--out") out = value();
    else if (a == "--max-seconds") maxSeconds = std::atoi(value().c_str());
    else if (a == "--issuer") o.tools.issuer = value();
    else if (a == "--verify") o.tools.verify = value();
    else if (a == "--pg-script") o.tools.pgScript = value();
    else if (a == "--pg-dir") o.pgDir = value();
    else if (a == "--pg-port") o.pgPort = std::atoi(value().c_str());
    else return false;
  }
  if (o.quick) {
    if (!secondsGiven) o.seconds = 5;
    o.slowSeconds = std::min(o.slowSeconds, 20.0);
    o.trickleInterval = 2;
  }
  (void)clientsGiven;
  return !o.clients.empty() && o.seconds > 0;
}

}  // namespace
}  // namespace issuer_load

int main(int argc, char** argv) {
  using namespace issuer_load;
  Options o;
  o.tools = {TITLECERT_ISSUER_BIN, TITLECERT_VERIFY_BIN, TITLECERT_SOURCE_DIR "/scripts/test-postgresql.sh"};
  std::string out;
  int maxSeconds = 0;
  if (!parseArgs(argc, argv, o, out, maxSeconds)) {
    std::cerr << kUsage;
    return 2;
  }
  if (maxSeconds == 0) maxSeconds = o.quick ? 900 : 2400;
  ::signal(SIGALRM, onWatchdog);
  ::alarm(static_cast<unsigned>(maxSeconds));
  ::signal(SIGPIPE, SIG_IGN);
  Report report;
  char host[256] = "";
  ::gethostname(host, sizeof host - 1);
  report.line(std::string("# titlecert issuer load and faults (bench_issuer_load") + (o.quick ? " --quick" : "") +
              "), " + std::to_string(std::thread::hardware_concurrency()) + " cores, descriptors per process " +
              std::to_string(raiseFileLimit()) + ", load average at start " + loadAverage());
  Totals512 totals;
  SlowResult slow;
  const bool needsPostgresql = o.postgresql || o.parts.count("pg") || o.parts.count("kill-pg");
  if (needsPostgresql && !startPostgresqlCluster(o, report)) {
    report.line("PostgreSQL parts skipped: the test cluster did not start");
    o.parts.erase("pg");
    o.parts.erase("kill-pg");
    if (o.postgresql) o.parts.clear();
  }
  if (o.parts.count("load")) loadRuns(o, report, totals);
  if (o.parts.count("slow")) slowConnections(o, report, slow);
  if (o.parts.count("kill")) killRestart(o, report, o.postgresql);
  if (o.parts.count("kill-pg") && !o.postgresql) killRestart(o, report, true);
  if (o.parts.count("pg")) postgresqlRestart(o, report);
  if (o.parts.count("disk")) diskFullAndReadOnly(o, report);
  if (o.parts.count("lock")) writeLockHeld(o, report);
  if (needsPostgresql) stopPostgresqlCluster(o);
  passLines(report, totals, slow);
  if (!out.empty()) std::ofstream(out) << report.text();
  return 0;
}
