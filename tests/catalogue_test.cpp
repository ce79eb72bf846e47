// The catalogue: the shipped default file loads and says what the specs say,
// JSON and CBOR round trips are exact and deterministic, a table of broken
// catalogues each fails with BAD_CATALOGUE naming the field, and the
// credential code check of ZC1.md §6.
#include <gtest/gtest.h>

#include "support/shipped_catalogue.h"

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>

#include "titlecert/catalogue.h"
#include "titlecert/catalogue_json.h"
#include "titlecert/cbor.h"
#include "titlecert/zc1.h"

// Counts heap allocations, to show that the hot path makes none.
namespace {
std::atomic<std::size_t> gAllocations{0};
}  // namespace

// Not inlined, so that GCC does not pair the new expressions with free().
[[gnu::noinline]] void* operator new(std::size_t n) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t n) { return ::operator new(n); }
[[gnu::noinline]] void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
[[gnu::noinline]] void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept {
  return ::operator new(n, t);
}
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace titlecert;
using catalogue::Catalogue;
using json = nlohmann::ordered_json;

namespace {

const std::string& kDefaultFile = titlecert::testing::kShippedCatalogueFile;

const Catalogue& defaultCatalogue() { return titlecert::testing::shippedCatalogue(); }

json names(const char* zh, const char* en) { return {{"zh", zh}, {"en", en}}; }
json prov() { return {{"source", {"S01"}}, {"confidence", "confirmed"}}; }
json row(json fields) {
  const json p = prov();
  for (const auto& [k, v] : p.items()) fields[k] = v;
  return fields;
}

// A small valid catalogue: engineering (5) with 501/502, health (4) with a
// 护 track whose titles override the series', university teachers (1) with
// no 员级, all ten routes, one committee, a vocational qualification and a
// skill, a recognised row and a bridging row.
json minimal() {
  json j;
  j["format"] = "titlecert-catalogue/1";
  j["version"] = 3;
  j["name"] = names("测试目录", "Test catalogue");  // informational, ignored
  j["sources"] = {{"S01", {{"title", "a source"}, {"urls", {"https://example.org/s01"}}, {"kind", "test"}}},
                  {"Z01", {{"title", "the zone's measures"}, {"urls", json::array()}}}};
  j["levels"] = {{{"code", 1}, {"zh", "员级"}, {"en", "Entry"}, {"tier_zh", "初级"}},
                 {{"code", 2}, {"zh", "助理级"}, {"en", "Assistant"}},
                 {{"code", 3}, {"zh", "中级"}, {"en", "Intermediate"}},
                 {{"code", 4}, {"zh", "副高级"}, {"en", "Associate senior"}},
                 {{"code", 5}, {"zh", "正高级"}, {"en", "Full senior"}}};
  j["skill_levels"] = {{{"code", 5}, {"zh", "初级工"}, {"en", "Junior worker"}},
                       {{"code", 4}, {"zh", "中级工"}, {"en", "Intermediate worker"}},
                       {{"code", 3}, {"zh", "高级工"}, {"en", "Senior worker"}},
                       {{"code", 2}, {"zh", "技师"}, {"en", "Technician"}},
                       {{"code", 1}, {"zh", "高级技师"}, {"en", "Senior technician"}}};
  json eng = row({{"code", 5}, {"zh", "工程技术"}, {"en", "Engineering"}, {"xj_code", "05"}});
  eng["titles"] = {{"1", names("技术员", "Technician")},
                   {"2", names("助理工程师", "Assistant Engineer")},
                   {"3", names("工程师", "Engineer")},
                   {"4", names("高级工程师", "Senior Engineer")},
                   {"5", names("正高级工程师", "Professor-level Senior Engineer")}};
  eng["specialties"] = {row({{"code", 501}, {"zh", "化工（含制药）"}, {"en", "Chemical"}, {"notes", "x"}}),
                        row({{"code", 502}, {"zh", "生物医药"}, {"en", "Biomedicine"}})};
  json health = row({{"code", 4}, {"zh", "卫生技术"}, {"en", "Health"}});
  health["titles"] = {{"1", names("医士", "Assistant Physician")},
                      {"2", names("医师", "Physician")},
                      {"3", names("主治医师", "Attending Physician")},
                      {"4", names("副主任医师", "Associate Chief Physician")},
                      {"5", names("主任医师", "Chief Physician")}};
  json nurse = row({{"code", 403}, {"zh", "护理（护）"}, {"en", "Nursing"}});
  nurse["titles"] = {{"1", names("护士", "Nurse")},
                     {"2", names("护师", "Senior Nurse")},
                     {"3", names("主管护师", "Nurse-in-charge")},
                     {"4", names("副主任护师", "Associate Chief Nurse")},
                     {"5", names("主任护师", "Chief Nurse")}};
  health["specialties"] = {row({{"code", 401}, {"zh", "医疗（医）"}, {"en", "Medicine"}}), nurse};
  json teachers = row({{"code", 1}, {"zh", "高等学校教师"}, {"en", "University teachers"}});
  teachers["titles"] = {{"1", nullptr},
                        {"2", names("助教", "Teaching Assistant")},
                        {"3", names("讲师", "Lecturer")},
                        {"4", names("副教授", "Associate Professor")},
                        {"5", names("教授", "Professor")}};
  teachers["specialties"] = {row({{"code", 101}, {"zh", "高校教师（综合）"}, {"en", "General"}})};
  j["series"] = {eng, health, teachers};
  const char* ids[] = {"review",           "exam",          "initial_determination", "qualification_correspondence",
                       "skill_bridging",   "green_channel", "autonomous_review",     "direct_intermediate",
                       "hr_direct_senior", "cross_region_confirmation"};
  j["routes"] = json::array();
  for (int i = 0; i < 10; ++i)
    j["routes"].push_back({{"code", i + 1}, {"id", ids[i]}, {"zh", "途径"}, {"en", "Route"}, {"zone_measure", 1}});
  j["committees"] = {row({{"code", 6501},
                          {"zh", "化工评审委员会"},
                          {"en", "Chemical committee"},
                          {"series", 5},
                          {"specialties", {501}},
                          {"route", "review"}})};
  json constructor = row({{"code", 101}, {"id", "constructor"}, {"zh", "建造师"}, {"en", "Constructor"}, {"kind", "vocational"}});
  constructor["levels"] = {{{"code", 1}, {"zh", "一级"}, {"en", "Grade 1"}}, {{"code", 2}, {"zh", "二级"}, {"en", "Grade 2"}}};
  json electrician = row({{"code", 201}, {"id", "electrician"}, {"zh", "电工"}, {"en", "Electrician"}, {"kind", "skill"}});
  electrician["levels"] = {{{"code", 5}, {"zh", "初级工"}, {"en", "L5"}}, {{"code", 3}, {"zh", "高级工"}, {"en", "L3"}},
                           {{"code", 1}, {"zh", "高级技师"}, {"en", "L1"}}};
  j["qualifications"] = {constructor, electrician};
  j["equivalences"] = {row({{"id", "qc.constructor.grade2.assistant-engineer"},
                            {"qualification", 101},
                            {"level", 2},
                            {"series", 5},
                            {"title_level", 2},
                            {"kind", "recognised"},
                            {"years", 0},
                            {"source_text", "二级建造师 → 助理工程师"}}),
                       row({{"id", "bridge.electrician.senior_worker.assistant"},
                            {"qualification", 201},
                            {"level", 3},
                            {"series", 5},
                            {"specialty", 502},
                            {"title_level", 2},
                            {"kind", "eligible_to_apply"},
                            {"years", 2},
                            {"basis", "人社部发〔2020〕96号"}})};
  j["education_equivalence"] = {row({{"id", "edu.senior_worker.dazhuan"},
                                     {"from", "senior_worker"},
                                     {"equivalent_to", "dazhuan"},
                                     {"zh", "高级工班毕业，相当于大专"}})};
  return j;
}

Result<Catalogue> parse(const json& j) { return catalogue::fromJson(j.dump()); }

Catalogue minimalCatalogue() {
  auto r = parse(minimal());
  EXPECT_TRUE(r.ok()) << r.error().detail;
  return r.ok() ? std::move(r).value() : Catalogue{};
}

cbor::DecodeOptions bigStrict() {
  // The ZC1 profile (strict, depth 8) with room for a whole catalogue.
  // Depth 7: the catalogue sits at depth 2 of a bundle payload.
  auto o = cbor::zc1Profile();
  o.maxDepth = 7;
  o.maxBytes = 4 << 20;
  o.maxItems = 1 << 20;
  return o;
}

// ---- The shipped catalogue -----------------------------------------------------

TEST(DefaultCatalogue, LoadsAndValidates) {
  auto r = catalogue::loadFile(kDefaultFile);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  const Catalogue& c = *r;
  EXPECT_GE(c.version, 1u);
  EXPECT_EQ(c.series.size(), 27u);
  EXPECT_EQ(c.levels.size(), 5u);
  EXPECT_EQ(c.skillLevels.size(), 5u);
  std::size_t specialties = 0;
  for (const auto& s : c.series) specialties += s.specialties.size();
  // docs/catalogue.md, "Version 1 has".
  if (c.version == 1) {
    EXPECT_EQ(specialties, 67u);
    EXPECT_EQ(c.committees.size(), 7u);
    EXPECT_EQ(c.qualifications.size(), 55u);
    EXPECT_EQ(c.equivalences.size(), 89u);
    EXPECT_EQ(c.educationEquivalences.size(), 3u);
  }
  EXPECT_FALSE(c.sources.empty());
}

TEST(DefaultCatalogue, CommitteesCarryTheirSeriesHighestLevelAndRoute) {
  const Catalogue& c = defaultCatalogue();
  const catalogue::Committee* chemical = c.findCommittee(6501);
  ASSERT_NE(chemical, nullptr);
  EXPECT_EQ(chemical->maxLevel, 3u);
  EXPECT_EQ(chemical->route, "review");
  EXPECT_TRUE(chemical->covers(5, 501, 3));
  EXPECT_FALSE(chemical->covers(5, 501, 4));  // an intermediate committee grants no 高级
  EXPECT_FALSE(chemical->covers(5, 503, 3));  // nor outside its specialties
  EXPECT_FALSE(chemical->covers(4, 401, 3));  // nor outside its series
  const catalogue::Committee* enterprise = c.findCommittee(6504);
  ASSERT_NE(enterprise, nullptr);
  EXPECT_EQ(enterprise->route, "autonomous_review");
  for (const auto& m : c.committees) EXPECT_TRUE(m.maxLevel.has_value()) << m.code;
  auto back = catalogue::fromCbor(catalogue::toCbor(c));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(back->findCommittee(6501)->maxLevel, 3u);
  EXPECT_EQ(back->findCommittee(6504)->route, "autonomous_review");
}

TEST(DefaultCatalogue, LoadDefaultFindsTheShippedFile) {
  auto r = catalogue::loadDefault();
  ASSERT_TRUE(r.ok()) << catalogue::defaultPath() << ": " << r.error().detail;
  EXPECT_EQ(r->series.size(), 27u);
}

TEST(DefaultCatalogue, RoutesAreZc1s) {
  const Catalogue& c = defaultCatalogue();
  const std::pair<std::uint64_t, const char*> expected[] = {
      {1, "review"},          {2, "exam"},          {3, "initial_determination"}, {4, "qualification_correspondence"},
      {5, "skill_bridging"},  {6, "green_channel"}, {7, "autonomous_review"},     {8, "direct_intermediate"},
      {9, "hr_direct_senior"}, {10, "cross_region_confirmation"}};
  ASSERT_EQ(c.routes.size(), 10u);
  for (const auto& [code, id] : expected) {
    const auto* r = c.findRoute(code);
    ASSERT_NE(r, nullptr) << code;
    EXPECT_EQ(r->id, id);
    EXPECT_FALSE(r->names.zh.empty());
    EXPECT_FALSE(r->names.en.empty());
    EXPECT_EQ(c.findRouteById(id), r);
  }
  EXPECT_EQ(c.findRoute(11), nullptr);
  EXPECT_EQ(c.findRouteById("nope"), nullptr);
}

TEST(DefaultCatalogue, EngineeringAnd501) {
  const Catalogue& c = defaultCatalogue();
  const auto* eng = c.findSeries(5);
  ASSERT_NE(eng, nullptr);
  EXPECT_EQ(eng->names.zh, "工程技术");
  const auto* chem = c.findSpecialty(5, 501);
  ASSERT_NE(chem, nullptr);
  EXPECT_EQ(chem->names.zh, "化工（含制药）");
  EXPECT_EQ(c.findSpecialty(4, 501), nullptr);  // 501 is engineering's
  auto t = c.titleName(5, 501, 4);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->zh, "高级工程师");
  EXPECT_EQ(t->en, "Senior Engineer");
  EXPECT_EQ(c.titleName(5, 501, 2)->zh, "助理工程师");
  EXPECT_EQ(c.titleName(5, 0, 5)->zh, "正高级工程师");  // 0: the series' own titles
  EXPECT_FALSE(c.titleName(5, 501, 0));
  EXPECT_FALSE(c.titleName(5, 501, 6));
  EXPECT_FALSE(c.titleName(99, 501, 3));
  const auto* lvl = c.findLevel(4);
  ASSERT_NE(lvl, nullptr);
  EXPECT_EQ(lvl->names.zh, "副高级");
}

// The catalogue-data corrections of the policy review: title names and
// specialty names as the public rules give them.
TEST(DefaultCatalogue, PolicyReviewNamesTitlesAndSpecialtiesAsTheRulesDo) {
  const Catalogue& c = defaultCatalogue();
  EXPECT_EQ(c.titleName(21, 2102, 1)->zh, "三级实习指导教师");  // 中职 实习指导 员级
  EXPECT_EQ(c.titleName(13, 1302, 1)->zh, "三级实习指导教师");
  ASSERT_NE(c.findSeries(14), nullptr);
  EXPECT_EQ(c.findSeries(14)->names.zh, "体育专业人员");
  ASSERT_NE(c.findSpecialty(14, 1401), nullptr);
  EXPECT_EQ(c.findSpecialty(14, 1401)->names.zh, "教练员");
  EXPECT_EQ(c.titleName(14, 1401, 4)->zh, "高级教练");
  EXPECT_EQ(c.titleName(14, 1402, 4)->zh, "高级运动防护师");
  EXPECT_EQ(c.titleName(24, 2401, 1)->zh, "公证助理员");  // 公证员 员级
  EXPECT_EQ(c.findSpecialty(5, 507)->names.zh, "机械电子");
  EXPECT_EQ(c.findSpecialty(5, 509)->names.zh, "建筑");
  EXPECT_EQ(c.findSpecialty(5, 510)->names.zh, "生态环境");
}

// A Chinese text never carries a field name of the JSON (technical_work_since,
// in_zone ...): a clerk reads it as written.
TEST(DefaultCatalogue, ChineseTextsHoldNoEnglishFieldNames) {
  std::ifstream in(titlecert::testing::kShippedCatalogueFile);
  const auto file = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(file.is_discarded());
  std::vector<std::string> offending;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& j) {
    if (j.is_array())
      for (const auto& item : j) walk(item);
    if (!j.is_object()) return;
    for (const auto& [key, value] : j.items()) {
      if ((key == "zh" || key == "zh_full") && value.is_string()) {
        const std::string text = value.get<std::string>();
        for (std::size_t i = 1; i + 1 < text.size(); ++i)
          if (text[i] == '_' && std::isalpha(static_cast<unsigned char>(text[i - 1])) &&
              std::isalpha(static_cast<unsigned char>(text[i + 1])))
            offending.push_back(text);
      }
      walk(value);
    }
  };
  walk(file);
  EXPECT_TRUE(offending.empty()) << offending.front();
}

TEST(DefaultCatalogue, HealthTracksOverrideTheSeriesTitles) {
  const Catalogue& c = defaultCatalogue();
  const auto* health = c.findSeries(4);
  ASSERT_NE(health, nullptr);
  EXPECT_EQ(c.titleName(4, 0, 3)->zh, "主治医师");
  const catalogue::Specialty* nursing = nullptr;
  for (const auto& s : health->specialties)
    if (s.names.zh.find("护") != std::string::npos) nursing = &s;
  ASSERT_NE(nursing, nullptr);
  ASSERT_TRUE(nursing->titles);
  EXPECT_EQ(c.titleName(4, nursing->code, 3)->zh, "主管护师");
  EXPECT_EQ(c.titleName(4, nursing->code, 5)->zh, "主任护师");
  // A specialty of another series has no title in this one.
  EXPECT_FALSE(c.titleName(5, nursing->code, 3));
}

TEST(DefaultCatalogue, NullTrackLevelStaysNull) {
  // A track's titles replace the series' as a whole: 畜牧 (602) has no 员级
  // although 农业技术 (6) names one.
  const Catalogue& c = defaultCatalogue();
  const auto* s = c.findSpecialty(6, 602);
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->titles);
  EXPECT_TRUE(c.titleName(6, 0, 1));
  EXPECT_FALSE(c.titleName(6, 602, 1));
  EXPECT_TRUE(c.titleName(6, 602, 2));
}

TEST(DefaultCatalogue, EquivalencesFor) {
  const Catalogue& c = defaultCatalogue();
  auto rows = c.equivalencesFor(101, 2);
  ASSERT_FALSE(rows.empty());
  for (const auto* e : rows) {
    EXPECT_EQ(e->qualification, 101u);
    EXPECT_EQ(e->level, 2u);
    EXPECT_TRUE(c.titleName(e->series, e->specialty.value_or(0), e->titleLevel));
  }
  EXPECT_TRUE(c.equivalencesFor(101, 77).empty());
  // Rows come in file order.
  std::size_t last = 0;
  for (const auto* e : c.equivalencesFor(101, 1)) {
    auto index = static_cast<std::size_t>(e - c.equivalences.data());
    EXPECT_GE(index, last);
    last = index;
  }
  const auto* q = c.findQualificationLevel(101, 2);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(c.findQualificationLevel(101, 9), nullptr);
  EXPECT_EQ(c.findQualificationLevel(9999, 1), nullptr);
}

// ---- Round trips -----------------------------------------------------------------

TEST(CatalogueRoundTrip, CborIsExactAndDeterministic) {
  const Catalogue minimalOne = minimalCatalogue();
  for (const Catalogue* c : {&defaultCatalogue(), &minimalOne}) {
    const cbor::Value v = catalogue::toCbor(*c);
    auto back = catalogue::fromCbor(v);
    ASSERT_TRUE(back.ok()) << back.error().detail;
    Catalogue expected = *c;
    expected.sources.clear();  // not carried in bundles
    EXPECT_TRUE(*back == expected);

    const Bytes bytes = cbor::encode(v);
    EXPECT_EQ(cbor::encode(catalogue::toCbor(*c)), bytes);
    auto decoded = cbor::decode(bytes, bigStrict());
    ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
    EXPECT_EQ(cbor::encode(*decoded), bytes);
    auto fromBytes = catalogue::fromCbor(*decoded);
    ASSERT_TRUE(fromBytes.ok()) << fromBytes.error().detail;
    EXPECT_TRUE(*fromBytes == expected);
    EXPECT_EQ(cbor::encode(catalogue::toCbor(*fromBytes)), bytes);
  }
}

TEST(CatalogueRoundTrip, CborTitlesAreUintKeyedMaps) {
  const cbor::Value v = catalogue::toCbor(minimalCatalogue());
  const auto* series = v.find("series");
  ASSERT_NE(series, nullptr);
  const auto& teachers = series->asArray()[2];
  const auto* titles = teachers.find("titles");
  ASSERT_NE(titles, nullptr);
  ASSERT_TRUE(titles->isMap());
  ASSERT_EQ(titles->asMap().size(), 5u);
  ASSERT_NE(titles->find(1), nullptr);
  EXPECT_TRUE(titles->find(1)->isNull());
  ASSERT_NE(titles->find(3), nullptr);
  EXPECT_EQ(titles->find(3)->find("zh")->asText(), "讲师");
  EXPECT_EQ(v.find("sources"), nullptr);
  for (const auto& [k, val] : v.asMap()) EXPECT_TRUE(k.isText());
}

TEST(CatalogueRoundTrip, JsonIsExact) {
  {
    const Catalogue& c = defaultCatalogue();
    const std::string text = catalogue::toJson(c);
    auto back = catalogue::fromJson(text);
    ASSERT_TRUE(back.ok()) << back.error().detail;
    EXPECT_TRUE(*back == c);
    EXPECT_EQ(catalogue::toJson(*back), text);
  }
  Catalogue m = minimalCatalogue();
  auto back = catalogue::fromJson(catalogue::toJson(m));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_TRUE(*back == m);
}

TEST(CatalogueRoundTrip, SpecialtyTitlesLackingALevelFallBackToTheSeries) {
  json j = minimal();
  j["series"][1]["specialties"][1]["titles"].erase("5");
  j["series"][1]["specialties"][1]["titles"].erase("1");
  auto r = parse(j);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->titleName(4, 403, 5)->zh, "主任医师");
  EXPECT_EQ(r->titleName(4, 403, 1)->zh, "医士");
  EXPECT_EQ(r->titleName(4, 403, 3)->zh, "主管护师");
  // An explicit null stays null.
  j = minimal();
  j["series"][1]["specialties"][1]["titles"]["1"] = nullptr;
  r = parse(j);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_FALSE(r->titleName(4, 403, 1));
  EXPECT_EQ(r->titleName(4, 401, 1)->zh, "医士");
}

// ---- toJson: the CONTRACT shape ------------------------------------------------------

TEST(CatalogueJson, HasTheContractFields) {
  const std::string text = catalogue::toJson(defaultCatalogue());
  EXPECT_NE(text.find("化工（含制药）"), std::string::npos);  // UTF-8, not \u escapes
  EXPECT_EQ(text.find("\\u"), std::string::npos);
  EXPECT_NE(text.find("\n  \""), std::string::npos);  // pretty-printed
  const auto j = nlohmann::json::parse(text);
  for (const char* k : {"version", "series", "routes", "committees", "qualifications", "equivalences", "levels",
                        "skill_levels", "education_equivalence", "sources"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_TRUE(j["version"].is_number_unsigned());
  for (const auto& s : j["series"]) {
    for (const char* k : {"code", "zh", "en", "titles", "specialties"}) ASSERT_TRUE(s.contains(k)) << k;
    ASSERT_EQ(s["titles"].size(), 5u);
    for (const char* l : {"1", "2", "3", "4", "5"}) {
      ASSERT_TRUE(s["titles"].contains(l));
      const auto& t = s["titles"][l];
      EXPECT_TRUE(t.is_null() || (t["zh"].is_string() && t["en"].is_string()));
    }
    for (const auto& sp : s["specialties"]) {
      for (const char* k : {"code", "zh", "en"}) EXPECT_TRUE(sp.contains(k)) << k;
      if (sp.contains("titles")) {
        EXPECT_EQ(sp["titles"].size(), 5u);
      }
    }
  }
  EXPECT_EQ(j["series"].size(), 27u);
  for (const auto& r : j["routes"])
    for (const char* k : {"code", "id", "zh", "en"}) EXPECT_TRUE(r.contains(k)) << k;
  for (const auto& m : j["committees"])
    for (const char* k : {"code", "zh", "en"}) EXPECT_TRUE(m.contains(k)) << k;
  for (const auto& q : j["qualifications"]) {
    for (const char* k : {"code", "zh", "en", "kind", "levels"}) EXPECT_TRUE(q.contains(k)) << k;
    EXPECT_TRUE(q["kind"] == "vocational" || q["kind"] == "skill");
    for (const auto& l : q["levels"])
      for (const char* k : {"code", "zh", "en"}) EXPECT_TRUE(l.contains(k)) << k;
  }
  bool sawSpecialty = false;
  for (const auto& e : j["equivalences"]) {
    for (const char* k : {"id", "qualification", "level", "series", "title_level", "kind", "years", "source",
                          "confidence"})
      EXPECT_TRUE(e.contains(k)) << k;
    EXPECT_TRUE(e["kind"] == "recognised" || e["kind"] == "eligible_to_apply");
    EXPECT_TRUE(e["source"].is_array());
    sawSpecialty = sawSpecialty || e.contains("specialty");
  }
  EXPECT_TRUE(sawSpecialty);
  EXPECT_TRUE(j["sources"].contains("S01"));
  EXPECT_TRUE(j["sources"]["S01"].contains("title"));
}

// ---- Broken catalogues ------------------------------------------------------------------

struct Broken {
  const char* name;
  std::function<void(json&)> mutate;
  const char* path;  // must appear in the detail
};

TEST(CatalogueBroken, EachFailsNamingTheField) {
  const Broken cases[] = {
      {"duplicate series code", [](json& j) { j["series"][1]["code"] = 5; }, "series[1].code: duplicate 5"},
      {"duplicate specialty code",
       [](json& j) { j["series"][0]["specialties"].push_back(j["series"][0]["specialties"][0]); },
       "series[0].specialties[2].code: duplicate 501"},
      {"specialty in another series' range", [](json& j) { j["series"][0]["specialties"][1]["code"] = 402; },
       "series[0].specialties[1].code"},
      {"specialty n = 0", [](json& j) { j["series"][0]["specialties"][1]["code"] = 500; },
       "series[0].specialties[1].code"},
      {"series without specialties", [](json& j) { j["series"][2]["specialties"] = json::array(); },
       "series[2].specialties"},
      {"no series", [](json& j) { j["series"] = json::array(); }, "series"},
      {"series not an array", [](json& j) { j["series"] = json::object(); }, "series: not an array"},
      {"series row not an object", [](json& j) { j["series"][1] = 4; }, "series[1]: not an object"},
      {"equivalence to a missing qualification", [](json& j) { j["equivalences"][0]["qualification"] = 999; },
       "equivalences[0].qualification"},
      {"equivalence to a missing qualification level", [](json& j) { j["equivalences"][0]["level"] = 7; },
       "equivalences[0].level"},
      {"equivalence to a missing series", [](json& j) { j["equivalences"][0]["series"] = 77; },
       "equivalences[0].series"},
      {"equivalence to a specialty of another series", [](json& j) { j["equivalences"][1]["specialty"] = 401; },
       "equivalences[1].specialty"},
      {"equivalence to a level without title",
       [](json& j) {
         j["equivalences"][0]["series"] = 1;
         j["equivalences"][0]["title_level"] = 1;
       },
       "equivalences[0].title_level"},
      {"equivalence title level 6", [](json& j) { j["equivalences"][0]["title_level"] = 6; },
       "equivalences[0].title_level"},
      {"duplicate equivalence id", [](json& j) { j["equivalences"][1]["id"] = j["equivalences"][0]["id"]; },
       "equivalences[1].id: duplicate"},
      {"equivalence id with capitals", [](json& j) { j["equivalences"][0]["id"] = "QC.Constructor"; },
       "equivalences[0].id"},
      {"equivalence id with an empty segment", [](json& j) { j["equivalences"][0]["id"] = "qc..x"; },
       "equivalences[0].id"},
      {"recognised with years", [](json& j) { j["equivalences"][0]["years"] = 3; }, "equivalences[0].years"},
      {"bridging with no years", [](json& j) { j["equivalences"][1]["years"] = 0; }, "equivalences[1].years"},
      {"bridging from a vocational qualification",
       [](json& j) {
         j["equivalences"][1]["qualification"] = 101;
         j["equivalences"][1]["level"] = 2;
       },
       "equivalences[1].kind"},
      {"recognised from a skill",
       [](json& j) {
         j["equivalences"][0]["qualification"] = 201;
         j["equivalences"][0]["level"] = 3;
       },
       "equivalences[0].kind"},
      {"unknown equivalence kind", [](json& j) { j["equivalences"][0]["kind"] = "maybe"; }, "equivalences[0].kind"},
      {"missing route", [](json& j) { j["routes"].erase(9); }, "routes: route 10"},
      {"route with another id", [](json& j) { j["routes"][2]["id"] = "first_determination"; }, "routes[2].id"},
      {"route code 11", [](json& j) { j["routes"][0]["code"] = 11; }, "routes[0].code"},
      {"duplicate route", [](json& j) { j["routes"][1]["code"] = 1; }, "routes[1].code"},
      {"wrong type: code as text", [](json& j) { j["series"][0]["code"] = "5"; },
       "series[0].code: not an unsigned integer"},
      {"wrong type: code as float", [](json& j) { j["series"][0]["code"] = 5.0; }, "series[0].code"},
      {"wrong type: negative version", [](json& j) { j["version"] = -1; }, "version"},
      {"version 0", [](json& j) { j["version"] = 0; }, "version"},
      {"wrong type: zh as number", [](json& j) { j["routes"][4]["zh"] = 5; }, "routes[4].zh: not a string"},
      {"missing en", [](json& j) { j["series"][0].erase("en"); }, "series[0].en: missing"},
      {"empty zh", [](json& j) { j["series"][0]["specialties"][0]["zh"] = ""; },
       "series[0].specialties[0].zh: empty"},
      {"missing format", [](json& j) { j.erase("format"); }, "format: missing"},
      {"other format", [](json& j) { j["format"] = "titlecert-catalogue/2"; }, "format"},
      {"titles key 6", [](json& j) { j["series"][0]["titles"]["6"] = names("x", "y"); }, "series[0].titles"},
      {"titles key 01", [](json& j) { j["series"][0]["titles"]["01"] = nullptr; }, "series[0].titles"},
      {"series titles lacking a level", [](json& j) { j["series"][0]["titles"].erase("3"); },
       "series[0].titles: level 3 missing"},
      {"titles with no title", [](json& j) {
         for (const char* l : {"1", "2", "3", "4", "5"}) j["series"][1]["specialties"][1]["titles"][l] = nullptr;
       },
       "series[1].specialties[1].titles"},
      {"title without en", [](json& j) { j["series"][0]["titles"]["4"].erase("en"); }, "series[0].titles.4.en"},
      {"title as text", [](json& j) { j["series"][0]["titles"]["4"] = "高级工程师"; }, "series[0].titles.4"},
      {"unknown source id", [](json& j) { j["series"][0]["source"] = {"S99"}; }, "series[0].source[0]"},
      {"no source ids", [](json& j) { j["committees"][0]["source"] = json::array(); }, "committees[0].source"},
      {"unknown confidence", [](json& j) { j["qualifications"][1]["confidence"] = "sure"; },
       "qualifications[1].confidence"},
      {"missing sources", [](json& j) { j.erase("sources"); }, "sources: missing"},
      {"source without title", [](json& j) { j["sources"]["S01"].erase("title"); }, "sources.S01.title"},
      {"level 6", [](json& j) { j["levels"][4]["code"] = 6; }, "levels[4].code"},
      {"duplicate level", [](json& j) { j["levels"][1]["code"] = 1; }, "levels[1].code: duplicate 1"},
      {"missing level", [](json& j) { j["levels"].erase(2); }, "levels: level 3 missing"},
      {"duplicate skill level", [](json& j) { j["skill_levels"][1]["code"] = 5; }, "skill_levels[1].code"},
      {"duplicate qualification code", [](json& j) { j["qualifications"][1]["code"] = 101; },
       "qualifications[1].code: duplicate 101"},
      {"duplicate qualification id", [](json& j) { j["qualifications"][1]["id"] = "constructor"; },
       "qualifications[1].id"},
      {"unknown qualification kind", [](json& j) { j["qualifications"][0]["kind"] = "licence"; },
       "qualifications[0].kind"},
      {"duplicate qualification level", [](json& j) { j["qualifications"][0]["levels"][1]["code"] = 1; },
       "qualifications[0].levels[1].code: duplicate 1"},
      {"skill level not in skill_levels", [](json& j) { j["qualifications"][1]["levels"][0]["code"] = 7; },
       "qualifications[1].levels[0].code"},
      {"qualification without levels", [](json& j) { j["qualifications"][0]["levels"] = json::array(); },
       "qualifications[0].levels"},
      {"committee of a missing series", [](json& j) { j["committees"][0]["series"] = 77; }, "committees[0].series"},
      {"committee specialty of another series", [](json& j) { j["committees"][0]["specialties"] = {401}; },
       "committees[0].specialties[0]"},
      {"committee above the highest level", [](json& j) { j["committees"][0]["max_level"] = 6; },
       "committees[0].max_level"},
      {"committee of an unknown route", [](json& j) { j["committees"][0]["route"] = "appointment"; },
       "committees[0].route"},
      {"duplicate committee", [](json& j) { j["committees"].push_back(j["committees"][0]); },
       "committees[1].code: duplicate 6501"},
      {"education from an unknown class", [](json& j) { j["education_equivalence"][0]["from"] = "worker"; },
       "education_equivalence[0].from"},
      {"education to an unknown level", [](json& j) { j["education_equivalence"][0]["equivalent_to"] = "phd"; },
       "education_equivalence[0].equivalent_to"},
      {"missing education_equivalence", [](json& j) { j.erase("education_equivalence"); },
       "education_equivalence: missing"},
      {"root not an object", [](json& j) { j = json::array(); }, "(catalogue)"},
  };
  // The base is valid.
  {
    auto ok = parse(minimal());
    ASSERT_TRUE(ok.ok()) << ok.error().detail;
  }
  for (const auto& b : cases) {
    json j = minimal();
    b.mutate(j);
    auto r = parse(j);
    ASSERT_FALSE(r.ok()) << b.name;
    EXPECT_EQ(r.code(), Code::BAD_CATALOGUE) << b.name;
    EXPECT_NE(r.error().detail.find(b.path), std::string::npos)
        << b.name << ": detail \"" << r.error().detail << "\" does not name " << b.path;
  }
}

TEST(CatalogueBroken, TextLevelFailures) {
  const std::string good = minimal().dump();
  {
    auto r = catalogue::fromJson("{\"format\": ");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), Code::BAD_CATALOGUE);
  }
  {
    auto r = catalogue::fromJson("");
    EXPECT_EQ(r.code(), Code::BAD_CATALOGUE);
  }
  {
    // A duplicate key is an error, not "last one wins".
    std::string dup = good;
    dup.insert(1, "\"version\":99,");
    auto r = catalogue::fromJson(dup);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), Code::BAD_CATALOGUE);
    EXPECT_NE(r.error().detail.find("duplicate key \"version\""), std::string::npos) << r.error().detail;
  }
  {
    std::string deep(5000, '[');
    deep += std::string(5000, ']');
    auto r = catalogue::fromJson(deep);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().detail.find("nested deeper"), std::string::npos) << r.error().detail;
  }
  {
    // Unknown fields anywhere are ignored.
    json j = minimal();
    j["future_table"] = {1, 2, 3};
    j["series"][0]["specialties"][0]["legacy_titles"] = {{"1", nullptr}};
    j["equivalences"][0]["conditions"] = "x";
    EXPECT_TRUE(parse(j).ok());
  }
}

TEST(CatalogueFiles, LoadFileErrors) {
  auto missing = catalogue::loadFile("/nonexistent/titlecert/catalogue.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.code(), Code::IO_ERROR);
  auto dir = catalogue::loadFile(TITLECERT_SOURCE_DIR);
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.code(), Code::IO_ERROR);

  const auto tmp = std::filesystem::temp_directory_path() / ("titlecert-cat-" + std::to_string(::getpid()));
  std::filesystem::create_directories(tmp / "catalogue");
  const auto file = tmp / "catalogue" / "default.json";
  {
    json j = minimal();
    j["series"][0]["code"] = "x";
    std::ofstream(file) << j.dump();
  }
  auto bad = catalogue::loadFile(file.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), Code::BAD_CATALOGUE);
  EXPECT_NE(bad.error().detail.find(file.string()), std::string::npos);
  EXPECT_NE(bad.error().detail.find("series[0].code"), std::string::npos);

  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    const std::string chunk(1 << 20, ' ');
    for (int i = 0; i < 9; ++i) out << chunk;
  }
  auto big = catalogue::loadFile(file.string());
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.code(), Code::BAD_CATALOGUE);
  EXPECT_NE(big.error().detail.find("8 MiB"), std::string::npos);

  // TITLECERT_DATA_DIR wins when its file exists.
  std::ofstream(file, std::ios::trunc) << minimal().dump();
  const char* old = std::getenv("TITLECERT_DATA_DIR");
  const std::string saved = old ? old : "";
  ::setenv("TITLECERT_DATA_DIR", tmp.string().c_str(), 1);
  EXPECT_EQ(catalogue::defaultPath(), file.string());
  auto viaEnv = catalogue::loadDefault();
  ASSERT_TRUE(viaEnv.ok()) << viaEnv.error().detail;
  EXPECT_EQ(viaEnv->version, 3u);
  // Set but without the file: the next candidate.
  ::setenv("TITLECERT_DATA_DIR", (tmp / "nothing-here").string().c_str(), 1);
  EXPECT_NE(catalogue::defaultPath(), (tmp / "nothing-here" / "catalogue" / "default.json").string());
  if (old) ::setenv("TITLECERT_DATA_DIR", saved.c_str(), 1);
  else ::unsetenv("TITLECERT_DATA_DIR");
  std::filesystem::remove_all(tmp);
}

// ---- CBOR shape errors ----------------------------------------------------------------------

cbor::Value replaceKey(const cbor::Value& map, std::string_view key, cbor::Value v) {
  cbor::Map m = map.asMap();
  for (auto& [k, val] : m)
    if (k.isText() && k.asText() == key) val = std::move(v);
  return cbor::Value::map(std::move(m));
}

cbor::Value withFirstSeries(const cbor::Value& top, const std::function<cbor::Value(const cbor::Value&)>& f) {
  cbor::Array series = top.find("series")->asArray();
  series[0] = f(series[0]);
  return replaceKey(top, "series", cbor::Value::array(std::move(series)));
}

TEST(CatalogueCbor, ShapeErrorsAreBadCatalogue) {
  using cbor::Value;
  const Value good = catalogue::toCbor(minimalCatalogue());
  ASSERT_TRUE(catalogue::fromCbor(good).ok());

  struct Case {
    const char* name;
    Value value;
    const char* path;
  };
  cbor::Map intKey = good.asMap();
  intKey.emplace_back(Value::uint(1), Value::uint(1));
  cbor::Map dupKey = good.asMap();
  dupKey.emplace_back(Value::text("version"), Value::uint(9));
  cbor::Map noFormat;
  for (const auto& [k, v] : good.asMap())
    if (k.asText() != "format") noFormat.emplace_back(k, v);
  const Case cases[] = {
      {"not a map", Value::array({}), "(catalogue)"},
      {"integer key", Value::map(intKey), "a map key is not text"},
      {"duplicate key", Value::map(dupKey), "version: duplicate key"},
      {"no format", Value::map(noFormat), "format: missing"},
      {"negative version", replaceKey(good, "version", Value::negative(0)), "version"},
      {"code as text", withFirstSeries(good, [](const Value& s) { return replaceKey(s, "code", Value::text("5")); }),
       "series[0].code"},
      {"titles with text keys", withFirstSeries(good, [](const Value& s) {
         cbor::Map t;
         t.emplace_back(Value::text("1"), Value::null());
         return replaceKey(s, "titles", Value::map(std::move(t)));
       }),
       "series[0].titles"},
      {"titles level 0", withFirstSeries(good, [](const Value& s) {
         cbor::Map t = s.find("titles")->asMap();
         t.back().first = Value::uint(0);
         return replaceKey(s, "titles", Value::map(std::move(t)));
       }),
       "series[0].titles"},
      {"titles lacking a level", withFirstSeries(good, [](const Value& s) {
         cbor::Map t = s.find("titles")->asMap();
         t.pop_back();
         return replaceKey(s, "titles", Value::map(std::move(t)));
       }),
       "series[0].titles: level 5 missing"},
      {"specialties not an array",
       withFirstSeries(good, [](const Value& s) { return replaceKey(s, "specialties", Value::uint(1)); }),
       "series[0].specialties"},
      {"invalid UTF-8", withFirstSeries(good, [](const Value& s) { return replaceKey(s, "zh", Value::text("\xff")); }),
       "series[0].zh"},
      {"sources are not checked but routes are", replaceKey(good, "routes", Value::array({})), "routes: route 1"},
  };
  for (const auto& c : cases) {
    auto r = catalogue::fromCbor(c.value);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.code(), Code::BAD_CATALOGUE) << c.name;
    EXPECT_NE(r.error().detail.find(c.path), std::string::npos)
        << c.name << ": detail \"" << r.error().detail << "\" does not name " << c.path;
  }
}

// ---- Policy rules (the evaluator's tests are in eligibility_test.cpp) ------------------------

// The minimal catalogue with two rules that use every kind of condition.
json withRichRules() {
  json j = minimal();
  json missing = names("缺少", "missing");
  j["rules"] = json::array({
      row({{"id", "t.rich"},
           {"route", "skill_bridging"},
           {"target", {{"series", {5}}, {"specialties", {501, 502}}, {"levels", {2, 3}}, {"except_specialties", {502}}}},
           {"all",
            {{{"education_at_least", "dazhuan"}, {"full_time", true}, {"technical_school_class_counts", true},
              {"years_of_technical_work", 2}, {"counted_from", {"graduation", "technical_work_since"}},
              {"missing", missing}, {"missing_years", names("年限", "years")}, {"notes", "ignored"}},
             {{"skill_level_at_most", 3}, {"years_of_technical_work", 0}, {"counted_from", {"skill_level"}}, {"missing", missing}},
             {{"holds_title_level", 2}, {"same_series", true}, {"counts_qualifications", true},
              {"years_of_technical_work", 4}, {"counted_from", {"title", "technical_work_since"}}, {"missing", missing}},
             {{"qualification_correspondence", true}, {"missing", missing}},
             {{"skill_equivalence", true}, {"counted_from", {"skill_level", "technical_work_since"}}, {"missing", missing}},
             // facts in a different order than the canonical one: read back sorted
             {{"employer.kind", {"private", "collective"}}, {"hr_staff", true}, {"employer.industry", "it"},
              {"no_title_yet", false}, {"missing", missing}},
             {{"continuing_education_hours_at_least", 90},
              {"unless", {{"employer.kind", "private"}, {"first_application", true}}},
              {"missing", missing}}}},
           {"measures", {2, 6}},
           {"version", 3},
           {"zh", "规则"},
           {"en", "a rule"}}),
      row({{"id", "t.manual"},
           {"route", "exam"},
           {"target", {{"series", "*"}, {"specialties", "*"}, {"levels", "*"}, {"except_series", {1}}}},
           {"all", {{{"manual_decision", true}, {"missing", missing}}}},
           {"measures", {5}},
           {"version", 1},
           {"zh", "人工"},
           {"en", "manual"}}),
  });
  return j;
}

TEST(CatalogueRules, DefaultHasTheRuleTable) {
  const Catalogue& c = defaultCatalogue();
  EXPECT_EQ(c.rules.size(), 38u);  // version 2: + exam.national.computer_software, review.exam_series.senior, green.outstanding_contribution.senior
  const catalogue::Rule* r = c.findRule("init.bachelor.assistant");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->route, "initial_determination");
  ASSERT_TRUE(r->target.levels);
  EXPECT_EQ(*r->target.levels, (std::vector<std::uint64_t>{2}));
  EXPECT_FALSE(r->target.series);  // "*"
  EXPECT_EQ(r->measures, (std::vector<std::uint64_t>{5}));
  ASSERT_FALSE(r->all.empty());
  EXPECT_EQ(r->all[0].educationAtLeast, "bachelor");
  EXPECT_TRUE(r->all[0].fullTime);
  EXPECT_EQ(r->all[0].yearsOfTechnicalWork, 1u);
  ASSERT_TRUE(r->all[0].missingYears);
  EXPECT_EQ(r->all[0].missingYears->en, "1 year of technical work");
  EXPECT_EQ(c.findRule("no.such.rule"), nullptr);
  for (const catalogue::Route& route : c.routes)
    EXPECT_TRUE(std::any_of(c.rules.begin(), c.rules.end(), [&](const catalogue::Rule& x) { return x.route == route.id; }))
        << route.id;
}

TEST(CatalogueRules, EveryConditionKindRoundTrips) {
  auto c = parse(withRichRules());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  ASSERT_EQ(c->rules.size(), 2u);
  const catalogue::Rule& r = c->rules[0];
  EXPECT_EQ(r.target.exceptSpecialties, (std::vector<std::uint64_t>{502}));
  ASSERT_EQ(r.all.size(), 7u);
  // Facts are kept in the canonical order (kBoolFacts, then kTextFacts).
  const auto& facts = r.all[5].facts;
  ASSERT_EQ(facts.size(), 4u);
  EXPECT_EQ(facts[0].fact, "hr_staff");
  EXPECT_EQ(facts[1].fact, "no_title_yet");
  EXPECT_EQ(facts[1].flag, false);
  EXPECT_EQ(facts[2].fact, "employer.kind");
  EXPECT_EQ(facts[2].anyOf, (std::vector<std::string>{"private", "collective"}));
  EXPECT_EQ(facts[3].anyOf, (std::vector<std::string>{"it"}));
  EXPECT_EQ(r.all[6].unless.front().fact, "first_application");
  EXPECT_TRUE(c->rules[1].all[0].manualDecision);

  // JSON: exact.
  const std::string text = catalogue::toJson(*c);
  auto back = catalogue::fromJson(text);
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_TRUE(*back == *c);
  EXPECT_EQ(catalogue::toJson(*back), text);
  // CBOR: exact, deterministic, and within the bundle's nesting (depth 7 here).
  const cbor::Value v = catalogue::toCbor(*c);
  const Bytes bytes = cbor::encode(v);
  auto decoded = cbor::decode(bytes, bigStrict());
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  auto fromBytes = catalogue::fromCbor(*decoded);
  ASSERT_TRUE(fromBytes.ok()) << fromBytes.error().detail;
  Catalogue expected = *c;
  expected.sources.clear();
  EXPECT_TRUE(*fromBytes == expected);
  EXPECT_EQ(cbor::encode(catalogue::toCbor(*fromBytes)), bytes);
  // Shallow: the rules table nests 5 deep (rules, rule, all, condition,
  // counted_from/unless/missing), so 6 inside the catalogue, under the 7 of
  // the series' titles.
  const Bytes rules = cbor::encode(*v.find("rules"));
  auto o = bigStrict();
  o.maxDepth = 5;
  EXPECT_TRUE(cbor::decode(rules, o).ok());
  o.maxDepth = 4;
  EXPECT_FALSE(cbor::decode(rules, o).ok());
}

TEST(CatalogueRules, NoRulesTableMeansNoRulesAndNoKey) {
  const Catalogue m = minimalCatalogue();
  EXPECT_TRUE(m.rules.empty());
  EXPECT_EQ(catalogue::toCbor(m).find("rules"), nullptr);
  EXPECT_FALSE(json::parse(catalogue::toJson(m)).contains("rules"));
}

TEST(CatalogueRules, CborShapeErrors) {
  using cbor::Value;
  auto c = parse(withRichRules());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  const Value good = catalogue::toCbor(*c);
  auto withFirstCondition = [&](const std::function<Value(const Value&)>& f) {
    cbor::Array rules = good.find("rules")->asArray();
    cbor::Array all = rules[0].find("all")->asArray();
    all[0] = f(all[0]);
    rules[0] = replaceKey(rules[0], "all", Value::array(std::move(all)));
    return replaceKey(good, "rules", Value::array(std::move(rules)));
  };
  struct Case {
    const char* name;
    Value value;
    const char* path;
  };
  const Case cases[] = {
      {"unknown condition", withFirstCondition([](const Value& k) {
         cbor::Map m = k.asMap();
         m.emplace_back(Value::text("zzz"), Value::boolean(true));
         return Value::map(std::move(m));
       }),
       "rules[0].all[0].zzz: unknown condition"},
      {"flag as a number", withFirstCondition([](const Value& k) { return replaceKey(k, "full_time", Value::uint(1)); }),
       "rules[0].all[0].full_time: not a boolean"},
      {"integer key in a condition", withFirstCondition([](const Value& k) {
         cbor::Map m = k.asMap();
         m.emplace_back(Value::uint(1), Value::boolean(true));
         return Value::map(std::move(m));
       }),
       "rules[0].all[0]: a map key is not text"},
      {"rules not an array", replaceKey(good, "rules", Value::uint(0)), "rules: not an array"},
  };
  for (const Case& k : cases) {
    auto r = catalogue::fromCbor(k.value);
    ASSERT_FALSE(r.ok()) << k.name;
    EXPECT_EQ(r.code(), Code::BAD_CATALOGUE) << k.name;
    EXPECT_NE(r.error().detail.find(k.path), std::string::npos) << k.name << ": " << r.error().detail;
  }
}

// ---- CodeCheck (ZC1.md §6) ------------------------------------------------------------------

zc1::Credential title(std::uint64_t series, std::uint64_t specialty, std::uint64_t level, std::uint64_t route = 1,
                      std::optional<std::uint64_t> committee = std::nullopt) {
  zc1::Credential c;
  c.iss = "CN-65-GXQ";
  c.certNo = "650100-2026-000001";
  c.holderName = "张三";
  c.catalogueVersion = 1;
  zc1::TitleBody t;
  t.series = series;
  t.specialty = specialty;
  t.level = level;
  t.route = route;
  t.grantDate = 20777;
  t.committee = committee;
  c.body = t;
  return c;
}

zc1::Credential qualification(std::uint64_t code, std::uint64_t level) {
  zc1::Credential c;
  c.iss = "CN-65-GXQ";
  c.certNo = "650100-2026-000002";
  c.holderName = "李四";
  zc1::QualificationBody q;
  q.qualification = code;
  q.level = level;
  q.dateObtained = 20000;
  c.body = q;
  return c;
}

TEST(CodeCheck, AcceptsAndRejects) {
  const catalogue::CodeCheck check(defaultCatalogue());
  struct Case {
    const char* name;
    zc1::Credential cred;
    Code code;
    const char* detail;
  };
  const Case cases[] = {
      {"高级工程师 化工", title(5, 501, 4), Code::OK, ""},
      {"every route", title(5, 501, 3, 10), Code::OK, ""},
      {"committee 6504", title(5, 501, 4, 7, 6504), Code::OK, ""},
      {"卫生 护 track", title(4, 403, 3), Code::OK, ""},
      {"unknown series", title(99, 9901, 3), Code::BAD_CLAIMS, "series 99"},
      {"specialty of another series", title(5, 403, 3), Code::BAD_CLAIMS, "specialty 403 does not belong to series 5"},
      {"unknown specialty", title(5, 599, 3), Code::BAD_CLAIMS, "specialty 599"},
      {"specialty 0", title(5, 0, 3), Code::BAD_CLAIMS, "specialty 0"},
      {"no 员级 for university teachers", title(1, 101, 1), Code::BAD_CLAIMS, "level 1"},
      {"畜牧 track has no 员级", title(6, 602, 1), Code::BAD_CLAIMS, "level 1"},
      {"no 正高级 in ships", title(26, 2601, 5), Code::BAD_CLAIMS, "level 5"},
      {"level 0", title(5, 501, 0), Code::BAD_CLAIMS, "level 0"},
      {"unknown route", title(5, 501, 3, 11), Code::BAD_CLAIMS, "route 11"},
      {"unknown committee", title(5, 501, 4, 1, 9999), Code::BAD_CLAIMS, "committee 9999"},
      {"一级建造师", qualification(101, 1), Code::OK, ""},
      {"二级建造师", qualification(101, 2), Code::OK, ""},
      {"unknown qualification", qualification(999, 1), Code::BAD_CLAIMS, "qualification 999"},
      {"level not of the qualification", qualification(101, 3), Code::BAD_CLAIMS, "qualification level 3"},
  };
  for (const auto& c : cases) {
    Status s = check.check(c.cred);
    EXPECT_EQ(s.code(), c.code) << c.name << (s.ok() ? "" : ": " + s.error().detail);
    if (!s.ok()) {
      EXPECT_NE(s.error().detail.find(c.detail), std::string::npos) << c.name << ": " << s.error().detail;
    }
  }
  // Skill occupations: a level of theirs passes, one they lack does not.
  for (const auto& q : defaultCatalogue().qualifications) {
    for (const auto& l : q.levels) EXPECT_TRUE(check.check(qualification(q.code, l.code)).ok()) << q.code;
  }
}

TEST(CodeCheck, MinimalCatalogue) {
  const Catalogue c = minimalCatalogue();
  const catalogue::CodeCheck check(c);
  EXPECT_TRUE(check.check(title(5, 502, 2, 4)).ok());
  EXPECT_TRUE(check.check(title(4, 403, 1, 1, 6501)).ok());
  EXPECT_EQ(check.check(title(1, 101, 1)).code(), Code::BAD_CLAIMS);
  EXPECT_EQ(check.check(title(5, 101, 2)).code(), Code::BAD_CLAIMS);
  EXPECT_EQ(check.check(qualification(201, 4)).code(), Code::BAD_CLAIMS);  // electrician has 5, 3, 1 only
  EXPECT_TRUE(check.check(qualification(201, 3)).ok());
}

TEST(CodeCheck, HotPathDoesNotAllocate) {
  const Catalogue& cat = defaultCatalogue();
  const catalogue::CodeCheck check(cat);
  const zc1::Credential a = title(5, 501, 4, 7, 6504);
  const zc1::Credential b = qualification(210, 1);
  std::size_t ok = 0;
  const std::size_t before = gAllocations.load();
  for (int i = 0; i < 1000; ++i) {
    ok += check.check(a).ok() ? 1 : 0;
    ok += check.check(b).ok() ? 1 : 0;
    ok += cat.findTitle(4, 403, 3) ? 1 : 0;
  }
  const std::size_t after = gAllocations.load();
  EXPECT_EQ(after - before, 0u);
  EXPECT_EQ(ok, 3000u);
}

}  // namespace
