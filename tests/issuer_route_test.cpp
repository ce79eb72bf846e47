// Issuance checks the route's own conditions (docs/issuer.md, "What
// issuance checks"): committees within their series and highest level,
// autonomous review only by the enterprise committee holding that right,
// exam titles naming their qualification, no grant date after today; and a
// committee's approved list issued without a profile, audited, through the
// synchronous endpoint and a CSV batch with the Chinese headers.
#include <gtest/gtest.h>

#include <chrono>

#include "support/issuer_command.h"
#include "titlecert/files.h"
#include "titlecert/issuer/social_security.h"

namespace titlecert::testing {
namespace {

using nlohmann::json;

// An engineering title (series 5, 化工（含制药） 501) at a level: review in
// series 5 has route rules.
json engineeringTitle(std::uint64_t level, const std::string& id = kHolderIdA) {
  json body = titleBody("王五", id);
  body["series"] = 5;
  body["specialty"] = 501;
  body["level"] = level;
  return body;
}

void expectRefused(const HttpReply& r, const std::string& code, const std::string& field) {
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"], code) << r.body;
  EXPECT_EQ(r.json()["field"], field) << r.body;
}

TEST(IssuanceRoute, AnIntermediateCommitteeDoesNotGrantASeniorTitle) {
  IssuerWorld w;
  json body = engineeringTitle(4);
  body["committee"] = 6501;
  body["override"] = {{"reason", "评审委员会决定"}};  // the scope is checked even over a route override
  const HttpReply r = w.post("/v1/certificates", body, w.adminToken);
  expectRefused(r, "COMMITTEE_OUT_OF_SCOPE", "committee");
  EXPECT_NE(r.json()["message"].get<std::string>().find("最高至级别 3"), std::string::npos) << r.body;
  const HttpReply en = w.call("POST", "/v1/certificates", body.dump(), w.adminToken, "application/json",
                              {{"Accept-Language", "en"}});
  expectRefused(en, "COMMITTEE_OUT_OF_SCOPE", "committee");
  EXPECT_NE(en.json()["message"].get<std::string>().find("up to level 3"), std::string::npos) << en.body;
}

TEST(IssuanceRoute, ACommitteeDoesNotGrantOutsideItsSeriesOrSpecialties) {
  IssuerWorld w;
  json otherSeries = titleBody();  // series 4 卫生技术
  otherSeries["committee"] = 6501;
  expectRefused(w.post("/v1/certificates", otherSeries, w.clerkToken), "COMMITTEE_OUT_OF_SCOPE", "committee");
  json otherSpecialty = engineeringTitle(3);
  otherSpecialty["specialty"] = 503;
  otherSpecialty["committee"] = 6501;  // 化工/生物医药: 501, 502
  otherSpecialty["override"] = {{"reason", "评审委员会决定"}};
  expectRefused(w.post("/v1/certificates", otherSpecialty, w.adminToken), "COMMITTEE_OUT_OF_SCOPE", "committee");
}

TEST(IssuanceRoute, AutonomousReviewComesOnlyFromTheEnterpriseCommitteeWithinItsScope) {
  IssuerWorld w;
  json body = engineeringTitle(3);
  body["route"] = "autonomous_review";
  expectRefused(w.post("/v1/certificates", body, w.clerkToken), "AUTONOMOUS_REVIEW_OUT_OF_SCOPE", "committee");
  body["committee"] = 6501;  // a review committee holds no autonomous review right
  expectRefused(w.post("/v1/certificates", body, w.clerkToken), "AUTONOMOUS_REVIEW_OUT_OF_SCOPE", "committee");
  json otherSpecialty = body;
  otherSpecialty["committee"] = 6504;
  otherSpecialty["specialty"] = 502;  // measure 1: 化工（含制药） only
  expectRefused(w.post("/v1/certificates", otherSpecialty, w.clerkToken), "COMMITTEE_OUT_OF_SCOPE", "committee");
  json aboveItsLevel = engineeringTitle(4);
  aboveItsLevel["route"] = "autonomous_review";
  aboveItsLevel["committee"] = 6504;
  expectRefused(w.post("/v1/certificates", aboveItsLevel, w.clerkToken), "COMMITTEE_OUT_OF_SCOPE", "committee");
  json enterpriseByReview = engineeringTitle(3);
  enterpriseByReview["committee"] = 6504;
  enterpriseByReview["override"] = {{"reason", "评审委员会决定"}};
  expectRefused(w.post("/v1/certificates", enterpriseByReview, w.adminToken), "COMMITTEE_OUT_OF_SCOPE", "committee");
  body["committee"] = 6504;
  const HttpReply ok = w.post("/v1/certificates", body, w.clerkToken);
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST(IssuanceRoute, AnExamTitleNamesTheQualificationThatProvesIt) {
  IssuerWorld w;
  json body = titleBody();  // 卫生技术 level 3: by national examination
  body["route"] = "exam";
  expectRefused(w.post("/v1/certificates", body, w.clerkToken), "EXAM_QUALIFICATION_MISSING", "qualification_no");
  body["qualification_no"] = "WS2026-0042";
  const HttpReply ok = w.post("/v1/certificates", body, w.clerkToken);
  ASSERT_EQ(ok.status, 201) << ok.body;
  const json got = w.get("/v1/certificates/" + ok.json()["cert_no"].get<std::string>(), w.clerkToken).json();
  EXPECT_EQ(got["qualification_no"], "WS2026-0042");
}

TEST(IssuanceRoute, AGrantDateAfterTodayIsRefused) {
  IssuerWorld w;  // the clock reads 2026-11-27
  json body = titleBody();
  body["granted"] = "2026-11-28";
  const HttpReply r = w.post("/v1/certificates", body, w.clerkToken);
  expectRefused(r, "GRANT_DATE_IN_FUTURE", "granted");
  body["granted"] = "2026-11-27";
  EXPECT_EQ(w.post("/v1/certificates", body, w.clerkToken).status, 201);
}

TEST(ApprovedList, AReviewTitleOnItsCommitteesDecisionNeedsNoProfileAndIsAudited) {
  IssuerWorld w;
  json body = engineeringTitle(3);
  body["committee"] = 6501;
  body["approval_no"] = "新高人社职〔2026〕12号";
  const HttpReply r = w.post("/v1/certificates", body, w.clerkToken);
  ASSERT_EQ(r.status, 201) << r.body;
  const json audit = w.get("/v1/audit?limit=1000", w.auditorToken).json();
  const std::string entries = audit.dump();
  EXPECT_NE(entries.find("\"committee_approval\":{\"approval_no\":\"新高人社职〔2026〕12号\",\"committee\":6501}"),
            std::string::npos)
      << entries;
}

TEST(ApprovedList, WithoutTheCommitteeOrItsApprovalTheProfileIsStillRequired) {
  IssuerWorld w;
  json noCommittee = engineeringTitle(3);
  expectRefused(w.post("/v1/certificates", noCommittee, w.clerkToken), "INVALID_ARGUMENT", "person");
  json noApproval = engineeringTitle(3);
  noApproval["committee"] = 6501;
  noApproval.erase("approval_no");
  expectRefused(w.post("/v1/certificates", noApproval, w.clerkToken), "INVALID_ARGUMENT", "person");
  json otherRoute = engineeringTitle(2);
  otherRoute["route"] = "initial_determination";
  otherRoute["committee"] = 6501;
  expectRefused(w.post("/v1/certificates", otherRoute, w.clerkToken), "INVALID_ARGUMENT", "person");
}

TEST(ApprovedList, EveryRowOfACommitteesCsvListIssues) {
  IssuerWorld w;
  w.service->startBatchWorker();
  std::string csv = "姓名,证件号码,系列,专业,级别,取得途径,授予日期,批准文号,评审委员会,工作单位\n";
  for (int i = 0; i < 4; ++i)
    csv += "申请人" + std::to_string(i) + "," + cnId(40 + i) + ",5," + (i % 2 ? "502" : "501") +
           ",3,review,2026-11-20,新高人社职〔2026〕12号,6501,新疆某生物医药有限公司\n";
  const HttpReply posted = w.call("POST", "/v1/batches", csv, w.clerkToken, "text/csv");
  ASSERT_EQ(posted.status, 202) << posted.body;
  const json s = w.waitForBatch(posted.json()["batch"]);
  EXPECT_EQ(s["state"], "done") << s.dump();
  EXPECT_EQ(s["total"], 4);
  EXPECT_EQ(s["failed"], 0) << s.dump();
  for (const auto& row : s["results"]) EXPECT_EQ(row["status"], "issued") << row.dump();
}

// ---- measure 12: the social-security record and the double commitment ----

const std::string kEmployer = "新疆某生物医药有限公司";

// A bureau export: 30 insured months at kEmployer and 40 at another
// employer for the holder of cnId(60).
std::string bureauExport() {
  const std::string bare = cnId(60).substr(3);
  return "\xEF\xBB\xBF姓名,证件号码,单位名称,参保月数\n"
         "赵六," + bare + "," + kEmployer + ",18\n"
         "赵六," + bare + ",\"" + kEmployer + "\",12\n"
         "赵六," + bare + ",新疆某化工有限公司,40\n";
}

// An assistant engineer by review, on a profile the rule
// review.eng.assistant.bachelor accepts (it counts a year of technical work).
json applicationByProfile() {
  json body = engineeringTitle(2, cnId(60));
  body["employer"] = kEmployer;
  body["person"] = {{"education", {{{"level", "bachelor"}, {"full_time", true}, {"graduated", "2025-07-01"}}}},
                    {"technical_work_since", "2025-07-15"},
                    {"employer", {{"kind", "private"}, {"in_zone", true}}},
                    {"first_application", true}};
  return body;
}

json bothCommitments() {
  return {{"applicant", {{"signed", "2026-09-01"}, {"text_version", "新高人社诚信承诺书 2026版"}}},
          {"employer", {{"signed", "2026-09-02"}, {"text_version", "新高人社诚信承诺书 2026版"}}}};
}

TEST(SocialSecurity, ABureauExportIsReadWithItsChineseHeaderAndRefusedLineByLine) {
  auto rows = issuer::readBureauExport(bureauExport());
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].employer, kEmployer);
  EXPECT_EQ((*rows)[1].months, 12u);
  EXPECT_EQ((*rows)[1].line, 3u);
  auto badMonths = issuer::readBureauExport("证件号码,单位名称,参保月数\n" + cnId(60).substr(3) + ",某公司,十二\n");
  ASSERT_FALSE(badMonths.ok());
  EXPECT_EQ(badMonths.error().field, "line 2");
  EXPECT_FALSE(badMonths.error().messageZh.empty());
  EXPECT_FALSE(issuer::readBureauExport("姓名,单位名称\n").ok());
}

TEST(SocialSecurity, ClaimedYearsAtTheEmployerAreBackedByImportedInsuredMonths) {
  IssuerWorld w;
  auto imported = w.service->importSocialSecurity(bureauExport(), issuer::localOperator());
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->rows, 3u);
  EXPECT_EQ(imported->entries, 2u);  // the two periods at kEmployer add up
  auto stored = files::read(w.dir + "/social-security.tsv");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->find(cnId(60).substr(3)), std::string::npos) << "the ID number is never stored in full";

  json body = applicationByProfile();
  body["commitments"] = bothCommitments();
  body["employment"] = {{"years", 3}};
  const HttpReply short3 = w.post("/v1/certificates", body, w.clerkToken);
  EXPECT_EQ(short3.status, 422) << short3.body;
  EXPECT_EQ(short3.json()["error"], "SOCIAL_SECURITY_NOT_BACKED");
  EXPECT_EQ(short3.json()["missing"], json::array({"在" + kEmployer + "参保满36个月（社保记录为30个月）"}));
  const HttpReply short3En = w.call("POST", "/v1/certificates", body.dump(), w.clerkToken, "application/json",
                                    {{"Accept-Language", "en"}});
  EXPECT_EQ(short3En.json()["missing"], json::array({"36 insured months at " + kEmployer + " (the social-security record shows 30)"}));

  body["employment"] = {{"years", 2}};
  const HttpReply ok = w.post("/v1/certificates", body, w.clerkToken);
  ASSERT_EQ(ok.status, 201) << ok.body;
  const json got = w.get("/v1/certificates/" + ok.json()["cert_no"].get<std::string>(), w.clerkToken).json();
  EXPECT_EQ(got["employment"]["insured_months"], 30);
  EXPECT_EQ(got["commitments"]["applicant"]["by"], "王五");
  EXPECT_EQ(got["commitments"]["applicant"]["signed"], "2026-09-01");
  EXPECT_EQ(got["commitments"]["employer"]["by"], kEmployer);
  EXPECT_EQ(got["commitments"]["employer"]["text_version"], "新高人社诚信承诺书 2026版");
  const std::string audit = w.get("/v1/audit?limit=1000", w.auditorToken).json().dump();
  EXPECT_NE(audit.find("social_security.import"), std::string::npos);
  EXPECT_NE(audit.find("\"commitments\":{\"applicant\":{\"by\":\"王五\",\"signed\":\"2026-09-01\""), std::string::npos) << audit;
}

TEST(SocialSecurity, TheImportCommandBesideAServingIssuerBacksItsNextIssuance) {
  IssuerWorld w;
  json body = applicationByProfile();
  body["commitments"] = bothCommitments();
  body["employment"] = {{"years", 2}};
  const HttpReply before = w.post("/v1/certificates", body, w.clerkToken);
  EXPECT_EQ(before.status, 422) << before.body;  // nothing imported: no insured months
  const std::string file = w.dir + "/bureau-export.csv";
  ASSERT_TRUE(files::writeAtomically(file, asBytes(bureauExport())).ok());
  const CommandRun imported =
      issuerCommand(w, "social-security import --data " + shellQuote(w.dir) + " " + shellQuote(file));
  ASSERT_EQ(imported.exit, 0) << imported.out;
  EXPECT_NE(imported.out.find("{\"entries\":2,\"rows\":3}"), std::string::npos) << imported.out;
  const HttpReply after = w.post("/v1/certificates", body, w.clerkToken);
  EXPECT_EQ(after.status, 201) << after.body;
}

TEST(SocialSecurity, AnApplicationDecidedOnTheProfileNeedsBothCommitmentsAndTheYearsAtTheEmployer) {
  IssuerWorld w;
  ASSERT_TRUE(w.service->importSocialSecurity(bureauExport(), issuer::localOperator()).ok());
  json body = applicationByProfile();
  expectRefused(w.post("/v1/certificates", body, w.clerkToken), "COMMITMENTS_REQUIRED", "commitments.applicant");
  body["commitments"] = bothCommitments();
  body["commitments"].erase("employer");
  expectRefused(w.post("/v1/certificates", body, w.clerkToken), "COMMITMENTS_REQUIRED", "commitments.employer");
  body["commitments"] = bothCommitments();
  body["commitments"]["applicant"]["signed"] = "2026-11-28";  // after today
  expectRefused(w.post("/v1/certificates", body, w.clerkToken), "INVALID_ARGUMENT", "commitments.applicant.signed");
  body["commitments"] = bothCommitments();
  expectRefused(w.post("/v1/certificates", body, w.clerkToken), "EMPLOYMENT_REQUIRED", "employment");
  body["employment"] = {{"years", 1}, {"employer", "某未参保单位"}};
  EXPECT_EQ(w.post("/v1/certificates", body, w.clerkToken).json()["error"], "SOCIAL_SECURITY_NOT_BACKED");
  // A committee's approved list carries the committee's decision: no commitments asked here.
  json approved = engineeringTitle(3, cnId(61));
  approved["committee"] = 6501;
  EXPECT_EQ(w.post("/v1/certificates", approved, w.clerkToken).status, 201);
}

}  // namespace
}  // namespace titlecert::testing
