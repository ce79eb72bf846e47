// Readers of the rule language (docs/policy.md, "The rule language").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalogue_form/rows.h"

namespace titlecert::catalogue::reading {

// ---- Rules (docs/policy.md) -------------------------------------------------

template <std::size_t N>
std::size_t indexIn(const std::array<std::string_view, N>& set, std::string_view s) {
  return static_cast<std::size_t>(std::find(set.begin(), set.end(), s) - set.begin());
}

// Facts sorted in the order of kBoolFacts then kTextFacts, so that the JSON
// form (file order) and the CBOR form (sorted keys) read to equal rows.
inline std::size_t factRank(std::string_view fact) {
  const std::size_t b = indexIn(kBoolFacts, fact);
  return b < kBoolFacts.size() ? b : kBoolFacts.size() + indexIn(kTextFacts, fact);
}
inline bool isFact(std::string_view key) { return oneOf(kBoolFacts, key) || oneOf(kTextFacts, key); }

// `path` is text or a function that makes it (fields::pathText), made only
// for an error.
template <class N, class P>
void readFact(fields::FieldErrors& errors, const N& v, const P& path, const std::string& key, FactTest& out) {
  out.fact = key;
  if (oneOf(kBoolFacts, key)) {
    bool b = false;
    if (fields::readBool(errors, v, path, b)) out.flag = b;
    return;
  }
  // A text fact: one string, or a non-empty list of strings.
  std::string t;
  if (v.isText()) {
    if (fields::readText(errors, v, path, t, kTextRule)) out.anyOf.push_back(std::move(t));
    return;
  }
  if (!v.isArray()) return errors.fail(fields::pathText(path), "not a string or a list of strings");
  if (!fields::checkArray(errors, v, path, 32)) return;
  if (v.size() == 0) return errors.fail(fields::pathText(path), "empty list");
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!fields::readText(errors, v.item(i), [&] { return indexed(fields::pathText(path), i); }, t, kTextRule)) return;
    out.anyOf.push_back(std::move(t));
  }
}

inline void sortFacts(std::vector<FactTest>& facts) {
  std::stable_sort(facts.begin(), facts.end(),
                   [](const FactTest& a, const FactTest& b) { return factRank(a.fact) < factRank(b.fact); });
}

template <class N>
void readNamesAt(fields::FieldErrors& errors, const N& v, const std::string& path, Names& out) {
  Row<N> row = rowAt(errors, v, path);
  readNames(row, out);
}

// "*" or a list of codes.
template <class N>
void readCodesOrAny(Row<N>& row, std::string_view key, std::optional<std::vector<std::uint64_t>>& out) {
  out.reset();
  auto v = row.required(key);
  if (!v) return;
  if (v->isText()) {
    if (v->asText() != "*") row.fail(key, "not \"*\" or a list of codes");
    return;
  }
  if (!fields::checkArray(row.errors(), *v, row.at(key), kMaxTargetCodes)) return;
  std::vector<std::uint64_t> codes;
  readUintItems(row, key, v, codes);
  if (!row.ok()) return;
  if (codes.empty()) return row.fail(key, "empty list (use \"*\" for any)");
  out = std::move(codes);
}

// An optional list of codes; absent leaves `out` empty.
template <class N>
void readCodes(Row<N>& row, std::string_view key, std::size_t maxItems, std::vector<std::uint64_t>& out) {
  readUintItems(row, key, row.optionalArray(key, maxItems), out);
}

template <class N>
void readRuleTarget(fields::FieldErrors& errors, const N& v, const std::string& path, RuleTarget& out) {
  Row<N> row = rowAt(errors, v, path);
  readCodesOrAny(row, "series", out.series);
  readCodesOrAny(row, "specialties", out.specialties);
  readCodesOrAny(row, "levels", out.levels);
  readCodes(row, "except_series", kMaxTargetCodes, out.exceptSeries);
  readCodes(row, "except_specialties", kMaxTargetCodes, out.exceptSpecialties);
}

// A condition's "unless": facts that, when true, lift the condition.
template <class N>
void readUnless(fields::FieldErrors& errors, const N& v, const std::string& path, std::vector<FactTest>& out) {
  Row<N> row = rowAt(errors, v, path);
  for (const std::string& key : row.keys()) {
    if (!isFact(key)) return row.fail(key, "not a fact a rule may test");
    auto fv = row.required(key);
    if (!fv) return;
    FactTest f;
    readFact(errors, *fv, row.lazyAt(key), key, f);
    if (!errors.ok()) return;
    out.push_back(std::move(f));
  }
  if (!row.ok()) return;
  if (out.empty()) return errors.fail(path, "empty");
  sortFacts(out);
}

template <class N, class P>
void readOptionalUint(fields::FieldErrors& errors, const N& v, const P& path, std::optional<std::uint64_t>& out) {
  std::uint64_t u = 0;
  if (fields::readUint(errors, v, path, u)) out = u;
}

// One key of a condition; false when the key is not a condition's. `p` is
// the value's path as a function (made only for an error, or for a nested
// row that keeps it).
template <class N, class P>
bool readConditionKey(fields::FieldErrors& e, const std::string& key, const N& v, const P& p, Condition& out) {
  if (key == "education_at_least") {
    std::string t;
    if (fields::readText(e, v, p, t, kTextRule)) out.educationAtLeast = std::move(t);
  } else if (key == "full_time") {
    fields::readBool(e, v, p, out.fullTime);
  } else if (key == "technical_school_class_counts") {
    fields::readBool(e, v, p, out.technicalSchoolClassCounts);
  } else if (key == "skill_level_at_most") {
    readOptionalUint(e, v, p, out.skillLevelAtMost);
  } else if (key == "holds_title_level") {
    readOptionalUint(e, v, p, out.holdsTitleLevel);
  } else if (key == "same_series") {
    fields::readBool(e, v, p, out.sameSeries);
  } else if (key == "counts_qualifications") {
    fields::readBool(e, v, p, out.countsQualifications);
  } else if (key == "qualification_correspondence") {
    fields::readBool(e, v, p, out.qualificationCorrespondence);
  } else if (key == "skill_equivalence") {
    fields::readBool(e, v, p, out.skillEquivalence);
  } else if (key == "manual_decision") {
    fields::readBool(e, v, p, out.manualDecision);
  } else if (key == "years_of_technical_work") {
    readOptionalUint(e, v, p, out.yearsOfTechnicalWork);
  } else if (key == "counted_from") {
    if (!fields::checkArray(e, v, p, 8)) return true;
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string t;
      if (!fields::readText(e, v.item(i), [&] { return indexed(p(), i); }, t, kTextRule)) return true;
      out.countedFrom.push_back(std::move(t));
    }
  } else if (key == "continuing_education_hours_at_least") {
    readOptionalUint(e, v, p, out.continuingEducationHoursAtLeast);
  } else if (key == "unless") {
    readUnless(e, v, p(), out.unless);
  } else if (key == "missing") {
    readNamesAt(e, v, p(), out.missing);
  } else if (key == "missing_years") {
    Names n;
    readNamesAt(e, v, p(), n);
    if (e.ok()) out.missingYears = std::move(n);
  } else if (key == "notes") {
    // for people; not carried
  } else if (isFact(key)) {
    FactTest f;
    readFact(e, v, p, key, f);
    if (e.ok()) out.facts.push_back(std::move(f));
  } else {
    return false;
  }
  return true;
}

// A condition: every key must be known, since a condition a reader skipped
// would make the rule more permissive than the bureau wrote it.
template <class N>
void readCondition(Row<N>& row, Condition& out) {
  bool haveMissing = false;
  for (const std::string& key : row.keys()) {
    auto v = row.required(key);
    if (!v) return;
    if (!readConditionKey(row.errors(), key, *v, row.lazyAt(key), out)) return row.fail(key, "unknown condition");
    if (!row.ok()) return;
    haveMissing = haveMissing || key == "missing";
  }
  if (!haveMissing) return row.fail("missing", "missing");
  sortFacts(out.facts);
}

template <class N>
void readRule(Row<N>& row, Rule& out) {
  row.text("id", out.id, kTextRule);
  row.text("route", out.route, kTextRule);
  if (auto target = row.required("target")) readRuleTarget(row.errors(), *target, row.at("target"), out.target);
  readTable(row, "all", kMaxConditions, out.all, [](Row<N>& r, Condition& x) { readCondition(r, x); });
  readCodes(row, "measures", kMaxMeasure, out.measures);
  row.uint("version", out.version);
  readNames(row, out.explanation);
  readProvenance(row, out.provenance);
}

}  // namespace titlecert::catalogue::reading
