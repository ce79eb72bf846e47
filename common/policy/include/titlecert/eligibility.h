// Eligibility for a title by the policy routes (CONTRACT.md
// "POST /v1/eligibility"; docs/policy.md).
//
// The rules are data: the catalogue's "rules" table (catalogue::Rule), signed
// into trust bundles with the rest of the catalogue. This module is a small
// generic evaluator of those rows: for one person and one target title it
// answers, for every route of the catalogue, a verdict (eligible / not yet,
// with the date / not eligible), the rule ids used and what is missing.
// No policy measure is written as code here.
//
// Used by the issuer service (issuer/): POST /v1/eligibility answers
// answerToJson(evaluate(...)); POST /v1/certificates checks the title's route
// on its grant date (routeHasRules / Answer::find) before issuing, unless an
// admin override is given. This API is kept stable for it.
//
// Dates are days since 1970-01-01 (dates.h). Thread safety: free functions
// over immutable inputs; safe to call from several threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "titlecert/catalogue.h"
#include "titlecert/result.h"

namespace titlecert::eligibility {

// ---- the applicant's profile (CONTRACT.md "person") -----------------------

struct Education {
  std::string level;  // zhongzhuan | dazhuan | bachelor | master | doctor | postdoc
  bool fullTime = false;
  std::int64_t graduated = 0;  // days since epoch
  friend bool operator==(const Education&, const Education&) = default;
};

struct TechnicalSchoolClass {
  std::string cls;  // intermediate_worker | senior_worker | preparatory_technician
  std::int64_t graduated = 0;
  friend bool operator==(const TechnicalSchoolClass&, const TechnicalSchoolClass&) = default;
};

struct SkillLevel {
  std::uint64_t level = 0;  // 5 初级工 … 1 高级技师
  std::int64_t obtained = 0;
  std::optional<std::uint64_t> occupation;  // catalogue qualification code (a skill occupation)
  friend bool operator==(const SkillLevel&, const SkillLevel&) = default;
};

struct QualificationHeld {
  std::uint64_t code = 0;   // catalogue qualification code
  std::uint64_t level = 0;  // the qualification's level
  std::int64_t obtained = 0;
  friend bool operator==(const QualificationHeld&, const QualificationHeld&) = default;
};

struct TitleHeld {
  std::uint64_t series = 0;
  std::uint64_t specialty = 0;
  std::uint64_t level = 0;  // ZC1 title level 1..5
  std::int64_t granted = 0;
  friend bool operator==(const TitleHeld&, const TitleHeld&) = default;
};

struct Employer {
  std::string kind;  // e.g. "private", "state", "public_institution" (free text; "private" matters)
  bool inZone = false;
  std::string industry;
  bool manufacturing = false;
  friend bool operator==(const Employer&, const Employer&) = default;
};

struct HighLevelTalent {
  std::string justification;  // empty: no high-level talent
  friend bool operator==(const HighLevelTalent&, const HighLevelTalent&) = default;
};

struct EntrustmentLetter {
  std::string unit;
  std::string reference;
  friend bool operator==(const EntrustmentLetter&, const EntrustmentLetter&) = default;
};

struct Person {
  std::vector<Education> education;
  std::optional<TechnicalSchoolClass> technicalSchoolClass;
  std::optional<std::int64_t> technicalWorkSince;
  std::vector<SkillLevel> skillLevels;
  std::vector<QualificationHeld> qualifications;
  std::vector<TitleHeld> titles;
  Employer employer;
  bool hrStaff = false;
  std::optional<HighLevelTalent> highLevelTalent;
  bool firstApplication = false;
  std::uint64_t continuingEducationHours = 0;
  std::optional<EntrustmentLetter> entrustmentLetter;
  // Conditions a clerk attests (catalogue::isAttestable names, e.g.
  // "long_front_line_service"): the rules' "attested.*" facts.
  std::vector<std::string> attested;
  friend bool operator==(const Person&, const Person&) = default;
};

struct Target {
  std::uint64_t series = 0;
  std::uint64_t specialty = 0;
  std::uint64_t level = 0;  // ZC1 title level 1..5
  friend bool operator==(const Target&, const Target&) = default;
};

// The whole POST /v1/eligibility body.
struct Request {
  std::int64_t on = 0;
  Person person;
  Target target;
};

// ---- the answer --------------------------------------------------------------

enum class Verdict { Eligible, NotYet, NotEligible };
std::string_view verdictName(Verdict v);  // "eligible" | "not_yet" | "not_eligible"

struct RouteAnswer {
  std::string route;  // the catalogue route id ("initial_determination", ...)
  Verdict verdict = Verdict::NotEligible;
  // Eligible: the first day it was eligible (<= on). NotYet: the first day it
  // will be (> on). NotEligible: nullopt.
  std::optional<std::int64_t> from;
  // Eligible/NotYet: the rule used, then the catalogue rows it relied on
  // (equivalence / education_equivalence ids). NotEligible: every rule that
  // covers the title (empty when none does).
  std::vector<std::string> rules;
  // NotYet: what is still pending on `on`; NotEligible: what is missing;
  // Eligible: empty. The rule rows' own texts, zh and en.
  std::vector<catalogue::Names> missing;
  // Eligible/NotYet: the conditions of the rule used that rest on what the
  // clerk attested ("attested.*" facts), as the rule rows' texts; else empty.
  std::vector<catalogue::Names> attested;
};

// The one missing text of every route when the person already holds the
// target title (granted before the day asked about): not_eligible, no rules.
extern const catalogue::Names kAlreadyHeld;

struct Answer {
  Target target;
  catalogue::Names titleName;
  std::vector<RouteAnswer> routes;  // one per catalogue route, in catalogue order
  const RouteAnswer* find(std::string_view route) const;  // nullptr when unknown
};

// ---- parsing ------------------------------------------------------------------

// The CONTRACT "person" object as JSON text. INVALID_ARGUMENT with a detail
// naming the field: "person.education[0].graduated: expected a date ...".
// Every field may be left out or null (then false / 0 / empty / none);
// within an entry, the dates and codes are required. An unknown field is an
// error ("person.nickname: unknown field"): a misspelt field would otherwise
// silently make an applicant ineligible. Takes JSON text so that this header
// needs no JSON library: from a parsed body, pass body["person"].dump().
Result<Person> personFromJson(std::string_view json);
// The whole request body {"on", "person", "target"}; fields named "on: ...",
// "person....", "target.series: ...". "on" may be left out only when
// defaultOn is given.
Result<Request> requestFromJson(std::string_view json, std::optional<std::int64_t> defaultOn = std::nullopt);

// ---- evaluation ---------------------------------------------------------------

// Every route of the catalogue, evaluated by the catalogue's rules for the
// person and target on day `onDay` (docs/policy.md, "How an answer is
// computed"). BAD_CLAIMS with a detail starting "target.series: ",
// "target.specialty: " or "target.level: " when the catalogue has no such
// title. For the issuance check: evaluate on the grant date, then
// find(route)->verdict must be Eligible (its `missing` are the 422's texts).
Result<Answer> evaluate(const catalogue::Catalogue& c, const Person& p, const Target& t, std::int64_t onDay);

// True when the catalogue has at least one automatically evaluated rule for
// this route id (rules whose conditions include "manual_decision" do not
// count: they only explain why the route is outside automatic evaluation).
// The issuer then requires a "person" with a title issued by that route.
bool routeHasRules(const catalogue::Catalogue& c, std::string_view route);
// The same, counting only rules whose target covers this title: prefer this
// one at issuance (e.g. "review" has evaluated rules for engineering only).
bool routeHasRules(const catalogue::Catalogue& c, std::string_view route, const Target& t);

// The CONTRACT answer, compact JSON, UTF-8: {"target": {series, specialty,
// level, title_name: {zh, en}}, "routes": [{route, verdict, from (eligible /
// not_yet only), rules, missing}]}. `missing` texts are in English by
// default, in Chinese with lang "zh". The catalogue is not read today; it is
// in the signature so that later answers can add names without an API change.
std::string answerToJson(const Answer& a, const catalogue::Catalogue& c, std::string_view lang = "en");

}  // namespace titlecert::eligibility
