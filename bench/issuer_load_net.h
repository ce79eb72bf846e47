// The issuer load bench's HTTP side: a driver that keeps many clients busy
// from one thread (non-blocking sockets, epoll) and counts every request's
// outcome, and a small blocking client for the checks around it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace issuer_load {

using Clock = std::chrono::steady_clock;

struct HttpRequest {
  std::string kind;  // what the report groups it under: "issue", "revoke", "get"
  std::string method, path, body, token;
};

// What became of one request: an HTTP status (any answer, a 503 included),
// or, when no answer came, the kind of error ("reset", "refused", "timeout",
// "closed": the connection ended with no answer).
struct Outcome {
  std::string kind;
  int status = 0;          // 0: no answer
  std::string error;       // set when status is 0
  double seconds = 0;      // from the first connect or send to the whole answer
  double doneAt = 0;       // seconds since the run began
  std::string body;        // kept for 201 answers only
};

struct DriverOptions {
  int port = 0;
  int clients = 8;
  bool keepAlive = true;
  double answerTimeout = 10;  // seconds without a whole answer: a "timeout"
  // The next request of a client; called on the driver's thread.
  std::function<HttpRequest(int client, std::uint64_t n)> next;
  // Called on the driver's thread with each outcome as it comes.
  std::function<void(const Outcome&)> onOutcome;
};

// Runs the clients until `stop` is set, then abandons what is in flight
// (not counted). Returns every counted outcome.
std::vector<Outcome> drive(const DriverOptions& options, const std::atomic<bool>& stop);

// Opens `count` connections and sends a request header one byte every
// `interval` seconds on each until `stop` is set (runs on its own thread).
// Returns how many connections were opened.
struct TrickleReport {
  int opened = 0, failedToOpen = 0, closedByServer = 0;
};
TrickleReport trickle(int port, int count, double interval, const std::atomic<bool>& stop);

struct Reply {
  int status = 0;  // 0: no answer (error says why)
  std::string body, error;
  double seconds = 0;
};
// One request on a fresh connection, waiting at most `timeout` seconds.
Reply call(int port, const std::string& method, const std::string& path, const std::string& body = {},
           const std::string& token = {}, double timeout = 10);

std::string requestText(const HttpRequest& r, bool keepAlive);

// Raises RLIMIT_NOFILE to its hard limit; returns the soft limit then in force.
long raiseFileLimit();

}  // namespace issuer_load
