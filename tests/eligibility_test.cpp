// The policy routes: a table of applicant profiles evaluated with
// the shipped catalogue's rules, each case citing the rules it exercises;
// the evaluator's condition kinds on hand-made rules; the rule table's
// validation errors; the person parser's errors; the CONTRACT answer shape;
// and that every catalogue route appears in every answer.
#include <gtest/gtest.h>

#include "support/shipped_catalogue.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "titlecert/catalogue_json.h"
#include "titlecert/dates.h"
#include "titlecert/eligibility.h"

using namespace titlecert;
using catalogue::Catalogue;
using eligibility::Answer;
using eligibility::Person;
using eligibility::RouteAnswer;
using eligibility::Target;
using eligibility::Verdict;
using json = nlohmann::ordered_json;

namespace {

const std::string& kDefaultFile = titlecert::testing::kShippedCatalogueFile;

const Catalogue& cat() { return titlecert::testing::shippedCatalogue(); }

std::int64_t day(const char* text) {
  auto d = dates::parseDate(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : 0;
}

// The base profile every case starts from (CONTRACT.md "person"): employed in
// the zone by a state-owned unit, 120 hours of continuing education, nothing
// else. A case's JSON is merged into it (RFC 7386), then read by personFromJson.
json basePerson() {
  return json::parse(R"({
    "education": [],
    "technical_school_class": null,
    "technical_work_since": null,
    "skill_levels": [],
    "qualifications": [],
    "titles": [],
    "employer": {"kind": "state", "in_zone": true, "industry": "biomedicine", "manufacturing": false},
    "hr_staff": false,
    "high_level_talent": null,
    "first_application": false,
    "continuing_education_hours": 120,
    "entrustment_letter": null,
    "attested": []
  })");
}

Person person(const char* patch) {
  json p = basePerson();
  p.merge_patch(json::parse(patch));
  auto r = eligibility::personFromJson(p.dump());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail) << "\n" << patch;
  return r.ok() ? std::move(r).value() : Person{};
}

constexpr Verdict E = Verdict::Eligible;
constexpr Verdict Y = Verdict::NotYet;
constexpr Verdict N = Verdict::NotEligible;

struct Exp {
  const char* route;
  Verdict verdict;
  const char* from;     // nullptr for not_eligible
  const char* rules;    // space-separated ids that must all be in the answer's rules (the rules cited); may be nullptr
  const char* missing;  // a substring of one of the English missing texts; may be nullptr
};

struct Case {
  const char* name;
  const char* on;
  Target target;
  const char* patch;        // the profile, as CONTRACT JSON merged into basePerson()
  std::vector<Exp> expect;  // routes not listed must be not_eligible
};

const char* kNoRule = "no rule of this route covers this title";

// clang-format off
const std::vector<Case>& cases() {
  static const std::vector<Case> k = {
  // ---- the CONTRACT example ------------------------------------------------------
  {"CONTRACT example", "2026-07-01", {5, 501, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2025-07-01"}],
     "technical_work_since": "2025-07-15",
     "skill_levels": [{"level": 3, "obtained": "2023-06-30"}],
     "qualifications": [{"code": 101, "level": 2, "obtained": "2024-05-20"}],
     "employer": {"kind": "private", "in_zone": true, "industry": "biomedicine", "manufacturing": false},
     "first_application": true, "continuing_education_hours": 0})",
   {{"initial_determination", Y, "2026-07-15", "init.bachelor.assistant", "1 year of technical work"},
    {"skill_bridging", Y, "2027-07-15", "bridge.senior_worker.assistant", "2 years of technical work after 高级工"},
    {"qualification_correspondence", E, "2024-05-20", "qc.recognised qc.constructor.grade2.assistant-engineer", nullptr},
    {"review", Y, "2026-07-15", "review.eng.assistant.bachelor", "1 year of probation"}}},

  // ---- initial determination (measure 5) ---------------------------------------------
  {"init bachelor: the day before the year is met", "2025-06-30", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2024-06-30"}],
     "technical_work_since": "2024-07-01"})",
   {{"initial_determination", Y, "2025-07-01", "init.bachelor.assistant", "1 year of technical work"},
    {"review", Y, "2025-07-01", "review.eng.assistant.bachelor", nullptr}}},
  {"init bachelor: the day the year is met", "2025-07-01", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2024-06-30"}],
     "technical_work_since": "2024-07-01"})",
   {{"initial_determination", E, "2025-07-01", "init.bachelor.assistant", nullptr},
    {"review", E, "2025-07-01", "review.eng.assistant.bachelor", nullptr}}},
  {"init bachelor: work began on 29 February, a year later is 28 February", "2025-02-28", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2023-07-01"}],
     "technical_work_since": "2024-02-29"})",
   {{"initial_determination", E, "2025-02-28", "init.bachelor.assistant", nullptr},
    {"review", E, "2025-02-28", "review.eng.assistant.bachelor", nullptr}}},
  {"init bachelor: work before graduation counts from graduation (the later date)", "2025-01-01", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2024-07-01"}],
     "technical_work_since": "2020-03-01"})",
   {{"initial_determination", Y, "2025-07-01", "init.bachelor.assistant", "1 year of technical work"},
    {"review", Y, "2025-07-01", "review.eng.assistant.bachelor", nullptr}}},
  {"init: a part-time bachelor is not a full-time graduate", "2025-01-01", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": false, "graduated": "2020-07-01"}],
     "technical_work_since": "2020-07-01"})",
   {{"initial_determination", N, nullptr, "init.bachelor.assistant init.dazhuan.assistant", "a full-time bachelor's degree or higher"},
    {"review", E, "2021-07-01", "review.eng.assistant.bachelor", nullptr}}},
  {"init dazhuan: entry level after 1 year", "2024-08-01", {5, 501, 1}, R"({
     "education": [{"level": "dazhuan", "full_time": true, "graduated": "2023-07-01"}],
     "technical_work_since": "2023-08-01"})",
   {{"initial_determination", E, "2024-08-01", "init.zhongzhuan.entry", nullptr},
    {"review", E, "2024-08-01", "review.eng.technician.zhongzhuan", nullptr}}},
  {"init dazhuan: assistant after 3 years, the day before", "2024-06-30", {5, 501, 2}, R"({
     "education": [{"level": "dazhuan", "full_time": true, "graduated": "2021-07-01"}],
     "technical_work_since": "2021-07-01"})",
   {{"initial_determination", Y, "2024-07-01", "init.dazhuan.assistant", "3 years of technical work"},
    {"review", N, nullptr, "review.eng.assistant.dazhuan review.eng.assistant.zhongzhuan", "an entry-level title (Technician) of this series"}}},
  {"init master: assistant on taking up work", "2025-07-10", {5, 502, 2}, R"({
     "education": [{"level": "master", "full_time": true, "graduated": "2025-06-30"}],
     "technical_work_since": "2025-07-10"})",
   {{"initial_determination", E, "2025-07-10", "init.master.assistant", nullptr},
    {"review", E, "2025-07-10", "review.eng.assistant.master", nullptr}}},
  {"init master: work before the degree, assistant from graduation", "2025-06-30", {5, 502, 2}, R"({
     "education": [{"level": "master", "full_time": true, "graduated": "2025-06-30"}],
     "technical_work_since": "2020-01-01"})",
   {{"initial_determination", E, "2025-06-30", "init.master.assistant", nullptr},
    {"review", E, "2025-06-30", "review.eng.assistant.master", nullptr}}},
  {"init master: work before the degree counts, 3 years together", "2025-08-01", {5, 502, 3}, R"({
     "education": [{"level": "master", "full_time": true, "graduated": "2024-06-30"}],
     "technical_work_since": "2022-07-01"})",
   {{"initial_determination", E, "2025-07-01", "init.master.intermediate", nullptr},
    {"direct_intermediate", E, "2024-07-01", "direct.master.intermediate", nullptr},
    {"review", N, nullptr, "review.eng.engineer.master", "an assistant-level title"}}},
  {"init master: the 3 years were before the degree, 1 year after it is still due", "2025-06-01", {5, 502, 3}, R"({
     "education": [{"level": "master", "full_time": true, "graduated": "2025-01-01"}],
     "technical_work_since": "2020-01-01"})",
   {{"initial_determination", Y, "2026-01-01", "init.master.intermediate", "1 year of technical work after the degree"},
    {"direct_intermediate", E, "2025-01-01", "direct.bachelor.intermediate", nullptr},  // ties: the first rule
    {"review", N, nullptr, "review.eng.engineer.master", "an assistant-level title"}}},
  {"init master: intermediate after 3 years, the day before", "2025-06-30", {5, 502, 3}, R"({
     "education": [{"level": "master", "full_time": true, "graduated": "2022-06-30"}],
     "technical_work_since": "2022-07-01"})",
   {{"initial_determination", Y, "2025-07-01", "init.master.intermediate", "3 years of technical work"},
    {"direct_intermediate", E, "2024-07-01", "direct.master.intermediate", nullptr},
    {"review", N, nullptr, "review.eng.engineer.master", "an assistant-level title"}}},
  {"init doctor: intermediate on taking up work", "2025-03-01", {5, 502, 3}, R"({
     "education": [{"level": "doctor", "full_time": true, "graduated": "2025-01-15"}],
     "technical_work_since": "2025-02-01"})",
   {{"initial_determination", E, "2025-02-01", "init.doctor.intermediate", nullptr},
    {"review", E, "2025-02-01", "review.eng.engineer.doctor", nullptr},
    {"direct_intermediate", E, "2025-02-01", "direct.doctor.intermediate", nullptr}}},
  {"init postdoc: associate senior", "2024-01-01", {5, 502, 4}, R"({
     "education": [{"level": "doctor", "full_time": true, "graduated": "2020-07-01"},
                   {"level": "postdoc", "full_time": false, "graduated": "2023-09-30"}],
     "technical_work_since": "2023-10-08"})",
   {{"initial_determination", E, "2023-10-08", "init.postdoc.associate_senior", nullptr},
    {"review", N, nullptr, "review.eng.senior.doctor", "an intermediate title (Engineer) of this series"},
    {"green_channel", N, nullptr, "green.high_level_talent.senior", "high-level talent"}}},
  {"init: no start of technical work, the years cannot be counted", "2026-01-01", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2024-07-01"}]})",
   {{"initial_determination", N, nullptr, "init.bachelor.assistant", "1 year of technical work"}}},
  {"init: accounting is exam-based (以考代评), outside initial determination", "2025-01-01", {17, 1701, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2020-07-01"}],
     "technical_work_since": "2020-07-01"})",
   {{"initial_determination", N, nullptr, nullptr, kNoRule},
    {"exam", N, nullptr, "exam.national.series", "examination"},
    {"review", N, nullptr, nullptr, kNoRule}}},
  {"exam-only: 软考 overlaps information technology (503), no review or initial determination below senior", "2025-01-01", {5, 503, 3}, R"({
     "education": [{"level": "doctor", "full_time": true, "graduated": "2020-07-01"}],
     "technical_work_since": "2020-07-01"})",
   {{"initial_determination", N, nullptr, nullptr, kNoRule},
    {"direct_intermediate", N, nullptr, nullptr, kNoRule},
    {"exam", N, nullptr, "exam.national.computer_software", "computer technology and software examination"},
    {"review", N, nullptr, nullptr, kNoRule}}},
  {"exam-only: intermediate human-resources titles are not reviewed", "2025-01-01", {19, 1907, 3}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2015-07-01"}],
     "technical_work_since": "2015-07-01"})",
   {{"exam", N, nullptr, "exam.national.series", "examination"},
    {"review", N, nullptr, nullptr, kNoRule}}},
  {"exam-only: 软考 at assistant level (503), no review, initial determination or bridging", "2025-01-01", {5, 503, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2020-07-01"}],
     "technical_work_since": "2020-07-01", "skill_levels": [{"level": 3, "obtained": "2015-01-01"}]})",
   {{"initial_determination", N, nullptr, nullptr, kNoRule},
    {"skill_bridging", N, nullptr, nullptr, nullptr},
    {"exam", N, nullptr, "exam.national.computer_software", "computer technology and software examination"},
    {"review", N, nullptr, nullptr, kNoRule}}},
  {"exam-only: 软考 at entry level (503), no review or initial determination", "2025-01-01", {5, 503, 1}, R"({
     "education": [{"level": "dazhuan", "full_time": true, "graduated": "2020-07-01"}],
     "technical_work_since": "2020-07-01"})",
   {{"initial_determination", N, nullptr, nullptr, kNoRule},
    {"exam", N, nullptr, "exam.national.computer_software", "computer technology and software examination"},
    {"review", N, nullptr, nullptr, kNoRule}}},
  {"exam-only: assistant-level human-resources titles are not reviewed or determined", "2025-01-01", {19, 1907, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2015-07-01"}],
     "technical_work_since": "2015-07-01"})",
   {{"initial_determination", N, nullptr, nullptr, kNoRule},
    {"exam", N, nullptr, "exam.national.series", "examination"},
    {"review", N, nullptr, nullptr, kNoRule}}},
  {"associate-senior human-resources titles: the exam and review", "2025-01-01", {19, 1907, 4}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2010-07-01"}],
     "technical_work_since": "2010-07-01"})",
   {{"review", N, nullptr, "review.exam_series.senior", "senior examination and then review"},
    {"hr_direct_senior", N, nullptr, "hr.manufacturing.senior_hr_specialist", nullptr}}},
  {"init: telecommunications (511) is exam-based", "2025-01-01", {5, 511, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2020-07-01"}],
     "technical_work_since": "2020-07-01"})",
   {{"initial_determination", N, nullptr, nullptr, kNoRule},
    {"exam", N, nullptr, "exam.national.telecom", "examination"},
    {"review", N, nullptr, nullptr, kNoRule}}},

  // ---- technical-school classes (measure 6, education_equivalence) --------------------
  {"高级工班 counts as 大专 for review, not for initial determination", "2023-07-01", {5, 501, 1}, R"({
     "technical_school_class": {"class": "senior_worker", "graduated": "2022-07-01"},
     "technical_work_since": "2022-07-01"})",
   {{"initial_determination", N, nullptr, "init.zhongzhuan.entry", "a full-time zhongzhuan"},
    {"review", E, "2023-07-01", "review.eng.technician.zhongzhuan edu.senior_worker.dazhuan", nullptr}}},
  {"预备技师班 counts as 本科 for review, not for initial determination", "2024-07-01", {5, 504, 2}, R"({
     "technical_school_class": {"class": "preparatory_technician", "graduated": "2023-07-01"},
     "technical_work_since": "2023-07-01"})",
   {{"initial_determination", N, nullptr, "init.bachelor.assistant", "a full-time bachelor's degree or higher"},
    {"review", E, "2024-07-01", "review.eng.assistant.bachelor edu.preparatory_technician.bachelor", nullptr}}},
  {"中级工班 counts as 中专 for review (the day before), not for initial determination", "2024-06-30", {5, 507, 1}, R"({
     "technical_school_class": {"class": "intermediate_worker", "graduated": "2023-07-01"},
     "technical_work_since": "2023-07-01"})",
   {{"initial_determination", N, nullptr, "init.zhongzhuan.entry", "a full-time zhongzhuan"},
    {"review", Y, "2024-07-01", "review.eng.technician.zhongzhuan edu.intermediate_worker.zhongzhuan", "1 year of probation"}}},
  {"中级工班 (中专) is not enough for an assistant title by initial determination", "2030-01-01", {5, 507, 2}, R"({
     "technical_school_class": {"class": "intermediate_worker", "graduated": "2023-07-01"},
     "technical_work_since": "2023-07-01"})",
   {{"initial_determination", N, nullptr, "init.dazhuan.assistant", "a full-time dazhuan (college) degree or higher"}}},

  // ---- skill bridging (measure 6) --------------------------------------------------------
  {"高级工: assistant after 2 years, the day before", "2024-02-29", {5, 507, 2}, R"({
     "skill_levels": [{"level": 3, "obtained": "2022-03-01"}], "technical_work_since": "2020-01-01"})",
   {{"skill_bridging", Y, "2024-03-01", "bridge.senior_worker.assistant", "2 years of technical work after 高级工"}}},
  {"高级工: assistant after 2 years, the day", "2024-03-01", {5, 507, 2}, R"({
     "skill_levels": [{"level": 3, "obtained": "2022-03-01"}], "technical_work_since": "2020-01-01"})",
   {{"skill_bridging", E, "2024-03-01", "bridge.senior_worker.assistant", nullptr}}},
  {"技师: intermediate after 3 years, the day before", "2024-05-09", {5, 507, 3}, R"({
     "skill_levels": [{"level": 2, "obtained": "2021-05-10"}], "technical_work_since": "2015-01-01"})",
   {{"skill_bridging", Y, "2024-05-10", "bridge.technician.intermediate", "3 years of technical work after 技师"}}},
  {"技师: intermediate after 3 years, the day", "2024-05-10", {5, 507, 3}, R"({
     "skill_levels": [{"level": 2, "obtained": "2021-05-10"}], "technical_work_since": "2015-01-01"})",
   {{"skill_bridging", E, "2024-05-10", "bridge.technician.intermediate", nullptr}}},
  {"高级技师: associate senior after 4 years", "2024-09-01", {5, 508, 4}, R"({
     "skill_levels": [{"level": 1, "obtained": "2020-09-01"}], "technical_work_since": "2010-01-01"})",
   {{"skill_bridging", E, "2024-09-01", "bridge.senior_technician.associate_senior", nullptr}}},
  {"高级技师 may also apply for assistant (skill level at most 3)", "2022-09-01", {5, 508, 2}, R"({
     "skill_levels": [{"level": 1, "obtained": "2020-09-01"}], "technical_work_since": "2010-01-01"})",
   {{"skill_bridging", E, "2022-09-01", "bridge.senior_worker.assistant", nullptr}}},
  {"高级工 is not enough for intermediate", "2024-01-01", {5, 508, 3}, R"({
     "skill_levels": [{"level": 3, "obtained": "2015-01-01"}], "technical_work_since": "2010-01-01"})",
   {{"skill_bridging", N, nullptr, "bridge.technician.intermediate", "a 技师 (technician) skill level or higher"}}},
  {"skill started before technical work: counted from technical_work_since (the later)", "2024-01-01", {5, 508, 2}, R"({
     "skill_levels": [{"level": 3, "obtained": "2018-01-01"}], "technical_work_since": "2022-06-15"})",
   {{"skill_bridging", Y, "2024-06-15", "bridge.senior_worker.assistant", "2 years of technical work after 高级工"}}},
  {"electrician 高级工: the catalogue's occupation row", "2024-01-10", {5, 508, 2}, R"({
     "skill_levels": [{"level": 3, "occupation": 201, "obtained": "2022-01-10"}], "technical_work_since": "2021-01-01"})",
   {{"skill_bridging", E, "2024-01-10", "bridge.by_occupation bridge.electrician.senior_worker.assistant", nullptr}}},
  {"bridging does not open in economics (not a series 人社部发〔2020〕96号 names)", "2024-01-01", {19, 1901, 2}, R"({
     "skill_levels": [{"level": 3, "obtained": "2015-01-01"}], "technical_work_since": "2010-01-01"})",
   {{"skill_bridging", N, nullptr, "bridge.by_occupation", "bridging rows"},
    {"review", N, nullptr, nullptr, kNoRule}}},
  {"bridging sets no continuing-education hours of its own (state employer, 40 hours)", "2024-01-01", {5, 507, 2}, R"({
     "skill_levels": [{"level": 3, "obtained": "2020-01-01"}], "technical_work_since": "2019-01-01",
     "continuing_education_hours": 40})",
   {{"skill_bridging", E, "2022-01-01", "bridge.senior_worker.assistant", nullptr}}},
  {"bridging opens in agriculture as 人社部发〔2020〕96号 names it", "2024-01-01", {6, 601, 2}, R"({
     "skill_levels": [{"level": 3, "obtained": "2020-01-01"}], "technical_work_since": "2019-01-01"})",
   {{"skill_bridging", E, "2022-01-01", "bridge.senior_worker.assistant", nullptr}}},

  // ---- private enterprises' first applicants (measure 2) ------------------------------
  {"private first-time applicant: no continuing-education hours needed", "2024-01-01", {5, 507, 2}, R"({
     "skill_levels": [{"level": 3, "obtained": "2020-01-01"}], "technical_work_since": "2019-01-01",
     "employer": {"kind": "private"}, "first_application": true, "continuing_education_hours": 0})",
   {{"skill_bridging", E, "2022-01-01", "bridge.senior_worker.assistant", nullptr}}},
  {"bridging, private but not a first application: still no hours needed", "2024-01-01", {5, 507, 2}, R"({
     "skill_levels": [{"level": 3, "obtained": "2020-01-01"}], "technical_work_since": "2019-01-01",
     "employer": {"kind": "private"}, "first_application": false, "continuing_education_hours": 0})",
   {{"skill_bridging", E, "2022-01-01", "bridge.senior_worker.assistant", nullptr}}},
  {"direct intermediate sets no continuing-education hours of its own", "2024-07-01", {5, 506, 3}, R"({
     "education": [{"level": "bachelor", "full_time": false, "graduated": "2019-07-01"}],
     "technical_work_since": "2019-07-01", "continuing_education_hours": 0})",
   {{"direct_intermediate", E, "2024-07-01", "direct.bachelor.intermediate", nullptr}}},
  {"private first-time applicant in review: no hours needed", "2024-12-20", {5, 501, 4}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2010-07-01"}],
     "technical_work_since": "2010-07-01", "titles": [{"series": 5, "specialty": 501, "level": 3, "granted": "2019-12-20"}],
     "employer": {"kind": "private"}, "first_application": true, "continuing_education_hours": 0})",
   {{"review", E, "2024-12-20", "review.eng.senior.bachelor", nullptr}}},

  // ---- qualification correspondence (measure 7) -----------------------------------------
  {"一级建造师 is recognised as Engineer", "2024-01-01", {5, 509, 3}, R"({
     "qualifications": [{"code": 101, "level": 1, "obtained": "2023-05-20"}]})",
   {{"qualification_correspondence", E, "2023-05-20", "qc.recognised qc.constructor.grade1.engineer", nullptr},
    {"direct_intermediate", N, nullptr, "direct.dazhuan.intermediate", "no title yet"}}},
  {"二级建造师 is not Engineer (its row is Assistant Engineer)", "2024-01-01", {5, 509, 3}, R"({
     "qualifications": [{"code": 101, "level": 2, "obtained": "2020-05-20"}]})",
   {{"qualification_correspondence", N, nullptr, "qc.recognised", "correspondence catalogue"}}},
  {"注册化工工程师: its row names specialty 501", "2024-01-01", {5, 501, 3}, R"({
     "qualifications": [{"code": 116, "level": 0, "obtained": "2022-11-11"}]})",
   {{"qualification_correspondence", E, "2022-11-11", "qc.recognised qc.chemical-engineer.engineer", nullptr}}},
  {"注册化工工程师 gives nothing in another specialty", "2024-01-01", {5, 502, 3}, R"({
     "qualifications": [{"code": 116, "level": 0, "obtained": "2022-11-11"}]})",
   {{"qualification_correspondence", N, nullptr, "qc.recognised", nullptr}}},
  {"a qualification obtained after the day asked about: not yet", "2025-12-01", {5, 509, 3}, R"({
     "qualifications": [{"code": 101, "level": 1, "obtained": "2026-01-10"}]})",
   {{"qualification_correspondence", Y, "2026-01-10", "qc.recognised qc.constructor.grade1.engineer", "correspondence catalogue"}}},
  {"a qualification with no catalogue row yields nothing", "2024-01-01", {5, 509, 3}, R"({
     "qualifications": [{"code": 999, "level": 1, "obtained": "2020-01-01"}]})",
   {{"qualification_correspondence", N, nullptr, "qc.recognised", nullptr}}},
  {"a recognised qualification is the basis for the next level, the day before", "2024-06-29", {5, 509, 3}, R"({
     "education": [{"level": "bachelor", "full_time": false, "graduated": "2015-07-01"}],
     "technical_work_since": "2015-07-01",
     "qualifications": [{"code": 101, "level": 2, "obtained": "2020-06-30"}]})",
   {{"review", Y, "2024-06-30", "review.eng.engineer.dazhuan qc.constructor.grade2.assistant-engineer", "4 years of technical work after an assistant-level title"},
    {"direct_intermediate", N, nullptr, "direct.bachelor.intermediate", "no title yet"}}},
  {"a recognised qualification is the basis for the next level, the day", "2024-06-30", {5, 509, 3}, R"({
     "education": [{"level": "bachelor", "full_time": false, "graduated": "2015-07-01"}],
     "technical_work_since": "2015-07-01",
     "qualifications": [{"code": 101, "level": 2, "obtained": "2020-06-30"}]})",
   {{"review", E, "2024-06-30", "review.eng.engineer.dazhuan qc.constructor.grade2.assistant-engineer", nullptr}}},

  // ---- review by the 2019 engineering standard ------------------------------------------
  {"review: Senior Engineer 5 years after Engineer, the day before", "2024-12-19", {5, 501, 4}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2010-07-01"}],
     "technical_work_since": "2010-07-01", "titles": [{"series": 5, "specialty": 501, "level": 3, "granted": "2019-12-20"}]})",
   {{"review", Y, "2024-12-20", "review.eng.senior.bachelor", "5 years of technical work after an intermediate title"}}},
  {"review: Senior Engineer 5 years after Engineer, the day", "2024-12-20", {5, 501, 4}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2010-07-01"}],
     "technical_work_since": "2010-07-01", "titles": [{"series": 5, "specialty": 501, "level": 3, "granted": "2019-12-20"}]})",
   {{"review", E, "2024-12-20", "review.eng.senior.bachelor", nullptr}}},
  {"review: a title of another series is no step in engineering", "2024-01-01", {5, 501, 4}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2010-07-01"}],
     "technical_work_since": "2010-07-01", "titles": [{"series": 19, "specialty": 1901, "level": 3, "granted": "2015-01-01"}]})",
   {{"review", N, nullptr, "review.eng.senior.bachelor", "an intermediate title (Engineer) of this series"}}},
  {"review: doctor, Senior Engineer 2 years after Engineer", "2024-03-01", {5, 502, 4}, R"({
     "education": [{"level": "doctor", "full_time": true, "graduated": "2015-07-01"}],
     "technical_work_since": "2015-07-01", "titles": [{"series": 5, "specialty": 502, "level": 3, "granted": "2022-03-01"}]})",
   {{"review", E, "2024-03-01", "review.eng.senior.doctor", nullptr}}},
  {"review: master, Engineer 2 years after Assistant Engineer", "2023-09-01", {5, 502, 3}, R"({
     "education": [{"level": "master", "full_time": true, "graduated": "2018-07-01"}],
     "technical_work_since": "2018-07-01", "titles": [{"series": 5, "specialty": 503, "level": 2, "granted": "2021-09-01"}]})",
   {{"review", E, "2023-09-01", "review.eng.engineer.master", nullptr},
    {"initial_determination", E, "2021-07-01", "init.master.intermediate", nullptr},
    {"direct_intermediate", N, nullptr, "direct.master.intermediate", "no title yet"}}},
  {"review: dazhuan, Assistant Engineer 2 years after Technician", "2021-01-01", {5, 507, 2}, R"({
     "education": [{"level": "dazhuan", "full_time": false, "graduated": "2016-07-01"}],
     "technical_work_since": "2016-07-01", "titles": [{"series": 5, "specialty": 507, "level": 1, "granted": "2019-01-01"}]})",
   {{"review", E, "2021-01-01", "review.eng.assistant.dazhuan", nullptr}}},
  {"review: zhongzhuan, Assistant Engineer 4 years after Technician, the day before", "2018-02-28", {5, 507, 2}, R"({
     "education": [{"level": "zhongzhuan", "full_time": false, "graduated": "2012-07-01"}],
     "technical_work_since": "2012-07-01", "titles": [{"series": 5, "specialty": 507, "level": 1, "granted": "2014-03-01"}]})",
   {{"review", Y, "2018-03-01", "review.eng.assistant.zhongzhuan", "4 years of technical work after an entry-level title"}}},
  {"review: bachelor, Technician on taking up engineering work", "2023-09-01", {5, 510, 1}, R"({
     "education": [{"level": "bachelor", "full_time": false, "graduated": "2023-07-01"}],
     "technical_work_since": "2023-09-01"})",
   {{"review", E, "2023-09-01", "review.eng.technician.bachelor", nullptr}}},
  {"review: Professor-level Senior Engineer 5 years after Senior Engineer", "2024-01-01", {5, 504, 5}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2000-07-01"}],
     "technical_work_since": "2000-07-01", "titles": [{"series": 5, "specialty": 504, "level": 4, "granted": "2019-01-01"}]})",
   {{"review", E, "2024-01-01", "review.eng.full_senior.bachelor", nullptr}}},
  {"review in a series without rules: outside automatic evaluation", "2024-01-01", {22, 2201, 3}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2010-07-01"}],
     "technical_work_since": "2010-07-01"})",
   {{"review", N, nullptr, "review.other_series", "not in the rule table"},
    {"initial_determination", N, nullptr, "init.master.intermediate", "a full-time master's degree or higher"}}},

  // ---- green channel (measure 8) ---------------------------------------------------------
  {"green channel with a justification, brought in by a zone enterprise", "2025-03-01", {5, 503, 4}, R"({
     "high_level_talent": {"justification": "国家级领军人才，由区内企业引进"},
     "attested": ["brought_in_by_zone_enterprise"]})",
   {{"green_channel", E, "2025-03-01", "green.high_level_talent.senior", nullptr}}},
  {"green channel: a justification alone, nobody attested how the person came", "2025-03-01", {5, 503, 4}, R"({
     "high_level_talent": {"justification": "国家级领军人才"}})",
   {{"green_channel", N, nullptr, "green.high_level_talent.senior green.outstanding_contribution.senior",
     "brought in by an enterprise of the zone"}}},
  {"green channel for outstanding contributions to the zone", "2025-03-01", {5, 503, 5}, R"({
     "high_level_talent": {"justification": "突出贡献"}, "attested": ["outstanding_contribution"]})",
   {{"green_channel", E, "2025-03-01", "green.outstanding_contribution.senior", nullptr}}},
  {"green channel without a justification is no high-level talent", "2025-03-01", {5, 503, 4}, R"({
     "high_level_talent": {"justification": ""}})",
   {{"green_channel", N, nullptr, "green.high_level_talent.senior", "with a justification"}}},
  {"green channel with a blank justification", "2025-03-01", {5, 503, 5}, R"({
     "high_level_talent": {"justification": "  "}})",
   {{"green_channel", N, nullptr, "green.high_level_talent.senior", "high-level talent"}}},
  {"green channel is for senior titles only", "2025-03-01", {5, 502, 3}, R"({
     "high_level_talent": {"justification": "突出贡献"}})",
   {{"green_channel", N, nullptr, nullptr, kNoRule}}},
  {"green channel, out of the zone without an entrustment letter", "2025-03-01", {5, 503, 5}, R"({
     "employer": {"in_zone": false}, "high_level_talent": {"justification": "突出贡献"}})",
   {{"green_channel", N, nullptr, "green.high_level_talent.senior", "entrustment letter"}}},
  {"green channel, out of the zone: an entrustment letter does not stand in for the zone", "2025-03-01", {5, 503, 5}, R"({
     "employer": {"in_zone": false}, "high_level_talent": {"justification": "突出贡献"},
     "entrustment_letter": {"unit": "中国石油某研究院", "reference": "委托评审函〔2025〕3号"}})",
   {{"green_channel", N, nullptr, "green.high_level_talent.senior", "work in the zone"}}},

  // ---- manufacturing HR staff (measure 9) ------------------------------------------------
  {"manufacturing HR staff apply directly for 高级人力资源管理师", "2025-05-01", {19, 1907, 4}, R"({
     "hr_staff": true, "employer": {"manufacturing": true, "industry": "new_materials"},
     "attested": ["long_front_line_service", "special_contribution", "senior_exam_passed"]})",
   {{"hr_direct_senior", E, "2025-05-01", "hr.manufacturing.senior_hr_specialist", nullptr}}},
  {"manufacturing HR staff: long service and contributions are the clerk's to attest", "2025-05-01", {19, 1907, 4}, R"({
     "hr_staff": true, "employer": {"manufacturing": true}, "attested": ["senior_exam_passed"]})",
   {{"hr_direct_senior", N, nullptr, "hr.manufacturing.senior_hr_specialist", "long service in front-line HR"}}},
  {"manufacturing HR staff: the associate-senior examination is still needed", "2025-05-01", {19, 1907, 4}, R"({
     "hr_staff": true, "employer": {"manufacturing": true},
     "attested": ["long_front_line_service", "special_contribution"]})",
   {{"hr_direct_senior", N, nullptr, "hr.manufacturing.senior_hr_specialist", "senior economics (human resources) examination"}}},
  {"HR staff outside manufacturing", "2025-05-01", {19, 1907, 4}, R"({"hr_staff": true})",
   {{"hr_direct_senior", N, nullptr, "hr.manufacturing.senior_hr_specialist", "a manufacturing employer"}}},
  {"manufacturing staff who are not HR staff", "2025-05-01", {19, 1907, 4}, R"({
     "employer": {"manufacturing": true}})",
   {{"hr_direct_senior", N, nullptr, "hr.manufacturing.senior_hr_specialist", "front-line HR"}}},
  {"manufacturing HR staff, another economics specialty", "2025-05-01", {19, 1901, 4}, R"({
     "hr_staff": true, "employer": {"manufacturing": true}})",
   {{"hr_direct_senior", N, nullptr, nullptr, kNoRule}}},
  {"manufacturing HR staff without continuing education", "2025-05-01", {19, 1907, 4}, R"({
     "hr_staff": true, "employer": {"manufacturing": true}, "continuing_education_hours": 10})",
   {{"hr_direct_senior", N, nullptr, "hr.manufacturing.senior_hr_specialist", "continuing education"}}},

  // ---- direct intermediate application (measure 10) --------------------------------------
  {"direct intermediate, dazhuan: 7 years before and after the degree, the day before", "2024-02-29", {5, 505, 3}, R"({
     "education": [{"level": "dazhuan", "full_time": false, "graduated": "2021-01-15"}],
     "technical_work_since": "2017-03-01"})",
   {{"direct_intermediate", Y, "2024-03-01", "direct.dazhuan.intermediate", "7 years of technical work in all"}}},
  {"direct intermediate, dazhuan: the day", "2024-03-01", {5, 505, 3}, R"({
     "education": [{"level": "dazhuan", "full_time": false, "graduated": "2021-01-15"}],
     "technical_work_since": "2017-03-01"})",
   {{"direct_intermediate", E, "2024-03-01", "direct.dazhuan.intermediate", nullptr}}},
  {"direct intermediate: years met before the degree, eligible on graduation", "2025-01-10", {5, 505, 3}, R"({
     "education": [{"level": "dazhuan", "full_time": false, "graduated": "2025-01-10"}],
     "technical_work_since": "2015-01-01"})",
   {{"direct_intermediate", E, "2025-01-10", "direct.dazhuan.intermediate", nullptr}}},
  {"direct intermediate: the degree is still to come", "2025-01-10", {5, 505, 3}, R"({
     "education": [{"level": "dazhuan", "full_time": false, "graduated": "2025-06-30"}],
     "technical_work_since": "2015-01-01"})",
   {{"direct_intermediate", Y, "2025-06-30", "direct.dazhuan.intermediate", "a dazhuan (college) degree or higher"}}},
  {"direct intermediate, bachelor: 5 years", "2024-07-01", {5, 506, 3}, R"({
     "education": [{"level": "bachelor", "full_time": false, "graduated": "2019-07-01"}],
     "technical_work_since": "2019-07-01"})",
   {{"direct_intermediate", E, "2024-07-01", "direct.bachelor.intermediate", nullptr}}},
  {"direct intermediate is for people without a title", "2025-01-01", {5, 505, 3}, R"({
     "education": [{"level": "dazhuan", "full_time": false, "graduated": "2010-07-01"}],
     "technical_work_since": "2010-07-01", "titles": [{"series": 5, "specialty": 505, "level": 2, "granted": "2020-01-01"}]})",
   {{"direct_intermediate", N, nullptr, "direct.dazhuan.intermediate", "no title yet"},
    {"review", E, "2024-01-01", "review.eng.engineer.dazhuan", nullptr}}},
  {"direct intermediate with a 高级工班 diploma (counts as 大专)", "2024-01-01", {5, 505, 3}, R"({
     "technical_school_class": {"class": "senior_worker", "graduated": "2016-07-01"},
     "technical_work_since": "2016-07-01"})",
   {{"direct_intermediate", E, "2023-07-01", "direct.dazhuan.intermediate edu.senior_worker.dazhuan", nullptr}}},

  // ---- applicants from units outside the zone (measure 15) -------------------------------
  {"central unit working in the zone, files elsewhere, with an entrustment letter", "2024-07-01", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2023-07-01"}],
     "technical_work_since": "2023-07-01", "employer": {"kind": "central_soe", "in_zone": true},
     "entrustment_letter": {"unit": "中国石油某研究院", "reference": "委托评审函〔2024〕3号"}})",
   {{"initial_determination", E, "2024-07-01", "init.bachelor.assistant", nullptr},
    {"review", E, "2024-07-01", "review.eng.assistant.bachelor", nullptr}}},
  {"employer outside the zone: an entrustment letter does not make one eligible", "2024-07-01", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2023-07-01"}],
     "technical_work_since": "2023-07-01", "employer": {"kind": "central_soe", "in_zone": false},
     "entrustment_letter": {"unit": "中国石油某研究院", "reference": "委托评审函〔2024〕3号"}})",
   {{"initial_determination", N, nullptr, "init.bachelor.assistant", "work in the zone"},
    {"review", N, nullptr, "review.eng.assistant.bachelor", "work in the zone"}}},
  {"outside unit without an entrustment letter", "2024-07-01", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2023-07-01"}],
     "technical_work_since": "2023-07-01", "employer": {"kind": "central_soe", "in_zone": false}})",
   {{"initial_determination", N, nullptr, "init.bachelor.assistant", "entrustment letter"},
    {"review", N, nullptr, "review.eng.assistant.bachelor", "entrustment letter"}}},
  {"outside unit, a letter without its reference", "2024-07-01", {5, 502, 2}, R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2023-07-01"}],
     "technical_work_since": "2023-07-01", "employer": {"in_zone": false},
     "entrustment_letter": {"unit": "中国石油某研究院", "reference": ""}})",
   {{"initial_determination", N, nullptr, "init.bachelor.assistant", "entrustment letter"}}},

  // ---- routes outside automatic evaluation ---------------------------------------------
  {"autonomous review in 化工（含制药） is the enterprise's", "2025-01-01", {5, 501, 3}, R"({})",
   {{"autonomous_review", N, nullptr, "autonomous.chemical.enterprise", "own standards"},
    {"cross_region_confirmation", N, nullptr, "cross_region.recognition_policy", "recognition policy"}}},
  {"autonomous review outside 化工（含制药）: no rule", "2025-01-01", {5, 502, 3}, R"({})",
   {{"autonomous_review", N, nullptr, nullptr, kNoRule}}},
  };
  return k;
}
// clang-format on

std::vector<std::string> words(const char* s) {
  std::vector<std::string> out;
  if (!s) return out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string show(const RouteAnswer& r) {
  std::string s = r.route + " " + std::string(eligibility::verdictName(r.verdict));
  if (r.from) s += " from " + dates::formatDate(*r.from);
  s += " rules[";
  for (const auto& x : r.rules) s += x + " ";
  s += "] missing[";
  for (const auto& m : r.missing) s += m.en + "; ";
  return s + "]";
}

// The invariants of every answer: one entry per catalogue route in catalogue
// order; eligible has from <= on and nothing missing; not_yet has from > on
// and says what is pending; not_eligible has no from and says what is missing.
void checkShape(const Answer& a, std::int64_t on, const std::string& name) {
  ASSERT_EQ(a.routes.size(), cat().routes.size()) << name;
  for (std::size_t i = 0; i < a.routes.size(); ++i) {
    const RouteAnswer& r = a.routes[i];
    EXPECT_EQ(r.route, cat().routes[i].id) << name;
    switch (r.verdict) {
      case Verdict::Eligible:
        ASSERT_TRUE(r.from.has_value()) << name << ": " << show(r);
        EXPECT_LE(*r.from, on) << name << ": " << show(r);
        EXPECT_TRUE(r.missing.empty()) << name << ": " << show(r);
        EXPECT_FALSE(r.rules.empty()) << name << ": " << show(r);
        break;
      case Verdict::NotYet:
        ASSERT_TRUE(r.from.has_value()) << name << ": " << show(r);
        EXPECT_GT(*r.from, on) << name << ": " << show(r);
        EXPECT_FALSE(r.missing.empty()) << name << ": " << show(r);
        EXPECT_FALSE(r.rules.empty()) << name << ": " << show(r);
        break;
      case Verdict::NotEligible:
        EXPECT_FALSE(r.from.has_value()) << name << ": " << show(r);
        EXPECT_FALSE(r.missing.empty()) << name << ": " << show(r);
        break;
    }
    for (const auto& m : r.missing) EXPECT_TRUE(!m.zh.empty() && !m.en.empty()) << name;
  }
}

// ---- The table ---------------------------------------------------------------------

TEST(EligibilityTable, EachProfileGetsTheExpectedVerdictPerRoute) {
  ASSERT_FALSE(cat().rules.empty());
  std::size_t checked = 0;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const Person p = person(c.patch);
    const std::int64_t on = day(c.on);
    auto r = eligibility::evaluate(cat(), p, c.target, on);
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().detail;
    checkShape(*r, on, c.name);
    std::set<std::string> listed;
    for (const Exp& e : c.expect) {
      listed.insert(e.route);
      const RouteAnswer* ra = r->find(e.route);
      ASSERT_NE(ra, nullptr) << e.route;
      EXPECT_EQ(ra->verdict, e.verdict) << c.name << ": " << show(*ra);
      if (e.from) {
        ASSERT_TRUE(ra->from.has_value()) << c.name << ": " << show(*ra);
        EXPECT_EQ(dates::formatDate(*ra->from), e.from) << c.name << ": " << show(*ra);
      }
      for (const std::string& id : words(e.rules)) {
        EXPECT_NE(std::find(ra->rules.begin(), ra->rules.end(), id), ra->rules.end())
            << c.name << ": rule " << id << " not in " << show(*ra);
        EXPECT_TRUE(cat().findRule(id) || std::any_of(cat().equivalences.begin(), cat().equivalences.end(),
                                                       [&](const auto& q) { return q.id == id; }) ||
                    std::any_of(cat().educationEquivalences.begin(), cat().educationEquivalences.end(),
                                [&](const auto& q) { return q.id == id; }))
            << c.name << ": cites " << id << ", which is no row of the catalogue";
      }
      if (e.missing) {
        const bool found = std::any_of(ra->missing.begin(), ra->missing.end(),
                                       [&](const catalogue::Names& n) { return n.en.find(e.missing) != std::string::npos; });
        EXPECT_TRUE(found) << c.name << ": \"" << e.missing << "\" not in " << show(*ra);
      }
      ++checked;
    }
    for (const RouteAnswer& ra : r->routes) {
      if (!listed.count(ra.route)) {
        EXPECT_EQ(ra.verdict, Verdict::NotEligible) << c.name << ": unlisted route " << show(ra);
      }
    }
  }
  EXPECT_GE(cases().size(), 40u);
  std::printf("[ eligibility ] %zu applicant profiles, %zu route verdicts checked (plus %zu unlisted routes not_eligible)\n",
              cases().size(), checked, cases().size() * cat().routes.size() - checked);
}

TEST(EligibilityTable, EveryRuleOfTheShippedCatalogueIsCited) {
  std::set<std::string> cited;
  for (const Case& c : cases())
    for (const Exp& e : c.expect)
      for (const std::string& id : words(e.rules)) cited.insert(id);
  for (const catalogue::Rule& r : cat().rules) EXPECT_TRUE(cited.count(r.id)) << "no case cites rule " << r.id;
}

// Measure 15: working in the zone is what every evaluated rule asks; the
// entrustment letter stands in for where the files are kept, so no rule
// makes it a condition of eligibility.
TEST(EligibilityTable, EveryEvaluatedRuleAsksForWorkInTheZoneAndNoneForTheLetter) {
  for (const catalogue::Rule& r : cat().rules) {
    bool manual = false, inZone = false;
    for (const catalogue::Condition& c : r.all) {
      manual = manual || c.manualDecision;
      for (const catalogue::FactTest& f : c.facts) {
        inZone = inZone || (f.fact == "employer.in_zone" && f.flag == true);
        EXPECT_EQ(f.fact.find("entrustment"), std::string::npos) << r.id;
      }
    }
    if (!manual) {
      EXPECT_TRUE(inZone) << r.id << " does not ask for work in the zone";
    }
  }
}

TEST(EligibilityTable, ShippedRulesCoverEveryRoute) {
  for (const catalogue::Route& route : cat().routes) {
    const bool any = std::any_of(cat().rules.begin(), cat().rules.end(),
                                 [&](const catalogue::Rule& r) { return r.route == route.id; });
    EXPECT_TRUE(any) << route.id << " has no rule row (not even one explaining it is outside automatic evaluation)";
  }
  std::printf("[ eligibility ] the shipped catalogue has %zu rules\n", cat().rules.size());
}

// Every catalogue route in every answer, for every title the catalogue has.
TEST(EligibilityAnswer, EveryRouteForEveryTitleOfTheCatalogue) {
  const Person someone = person(R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2015-07-01"}],
     "technical_work_since": "2015-07-01", "skill_levels": [{"level": 2, "obtained": "2018-01-01"}],
     "qualifications": [{"code": 101, "level": 1, "obtained": "2019-01-01"}],
     "high_level_talent": {"justification": "x"}, "hr_staff": true})");
  const Person nobody = person("{}");
  std::size_t answers = 0;
  for (const auto& s : cat().series)
    for (const auto& x : s.specialties)
      for (std::uint64_t level = 1; level <= 5; ++level) {
        const Target t{s.code, x.code, level};
        if (!cat().findTitle(t.series, t.specialty, t.level)) {
          EXPECT_EQ(eligibility::evaluate(cat(), nobody, t, day("2025-01-01")).code(), Code::BAD_CLAIMS);
          continue;
        }
        for (const Person* p : {&someone, &nobody}) {
          auto r = eligibility::evaluate(cat(), *p, t, day("2025-01-01"));
          ASSERT_TRUE(r.ok()) << r.error().detail;
          checkShape(*r, day("2025-01-01"), "series " + std::to_string(t.series) + " specialty " +
                                                std::to_string(t.specialty) + " level " + std::to_string(level));
          ++answers;
        }
      }
  EXPECT_GT(answers, 500u);
}

// ---- The CONTRACT answer shape ----------------------------------------------------------

TEST(EligibilityAnswer, ContractExampleJson) {
  auto req = eligibility::requestFromJson(R"({
    "on": "2026-07-01",
    "person": {
      "education": [{"level": "bachelor", "full_time": true, "graduated": "2025-07-01"}],
      "technical_school_class": null,
      "technical_work_since": "2025-07-15",
      "skill_levels": [{"level": 3, "obtained": "2023-06-30"}],
      "qualifications": [{"code": 101, "level": 2, "obtained": "2024-05-20"}],
      "titles": [],
      "employer": {"kind": "private", "in_zone": true, "industry": "biomedicine", "manufacturing": false},
      "hr_staff": false,
      "high_level_talent": null,
      "first_application": true,
      "continuing_education_hours": 0,
      "entrustment_letter": null
    },
    "target": {"series": 5, "specialty": 501, "level": 2}
  })");
  ASSERT_TRUE(req.ok()) << req.error().detail;
  auto a = eligibility::evaluate(cat(), req->person, req->target, req->on);
  ASSERT_TRUE(a.ok()) << a.error().detail;
  const json j = json::parse(eligibility::answerToJson(*a, cat()));

  // The two routes the CONTRACT shows, exactly.
  const json expectTarget = json::parse(
      R"({"series": 5, "specialty": 501, "level": 2, "title_name": {"zh": "助理工程师", "en": "Assistant Engineer"}})");
  EXPECT_EQ(j["target"], expectTarget);
  const json init = json::parse(R"({"route": "initial_determination", "verdict": "not_yet", "from": "2026-07-15",
     "rules": ["init.bachelor.assistant"], "missing": ["1 year of technical work"]})");
  const json bridging = json::parse(R"({"route": "skill_bridging", "verdict": "not_yet", "from": "2027-07-15",
     "rules": ["bridge.senior_worker.assistant"], "missing": ["2 years of technical work after 高级工"]})");
  bool sawInit = false, sawBridging = false;
  for (const json& r : j["routes"]) {
    if (r["route"] == "initial_determination") {
      EXPECT_EQ(r, init);
      sawInit = true;
    }
    if (r["route"] == "skill_bridging") {
      EXPECT_EQ(r, bridging);
      sawBridging = true;
    }
  }
  EXPECT_TRUE(sawInit && sawBridging);
}

TEST(EligibilityAnswer, JsonShape) {
  const Person p = person(R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2020-07-01"}],
     "technical_work_since": "2020-07-01"})");
  auto a = eligibility::evaluate(cat(), p, {5, 502, 2}, day("2025-01-01"));
  ASSERT_TRUE(a.ok());
  const std::string text = eligibility::answerToJson(*a, cat());
  EXPECT_EQ(text.find("\\u"), std::string::npos);  // UTF-8 as is
  const json j = json::parse(text);
  ASSERT_TRUE(j.is_object());
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"target", "routes"}));
  keys.clear();
  for (const auto& [k, v] : j["target"].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"series", "specialty", "level", "title_name"}));
  ASSERT_EQ(j["routes"].size(), cat().routes.size());
  for (std::size_t i = 0; i < j["routes"].size(); ++i) {
    const json& r = j["routes"][i];
    EXPECT_EQ(r["route"], cat().routes[i].id);
    keys.clear();
    for (const auto& [k, v] : r.items()) keys.push_back(k);
    const std::string verdict = r["verdict"];
    if (verdict == "not_eligible") {
      EXPECT_EQ(keys, (std::vector<std::string>{"route", "verdict", "rules", "missing"}));
    } else {
      EXPECT_TRUE(verdict == "eligible" || verdict == "not_yet") << verdict;
      EXPECT_EQ(keys, (std::vector<std::string>{"route", "verdict", "from", "rules", "missing"}));
      EXPECT_TRUE(dates::parseDate(r["from"].get<std::string>()).ok());
    }
    EXPECT_TRUE(r["rules"].is_array());
    EXPECT_TRUE(r["missing"].is_array());
    for (const json& m : r["missing"]) EXPECT_TRUE(m.is_string());
  }
  // Chinese missing texts on request.
  const json zh = json::parse(eligibility::answerToJson(*a, cat(), "zh"));
  const json& green = zh["routes"][5];
  ASSERT_EQ(green["route"], "green_channel");
  EXPECT_EQ(green["missing"][0], "本途径没有适用于该职称（系列、专业、级别）的规则");
}

TEST(EligibilityAnswer, AttestedConditionsAreShownInTheAnswer) {
  const Person p = person(R"({"hr_staff": true, "employer": {"manufacturing": true},
     "attested": ["long_front_line_service", "special_contribution", "senior_exam_passed"]})");
  auto a = eligibility::evaluate(cat(), p, {19, 1907, 4}, day("2025-05-01"));
  ASSERT_TRUE(a.ok());
  const RouteAnswer* hr = a->find("hr_direct_senior");
  ASSERT_NE(hr, nullptr);
  ASSERT_EQ(hr->verdict, Verdict::Eligible);
  ASSERT_EQ(hr->attested.size(), 3u);
  EXPECT_NE(hr->attested[0].en.find("long service"), std::string::npos);
  const json j = json::parse(eligibility::answerToJson(*a, cat(), "zh"));
  for (const json& r : j["routes"]) {
    if (r["route"] != "hr_direct_senior") {
      EXPECT_FALSE(r.contains("attested")) << r["route"];
      continue;
    }
    ASSERT_EQ(r["attested"].size(), 3u);
    EXPECT_EQ(r["attested"][1], "作出特殊贡献（经办人核实，措施9）");
  }
}

TEST(EligibilityAnswer, AHolderOfTheTargetTitleIsToldSo) {
  const Person p = person(R"({
     "education": [{"level": "bachelor", "full_time": true, "graduated": "2020-07-01"}],
     "technical_work_since": "2020-07-01",
     "titles": [{"series": 5, "specialty": 502, "level": 2, "granted": "2021-08-01"}]})");
  auto a = eligibility::evaluate(cat(), p, {5, 502, 2}, day("2025-01-01"));
  ASSERT_TRUE(a.ok());
  for (const RouteAnswer& r : a->routes) {
    SCOPED_TRACE(r.route);
    EXPECT_EQ(r.verdict, Verdict::NotEligible);
    EXPECT_TRUE(r.rules.empty());
    ASSERT_EQ(r.missing.size(), 1u);
    EXPECT_EQ(r.missing[0], eligibility::kAlreadyHeld);
  }
  // Granted on the day asked about: the title being issued, not one held before.
  auto issuing = eligibility::evaluate(cat(), p, {5, 502, 2}, day("2021-08-01"));
  ASSERT_TRUE(issuing.ok());
  EXPECT_EQ(issuing->find("initial_determination")->verdict, Verdict::Eligible);
  // Another specialty's title of the same level is not the target.
  auto other = eligibility::evaluate(cat(), p, {5, 504, 2}, day("2025-01-01"));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->find("initial_determination")->verdict, Verdict::Eligible);
}

TEST(EligibilityAnswer, TargetNotInTheCatalogue) {
  const Person p = person("{}");
  struct T {
    Target t;
    const char* field;
  };
  for (const T& x : {T{{99, 9901, 2}, "target.series"}, T{{5, 1901, 2}, "target.specialty"},
                     T{{17, 1701, 1}, "target.level"}, T{{5, 501, 6}, "target.level"}}) {
    auto r = eligibility::evaluate(cat(), p, x.t, day("2025-01-01"));
    ASSERT_FALSE(r.ok()) << x.field;
    EXPECT_EQ(r.code(), Code::BAD_CLAIMS);
    EXPECT_EQ(r.error().detail.rfind(x.field, 0), 0u) << r.error().detail;
  }
}

TEST(EligibilityAnswer, RouteHasRules) {
  EXPECT_TRUE(eligibility::routeHasRules(cat(), "initial_determination"));
  EXPECT_TRUE(eligibility::routeHasRules(cat(), "skill_bridging"));
  EXPECT_TRUE(eligibility::routeHasRules(cat(), "review"));
  EXPECT_FALSE(eligibility::routeHasRules(cat(), "exam"));                       // manual rows only
  EXPECT_FALSE(eligibility::routeHasRules(cat(), "autonomous_review"));
  EXPECT_FALSE(eligibility::routeHasRules(cat(), "cross_region_confirmation"));
  EXPECT_FALSE(eligibility::routeHasRules(cat(), "no_such_route"));
  EXPECT_TRUE(eligibility::routeHasRules(cat(), "review", {5, 501, 4}));
  EXPECT_FALSE(eligibility::routeHasRules(cat(), "review", {22, 2201, 3}));       // review.other_series is manual
  EXPECT_FALSE(eligibility::routeHasRules(cat(), "review", {5, 511, 2}));         // exam-based specialty
  EXPECT_TRUE(eligibility::routeHasRules(cat(), "hr_direct_senior", {19, 1907, 4}));
  EXPECT_FALSE(eligibility::routeHasRules(cat(), "hr_direct_senior", {19, 1901, 4}));
}

// ---- Reading the profile and the request ------------------------------------------------

TEST(PersonJson, ReadsTheContractFields) {
  auto r = eligibility::personFromJson(R"({
    "education": [{"level": "master", "full_time": true, "graduated": "2020-06-30"}],
    "technical_school_class": {"class": "senior_worker", "graduated": "2012-07-01"},
    "technical_work_since": "2020-07-15",
    "skill_levels": [{"level": 2, "occupation": 201, "obtained": "2019-01-01"}],
    "qualifications": [{"code": 101, "level": 1, "obtained": "2021-05-20"}],
    "titles": [{"series": 5, "specialty": 501, "level": 3, "granted": "2023-01-01"}],
    "employer": {"kind": "private", "in_zone": false, "industry": "it", "manufacturing": true},
    "hr_staff": true,
    "high_level_talent": {"justification": "why"},
    "first_application": true,
    "continuing_education_hours": 72,
    "entrustment_letter": {"unit": "u", "reference": "r"}
  })");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  const Person& p = *r;
  ASSERT_EQ(p.education.size(), 1u);
  EXPECT_EQ(p.education[0].level, "master");
  EXPECT_TRUE(p.education[0].fullTime);
  EXPECT_EQ(p.education[0].graduated, day("2020-06-30"));
  ASSERT_TRUE(p.technicalSchoolClass);
  EXPECT_EQ(p.technicalSchoolClass->cls, "senior_worker");
  EXPECT_EQ(p.technicalWorkSince, day("2020-07-15"));
  ASSERT_EQ(p.skillLevels.size(), 1u);
  EXPECT_EQ(p.skillLevels[0].occupation, 201u);
  EXPECT_EQ(p.qualifications[0].code, 101u);
  EXPECT_EQ(p.titles[0].granted, day("2023-01-01"));
  EXPECT_EQ(p.employer.kind, "private");
  EXPECT_FALSE(p.employer.inZone);
  EXPECT_TRUE(p.employer.manufacturing);
  EXPECT_TRUE(p.hrStaff);
  ASSERT_TRUE(p.highLevelTalent);
  EXPECT_EQ(p.highLevelTalent->justification, "why");
  EXPECT_TRUE(p.firstApplication);
  EXPECT_EQ(p.continuingEducationHours, 72u);
  ASSERT_TRUE(p.entrustmentLetter);
  EXPECT_EQ(p.entrustmentLetter->reference, "r");

  auto empty = eligibility::personFromJson("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, Person{});
}

TEST(PersonJson, ErrorsNameTheField) {
  struct Bad {
    const char* json;
    const char* field;
  };
  const Bad cases[] = {
      {R"({"education": [{"level": "bachelor", "graduated": "2025-13-01"}]})", "person.education[0].graduated: "},
      {R"({"education": [{"level": "bachelor"}]})", "person.education[0].graduated: missing"},
      {R"({"education": [{"level": "phd", "graduated": "2025-01-01"}]})", "person.education[0].level: "},
      {R"({"education": [{"level": "bachelor", "full_time": "yes", "graduated": "2025-01-01"}]})", "person.education[0].full_time: "},
      {R"({"education": {"level": "bachelor"}})", "person.education: not a list"},
      {R"({"education": [{"level": "bachelor", "graduated": "2025-01-01", "school": "x"}]})", "person.education[0].school: unknown field"},
      {R"({"technical_school_class": {"class": "apprentice", "graduated": "2020-01-01"}})", "person.technical_school_class.class: "},
      {R"({"technical_work_since": "2025/01/01"})", "person.technical_work_since: "},
      {R"({"technical_work_since": 20250101})", "person.technical_work_since: "},
      {R"({"skill_levels": [{"level": 6, "obtained": "2020-01-01"}]})", "person.skill_levels[0].level: "},
      {R"({"skill_levels": [{"level": 3, "obtained": "2020-01-01", "occupation": "electrician"}]})", "person.skill_levels[0].occupation: "},
      {R"({"qualifications": [{"code": -1, "level": 1, "obtained": "2020-01-01"}]})", "person.qualifications[0].code: "},
      {R"({"titles": [{"series": 5, "specialty": 501, "level": 0, "granted": "2020-01-01"}]})", "person.titles[0].level: "},
      {R"({"titles": [{"series": 5, "level": 3, "granted": "2020-01-01"}]})", "person.titles[0].specialty: missing"},
      {R"({"employer": {"in_zone": "yes"}})", "person.employer.in_zone: "},
      {R"({"employer": "private"})", "person.employer: not an object"},
      {R"({"hr_staff": 1})", "person.hr_staff: "},
      {R"({"high_level_talent": "yes"})", "person.high_level_talent: not an object"},
      {R"({"high_level_talent": {"justification": 3}})", "person.high_level_talent.justification: "},
      {R"({"continuing_education_hours": -5})", "person.continuing_education_hours: "},
      {R"({"continuing_education_hours": 1.5})", "person.continuing_education_hours: "},
      {R"({"entrustment_letter": {"unit": "u", "ref": "r"}})", "person.entrustment_letter.ref: unknown field"},
      {R"({"nickname": "x"})", "person.nickname: unknown field"},
      {R"({"attested": ["brave"]})", "person.attested[0]: \"brave\" is not a condition a clerk attests"},
      {R"({"attested": [1]})", "person.attested[0]: not a text"},
      {R"([])", "person: not an object"},
      {R"({"education": [)", "person: not valid JSON"},
  };
  for (const Bad& b : cases) {
    auto r = eligibility::personFromJson(b.json);
    ASSERT_FALSE(r.ok()) << b.json;
    EXPECT_EQ(r.code(), Code::INVALID_ARGUMENT) << b.json;
    EXPECT_EQ(r.error().detail.rfind(b.field, 0), 0u) << b.json << " -> " << r.error().detail;
  }
}

TEST(RequestJson, ReadsAndNamesTheField) {
  auto ok = eligibility::requestFromJson(R"({"on": "2026-07-01", "person": {}, "target": {"series": 5, "specialty": 501, "level": 2}})");
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(ok->on, day("2026-07-01"));
  EXPECT_EQ(ok->target, (Target{5, 501, 2}));
  auto defaulted = eligibility::requestFromJson(R"({"person": {}, "target": {"series": 5, "specialty": 501, "level": 2}})",
                                                day("2027-01-01"));
  ASSERT_TRUE(defaulted.ok());
  EXPECT_EQ(defaulted->on, day("2027-01-01"));

  struct Bad {
    const char* json;
    const char* field;
  };
  const Bad cases[] = {
      {R"({"person": {}, "target": {"series": 5, "specialty": 501, "level": 2}})", "on: missing"},
      {R"({"on": "01/07/2026", "person": {}, "target": {"series": 5, "specialty": 501, "level": 2}})", "on: "},
      {R"({"on": "2026-07-01", "target": {"series": 5, "specialty": 501, "level": 2}})", "person: missing"},
      {R"({"on": "2026-07-01", "person": {"titles": 3}, "target": {"series": 5, "specialty": 501, "level": 2}})", "person.titles: "},
      {R"({"on": "2026-07-01", "person": {}})", "target: missing"},
      {R"({"on": "2026-07-01", "person": {}, "target": {"series": 5, "specialty": 501, "level": 7}})", "target.level: "},
      {R"({"on": "2026-07-01", "person": {}, "target": {"series": 5, "level": 2}})", "target.specialty: missing"},
      {R"({"on": "2026-07-01", "person": {}, "target": {"series": 5, "specialty": 501, "level": 2}, "x": 1})", "x: unknown field"},
  };
  for (const Bad& b : cases) {
    auto r = eligibility::requestFromJson(b.json);
    ASSERT_FALSE(r.ok()) << b.json;
    EXPECT_EQ(r.code(), Code::INVALID_ARGUMENT);
    EXPECT_EQ(r.error().detail.rfind(b.field, 0), 0u) << b.json << " -> " << r.error().detail;
  }
}

// ---- The evaluator, on hand-made rules ----------------------------------------------------

// The shipped catalogue with its rules replaced.
json shippedJson() {
  static const json j = [] {
    std::ifstream in(kDefaultFile);
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
  }();
  return j;
}

json names(const char* zh, const char* en) { return {{"zh", zh}, {"en", en}}; }

json ruleRow(const char* id, const char* route, json target, json all) {
  return {{"id", id},          {"route", route},       {"target", std::move(target)}, {"all", std::move(all)},
          {"measures", {5}},   {"version", 1},         {"zh", "测试规则"},               {"en", "test rule"},
          {"source", {"Z01"}}, {"confidence", "inferred"}};
}
json anyTarget() { return {{"series", "*"}, {"specialties", "*"}, {"levels", "*"}}; }
json cond(json c, const char* en = "missing") {
  c["missing"] = names("缺", en);
  return c;
}

Catalogue withRules(json rules) {
  json j = shippedJson();
  j["rules"] = std::move(rules);
  auto r = catalogue::fromJson(j.dump());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
  return r.ok() ? std::move(r).value() : Catalogue{};
}

RouteAnswer route(const Catalogue& c, const Person& p, const char* id, Target t = {5, 501, 3},
                  const char* on = "2025-01-01") {
  auto a = eligibility::evaluate(c, p, t, day(on));
  EXPECT_TRUE(a.ok());
  if (!a.ok()) return {};
  const RouteAnswer* r = a->find(id);
  EXPECT_NE(r, nullptr);
  return r ? *r : RouteAnswer{};
}

TEST(Evaluator, EveryBooleanFactIsAnswered) {
  // One rule per fact, each on its own route is not possible (ten routes), so
  // evaluate a one-rule catalogue per fact.
  struct F {
    const char* fact;
    const char* yes;  // a profile where it holds
    const char* no;   // one where it does not
  };
  const F facts[] = {
      {"hr_staff", R"({"hr_staff": true})", R"({})"},
      {"first_application", R"({"first_application": true})", R"({})"},
      {"employer.in_zone", R"({})", R"({"employer": {"in_zone": false}})"},
      {"employer.manufacturing", R"({"employer": {"manufacturing": true}})", R"({})"},
      {"no_title_yet", R"({})", R"({"titles": [{"series": 5, "specialty": 501, "level": 1, "granted": "2020-01-01"}]})"},
      {"high_level_talent_justified", R"({"high_level_talent": {"justification": "x"}})", R"({"high_level_talent": {"justification": ""}})"},
      {"entrustment_letter", R"({"entrustment_letter": {"unit": "u", "reference": "r"}})", R"({"entrustment_letter": {"unit": "u"}})"},
      {"entrustment_letter_or_in_zone", R"({"employer": {"in_zone": false}, "entrustment_letter": {"unit": "u", "reference": "r"}})",
       R"({"employer": {"in_zone": false}})"},
      {"attested.long_front_line_service", R"({"attested": ["long_front_line_service"]})", R"({"attested": ["special_contribution"]})"},
      {"attested.special_contribution", R"({"attested": ["special_contribution"]})", R"({})"},
      {"attested.brought_in_by_zone_enterprise", R"({"attested": ["brought_in_by_zone_enterprise"]})", R"({})"},
      {"attested.outstanding_contribution", R"({"attested": ["outstanding_contribution"]})", R"({})"},
      {"attested.senior_exam_passed", R"({"attested": ["senior_exam_passed"]})", R"({})"},
  };
  ASSERT_EQ(std::size(facts), catalogue::kBoolFacts.size());
  for (const F& f : facts) {
    SCOPED_TRACE(f.fact);
    const Catalogue c = withRules({ruleRow("t.fact", "green_channel", anyTarget(), {cond({{f.fact, true}})}),
                                   ruleRow("t.not", "review", anyTarget(), {cond({{f.fact, false}})})});
    const Person yes = person(f.yes), no = person(f.no);
    EXPECT_EQ(route(c, yes, "green_channel").verdict, Verdict::Eligible);
    EXPECT_EQ(route(c, yes, "green_channel").from, day("2025-01-01"));  // undated facts: as of `on`
    EXPECT_EQ(route(c, no, "green_channel").verdict, Verdict::NotEligible);
    EXPECT_EQ(route(c, yes, "review").verdict, Verdict::NotEligible);
    EXPECT_EQ(route(c, no, "review").verdict, Verdict::Eligible);
  }
}

TEST(Evaluator, TextFactsMatchOneOfTheirValues) {
  const Catalogue c = withRules({ruleRow("t.kind", "green_channel", anyTarget(),
                                         {cond({{"employer.kind", {"private", "collective"}}, {"employer.industry", "biomedicine"}})})});
  EXPECT_EQ(route(c, person(R"({"employer": {"kind": "private"}})"), "green_channel").verdict, Verdict::Eligible);
  EXPECT_EQ(route(c, person(R"({"employer": {"kind": "collective"}})"), "green_channel").verdict, Verdict::Eligible);
  EXPECT_EQ(route(c, person(R"({"employer": {"kind": "state"}})"), "green_channel").verdict, Verdict::NotEligible);
  EXPECT_EQ(route(c, person(R"({"employer": {"kind": "private", "industry": "it"}})"), "green_channel").verdict,
            Verdict::NotEligible);
}

TEST(Evaluator, ContinuingEducationAndItsWaiver) {
  const Catalogue c = withRules({ruleRow(
      "t.ce", "review", anyTarget(),
      {cond({{"continuing_education_hours_at_least", 90}, {"unless", {{"first_application", true}, {"employer.kind", "private"}}}},
            "hours")})});
  EXPECT_EQ(route(c, person(R"({"continuing_education_hours": 90})"), "review").verdict, Verdict::Eligible);
  EXPECT_EQ(route(c, person(R"({"continuing_education_hours": 89})"), "review").verdict, Verdict::NotEligible);
  EXPECT_EQ(route(c, person(R"({"continuing_education_hours": 0, "first_application": true, "employer": {"kind": "private"}})"),
                  "review").verdict,
            Verdict::Eligible);
  EXPECT_EQ(route(c, person(R"({"continuing_education_hours": 0, "first_application": true})"), "review").missing.at(0).en,
            "hours");
}

TEST(Evaluator, YearsCountFromTheLaterAnchor) {
  // counted_from only technical_work_since: the degree's date still bounds it.
  const Catalogue c = withRules(
      {ruleRow("t.tws", "direct_intermediate", anyTarget(),
               {cond({{"education_at_least", "dazhuan"}, {"years_of_technical_work", 3}, {"counted_from", {"technical_work_since"}}})}),
       ruleRow("t.both", "review", anyTarget(),
               {cond({{"education_at_least", "dazhuan"}, {"years_of_technical_work", 3},
                      {"counted_from", {"graduation", "technical_work_since"}}})}),
       ruleRow("t.none", "exam", anyTarget(), {cond({{"years_of_technical_work", 2}, {"counted_from", {"technical_work_since"}}})})});
  const Person p = person(R"({"education": [{"level": "bachelor", "graduated": "2022-07-01"}], "technical_work_since": "2020-01-01"})");
  EXPECT_EQ(route(c, p, "direct_intermediate").from, day("2023-01-01"));  // max(grad, tws + 3) = 2023-01-01
  EXPECT_EQ(route(c, p, "review").from, day("2025-07-01"));               // max(grad, tws) + 3
  EXPECT_EQ(route(c, p, "review").verdict, Verdict::NotYet);
  EXPECT_EQ(route(c, p, "exam").from, day("2022-01-01"));                 // tws + 2, no selector
  EXPECT_EQ(route(c, person("{}"), "exam").verdict, Verdict::NotEligible);  // no start date: cannot count
}

TEST(Evaluator, TheEarliestRuleWinsAndTiesGoToTheFirst) {
  const Catalogue c = withRules(
      {ruleRow("t.late", "review", anyTarget(),
               {cond({{"education_at_least", "bachelor"}, {"years_of_technical_work", 5}, {"counted_from", {"graduation"}}})}),
       ruleRow("t.early", "review", anyTarget(),
               {cond({{"education_at_least", "bachelor"}, {"years_of_technical_work", 1}, {"counted_from", {"graduation"}}})}),
       ruleRow("t.early2", "review", anyTarget(),
               {cond({{"education_at_least", "bachelor"}, {"years_of_technical_work", 1}, {"counted_from", {"graduation"}}})})});
  const RouteAnswer r = route(c, person(R"({"education": [{"level": "master", "graduated": "2020-07-01"}]})"), "review");
  EXPECT_EQ(r.verdict, Verdict::Eligible);
  EXPECT_EQ(r.from, day("2021-07-01"));
  EXPECT_EQ(r.rules, (std::vector<std::string>{"t.early"}));
}

TEST(Evaluator, AllConditionsOfARuleMustHold) {
  const Catalogue c = withRules({ruleRow("t.two", "review", anyTarget(),
                                         {cond({{"hr_staff", true}}, "hr"), cond({{"employer.manufacturing", true}}, "mfg")})});
  const RouteAnswer none = route(c, person("{}"), "review");
  EXPECT_EQ(none.verdict, Verdict::NotEligible);
  ASSERT_EQ(none.missing.size(), 2u);
  EXPECT_EQ(none.missing[0].en, "hr");
  EXPECT_EQ(none.missing[1].en, "mfg");
  EXPECT_EQ(none.rules, (std::vector<std::string>{"t.two"}));
  const RouteAnswer one = route(c, person(R"({"hr_staff": true})"), "review");
  ASSERT_EQ(one.missing.size(), 1u);
  EXPECT_EQ(one.missing[0].en, "mfg");
}

TEST(Evaluator, TargetsAndExceptions) {
  const Catalogue c = withRules(
      {ruleRow("t.t", "review",
               {{"series", {5, 19}}, {"specialties", "*"}, {"levels", {3}}, {"except_specialties", {502}}},
               {cond({{"hr_staff", true}})}),
       ruleRow("t.x", "exam", {{"series", "*"}, {"specialties", "*"}, {"levels", "*"}, {"except_series", {5}}},
               {cond({{"hr_staff", true}})})});
  const Person p = person(R"({"hr_staff": true})");
  EXPECT_EQ(route(c, p, "review", {5, 501, 3}).verdict, Verdict::Eligible);
  EXPECT_EQ(route(c, p, "review", {19, 1901, 3}).verdict, Verdict::Eligible);
  EXPECT_TRUE(route(c, p, "review", {5, 502, 3}).rules.empty());  // excepted: no rule
  EXPECT_TRUE(route(c, p, "review", {5, 501, 4}).rules.empty());
  EXPECT_TRUE(route(c, p, "review", {4, 401, 3}).rules.empty());
  EXPECT_EQ(route(c, p, "exam", {5, 501, 3}).verdict, Verdict::NotEligible);
  EXPECT_EQ(route(c, p, "exam", {19, 1901, 3}).verdict, Verdict::Eligible);
}

TEST(Evaluator, ManualDecisionIsNeverMet) {
  const Catalogue c = withRules({ruleRow("t.m", "exam", anyTarget(), {cond({{"manual_decision", true}}, "by people")})});
  const RouteAnswer r = route(c, person(R"({"hr_staff": true})"), "exam");
  EXPECT_EQ(r.verdict, Verdict::NotEligible);
  EXPECT_EQ(r.rules, (std::vector<std::string>{"t.m"}));
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(r.missing[0].en, "by people");
  EXPECT_FALSE(eligibility::routeHasRules(c, "exam"));
}

TEST(Evaluator, SelectorsPickTheirItems) {
  const Catalogue c = withRules(
      {ruleRow("t.skill", "skill_bridging", anyTarget(),
               {cond({{"skill_level_at_most", 2}, {"years_of_technical_work", 1}, {"counted_from", {"skill_level"}}})}),
       ruleRow("t.title", "review", anyTarget(),
               {cond({{"holds_title_level", 2}, {"same_series", true}, {"years_of_technical_work", 1}, {"counted_from", {"title"}}})}),
       ruleRow("t.titleq", "green_channel", anyTarget(),
               {cond({{"holds_title_level", 2}, {"counts_qualifications", true}, {"years_of_technical_work", 0},
                      {"counted_from", {"title"}}})}),
       ruleRow("t.ft", "initial_determination", anyTarget(), {cond({{"education_at_least", "bachelor"}, {"full_time", true}})}),
       ruleRow("t.occ", "qualification_correspondence", anyTarget(),
               {cond({{"skill_equivalence", true}, {"counted_from", {"skill_level"}}})})});
  // Skill level 3 is not "at most 2"; level 1 and 2 are; the earliest wins.
  const Person skills = person(R"({"skill_levels": [{"level": 3, "obtained": "2010-01-01"}, {"level": 2, "obtained": "2019-01-01"},
                                                    {"level": 1, "obtained": "2021-01-01"}]})");
  EXPECT_EQ(route(c, skills, "skill_bridging").from, day("2020-01-01"));
  // Titles: same series only; a higher title also counts.
  const Person titles = person(R"({"titles": [{"series": 19, "specialty": 1901, "level": 3, "granted": "2015-01-01"},
                                              {"series": 5, "specialty": 502, "level": 3, "granted": "2022-01-01"}]})");
  EXPECT_EQ(route(c, titles, "review").from, day("2023-01-01"));
  // A recognised qualification counts as a title with counts_qualifications.
  const RouteAnswer q = route(c, person(R"({"qualifications": [{"code": 101, "level": 2, "obtained": "2021-03-03"}]})"), "green_channel");
  EXPECT_EQ(q.verdict, Verdict::Eligible);
  EXPECT_EQ(q.from, day("2021-03-03"));
  EXPECT_EQ(q.rules, (std::vector<std::string>{"t.titleq", "qc.constructor.grade2.assistant-engineer"}));
  EXPECT_EQ(route(c, person(R"({"qualifications": [{"code": 101, "level": 2, "obtained": "2021-03-03"}]})"), "review").verdict,
            Verdict::NotEligible);  // without counts_qualifications
  // full_time.
  EXPECT_EQ(route(c, person(R"({"education": [{"level": "doctor", "full_time": false, "graduated": "2020-01-01"}]})"),
                  "initial_determination").verdict,
            Verdict::NotEligible);
  EXPECT_EQ(route(c, person(R"({"education": [{"level": "doctor", "full_time": true, "graduated": "2020-01-01"}]})"),
                  "initial_determination").from,
            day("2020-01-01"));
  // skill_equivalence: the row's years (electrician 技师 -> Engineer, 3 years) and its id.
  const RouteAnswer occ = route(c, person(R"({"skill_levels": [{"level": 2, "occupation": 201, "obtained": "2020-02-02"}]})"),
                                "qualification_correspondence", {5, 507, 3});
  EXPECT_EQ(occ.from, day("2023-02-02"));
  EXPECT_EQ(occ.rules, (std::vector<std::string>{"t.occ", "bridge.electrician.technician.intermediate"}));
  EXPECT_EQ(route(c, person(R"({"skill_levels": [{"level": 2, "obtained": "2020-02-02"}]})"), "qualification_correspondence",
                  {5, 507, 3}).verdict,
            Verdict::NotEligible);  // no occupation: no row
}

// ---- The rule table's validation ------------------------------------------------------------

TEST(RuleTable, BrokenRulesFailNamingTheField) {
  auto good = [] {
    return ruleRow("t.good", "review", anyTarget(),
                   {cond({{"education_at_least", "bachelor"}, {"years_of_technical_work", 1},
                          {"counted_from", {"graduation", "technical_work_since"}}, {"missing_years", names("年", "years")}})});
  };
  ASSERT_TRUE(withRules({good()}).rules.size() == 1);
  struct Broken {
    const char* name;
    std::function<void(json&)> mutate;  // of rules[0]
    const char* detail;
  };
  const Broken cases[] = {
      {"bad id", [](json& r) { r["id"] = "Bad Id"; }, "rules[0].id: "},
      {"id of an equivalence row", [](json& r) { r["id"] = "qc.constructor.grade1.engineer"; }, "rules[0].id: "},
      {"unknown route", [](json& r) { r["route"] = "lottery"; }, "rules[0].route: \"lottery\" is not a route"},
      {"no target", [](json& r) { r.erase("target"); }, "rules[0].target: missing"},
      {"target series unknown", [](json& r) { r["target"]["series"] = {99}; }, "rules[0].target.series[0]: series 99"},
      {"target series as text", [](json& r) { r["target"]["series"] = "all"; }, "rules[0].target.series: "},
      {"target specialty outside its series", [](json& r) { r["target"]["series"] = {5}; r["target"]["specialties"] = {1901}; },
       "rules[0].target.specialties[0]: specialty 1901 is not in the target's series"},
      {"target level 6", [](json& r) { r["target"]["levels"] = {6}; }, "rules[0].target.levels[0]: 6"},
      {"empty level list", [](json& r) { r["target"]["levels"] = json::array(); }, "rules[0].target.levels: empty"},
      {"no conditions", [](json& r) { r["all"] = json::array(); }, "rules[0].all: no conditions"},
      {"unknown condition", [](json& r) { r["all"][0]["lucky"] = true; }, "rules[0].all[0].lucky: unknown condition"},
      {"no missing text", [](json& r) { r["all"][0].erase("missing"); }, "rules[0].all[0].missing: missing"},
      {"missing text without en", [](json& r) { r["all"][0]["missing"].erase("en"); }, "rules[0].all[0].missing.en: missing"},
      {"unknown education level", [](json& r) { r["all"][0]["education_at_least"] = "phd"; }, "rules[0].all[0].education_at_least: "},
      {"two selectors", [](json& r) { r["all"][0]["skill_level_at_most"] = 3; }, "rules[0].all[0]: more than one"},
      {"years without counted_from", [](json& r) { r["all"][0].erase("counted_from"); }, "rules[0].all[0].counted_from: missing"},
      {"counted_from without years", [](json& r) { r["all"][0].erase("years_of_technical_work"); r["all"][0].erase("missing_years"); },
       "rules[0].all[0].counted_from: given without"},
      {"anchor of another selector", [](json& r) { r["all"][0]["counted_from"] = {"skill_level"}; },
       "rules[0].all[0].counted_from[0]: \"skill_level\" is not the date"},
      {"unknown anchor", [](json& r) { r["all"][0]["counted_from"] = {"birth"}; }, "rules[0].all[0].counted_from[0]: "},
      {"years 101", [](json& r) { r["all"][0]["years_of_technical_work"] = 101; }, "rules[0].all[0].years_of_technical_work: "},
      {"years negative", [](json& r) { r["all"][0]["years_of_technical_work"] = -1; }, "rules[0].all[0].years_of_technical_work: "},
      {"full_time without education", [](json& r) { r["all"].push_back(cond({{"full_time", true}, {"hr_staff", true}})); },
       "rules[0].all[1].full_time: needs education_at_least"},
      {"same_series without a title", [](json& r) { r["all"].push_back(cond({{"same_series", true}, {"hr_staff", true}})); },
       "rules[0].all[1].same_series: needs holds_title_level"},
      {"skill level 0", [](json& r) { r["all"].push_back(cond({{"skill_level_at_most", 0}})); }, "rules[0].all[1].skill_level_at_most: "},
      {"skill_equivalence with years",
       [](json& r) { r["all"].push_back(cond({{"skill_equivalence", true}, {"years_of_technical_work", 2}, {"counted_from", {"skill_level"}}})); },
       "rules[0].all[1].years_of_technical_work: not with skill_equivalence"},
      {"boolean fact as text", [](json& r) { r["all"].push_back(cond({{"hr_staff", "yes"}})); }, "rules[0].all[1].hr_staff: not a boolean"},
      {"text fact as number", [](json& r) { r["all"].push_back(cond({{"employer.kind", 3}})); }, "rules[0].all[1].employer.kind: "},
      {"unless without hours", [](json& r) { r["all"].push_back(cond({{"hr_staff", true}, {"unless", {{"first_application", true}}}})); },
       "rules[0].all[1].unless: needs continuing_education_hours_at_least"},
      {"unknown fact in unless",
       [](json& r) { r["all"].push_back(cond({{"continuing_education_hours_at_least", 9}, {"unless", {{"vip", true}}}})); },
       "rules[0].all[1].unless.vip: not a fact"},
      {"manual decision with a test", [](json& r) { r["all"].push_back(cond({{"manual_decision", true}, {"hr_staff", true}})); },
       "rules[0].all[1].manual_decision: must stand alone"},
      {"a condition testing nothing", [](json& r) { r["all"].push_back(cond(json::object())); }, "rules[0].all[1]: tests nothing"},
      {"missing_years without years", [](json& r) { r["all"].push_back(cond({{"hr_staff", true}, {"missing_years", names("a", "b")}})); },
       "rules[0].all[1].missing_years: given without years"},
      {"measure 16", [](json& r) { r["measures"] = {16}; }, "rules[0].measures[0]: 16"},
      {"no measures", [](json& r) { r.erase("measures"); }, "rules[0].measures: "},
      {"version 0", [](json& r) { r["version"] = 0; }, "rules[0].version: 0"},
      {"version after the catalogue's", [](json& r) { r["version"] = 999; }, "rules[0].version: 999"},
      {"unknown source", [](json& r) { r["source"] = {"S99"}; }, "rules[0].source[0]: \"S99\" is not in sources"},
      {"bad confidence", [](json& r) { r["confidence"] = "sure"; }, "rules[0].confidence: "},
      {"no explanation", [](json& r) { r.erase("zh"); }, "rules[0].zh: missing"},
  };
  for (const Broken& b : cases) {
    json j = shippedJson();
    json r = good();
    b.mutate(r);
    j["rules"] = json::array({r});
    auto c = catalogue::fromJson(j.dump());
    ASSERT_FALSE(c.ok()) << b.name;
    EXPECT_EQ(c.code(), Code::BAD_CATALOGUE) << b.name;
    EXPECT_EQ(c.error().detail.rfind(b.detail, 0), 0u) << b.name << ": " << c.error().detail;
  }
  // A duplicate id, and a table that is not a list.
  {
    json j = shippedJson();
    j["rules"] = json::array({good(), good()});
    auto c = catalogue::fromJson(j.dump());
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().detail.rfind("rules[1].id: duplicate", 0), 0u) << c.error().detail;
    j["rules"] = json::object();
    c = catalogue::fromJson(j.dump());
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().detail.rfind("rules: not an array", 0), 0u) << c.error().detail;
  }
}

}  // namespace
