// The issuer's load and fault bench (docs/issuer.md, "Load and faults"):
// what its parts share. issuer_load.cpp runs the load parts and prints the
// summary; issuer_load_faults.cpp the fault parts.
#pragma once

#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "issuer_load_net.h"
#include "issuer_load_proc.h"

namespace issuer_load {

struct Options {
  bool quick = false;
  std::vector<int> clients{8, 32, 128, 512};
  double seconds = 20;       // each load run
  double slowSeconds = 75;   // the slow-connection run (past Poco's 60 s timeout)
  double trickleInterval = 5;
  int slowConnections = 200;
  int kills = 20;
  bool postgresql = false;   // the load parts on PostgreSQL instead of SQLite
  std::set<std::string> parts{"load", "slow", "kill", "kill-pg", "pg", "disk", "lock"};
  std::string pgDir = "/tmp/titlecert-issuer-load-pg";
  int pgPort = 55462;
  Tools tools;
};

// Lines printed as they come and kept for the results file.
class Report {
 public:
  void line(const std::string& text);
  void heading(const std::string& text);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Figures of one group of outcomes.
struct Summary {
  std::size_t requests = 0, answered = 0, resets = 0;
  double p50 = 0, p99 = 0, max = 0;  // seconds, over answered requests
  double p99All = 0;                 // seconds, an unanswered request counted as infinitely slow
  std::string statuses, errors;      // "201:812 503:4", "reset:3 timeout:1"
};
Summary summarize(const std::vector<Outcome>& outcomes, const std::string& kind = {});
std::string describe(const Summary& s, double seconds);

// The request bodies of the bench: a title credential with a valid CN ID.
std::string issueBody(std::uint64_t n);
std::string revokeBody();
std::string certNoOf(const std::string& issuedBody);
std::string payloadOf(const std::string& body);

// A fresh issuer in a temp folder (PostgreSQL: a fresh database in the
// bench's cluster), started. Empty error when it worked.
std::string startIssuer(const Options& o, IssuerProcess& p, bool postgresql);
std::string postgresqlDatabase(const Options& o);  // creates one, returns its connection string
bool startPostgresqlCluster(const Options& o, Report& report);
void stopPostgresqlCluster(const Options& o);

// Fault parts (issuer_load_faults.cpp).
void killRestart(const Options& o, Report& report, bool postgresql);
void postgresqlRestart(const Options& o, Report& report);
void diskFullAndReadOnly(const Options& o, Report& report);
void writeLockHeld(const Options& o, Report& report);

}  // namespace issuer_load
