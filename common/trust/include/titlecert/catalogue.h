// The title-system catalogue: codes and zh/en names for series, specialties,
// title levels and names, routes, committees, qualifications, and the
// equivalence rows, each with its source and confidence. Authored as JSON
// (data/catalogue/default.json, docs/catalogue.md; the JSON form is in
// titlecert/catalogue_json.h), carried in trust bundles as deterministic
// CBOR, loaded at run time — never compiled into code.
//
// Thread safety: a Catalogue is immutable after loading; const methods may be
// called from several threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "titlecert/cbor.h"
#include "titlecert/result.h"
#include "titlecert/rule_language.h"
#include "titlecert/zc1.h"

namespace titlecert::cbor {
class TapeNode;
}  // namespace titlecert::cbor

namespace titlecert::catalogue {

// Title names per ZC1 level 1..5 (index 0 unused); nullopt where the series
// has no title at that level.
struct TitleNames {
  std::array<std::optional<Names>, 6> byLevel;
  // nullopt also for a level outside 1..5.
  const std::optional<Names>& at(std::uint64_t level) const;
  friend bool operator==(const TitleNames&, const TitleNames&) = default;
};

struct Specialty {
  std::uint64_t code = 0;
  Names names;
  // Per-track titles (卫生: 医/药/护/技 ...). They replace the series' titles
  // as a whole (a null level stays null); a level the JSON leaves out is
  // filled from the series' titles when the catalogue is read.
  std::optional<TitleNames> titles;
  Provenance provenance;
  friend bool operator==(const Specialty&, const Specialty&) = default;
};

struct Series {
  std::uint64_t code = 0;
  Names names;
  TitleNames titles;
  std::vector<Specialty> specialties;
  Provenance provenance;
  friend bool operator==(const Series&, const Series&) = default;
};

struct Route {
  std::uint64_t code = 0;
  std::string id;  // "review", "exam", ... (ZC1.md §3.1)
  Names names;
  friend bool operator==(const Route&, const Route&) = default;
};

struct Committee {
  std::uint64_t code = 0;
  Names names;
  std::optional<std::uint64_t> series;
  std::vector<std::uint64_t> specialties;  // empty: the whole series
  // The highest title level the committee may grant (ZC1 1..5); nullopt:
  // not limited (a catalogue from before committees carried levels).
  std::optional<std::uint64_t> maxLevel;
  // The route it decides through ("review", "autonomous_review"); empty:
  // not stated. An autonomous_review title needs a committee of that route.
  std::string route;
  Provenance provenance;
  // Whether the committee may grant this title: its series, one of its
  // specialties (or any when it names none) and at most its level.
  bool covers(std::uint64_t series, std::uint64_t specialty, std::uint64_t level) const;
  friend bool operator==(const Committee&, const Committee&) = default;
};

struct Level {
  std::uint64_t code = 0;
  Names names;
  friend bool operator==(const Level&, const Level&) = default;
};

enum class QualificationKind { Vocational, Skill };

struct Qualification {
  std::uint64_t code = 0;
  std::string id;  // stable lowercase slug ("constructor"); may be empty
  Names names;
  QualificationKind kind = QualificationKind::Vocational;
  std::vector<Level> levels;
  Provenance provenance;
  friend bool operator==(const Qualification&, const Qualification&) = default;
};

enum class EquivalenceKind { Recognised, EligibleToApply };

struct Equivalence {
  std::string id;  // stable row id, e.g. "bridge.electrician.senior_worker.assistant"
  std::uint64_t qualification = 0;
  std::uint64_t level = 0;  // the qualification's level
  std::uint64_t series = 0;
  std::optional<std::uint64_t> specialty;
  std::uint64_t titleLevel = 0;  // ZC1 title level
  EquivalenceKind kind = EquivalenceKind::Recognised;
  std::uint64_t years = 0;  // eligible_to_apply: years of technical work needed
  std::string basis;        // document numbers, for people
  Provenance provenance;
  friend bool operator==(const Equivalence&, const Equivalence&) = default;
};

struct EducationEquivalence {
  std::string id;
  std::string from;           // intermediate_worker | senior_worker | preparatory_technician
  std::string equivalentTo;   // zhongzhuan | dazhuan | bachelor
  std::string zh;
  Provenance provenance;
  friend bool operator==(const EducationEquivalence&, const EducationEquivalence&) = default;
};

struct Source {
  std::string id;
  std::string title;
  std::string url;                // the first of urls ("" when none)
  std::vector<std::string> urls;
  friend bool operator==(const Source&, const Source&) = default;
};

class Catalogue {
 public:
  std::uint64_t version = 0;
  std::vector<Level> levels;       // ZC1 title levels 1..5
  std::vector<Level> skillLevels;  // 5 初级工 .. 1 高级技师
  std::vector<Series> series;
  std::vector<Route> routes;
  std::vector<Committee> committees;
  std::vector<Qualification> qualifications;
  std::vector<Equivalence> equivalences;
  std::vector<EducationEquivalence> educationEquivalences;
  std::vector<Rule> rules;      // policy rules; optional table (empty when absent)
  std::vector<Source> sources;  // JSON only: not carried in bundles

  bool operator==(const Catalogue&) const = default;

  const Series* findSeries(std::uint64_t code) const;
  const Specialty* findSpecialty(std::uint64_t series, std::uint64_t specialty) const;
  const Route* findRoute(std::uint64_t code) const;
  const Route* findRouteById(std::string_view id) const;
  const Committee* findCommittee(std::uint64_t code) const;
  const Qualification* findQualification(std::uint64_t code) const;
  const Level* findLevel(std::uint64_t code) const;
  const Level* findQualificationLevel(std::uint64_t qualification, std::uint64_t level) const;
  // The title's name: the specialty's own titles when it has them, else the
  // series'. nullopt when the series has no title at that level. Specialty 0
  // asks for the series' own titles (an equivalence row without specialty);
  // a specialty that does not belong to the series gives nullopt.
  std::optional<Names> titleName(std::uint64_t series, std::uint64_t specialty, std::uint64_t level) const;
  // The same without a copy (hot path); nullptr where titleName is nullopt.
  const Names* findTitle(std::uint64_t series, std::uint64_t specialty, std::uint64_t level) const;
  // Every equivalence row for a qualification at a level, in file order.
  std::vector<const Equivalence*> equivalencesFor(std::uint64_t qualification, std::uint64_t level) const;
  const Rule* findRule(std::string_view id) const;
};

// The deterministic CBOR form carried in trust bundles (no sources table;
// each row keeps its source ids and confidence). fromCbor validates like
// the JSON reader and fails with BAD_CATALOGUE.
cbor::Value toCbor(const Catalogue& c);
Result<Catalogue> fromCbor(const cbor::Value& value);
// The same checks read straight from a decoded tape (a bundle's payload).
Result<Catalogue> fromCbor(const cbor::TapeNode& node);

// Checks a credential's codes against a catalogue (ZC1.md §6): series,
// specialty of that series, a title name at that level, route, committee;
// qualification and its level. BAD_CLAIMS naming the field.
class CodeCheck : public zc1::CodeCheck {
 public:
  explicit CodeCheck(const Catalogue& c) : catalogue_(c) {}
  Status check(const zc1::Credential& c) const override;

 private:
  const Catalogue& catalogue_;
};

}  // namespace titlecert::catalogue
