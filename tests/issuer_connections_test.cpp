// Connections are not threads: idle and keep-alive connections cost no
// worker, slow clients are timed out, and over capacity every client gets an
// answer (a 503 with Retry-After), never a reset. Real sockets on
// 127.0.0.1, timeouts shortened through issuer.properties.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/issuer_fixture.h"
#include "support/raw_http.h"

namespace titlecert::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string statusLine(const std::string& response) { return response.substr(0, response.find("\r\n")); }

bool hasHeader(const std::string& response, const std::string& nameColonValue) {
  const std::string head = lowercase(response.substr(0, response.find("\r\n\r\n") + 2));
  return head.find("\r\n" + lowercase(nameColonValue)) != std::string::npos;
}

// One HTTP/1.1 answer read off a raw connection: its head and its body
// (Content-Length), or what went wrong.
struct Answer {
  int status = 0;  // 0: none
  bool retryAfter = false, close = false, reset = false;
};

// Reads one whole answer (head, then Content-Length bytes) within `wait`.
Answer readAnswer(int fd, std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  std::string got;
  std::size_t headEnd = std::string::npos, need = 0;
  char buffer[8192];
  Answer a;
  for (;;) {
    if (headEnd == std::string::npos && (headEnd = got.find("\r\n\r\n")) != std::string::npos) {
      const std::string head = lowercase(got.substr(0, headEnd + 2));
      const auto length = head.find("\r\ncontent-length:");
      need = headEnd + 4 + (length == std::string::npos ? 0 : std::stoul(head.substr(length + 17)));
      a.status = std::stoi(got.substr(9, 3));
      a.retryAfter = head.find("\r\nretry-after:") != std::string::npos;
      a.close = head.find("\r\nconnection: close") != std::string::npos;
    }
    if (headEnd != std::string::npos && got.size() >= need) return a;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return Answer{};
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0) {
      a.reset = true;
      a.status = 0;
      return a;
    }
    if (n == 0) return headEnd != std::string::npos && got.size() >= need ? a : Answer{};
    got.append(buffer, static_cast<std::size_t>(n));
  }
}

// The soft descriptor limit raised to the hard one, for many clients.
void raiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

IssuerWorldOptions withProperties(std::vector<std::string> properties) {
  IssuerWorldOptions o;
  o.extraProperties = std::move(properties);
  return o;
}

const std::string kHealth = "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n";

TEST(IssuerConnections, IdleKeepAliveConnectionsDoNotStopANewClient) {
  IssuerWorld world(withProperties({"http.max_threads = 2", "http.max_queued = 2"}));
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 32; ++i) {
    idle.push_back(std::make_unique<RawConnection>(world.server->port()));
    ASSERT_TRUE(idle.back()->send(kHealth));
    ASSERT_EQ(statusLine(idle.back()->receiveUntil("}", 5s)), "HTTP/1.1 200 OK");
  }
  // 32 keep-alive connections now idle on a server with two workers.
  const auto started = Clock::now();
  RawConnection fresh(world.server->port());
  ASSERT_TRUE(fresh.send(kHealth));
  EXPECT_EQ(statusLine(fresh.receiveUntil("}", 5s)), "HTTP/1.1 200 OK");
  EXPECT_LT(Clock::now() - started, 1s);
  // And the idle ones are still open and served.
  ASSERT_TRUE(idle.front()->send(kHealth));
  EXPECT_EQ(statusLine(idle.front()->receiveUntil("}", 5s)), "HTTP/1.1 200 OK");
}

TEST(IssuerConnections, KeepAliveIdleTimeoutClosesTheConnectionCleanly) {
  IssuerWorld world(withProperties({"http.idle_timeout_ms = 300"}));
  RawConnection c(world.server->port());
  ASSERT_TRUE(c.send(kHealth));
  ASSERT_EQ(statusLine(c.receiveUntil("}", 5s)), "HTTP/1.1 200 OK");
  const auto started = Clock::now();
  EXPECT_EQ(c.awaitEnd(5s), RawConnection::End::Closed);
  EXPECT_LT(Clock::now() - started, 2s);
}

TEST(IssuerConnections, OverTheConnectionCapAClientGets503WithRetryAfterNotAReset) {
  IssuerWorld world(withProperties({"http.max_connections = 2"}));
  auto first = std::make_unique<RawConnection>(world.server->port());
  RawConnection second(world.server->port());
  ASSERT_TRUE(first->send(kHealth));
  ASSERT_EQ(statusLine(first->receiveUntil("}", 5s)), "HTTP/1.1 200 OK");
  ASSERT_TRUE(second.send(kHealth));
  ASSERT_EQ(statusLine(second.receiveUntil("}", 5s)), "HTTP/1.1 200 OK");
  RawConnection third(world.server->port());
  ASSERT_TRUE(third.send(kHealth));
  const std::string refused = third.receiveUntil("}", 5s);
  EXPECT_EQ(statusLine(refused), "HTTP/1.1 503 Service Unavailable") << refused;
  EXPECT_TRUE(hasHeader(refused, "Retry-After:")) << refused;
  EXPECT_TRUE(hasHeader(refused, "Connection: close")) << refused;
  EXPECT_EQ(third.awaitEnd(5s), RawConnection::End::Closed);
  // A connection closed is a place for the next client.
  first.reset();
  std::this_thread::sleep_for(200ms);
  RawConnection fourth(world.server->port());
  ASSERT_TRUE(fourth.send(kHealth));
  EXPECT_EQ(statusLine(fourth.receiveUntil("}", 5s)), "HTTP/1.1 200 OK");
}

TEST(IssuerConnections, PerClientCapAnswers503ToThatClient) {
  IssuerWorld world(withProperties({"http.max_connections_per_client = 1"}));
  RawConnection first(world.server->port());
  ASSERT_TRUE(first.send(kHealth));
  ASSERT_EQ(statusLine(first.receiveUntil("}", 5s)), "HTTP/1.1 200 OK");
  RawConnection second(world.server->port());
  ASSERT_TRUE(second.send(kHealth));
  EXPECT_EQ(statusLine(second.receiveUntil("}", 5s)), "HTTP/1.1 503 Service Unavailable");
  EXPECT_EQ(second.awaitEnd(5s), RawConnection::End::Closed);
}

TEST(IssuerConnections, UnauthenticatedTrickledBodyGets401AtOnce) {
  IssuerWorld world(withProperties({"http.linger_ms = 500"}));
  RawConnection c(world.server->port());
  const auto started = Clock::now();
  ASSERT_TRUE(c.send("POST /v1/certificates HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 4096\r\n\r\n{"));
  std::atomic<bool> done{false};
  std::string response;
  std::thread reader([&] {
    response = c.receiveUntil("}", 5s);
    done = true;
  });
  // One body byte every 100 ms, for as long as the answer takes.
  for (int i = 0; i < 30 && !done; ++i) {
    c.send(" ");
    std::this_thread::sleep_for(100ms);
  }
  reader.join();
  EXPECT_EQ(statusLine(response), "HTTP/1.1 401 Unauthorized") << response;
  EXPECT_TRUE(hasHeader(response, "Connection: close")) << response;
  EXPECT_LT(Clock::now() - started, 1500ms);
}

TEST(IssuerConnections, AuthenticatedBodyOverTheLimitIs413WithoutReadingIt) {
  IssuerWorld world;
  RawConnection c(world.server->port());
  const auto started = Clock::now();
  ASSERT_TRUE(c.send("POST /v1/certificates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + world.clerkToken +
                     "\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{"));
  const std::string response = c.receiveUntil("}", 5s);
  EXPECT_EQ(statusLine(response), "HTTP/1.1 413 Payload Too Large") << response;
  EXPECT_TRUE(hasHeader(response, "Connection: close")) << response;
  EXPECT_LT(Clock::now() - started, 1s);
  EXPECT_NE(c.awaitEnd(5s), RawConnection::End::Open);
}

TEST(IssuerConnections, ExpectContinueGetsItsInterimAnswerThenTheResult) {
  IssuerWorld world;
  RawConnection c(world.server->port());
  const std::string body = titleBody().dump();
  ASSERT_TRUE(c.send("POST /v1/certificates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + world.clerkToken +
                     "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n"));
  EXPECT_EQ(statusLine(c.receiveUntil("\r\n\r\n", 5s)), "HTTP/1.1 100 Continue");
  ASSERT_TRUE(c.send(body));
  EXPECT_EQ(statusLine(c.receiveUntil("\r\n\r\n", 5s)), "HTTP/1.1 201 Created");
}

// 200 connections each sending one header byte a second; a normal client's
// requests meanwhile are each answered within a second, and the slow ones
// are closed by the header timeout.
TEST(IssuerConnectionsLoad, SlowHeadersStarveNobodyAndAreClosedByTheHeaderTimeout) {
  raiseDescriptorLimit();
  IssuerWorld world(withProperties({"http.header_timeout_ms = 3000", "http.max_threads = 4"}));
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 200; ++i) slow.push_back(std::make_unique<RawConnection>(world.server->port()));
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    const std::string head = "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    for (std::size_t byte = 0; byte < head.size() && !stop; ++byte) {
      for (auto& c : slow) c->send(head.substr(byte, 1));
      std::this_thread::sleep_for(1s);
    }
  });
  const auto started = Clock::now();
  int answered = 0;
  auto slowest = Clock::duration::zero();
  while (Clock::now() - started < 5s) {
    RawConnection normal(world.server->port());
    const auto asked = Clock::now();
    ASSERT_TRUE(normal.send(kHealth));
    EXPECT_EQ(statusLine(normal.receiveUntil("}", 2s)), "HTTP/1.1 200 OK");
    slowest = std::max(slowest, Clock::now() - asked);
    ++answered;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_GE(answered, 10);
  EXPECT_LT(slowest, 1s);
  std::cout << "beside 200 slow connections: " << answered << " requests, the slowest answered in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count() << " ms\n";
  // By now (5 s) each slow connection is past its 3 s header timeout.
  int closed = 0;
  for (auto& c : slow)
    if (c->awaitEnd(1s) != RawConnection::End::Open) ++closed;
  stop = true;
  trickle.join();
  EXPECT_EQ(closed, 200);
}

// 512 clients at once, half keep-alive, half one request per connection:
// every request gets an answer (2xx, or 503 with Retry-After), and no
// connection is reset.
TEST(IssuerConnectionsLoad, FiveHundredTwelveClientsAreAllAnsweredAndNoneReset) {
  raiseDescriptorLimit();
  IssuerWorld world(withProperties({"http.max_threads = 4", "http.max_queued = 32", "http.max_connections = 192"}));
  const std::uint16_t port = world.server->port();
  constexpr int kClients = 512, kRequestsEach = 8;
  std::atomic<int> ok{0}, busy{0}, unanswered{0}, resets{0}, badBusy{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, keepAlive = i % 2 == 0] {
      std::unique_ptr<RawConnection> c;
      for (int r = 0; r < kRequestsEach; ++r) {
        if (!c) c = std::make_unique<RawConnection>(port);
        const std::string request = keepAlive ? kHealth : "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        if (!c->send(request)) {
          ++resets;  // EPIPE or ECONNRESET
          c.reset();
          continue;
        }
        const Answer a = readAnswer(c->fd(), 10s);
        if (a.reset) ++resets;
        else if (a.status == 200) ++ok;
        else if (a.status == 503) (a.retryAfter ? busy : badBusy)++;
        else ++unanswered;
        if (!keepAlive || a.close || a.status != 200) c.reset();
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(resets.load(), 0);
  EXPECT_EQ(unanswered.load(), 0);
  EXPECT_EQ(badBusy.load(), 0);
  EXPECT_EQ(ok + busy, kClients * kRequestsEach);
  EXPECT_GT(ok.load(), 0);
  std::cout << "512 clients: " << ok << " answered 200, " << busy << " answered 503\n";
}

}  // namespace
}  // namespace titlecert::testing
