// The endpoints behind the clerk console (CONTRACT.md, "The clerk console
// and batches"): asynchronous batches that survive a restart, the
// catalogue, the certificate search, the card_pdf link and the page itself.
#include <gtest/gtest.h>

#include <chrono>

#include "support/issuer_fixture.h"
#include "titlecert/files.h"

namespace titlecert::testing {
namespace {

using nlohmann::json;

std::string threeRowCsv() {
  return "姓名;证件号码;系列;专业;级别;取得途径;授予日期\n"
         "甲;" + cnId(21) + ";4;401;3;review;2026-11-20\n"
         "乙;" + cnId(22) + ";999;401;3;review;2026-11-20\n"
         "丙;" + cnId(23) + ";4;401;3;review;2026-11-20\n";
}

TEST(ConsoleApi, APostedBatchIsIssuedInTheBackgroundAndReportsEachRow) {
  IssuerWorld w;
  w.service->startBatchWorker();
  const HttpReply posted = w.call("POST", "/v1/batches", threeRowCsv(), w.clerkToken, "application/octet-stream");
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string id = posted.json()["batch"];
  const json s = w.waitForBatch(id);
  EXPECT_EQ(s["state"], "done") << s.dump();
  EXPECT_EQ(s["total"], 3);
  EXPECT_EQ(s["done"], 3);
  EXPECT_EQ(s["failed"], 1);
  ASSERT_EQ(s["results"].size(), 3u);
  EXPECT_EQ(s["results"][0]["status"], "issued");
  EXPECT_EQ(s["results"][1]["field"], "series");
  EXPECT_EQ(s["results"][2]["line"], 4);
  const json c = w.get("/v1/certificates/" + s["results"][2]["cert_no"].get<std::string>(), w.clerkToken).json();
  EXPECT_EQ(c["holder"]["name"], "丙");
}

TEST(ConsoleApi, AStoppedIssuerResumesItsBatchWhereTheOutcomesEnd) {
  IssuerWorldOptions oneRowSteps;
  oneRowSteps.extraProperties = {"batch.commit_rows = 1"};
  IssuerWorld w(oneRowSteps);
  const HttpReply posted = w.call("POST", "/v1/batches", threeRowCsv(), w.clerkToken, "text/csv");
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string id = posted.json()["batch"];
  EXPECT_EQ(w.service->runBatchStep(1), 1u);
  json s = w.get("/v1/batches/" + id, w.clerkToken).json();
  EXPECT_EQ(s["state"], "running");
  EXPECT_EQ(s["done"], 1);
  ASSERT_EQ(s["results"].size(), 1u);
  const json first = s["results"][0];

  w.reopen();
  w.service->startBatchWorker();
  s = w.waitForBatch(id);
  EXPECT_EQ(s["state"], "done");
  EXPECT_EQ(s["done"], 3);
  EXPECT_EQ(s["failed"], 1);
  EXPECT_EQ(s["results"][0], first);
  EXPECT_EQ(s["results"][2]["status"], "issued");
}

TEST(ConsoleApi, PendingBatchRowsDoNotHoldIdNumbersInClear) {
  if (testsOnPostgresql()) GTEST_SKIP() << "reads the SQLite file";
  IssuerWorld w;
  ASSERT_EQ(w.call("POST", "/v1/batches", threeRowCsv(), w.clerkToken, "text/csv").status, 202);
  w.stop();
  auto db = files::read(w.dir + "/issuer.db");
  auto wal = files::read(w.dir + "/issuer.db-wal");
  const std::string stored = *db + (wal ? *wal : "");
  EXPECT_EQ(stored.find(cnId(21).substr(3)), std::string::npos);
  EXPECT_NE(stored.find("batch.submit"), std::string::npos);
}

TEST(ConsoleApi, BatchesAreForWritersAndUnknownOnesAreNotFound) {
  IssuerWorld w;
  EXPECT_EQ(w.call("POST", "/v1/batches", threeRowCsv(), w.auditorToken, "text/csv").status, 403);
  EXPECT_EQ(w.call("POST", "/v1/batches", threeRowCsv(), "", "text/csv").status, 401);
  EXPECT_EQ(w.get("/v1/batches/0123", w.clerkToken).status, 404);
  EXPECT_EQ(w.call("POST", "/v1/batches", "type\n\xff\xfe\n", w.clerkToken, "text/csv").status, 400);
}

TEST(ConsoleApi, TheCatalogueIsThereForEverySignedInRole) {
  IssuerWorld w;
  const HttpReply r = w.get("/v1/catalogue", w.auditorToken);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json()["series"].is_array()) << r.body.substr(0, 200);
  EXPECT_FALSE(r.json()["series"].empty());
  EXPECT_EQ(w.get("/v1/catalogue").status, 401);
}

TEST(ConsoleApi, CertificatesAreFoundByNumberNameOrMaskedId) {
  IssuerWorld w;
  const HttpReply issued = w.post("/v1/certificates", titleBody("欧阳娜娜", cnId(31)), w.clerkToken);
  ASSERT_EQ(issued.status, 201);
  ASSERT_EQ(w.post("/v1/certificates", titleBody("王五", cnId(32)), w.clerkToken).status, 201);
  const std::string no = issued.json()["cert_no"];
  EXPECT_EQ(issued.json()["links"]["card_pdf"], "/v1/certificates/" + no + "/card.pdf");

  const json byName = w.get("/v1/certificates?q=%E6%AC%A7%E9%98%B3", w.auditorToken).json();  // 欧阳
  ASSERT_EQ(byName["certificates"].size(), 1u) << byName.dump();
  EXPECT_EQ(byName["certificates"][0]["cert_no"], no);
  EXPECT_EQ(w.get("/v1/certificates?q=" + no, w.clerkToken).json()["certificates"].size(), 1u);
  const std::string masked = byName["certificates"][0]["holder"]["id"];
  const json byId = w.get("/v1/certificates?q=" + masked.substr(masked.size() - 4), w.clerkToken).json();
  EXPECT_EQ(byId["certificates"].size(), 1u) << masked;
  EXPECT_TRUE(w.get("/v1/certificates?q=%25", w.clerkToken).json()["certificates"].empty());
  EXPECT_EQ(w.get("/v1/certificates", w.clerkToken).status, 400);
}

TEST(ConsoleApi, TheConsolePageIsServedWithItsSignInForm) {
  IssuerWorld w;
  const HttpReply page = w.get("/console/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.contentType, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("id=\"signin\""), std::string::npos);
  EXPECT_EQ(w.get("/console/console.js").status, 200);
  EXPECT_EQ(w.get("/console/none.js").status, 404);
}

}  // namespace
}  // namespace titlecert::testing
