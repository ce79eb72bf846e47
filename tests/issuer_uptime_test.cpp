// The issuer stays up: standard status lines, the Bearer challenge, a
// port in use refused at start, /v1/ready, and unauthenticated bodies
// refused without waiting for them.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cctype>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#include "support/issuer_fixture.h"
#include "support/raw_http.h"

namespace titlecert::testing {
namespace {

using namespace std::chrono_literals;

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string statusLine(const std::string& response) { return response.substr(0, response.find("\r\n")); }

std::string roundTrip(const IssuerWorld& world, const std::string& request) {
  RawConnection c(world.server->port());
  EXPECT_TRUE(c.send(request));
  return c.receiveUntil("\r\n\r\n", 5s);
}

TEST(IssuerUptime, ErrorStatusLinesCarryTheirStandardReasonPhrase) {
  IssuerWorld world;
  EXPECT_EQ(statusLine(roundTrip(world, "GET /v1/nothing-here HTTP/1.1\r\nHost: x\r\n\r\n")), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(statusLine(roundTrip(world, "DELETE /v1/bundle HTTP/1.1\r\nHost: x\r\n\r\n")),
            "HTTP/1.1 405 Method Not Allowed");
  EXPECT_EQ(statusLine(roundTrip(world, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")), "HTTP/1.1 200 OK");
}

TEST(IssuerUptime, UnauthorizedAnswerNamesTheBearerScheme) {
  IssuerWorld world;
  const std::string response = roundTrip(world, "GET /v1/issuers HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(statusLine(response), "HTTP/1.1 401 Unauthorized");
  EXPECT_NE(response.find("\r\nWWW-Authenticate: Bearer\r\n"), std::string::npos) << response;
  const std::string forbidden =
      roundTrip(world, "POST /v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + world.clerkToken +
                          "\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(statusLine(forbidden), "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(forbidden.find("WWW-Authenticate"), std::string::npos);
}

TEST(IssuerUptime, SecondServerOnAPortInUseFailsToStart) {
  IssuerWorld world;
  auto second = issuer::HttpServer::start(*world.service, "127.0.0.1:" + std::to_string(world.server->port()));
  ASSERT_FALSE(second.ok()) << "a second server shared the port";
  EXPECT_EQ(second.error().code, "LISTEN_FAILED");
  EXPECT_NE(second.error().message.find("already in use"), std::string::npos) << second.error().message;
  EXPECT_EQ(world.get("/v1/health").status, 200);
}

TEST(IssuerUptime, ReadyAnswersEveryCheckAndHealthStaysSimple) {
  IssuerWorld world;
  const HttpReply ready = world.get("/v1/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json()["status"], "ready");
  EXPECT_EQ(ready.json()["checks"]["database"], "ok");
  EXPECT_EQ(ready.json()["checks"]["keys"], "ok");
  EXPECT_EQ(ready.json()["checks"]["disk"], "ok");
  EXPECT_EQ(world.get("/v1/health").json()["status"], "ok");
  // The probe write is rolled back: nothing of it stays.
  EXPECT_EQ(world.queryText("SELECT COUNT(*) FROM settings WHERE name = 'ready.probe'"), "0|\n");
}

TEST(IssuerUptime, UnauthenticatedBodyIsRefusedWithoutWaitingForIt) {
  IssuerWorld world;
  RawConnection c(world.server->port());
  const auto started = std::chrono::steady_clock::now();
  // Announces 1 MiB, sends 10 bytes, and sends nothing more.
  ASSERT_TRUE(c.send("POST /v1/certificates HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 1048576\r\n\r\n{\"type\":\"t"));
  const std::string response = c.receiveUntil("\r\n\r\n", 5s);
  EXPECT_EQ(statusLine(response), "HTTP/1.1 401 Unauthorized");
  EXPECT_NE(lowercase(response).find("\r\nconnection: close\r\n"), std::string::npos) << response;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  // The server ends the connection itself, well before the body would be in.
  EXPECT_NE(c.awaitEnd(5s), RawConnection::End::Open);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
}

TEST(IssuerUptime, AuthenticatedKeepAliveStillWorksAfterARefusedBody) {
  IssuerWorld world;
  const HttpReply refused = world.call("POST", "/v1/certificates", titleBody().dump(), "not-a-token");
  EXPECT_EQ(refused.status, 401);
  const HttpReply issued = world.post("/v1/certificates", titleBody(), world.clerkToken);
  EXPECT_EQ(issued.status, 201) << issued.body;
}

// A Poco channel that counts the lines containing a text (and passes
// them on, so that counters stack).
class LineCounter final : public Poco::Channel {
 public:
  explicit LineCounter(std::string part) : part_(std::move(part)), logger_(Poco::Logger::get("titlecert.issuer")),
                                           before_(logger_.getChannel()) {
    logger_.setChannel(Poco::Channel::Ptr(this, true));
  }
  void restore() { logger_.setChannel(before_); }
  void log(const Poco::Message& m) override {
    if (m.getText().find(part_) != std::string::npos) ++count_;
    if (before_) before_->log(m);
  }
  int count() const { return count_; }

 private:
  std::string part_;
  Poco::Logger& logger_;
  Poco::Channel::Ptr before_;
  std::atomic<int> count_{0};
};

// The world's data folder moved onto a small tmpfs of its own (needs the
// right to mount: skipped without it).
class SmallDisk {
 public:
  explicit SmallDisk(IssuerWorld& world) : world_(world), original_(world.dir), mount_(makeTempDir("titlecert-small")) {
    const std::string command = "mount -t tmpfs -o size=8m tmpfs " + mount_ + " 2>/dev/null";
    mounted_ = std::system(command.c_str()) == 0;
    if (!mounted_) return;
    world.stop();
    std::filesystem::copy(original_, mount_, std::filesystem::copy_options::recursive);
    world.dir = mount_;
    world.reopen();
  }
  ~SmallDisk() {
    if (mounted_) {
      world_.stop();
      world_.dir = original_;
      [[maybe_unused]] const int unmounted = std::system(("umount " + mount_).c_str());
    }
    std::filesystem::remove_all(mount_);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  bool mounted() const { return mounted_; }
  // Writes a file until the disk is full.
  void fill() const {
    std::ofstream out(mount_ + "/filler", std::ios::binary);
    const std::string block(64 * 1024, 'x');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) out.flush();
  }
  void free() const { std::filesystem::remove(mount_ + "/filler"); }

 private:
  IssuerWorld& world_;
  std::string original_, mount_;
  bool mounted_ = false;
};

TEST(IssuerUptime, FullDiskAnswers503WithOneLogLineAndResumesWhenSpaceIsFreed) {
  if (testsOnPostgresql()) GTEST_SKIP() << "the SQLite file's disk";
  IssuerWorld world;
  SmallDisk disk(world);
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
  ASSERT_EQ(world.get("/v1/ready").status, 200) << world.get("/v1/ready").body;
  ASSERT_EQ(world.post("/v1/certificates", titleBody("赵一", cnId(1)), world.clerkToken).status, 201);
  LineCounter faultLines("storage fault: ");
  LineCounter rollbackLines("rollback failed");
  disk.fill();
  for (int i = 0; i < 20; ++i) {
    const HttpReply full = world.post("/v1/certificates", titleBody("赵二", cnId(2 + i)), world.clerkToken);
    EXPECT_EQ(full.status, 503) << full.body;
    EXPECT_EQ(full.json()["error"], "STORAGE_UNAVAILABLE") << full.body;
  }
  const HttpReply notReady = world.get("/v1/ready");
  EXPECT_EQ(notReady.status, 503);
  EXPECT_NE(notReady.json()["checks"]["disk"], "ok") << notReady.body;
  EXPECT_EQ(faultLines.count(), 1);
  EXPECT_EQ(rollbackLines.count(), 0);
  disk.free();
  const HttpReply back = world.post("/v1/certificates", titleBody("赵三", cnId(40)), world.clerkToken);
  EXPECT_EQ(back.status, 201) << back.body;
  EXPECT_EQ(world.get("/v1/ready").status, 200);
  rollbackLines.restore();
  faultLines.restore();
}

// Another process's write transaction on the world's SQLite file.
class HeldWriteLock {
 public:
  explicit HeldWriteLock(const std::string& file) {
    if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) return;
    held_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~HeldWriteLock() {
    if (held_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
  HeldWriteLock(const HeldWriteLock&) = delete;
  HeldWriteLock& operator=(const HeldWriteLock&) = delete;
  bool held() const { return held_; }

 private:
  sqlite3* db_ = nullptr;
  bool held_ = false;
};

TEST(IssuerUptime, BundleAnswersFromMemoryWhileAnotherProcessHoldsTheWriteLock) {
  if (testsOnPostgresql()) GTEST_SKIP() << "SQLite's write lock";
  IssuerWorld world;
  const HttpReply issued = world.post("/v1/certificates", titleBody(), world.clerkToken);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const HttpReply first = world.get("/v1/bundle");
  ASSERT_EQ(first.status, 200);
  // The content changes (a revocation), then another process takes the lock.
  const std::string certNo = issued.json()["cert_no"].get<std::string>();
  ASSERT_EQ(world.post("/v1/certificates/" + certNo + "/revoke", {{"reason", "test"}}, world.clerkToken).status, 200);
  std::string revokedEtag;
  {
    HeldWriteLock lock(world.dir + "/issuer.db");
    ASSERT_TRUE(lock.held());
    const auto started = std::chrono::steady_clock::now();
    const HttpReply during = world.get("/v1/bundle");
    EXPECT_EQ(during.status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "GET /v1/bundle waited for the write lock";
  }
  // Once the lock is free the new version is signed and served.
  for (int i = 0; i < 150 && revokedEtag.empty(); ++i) {
    const HttpReply after = world.get("/v1/bundle");
    if (after.status == 200 && after.etag != first.etag) revokedEtag = after.etag;
    else std::this_thread::sleep_for(100ms);
  }
  EXPECT_FALSE(revokedEtag.empty()) << "no new bundle after the lock was released";
}

// With every worker busy and the queue full, a new request is answered 503
// at once by the event loop (no worker needed), and the busy ones finish.
TEST(IssuerUptime, AFullWorkerPoolAnswers503WithRetryAfterAtOnceAndStillTakesARevocation) {
  if (testsOnPostgresql()) GTEST_SKIP() << "SQLite's write lock holds the workers";
  IssuerWorldOptions options;
  options.extraProperties = {"http.max_threads = 1", "http.max_queued = 1"};
  IssuerWorld world(options);
  const std::string body = titleBody().dump();
  const std::string issue = "POST /v1/certificates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + world.clerkToken +
                            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                            "\r\n\r\n" + body;
  const HttpReply issued = world.post("/v1/certificates", titleBody("王五", cnId(5)), world.clerkToken);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string reason = R"({"reason":"证书信息有误"})";
  const std::string revoke = "POST /v1/certificates/" + issued.json()["cert_no"].get<std::string>() +
                             "/revoke HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + world.clerkToken +
                             "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(reason.size()) +
                             "\r\n\r\n" + reason;
  RawConnection running(world.server->port()), queued(world.server->port()), extra(world.server->port()),
      revocation(world.server->port());
  std::string overloaded;
  {
    // The issuances wait for the write lock: one on the worker, one queued.
    HeldWriteLock lock(world.dir + "/issuer.db");
    ASSERT_TRUE(lock.held());
    ASSERT_TRUE(running.send(issue));
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE(queued.send(issue));
    std::this_thread::sleep_for(300ms);
    const auto started = std::chrono::steady_clock::now();
    ASSERT_TRUE(extra.send("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"));
    overloaded = extra.receiveUntil("}", 5s);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
    // A revocation takes one of the places kept for it.
    ASSERT_TRUE(revocation.send(revoke));
    std::this_thread::sleep_for(300ms);
  }
  EXPECT_EQ(statusLine(overloaded), "HTTP/1.1 503 Service Unavailable") << overloaded;
  EXPECT_NE(lowercase(overloaded).find("\r\nretry-after: 1\r\n"), std::string::npos) << overloaded;
  EXPECT_NE(overloaded.find("OVERLOADED"), std::string::npos) << overloaded;
  EXPECT_EQ(extra.awaitEnd(5s), RawConnection::End::Closed);
  // The lock released, both issuances go through.
  EXPECT_EQ(statusLine(running.receiveUntil("\r\n\r\n", 15s)), "HTTP/1.1 201 Created");
  EXPECT_EQ(statusLine(queued.receiveUntil("\r\n\r\n", 15s)), "HTTP/1.1 201 Created");
  EXPECT_EQ(statusLine(revocation.receiveUntil("\r\n\r\n", 15s)), "HTTP/1.1 200 OK");
}

// The test cluster's control (scripts/test-postgresql.sh), in the "pg." run.
struct ClusterControl {
  std::string dir, port;
  bool run(const std::string& verb) const {
    const std::string command = std::string(TITLECERT_SOURCE_DIR) + "/scripts/test-postgresql.sh " + verb + " " + dir +
                                (verb == "resume" ? " " + port : "") + " >/dev/null";
    return std::system(command.c_str()) == 0;
  }
};

std::optional<ClusterControl> clusterControl() {
#ifdef TITLECERT_TEST_PG_DIR
  if (testsOnPostgresql()) return ClusterControl{TITLECERT_TEST_PG_DIR, TITLECERT_TEST_PG_PORT};
#endif
  return std::nullopt;
}

TEST(IssuerUptime, WritesResumeAfterPostgresqlRestartsWithoutLeakingDescriptors) {
  const auto cluster = clusterControl();
  if (!cluster) GTEST_SKIP() << "PostgreSQL only (the pg. run)";
  IssuerWorld world;
  ASSERT_EQ(world.post("/v1/certificates", titleBody("王一", cnId(1)), world.clerkToken).status, 201);
  ASSERT_TRUE(cluster->run("halt"));
  const int before = openDescriptors();
  for (int i = 0; i < 40; ++i) {
    const HttpReply down = world.post("/v1/certificates", titleBody("王二", cnId(2)), world.clerkToken);
    EXPECT_EQ(down.status, 503) << down.body;
    if (i == 0) {
      EXPECT_EQ(down.json()["error"], "STORAGE_UNAVAILABLE") << down.body;
    }
  }
  EXPECT_EQ(world.get("/v1/ready").status, 503);
  EXPECT_EQ(world.get("/v1/health").status, 200);
  // A few for the HTTP client's own sockets in flight, never one per request.
  EXPECT_LE(openDescriptors(), before + 4) << "descriptors leak while the database is down";
  ASSERT_TRUE(cluster->run("resume"));
  const HttpReply back = world.post("/v1/certificates", titleBody("王三", cnId(3)), world.clerkToken);
  EXPECT_EQ(back.status, 201) << back.body;
  EXPECT_EQ(world.get("/v1/ready").status, 200);
  const std::string certNo = back.json().value("cert_no", "");
  EXPECT_EQ(world.get("/v1/certificates/" + certNo, world.clerkToken).status, 200);
}

}  // namespace
}  // namespace titlecert::testing
