// Answers in the clerk's language (CONTRACT.md: error messages follow
// Accept-Language, zh by default, en): how the header is read, and every
// error the HTTP tests provoke, asked for in Chinese and in English.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "http/language.h"
#include "http/problem_chinese.h"
#include "support/issuer_fixture.h"

namespace titlecert::testing {
namespace {

using issuer::Language;
using issuer::http::chooseLanguage;
using nlohmann::json;

TEST(AcceptLanguage, ChineseUnlessEnglishIsPreferred) {
  EXPECT_EQ(chooseLanguage(""), Language::Zh);
  EXPECT_EQ(chooseLanguage("en"), Language::En);
  EXPECT_EQ(chooseLanguage("EN-gb"), Language::En);
  EXPECT_EQ(chooseLanguage("en-US,en;q=0.9"), Language::En);
  EXPECT_EQ(chooseLanguage("zh-CN,zh;q=0.9,en;q=0.8"), Language::Zh);
  EXPECT_EQ(chooseLanguage("fr"), Language::Zh);
  EXPECT_EQ(chooseLanguage("*"), Language::Zh);
  EXPECT_EQ(chooseLanguage("de, en;q=0.3"), Language::En);
}

TEST(AcceptLanguage, QValuesWeighAndTheFirstListedWinsATie) {
  EXPECT_EQ(chooseLanguage("en;q=0.5, zh;q=0.8"), Language::Zh);
  EXPECT_EQ(chooseLanguage("zh;q=0.5, en;q=0.8"), Language::En);
  EXPECT_EQ(chooseLanguage("zh;q=0.5, en"), Language::En);
  EXPECT_EQ(chooseLanguage("en, zh"), Language::En);
  EXPECT_EQ(chooseLanguage("zh, en"), Language::Zh);
  EXPECT_EQ(chooseLanguage("en;q=0.800, zh-TW;q=0.8"), Language::En);
  EXPECT_EQ(chooseLanguage("en ; q=1.0"), Language::En);
}

TEST(AcceptLanguage, ExcludedOrUnreadableRangesDoNotChooseEnglish) {
  EXPECT_EQ(chooseLanguage("en;q=0"), Language::Zh);
  EXPECT_EQ(chooseLanguage("en;q=0.000, fr"), Language::Zh);
  EXPECT_EQ(chooseLanguage("en;q=abc"), Language::Zh);
  EXPECT_EQ(chooseLanguage("en;q=1.5"), Language::Zh);
  EXPECT_EQ(chooseLanguage(",,;"), Language::Zh);
}

// Chinese: at least one CJK character, and no English sentence (three or
// more English words in a row); field names, codes and values may remain.
// English: an English sentence, or English words and no CJK outside the
// quoted values (the catalogue's English texts name some Chinese terms,
// e.g. "a 技师 (technician) skill level").
bool hasCjk(const std::string& s) { return std::regex_search(s, std::regex("[\\xE4-\\xE9][\\x80-\\xBF]{2}")); }
bool hasEnglishSentence(const std::string& s) { return std::regex_search(s, std::regex("[A-Za-z]{2,}( [A-Za-z]{2,}){2,}")); }
std::string withoutQuotedValues(const std::string& s) { return std::regex_replace(s, std::regex("\"[^\"]*\""), "\"\""); }
bool readsChinese(const std::string& s) { return hasCjk(s) && !hasEnglishSentence(s); }
bool readsEnglish(const std::string& s) {
  const std::string unquoted = withoutQuotedValues(s);
  return hasEnglishSentence(unquoted) || (!hasCjk(unquoted) && std::regex_search(unquoted, std::regex("[a-z]{3,}")));
}

struct Provoked {
  std::string what;  // for the failure message
  std::string method, path, body;
  std::string token;
  std::string contentType = "application/json";
  std::vector<std::pair<std::string, std::string>> headers = {};
};

std::vector<Provoked> errorsTheHttpTestsProvoke(const IssuerWorld& w, const std::string& revokedNo) {
  json noName = titleBody();
  noName["holder"].erase("name");
  json badSeries = titleBody();
  badSeries["series"] = 999;
  json badId = titleBody();
  badId["holder"]["id"] = "CN:650102199001011230";
  json engineering = titleBody();
  engineering["series"] = 5;
  engineering["specialty"] = 501;
  engineering["level"] = 4;
  json notEligible = engineering;
  notEligible["person"] = {{"education", {{{"level", "bachelor"}, {"full_time", true}, {"graduated", "2025-07-01"}}}},
                           {"technical_work_since", "2025-07-15"}};
  json override = engineering;
  override["override"] = {{"reason", "委员会决定"}};
  const json badProfile = {{"person", {{"education", {{{"level", "phd"}, {"graduated", "2020-07-01"}}}}}},
                           {"target", {{"series", 5}, {"specialty", 501}, {"level", 2}}}};
  return {
      {"unknown endpoint", "GET", "/v1/nothing", "", w.clerkToken},
      {"wrong method", "DELETE", "/v1/certificates", "", w.clerkToken},
      {"no token", "POST", "/v1/certificates", titleBody().dump(), ""},
      {"role", "POST", "/v1/tokens", R"({"role": "clerk"})", w.clerkToken},
      {"not JSON", "POST", "/v1/certificates", "{", w.clerkToken},
      {"not an object", "POST", "/v1/certificates", "[]", w.clerkToken},
      {"repeated key", "POST", "/v1/tokens", R"({"role": "clerk", "role": "admin"})", w.adminToken},
      {"missing field", "POST", "/v1/certificates", noName.dump(), w.clerkToken},
      {"unknown series", "POST", "/v1/certificates", badSeries.dump(), w.clerkToken},
      {"bad ID number", "POST", "/v1/certificates", badId.dump(), w.clerkToken},
      {"profile required", "POST", "/v1/certificates", engineering.dump(), w.clerkToken},
      {"not eligible", "POST", "/v1/certificates", notEligible.dump(), w.clerkToken},
      {"override by a clerk", "POST", "/v1/certificates", override.dump(), w.clerkToken},
      {"bad role name", "POST", "/v1/tokens", R"({"role": "boss"})", w.adminToken},
      {"bad profile", "POST", "/v1/eligibility", badProfile.dump(), w.clerkToken},
      {"no certificate", "GET", "/v1/certificates/NOPE-1", "", w.clerkToken},
      {"revoked twice", "POST", "/v1/certificates/" + revokedNo + "/revoke", R"({"reason": "again"})", w.clerkToken},
      {"empty reason", "POST", "/v1/certificates/" + revokedNo + "/revoke", R"({"reason": ""})", w.clerkToken},
      {"no batch", "GET", "/v1/batches/abc", "", w.clerkToken},
      {"empty search", "GET", "/v1/certificates?q=", "", w.clerkToken},
      {"audit limit", "GET", "/v1/audit?limit=0", "", w.auditorToken},
      {"paper", "GET", "/v1/certificates/" + revokedNo + "/card.pdf?paper=b5", "", w.clerkToken},
      {"no token id", "DELETE", "/v1/tokens/x", "", w.adminToken},
      {"CSV header", "POST", "/v1/batches", "姓名;颜色\n甲;红\n", w.clerkToken, "text/csv"},
      {"batch encoding", "POST", "/v1/batches", "type\n\xff\xfe\n", w.clerkToken, "text/csv"},
      {"idempotency key", "POST", "/v1/certificates", titleBody().dump(), w.clerkToken, "application/json",
       {{"Idempotency-Key", std::string(300, 'k')}}},
  };
}

TEST(AnswersInTheClerksLanguage, EveryProvokedErrorIsChineseByDefaultAndEnglishUnderEn) {
  IssuerWorld w;
  const HttpReply issued = w.post("/v1/certificates", titleBody("王五", cnId(40)), w.clerkToken);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string no = issued.json()["cert_no"];
  ASSERT_EQ(w.post("/v1/certificates/" + no + "/revoke", {{"reason", "x"}}, w.clerkToken).status, 200);

  for (const Provoked& p : errorsTheHttpTestsProvoke(w, no)) {
    auto ask = [&](const std::string& acceptLanguage) {
      auto headers = p.headers;
      if (!acceptLanguage.empty()) headers.emplace_back("Accept-Language", acceptLanguage);
      return w.call(p.method, p.path, p.body, p.token, p.contentType, headers);
    };
    const HttpReply byDefault = ask(""), zh = ask("zh-CN,zh;q=0.9"), en = ask("en-US,en;q=0.9,zh;q=0.5");
    ASSERT_GE(byDefault.status, 400) << p.what << ": " << byDefault.body;
    EXPECT_EQ(en.status, byDefault.status) << p.what;
    EXPECT_EQ(en.json()["error"], byDefault.json()["error"]) << p.what;
    const std::string zhMessage = byDefault.json().value("message", "");
    EXPECT_TRUE(readsChinese(zhMessage)) << p.what << ": " << zhMessage;
    EXPECT_EQ(zh.json().value("message", ""), zhMessage) << p.what;
    const std::string enMessage = en.json().value("message", "");
    EXPECT_TRUE(readsEnglish(enMessage)) << p.what << ": " << enMessage;
    EXPECT_EQ(byDefault.contentLanguage, "zh") << p.what;
    EXPECT_EQ(en.contentLanguage, "en") << p.what;
    EXPECT_EQ(en.vary, "Accept-Language") << p.what;
    if (en.json().contains("field")) {
      // The field a message names stays as it is in both languages.
      const std::string field = en.json()["field"];
      if (enMessage.starts_with(field + ":")) {
        EXPECT_NE(zhMessage.find(field), std::string::npos) << p.what;
      }
    }
  }
}

TEST(AnswersInTheClerksLanguage, WhatIsMissingFollowsTheLanguageWithItsDates) {
  IssuerWorld w;
  json title = titleBody();
  title["series"] = 5;
  title["specialty"] = 501;
  title["level"] = 4;
  title["granted"] = "2026-11-20";
  title["person"] = {{"education", {{{"level", "bachelor"}, {"full_time", true}, {"graduated", "2025-07-01"}}}},
                     {"technical_work_since", "2025-07-15"}};
  const HttpReply zh = w.post("/v1/certificates", title, w.clerkToken);
  const HttpReply en = w.call("POST", "/v1/certificates", title.dump(), w.clerkToken, "application/json",
                              {{"Accept-Language", "en"}});
  ASSERT_EQ(zh.status, 422) << zh.body;
  ASSERT_EQ(en.json()["missing"].size(), zh.json()["missing"].size());
  ASSERT_FALSE(zh.json()["missing"].empty());
  for (std::size_t i = 0; i < zh.json()["missing"].size(); ++i) {
    EXPECT_TRUE(readsChinese(zh.json()["missing"][i])) << zh.json()["missing"][i];
    EXPECT_TRUE(readsEnglish(en.json()["missing"][i])) << en.json()["missing"][i];
  }
  const std::string message = zh.json()["message"];
  EXPECT_NE(message.find("2026-11-20"), std::string::npos) << message;
  EXPECT_NE(message.find("review"), std::string::npos) << message;
}

TEST(AnswersInTheClerksLanguage, EligibilityAnswersNameWhatIsMissingInTheAskedLanguage) {
  IssuerWorld w;
  const json request = {{"on", "2026-07-01"},
                        {"person", {{"education", {{{"level", "bachelor"}, {"full_time", true}, {"graduated", "2025-07-01"}}}},
                                    {"technical_work_since", "2025-07-15"}}},
                        {"target", {{"series", 5}, {"specialty", 501}, {"level", 4}}}};
  const HttpReply zh = w.post("/v1/eligibility", request, w.clerkToken);
  const HttpReply en = w.call("POST", "/v1/eligibility", request.dump(), w.clerkToken, "application/json",
                              {{"Accept-Language", "en;q=1, zh;q=0.2"}});
  ASSERT_EQ(zh.status, 200) << zh.body;
  EXPECT_EQ(zh.contentLanguage, "zh");
  EXPECT_EQ(en.contentLanguage, "en");
  EXPECT_EQ(zh.vary, "Accept-Language");
  std::size_t texts = 0;
  for (std::size_t r = 0; r < zh.json()["routes"].size(); ++r)
    for (std::size_t i = 0; i < zh.json()["routes"][r]["missing"].size(); ++i, ++texts) {
      EXPECT_TRUE(readsChinese(zh.json()["routes"][r]["missing"][i])) << zh.json()["routes"][r]["missing"][i];
      EXPECT_TRUE(readsEnglish(en.json()["routes"][r]["missing"][i])) << en.json()["routes"][r]["missing"][i];
    }
  EXPECT_GT(texts, 0u);
}

json finishedBatch(const IssuerWorld& w, const std::string& id, const std::string& acceptLanguage) {
  json status;
  for (int i = 0; i < 600; ++i) {  // up to 30 s on a loaded machine
    status = w.call("GET", "/v1/batches/" + id, "", w.clerkToken, "application/json", {{"Accept-Language", acceptLanguage}}).json();
    if (status["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return status;
}

TEST(AnswersInTheClerksLanguage, BatchResultsGiveTheReasonInTheAskedLanguage) {
  IssuerWorld w;
  w.service->startBatchWorker();
  const std::string csv = "姓名;证件号码;系列;专业;级别;取得途径;授予日期\n"
                          "甲;" + cnId(21) + ";4;401;3;review;2026-11-20\n"
                          "乙;" + cnId(22) + ";999;401;3;review;2026-11-20\n"
                          "丙;" + cnId(23) + ";4;401;3;review;2026-13-40\n";
  const HttpReply posted = w.call("POST", "/v1/batches", csv, w.clerkToken, "text/csv");
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string id = posted.json()["batch"];
  const json zh = finishedBatch(w, id, "zh");
  const json en = finishedBatch(w, id, "en");
  ASSERT_EQ(zh["state"], "done") << zh.dump();
  ASSERT_EQ(zh["results"].size(), 3u);
  EXPECT_EQ(zh["results"][0]["status"], "issued");
  for (int row : {1, 2}) {
    EXPECT_EQ(zh["results"][row]["status"], "error") << zh.dump();
    EXPECT_TRUE(readsChinese(zh["results"][row]["message"])) << zh["results"][row].dump();
    EXPECT_TRUE(readsEnglish(en["results"][row]["message"])) << en["results"][row].dump();
    EXPECT_FALSE(zh["results"][row].contains("message_zh"));
  }
  EXPECT_NE(zh["results"][1]["message"].get<std::string>().find("999"), std::string::npos);
}

// Messages as the issuer writes them (service, keys, issuance, batches):
// each has its own Chinese, not a generic one, and keeps its values.
TEST(AnswersInTheClerksLanguage, TheIssuersOwnMessagesHaveTheirOwnChineseWithTheirValues) {
  const std::vector<std::pair<issuer::Problem, std::string>> made = {
      {issuer::conflict("cert_no 650100-2026-000007 is already used"), "650100-2026-000007"},
      {issuer::conflict("token 12 is already revoked"), "12"},
      {issuer::notFound("no signing key k9 of 650100"), "k9"},
      {issuer::conflict("key k9 is already marked compromised"), "k9"},
      {issuer::tooLarge("at most 5000 rows per batch"), "5000"},
      {issuer::unavailable("the clock (2026-01-01T00:00:00Z) is before the signing key's valid_from (2026-02-01T00:00:00Z)"),
       "2026-02-01T00:00:00Z"},
      {issuer::badRequest("", "the row has 3 cells, the header 7", "BAD_CSV"), "7"},
      {issuer::badRequest("level", "level: series 5 specialty 501 has no title at level 6"), "501"},
      {issuer::badRequest("specialty", "specialty: 999 is not a specialty of series 4 in the catalogue"), "999"},
      {issuer::badRequest("reason", "reason: UTF-8 text of 1..500 bytes"), "500"},
      {issuer::badRequest("holder.name", "holder.name: 200 bytes, at most 128"), "128"},
      {issuer::badRequest("person.education", "person.education: more than 64 entries"), "64"},
      {issuer::badRequest("employer", "employer: longer than 96 bytes"), "96"},
      {issuer::badRequest("granted", "granted: expected a YYYY-MM-DD date"), "YYYY-MM-DD"},
      {issuer::badRequest("person.technical_school_class.class",
                          "person.technical_school_class.class: \"x\" is not intermediate_worker, senior_worker or preparatory_technician"),
       "senior_worker"},
  };
  for (const auto& [p, value] : made) {
    const std::string zh = issuer::http::chineseMessage(p);
    EXPECT_TRUE(readsChinese(zh)) << p.message << " -> " << zh;
    EXPECT_EQ(zh.find("取值不符合要求"), std::string::npos) << p.message << " -> " << zh;
    EXPECT_NE(zh.find(value), std::string::npos) << p.message << " -> " << zh;
  }
}

TEST(AnswersInTheClerksLanguage, AMessageWithoutATableEntryStillReadsAsChinese) {
  issuer::Problem p = issuer::badRequest("holder.name", "holder.name: some wording no table knows");
  EXPECT_EQ(issuer::http::chineseMessage(p), "holder.name：取值不符合要求");
  p = issuer::internalError("something nobody wrote down");
  EXPECT_TRUE(readsChinese(issuer::http::chineseMessage(p))) << issuer::http::chineseMessage(p);
  p.messageZh = "作者写的中文";
  EXPECT_EQ(issuer::http::chineseMessage(p), "作者写的中文");
}

}  // namespace
}  // namespace titlecert::testing
