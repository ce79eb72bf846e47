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

template <class N>
Status readFlag(const N& v, const std::string& path, bool& out) {
  if (!v.isBool()) return bad(path, "not a boolean");
  out = v.asBool();
  return Status::Ok();
}

template <class N>
Status readFact(const N& v, const std::string& path, const std::string& key, FactTest& out) {
  out.fact = key;
  if (oneOf(kBoolFacts, key)) {
    bool b = false;
    TC_TRY(readFlag(v, path, b));
    out.flag = b;
    return Status::Ok();
  }
  // A text fact: one string, or a non-empty list of strings.
  if (v.isText()) {
    std::string t;
    TC_TRY(Obj<N>::readText(v, path, t));
    out.anyOf.push_back(std::move(t));
    return Status::Ok();
  }
  if (!v.isArray()) return bad(path, "not a string or a list of strings");
  TC_ASSIGN(N list, Obj<N>::checkArray(v, path, 32));
  if (list.size() == 0) return bad(path, "empty list");
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string t;
    TC_TRY(Obj<N>::readText(list.item(i), indexed(path, i), t));
    out.anyOf.push_back(std::move(t));
  }
  return Status::Ok();
}

inline void sortFacts(std::vector<FactTest>& facts) {
  std::stable_sort(facts.begin(), facts.end(),
                   [](const FactTest& a, const FactTest& b) { return factRank(a.fact) < factRank(b.fact); });
}

template <class N>
Status readNamesAt(const N& v, const std::string& path, Names& out) {
  TC_ASSIGN(Obj<N> o, object(v, path));
  return o.names(out);
}

// "*" or a list of codes.
template <class N>
Status readCodesOrAny(const Obj<N>& row, std::string_view key, std::optional<std::vector<std::uint64_t>>& out) {
  out.reset();
  TC_ASSIGN(N v, row.required(key));
  if (v.isText()) {
    if (v.asText() != "*") return bad(row.at(key), "not \"*\" or a list of codes");
    return Status::Ok();
  }
  TC_ASSIGN(N list, Obj<N>::checkArray(v, row.at(key), kMaxTargetCodes));
  std::vector<std::uint64_t> codes;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::uint64_t c = 0;
    TC_TRY(Obj<N>::readUint(list.item(i), indexed(row.at(key), i), c));
    codes.push_back(c);
  }
  if (codes.empty()) return bad(row.at(key), "empty list (use \"*\" for any)");
  out = std::move(codes);
  return Status::Ok();
}

template <class N>
Status readCodes(const Obj<N>& row, std::string_view key, std::size_t maxItems, std::vector<std::uint64_t>& out) {
  out.clear();
  auto v = row.opt(key);
  if (!v) return Status::Ok();
  TC_ASSIGN(N list, Obj<N>::checkArray(*v, row.at(key), maxItems));
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::uint64_t c = 0;
    TC_TRY(Obj<N>::readUint(list.item(i), indexed(row.at(key), i), c));
    out.push_back(c);
  }
  return Status::Ok();
}

template <class N>
Status readRuleTarget(const N& v, const std::string& path, RuleTarget& out) {
  TC_ASSIGN(Obj<N> o, object(v, path));
  TC_TRY(readCodesOrAny(o, "series", out.series));
  TC_TRY(readCodesOrAny(o, "specialties", out.specialties));
  TC_TRY(readCodesOrAny(o, "levels", out.levels));
  TC_TRY(readCodes(o, "except_series", kMaxTargetCodes, out.exceptSeries));
  return readCodes(o, "except_specialties", kMaxTargetCodes, out.exceptSpecialties);
}

// A condition: every key must be known, since a condition a reader skipped
// would make the rule more permissive than the bureau wrote it.
template <class N>
Status readCondition(const Obj<N>& row, Condition& out) {
  bool haveMissing = false;
  for (const std::string& key : row.keys()) {
    const std::string p = row.at(key);
    TC_ASSIGN(N v, row.required(key));
    if (key == "education_at_least") {
      std::string t;
      TC_TRY(Obj<N>::readText(v, p, t));
      out.educationAtLeast = std::move(t);
    } else if (key == "full_time") {
      TC_TRY(readFlag(v, p, out.fullTime));
    } else if (key == "technical_school_class_counts") {
      TC_TRY(readFlag(v, p, out.technicalSchoolClassCounts));
    } else if (key == "skill_level_at_most") {
      std::uint64_t u = 0;
      TC_TRY(Obj<N>::readUint(v, p, u));
      out.skillLevelAtMost = u;
    } else if (key == "holds_title_level") {
      std::uint64_t u = 0;
      TC_TRY(Obj<N>::readUint(v, p, u));
      out.holdsTitleLevel = u;
    } else if (key == "same_series") {
      TC_TRY(readFlag(v, p, out.sameSeries));
    } else if (key == "counts_qualifications") {
      TC_TRY(readFlag(v, p, out.countsQualifications));
    } else if (key == "qualification_correspondence") {
      TC_TRY(readFlag(v, p, out.qualificationCorrespondence));
    } else if (key == "skill_equivalence") {
      TC_TRY(readFlag(v, p, out.skillEquivalence));
    } else if (key == "manual_decision") {
      TC_TRY(readFlag(v, p, out.manualDecision));
    } else if (key == "years_of_technical_work") {
      std::uint64_t u = 0;
      TC_TRY(Obj<N>::readUint(v, p, u));
      out.yearsOfTechnicalWork = u;
    } else if (key == "counted_from") {
      TC_ASSIGN(N list, Obj<N>::checkArray(v, p, 8));
      for (std::size_t i = 0; i < list.size(); ++i) {
        std::string t;
        TC_TRY(Obj<N>::readText(list.item(i), indexed(p, i), t));
        out.countedFrom.push_back(std::move(t));
      }
    } else if (key == "continuing_education_hours_at_least") {
      std::uint64_t u = 0;
      TC_TRY(Obj<N>::readUint(v, p, u));
      out.continuingEducationHoursAtLeast = u;
    } else if (key == "unless") {
      TC_ASSIGN(Obj<N> u, object(v, p));
      for (const std::string& fk : u.keys()) {
        if (!isFact(fk)) return bad(u.at(fk), "not a fact a rule may test");
        TC_ASSIGN(N fv, u.required(fk));
        FactTest f;
        TC_TRY(readFact(fv, u.at(fk), fk, f));
        out.unless.push_back(std::move(f));
      }
      if (out.unless.empty()) return bad(p, "empty");
      sortFacts(out.unless);
    } else if (key == "missing") {
      TC_TRY(readNamesAt(v, p, out.missing));
      haveMissing = true;
    } else if (key == "missing_years") {
      Names n;
      TC_TRY(readNamesAt(v, p, n));
      out.missingYears = std::move(n);
    } else if (key == "notes") {
      // for people; not carried
    } else if (isFact(key)) {
      FactTest f;
      TC_TRY(readFact(v, p, key, f));
      out.facts.push_back(std::move(f));
    } else {
      return bad(p, "unknown condition");
    }
  }
  if (!haveMissing) return bad(row.at("missing"), "missing");
  sortFacts(out.facts);
  return Status::Ok();
}

template <class N>
Status readRule(const Obj<N>& row, Rule& out) {
  TC_TRY(row.text("id", out.id));
  TC_TRY(row.text("route", out.route));
  TC_ASSIGN(N target, row.required("target"));
  TC_TRY(readRuleTarget(target, row.at("target"), out.target));
  TC_TRY(readTable(row, "all", kMaxConditions, out.all,
                   [](const Obj<N>& r, Condition& x) { return readCondition(r, x); }));
  TC_TRY(readCodes(row, "measures", kMaxMeasure, out.measures));
  TC_TRY(row.uint("version", out.version));
  TC_TRY(row.names(out.explanation));
  return row.provenance(out.provenance);
}


}  // namespace titlecert::catalogue::reading
