// The rule language's data (docs/policy.md, "The rule language"): one row per
// rule of a route — which titles it covers (target), a list of conditions
// that must all hold, and where it comes from. The evaluator is
// titlecert/eligibility.h; nothing here interprets the conditions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace titlecert::catalogue {

struct Names {
  std::string zh;
  std::string en;
  friend bool operator==(const Names&, const Names&) = default;
};

struct Provenance {
  std::vector<std::string> source;  // ids into the catalogue's sources
  std::string confidence;           // "confirmed", "inferred" or "unconfirmed"
  friend bool operator==(const Provenance&, const Provenance&) = default;
};

// Education levels, lowest first (CONTRACT.md education[].level): a rule's
// education_at_least and a profile's education compare by this order.
inline constexpr std::array<std::string_view, 6> kEducationLevels = {"zhongzhuan", "dazhuan", "bachelor",
                                                                     "master",     "doctor",  "postdoc"};
// Technical-school classes (CONTRACT.md technical_school_class), which
// education_equivalence rows map to education levels.
inline constexpr std::array<std::string_view, 3> kSchoolClasses = {"intermediate_worker", "senior_worker",
                                                                   "preparatory_technician"};

// zhongzhuan 0 < dazhuan < bachelor < master < doctor < postdoc 5; -1 unknown.
inline int educationRank(std::string_view level) {
  for (std::size_t i = 0; i < kEducationLevels.size(); ++i)
    if (kEducationLevels[i] == level) return static_cast<int>(i);
  return -1;
}

// Which titles a rule covers. nullopt = "*" (any).
struct RuleTarget {
  std::optional<std::vector<std::uint64_t>> series;
  std::optional<std::vector<std::uint64_t>> specialties;
  std::optional<std::vector<std::uint64_t>> levels;  // ZC1 title levels
  std::vector<std::uint64_t> exceptSeries;
  std::vector<std::uint64_t> exceptSpecialties;
  friend bool operator==(const RuleTarget&, const RuleTarget&) = default;
};

// The undated facts of an applicant's profile a rule may test (docs/policy.md;
// the evaluator in eligibility.cpp answers each of them). The "attested."
// facts are conditions a measure names but gives no figure for: the clerk
// attests them (the profile's "attested" list holds the names after the prefix).
inline constexpr std::string_view kAttestedPrefix = "attested.";
inline constexpr std::array<std::string_view, 13> kBoolFacts = {
    "hr_staff",        "first_application",           "employer.in_zone",    "employer.manufacturing",
    "no_title_yet",    "high_level_talent_justified", "entrustment_letter",  "entrustment_letter_or_in_zone",
    "attested.long_front_line_service", "attested.special_contribution", "attested.brought_in_by_zone_enterprise",
    "attested.outstanding_contribution", "attested.senior_exam_passed"};

// True for a name the profile's "attested" list may hold (a kBoolFacts entry
// after kAttestedPrefix).
inline bool isAttestable(std::string_view name) {
  for (std::string_view f : kBoolFacts)
    if (f.size() > kAttestedPrefix.size() && f.substr(0, kAttestedPrefix.size()) == kAttestedPrefix &&
        f.substr(kAttestedPrefix.size()) == name)
      return true;
  return false;
}
inline constexpr std::array<std::string_view, 2> kTextFacts = {"employer.kind", "employer.industry"};

// A test of one undated fact of the applicant's profile ("hr_staff",
// "employer.kind", ...): a boolean, or one of a list of strings.
struct FactTest {
  std::string fact;
  std::optional<bool> flag;        // boolean facts
  std::vector<std::string> anyOf;  // text facts: one of these
  friend bool operator==(const FactTest&, const FactTest&) = default;
};

// One condition of a rule (docs/policy.md, "The rule language"). At most one
// selector (education / skill level / title / qualification correspondence /
// skill equivalence) picks dated items of the profile; the years, the fact
// tests and the continuing-education threshold all hold together.
struct Condition {
  std::optional<std::string> educationAtLeast;  // zhongzhuan .. postdoc
  bool fullTime = false;
  bool technicalSchoolClassCounts = false;      // via education_equivalence rows
  std::optional<std::uint64_t> skillLevelAtMost;  // 5 初级工 .. 1 高级技师
  std::optional<std::uint64_t> holdsTitleLevel;   // ZC1 1..5, at least
  bool sameSeries = false;
  bool countsQualifications = false;              // recognised equivalence rows count as titles
  bool qualificationCorrespondence = false;       // recognised rows for the target
  bool skillEquivalence = false;                  // eligible_to_apply rows for the target
  std::optional<std::uint64_t> yearsOfTechnicalWork;
  std::vector<std::string> countedFrom;  // graduation | skill_level | title | qualification | technical_work_since
  std::vector<FactTest> facts;
  std::optional<std::uint64_t> continuingEducationHoursAtLeast;
  std::vector<FactTest> unless;  // the hours are waived when all of these hold
  bool manualDecision = false;   // never met automatically: decided by people
  Names missing;                 // what is missing when the condition is not met
  std::optional<Names> missingYears;  // when the item is there but the years are not (yet)
  friend bool operator==(const Condition&, const Condition&) = default;
};

struct Rule {
  std::string id;     // stable dotted id ("init.bachelor.assistant")
  std::string route;  // a route id of the catalogue
  RuleTarget target;
  std::vector<Condition> all;
  std::vector<std::uint64_t> measures;  // the zone's measures 1..15
  std::uint64_t version = 1;            // catalogue version that last changed the rule
  Names explanation;                    // zh/en
  Provenance provenance;
  friend bool operator==(const Rule&, const Rule&) = default;
};

}  // namespace titlecert::catalogue
