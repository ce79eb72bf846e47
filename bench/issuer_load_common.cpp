// What the issuer load bench's parts share: the report, the figures of a
// group of outcomes, request bodies, and starting an issuer on SQLite or on
// the bench's PostgreSQL cluster.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "issuer_load.h"
#include "title_request.h"

namespace issuer_load {

void Report::line(const std::string& text) {
  std::cout << text << "\n" << std::flush;
  text_ += text + "\n";
}

void Report::heading(const std::string& text) {
  line("");
  line("## " + text);
}

namespace {

double quantile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto at = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(at, v.size() - 1)];
}

template <typename Map>
std::string counts(const Map& m) {
  std::string s;
  for (const auto& [k, v] : m) s += (s.empty() ? "" : " ") + k + ":" + std::to_string(v);
  return s.empty() ? "none" : s;
}

std::string fixed(double v, int digits) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

// GB 11643: region 650102, born 1990-01-01, sequence n, check digit computed.
std::string cnId(std::uint64_t n) {
  static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char checks[] = "10X98765432";
  char body[24];
  std::snprintf(body, sizeof body, "65010219900101%03u", static_cast<unsigned>(n % 1000));
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * weights[i];
  return std::string("CN:") + body + checks[sum % 11];
}

}  // namespace

Summary summarize(const std::vector<Outcome>& outcomes, const std::string& kind) {
  Summary s;
  std::vector<double> answered, all;
  std::map<std::string, std::size_t> statuses, errors;
  for (const auto& o : outcomes) {
    if (!kind.empty() && o.kind != kind) continue;
    ++s.requests;
    all.push_back(o.status != 0 ? o.seconds : std::numeric_limits<double>::infinity());
    if (o.status != 0) {
      ++s.answered;
      answered.push_back(o.seconds);
      ++statuses[std::to_string(o.status)];
    } else {
      ++errors[o.error];
      if (o.error == "reset") ++s.resets;
    }
  }
  s.p50 = quantile(answered, 0.5);
  s.p99 = quantile(answered, 0.99);
  s.max = answered.empty() ? 0 : answered.back();
  s.p99All = quantile(all, 0.99);
  s.statuses = counts(statuses);
  s.errors = counts(errors);
  return s;
}

std::string describe(const Summary& s, double seconds) {
  return std::to_string(s.requests) + " requests, " + std::to_string(s.answered) + " answered (" +
         fixed(seconds > 0 ? static_cast<double>(s.answered) / seconds : 0, 1) + "/s), p50 " + fixed(s.p50 * 1e3, 1) +
         " ms, p99 " + fixed(s.p99 * 1e3, 1) + " ms, max " + fixed(s.max * 1e3, 0) + " ms; answers " + s.statuses +
         "; errors " + s.errors;
}

std::string issueBody(std::uint64_t n) {
  return titlecert::bench::reviewTitleRequest("负载" + std::to_string(n), cnId(n)).dump();
}

std::string revokeBody() { return R"({"reason":"issuer load bench"})"; }

std::string certNoOf(const std::string& issuedBody) {
  const auto j = nlohmann::json::parse(issuedBody, nullptr, false);
  return !j.is_discarded() && j.contains("cert_no") && j["cert_no"].is_string() ? j["cert_no"].get<std::string>() : "";
}

std::string payloadOf(const std::string& body) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  return !j.is_discarded() && j.contains("payload") && j["payload"].is_string() ? j["payload"].get<std::string>() : "";
}

bool startPostgresqlCluster(const Options& o, Report& report) {
  const auto r = runCommand({o.tools.pgScript, "start", o.pgDir, std::to_string(o.pgPort)});
  if (r.exitCode != 0) report.line("PostgreSQL test cluster did not start: " + r.err);
  return r.exitCode == 0;
}

void stopPostgresqlCluster(const Options& o) { runCommand({o.tools.pgScript, "stop", o.pgDir}); }

std::string postgresqlDatabase(const Options& o) {
  static int n = 0;
  const std::string name = "issuer_load_" + std::to_string(::getpid()) + "_" + std::to_string(++n);
  const std::string base = "host=127.0.0.1 port=" + std::to_string(o.pgPort) + " user=titlecert";
  const auto r = runCommand({"/usr/bin/psql", base + " dbname=postgres", "-q", "-c", "CREATE DATABASE " + name});
  return r.exitCode == 0 ? base + " dbname=" + name : "";
}

std::string startIssuer(const Options& o, IssuerProcess& p, bool postgresql) {
  std::string connection;
  if (postgresql) {
    connection = postgresqlDatabase(o);
    if (connection.empty()) return "cannot create a PostgreSQL database";
  }
  if (auto e = p.init(connection); !e.empty()) return e;
  if (auto e = p.start(); !e.empty()) return e;
  if (p.clerkToken().empty()) return "cannot make a clerk token";
  return {};
}

}  // namespace issuer_load
