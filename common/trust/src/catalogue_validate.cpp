// The catalogue's checks across rows, one function per table: unique codes
// and ids, references to other tables, the route table of ZC1, and what a
// rule's conditions may combine. Both forms are read, then checked here.
#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue_form/read.h"
#include "titlecert/catalogue.h"

namespace titlecert::catalogue::reading {

namespace {

// A row's source ids must name rows of the sources table; only the JSON form
// has that table, so the CBOR form checks nothing here.
class SourceIds {
 public:
  SourceIds(const Catalogue& c, bool enabled) : enabled_(enabled) {
    for (const Source& s : c.sources) ids_.insert(s.id);
  }
  Status check(const Provenance& p, const std::string& path) const {
    if (!enabled_) return Status::Ok();
    for (std::size_t i = 0; i < p.source.size(); ++i)
      if (!ids_.count(p.source[i]))
        return bad(indexed(member(path, "source"), i), "\"" + p.source[i] + "\" is not in sources");
    return Status::Ok();
  }

 private:
  bool enabled_;
  std::set<std::string_view> ids_;
};

constexpr std::array<std::string_view, 5> kAnchors = {"graduation", "skill_level", "title", "qualification",
                                                     "technical_work_since"};

Status validateRuleTarget(const Catalogue& c, const RuleTarget& t, const std::string& path) {
  auto seriesOk = [&](const std::vector<std::uint64_t>& list, const std::string& p) -> Status {
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!c.findSeries(list[i])) return bad(indexed(p, i), "series " + std::to_string(list[i]) + " not in the catalogue");
    return Status::Ok();
  };
  auto specialtiesOk = [&](const std::vector<std::uint64_t>& list, const std::string& p) -> Status {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::uint64_t code = list[i];
      if (!c.findSpecialty(code / 100, code))
        return bad(indexed(p, i), "specialty " + std::to_string(code) + " not in the catalogue");
      if (t.series && std::find(t.series->begin(), t.series->end(), code / 100) == t.series->end())
        return bad(indexed(p, i), "specialty " + std::to_string(code) + " is not in the target's series");
    }
    return Status::Ok();
  };
  if (t.series) TC_TRY(seriesOk(*t.series, member(path, "series")));
  TC_TRY(seriesOk(t.exceptSeries, member(path, "except_series")));
  if (t.specialties) TC_TRY(specialtiesOk(*t.specialties, member(path, "specialties")));
  TC_TRY(specialtiesOk(t.exceptSpecialties, member(path, "except_specialties")));
  if (t.levels)
    for (std::size_t i = 0; i < t.levels->size(); ++i)
      if ((*t.levels)[i] < 1 || (*t.levels)[i] > 5)
        return bad(indexed(member(path, "levels"), i), std::to_string((*t.levels)[i]) + " is not a title level 1..5");
  return Status::Ok();
}

// What one condition may combine (docs/policy.md, "The rule language").
Status validateCondition(const Condition& k, const std::string& path) {
  const int selectors = int{k.educationAtLeast.has_value()} + int{k.skillLevelAtMost.has_value()} +
                        int{k.holdsTitleLevel.has_value()} + int{k.qualificationCorrespondence} +
                        int{k.skillEquivalence};
  if (selectors > 1)
    return bad(path, "more than one of education_at_least, skill_level_at_most, holds_title_level, "
                     "qualification_correspondence, skill_equivalence");
  if (k.educationAtLeast && !oneOf(kEducationLevels, *k.educationAtLeast))
    return bad(member(path, "education_at_least"), "\"" + *k.educationAtLeast + "\" is not an education level");
  if ((k.fullTime || k.technicalSchoolClassCounts) && !k.educationAtLeast)
    return bad(member(path, k.fullTime ? "full_time" : "technical_school_class_counts"), "needs education_at_least");
  if (k.skillLevelAtMost && (*k.skillLevelAtMost < 1 || *k.skillLevelAtMost > 5))
    return bad(member(path, "skill_level_at_most"), std::to_string(*k.skillLevelAtMost) + " is not a skill level 1..5");
  if (k.holdsTitleLevel && (*k.holdsTitleLevel < 1 || *k.holdsTitleLevel > 5))
    return bad(member(path, "holds_title_level"), std::to_string(*k.holdsTitleLevel) + " is not a title level 1..5");
  if ((k.sameSeries || k.countsQualifications) && !k.holdsTitleLevel)
    return bad(member(path, k.sameSeries ? "same_series" : "counts_qualifications"), "needs holds_title_level");
  if (k.yearsOfTechnicalWork && *k.yearsOfTechnicalWork > kMaxYears)
    return bad(member(path, "years_of_technical_work"), "more than " + std::to_string(kMaxYears));
  if (k.skillEquivalence && k.yearsOfTechnicalWork)
    return bad(member(path, "years_of_technical_work"), "not with skill_equivalence (the rows give the years)");
  const bool counts = k.yearsOfTechnicalWork.has_value() || k.skillEquivalence;
  if (counts && k.countedFrom.empty()) return bad(member(path, "counted_from"), "missing (needed with the years)");
  if (!counts && !k.countedFrom.empty())
    return bad(member(path, "counted_from"), "given without years_of_technical_work or skill_equivalence");
  std::set<std::string_view> anchors;
  for (std::size_t i = 0; i < k.countedFrom.size(); ++i) {
    const std::string& a = k.countedFrom[i];
    const std::string ap = indexed(member(path, "counted_from"), i);
    if (!oneOf(kAnchors, a))
      return bad(ap, "\"" + a + "\" is not graduation, skill_level, title, qualification or technical_work_since");
    if (!anchors.insert(a).second) return bad(ap, "duplicate \"" + a + "\"");
    const bool fits = a == "technical_work_since" || (a == "graduation" && k.educationAtLeast) ||
                      (a == "skill_level" && (k.skillLevelAtMost || k.skillEquivalence)) ||
                      (a == "title" && k.holdsTitleLevel) || (a == "qualification" && k.qualificationCorrespondence);
    if (!fits) return bad(ap, "\"" + a + "\" is not the date of this condition's selector");
  }
  if (k.missingYears && !counts) return bad(member(path, "missing_years"), "given without years");
  if (!k.unless.empty() && !k.continuingEducationHoursAtLeast)
    return bad(member(path, "unless"), "needs continuing_education_hours_at_least");
  if (k.continuingEducationHoursAtLeast && *k.continuingEducationHoursAtLeast > kMaxHours)
    return bad(member(path, "continuing_education_hours_at_least"), "more than " + std::to_string(kMaxHours));
  const bool testsSomething = selectors > 0 || counts || !k.facts.empty() || k.continuingEducationHoursAtLeast;
  if (k.manualDecision && testsSomething) return bad(member(path, "manual_decision"), "must stand alone");
  if (!k.manualDecision && !testsSomething) return bad(path, "tests nothing");
  return Status::Ok();
}


// Level codes within 1..5, each once; `everyLevel`: and none left out (the
// ZC1 title levels).
Status validateLevelCodes(const std::vector<Level>& levels, const std::string& table, std::string_view kind,
                          bool everyLevel) {
  std::array<bool, 6> seen{};
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::uint64_t code = levels[i].code;
    const std::string p = member(indexed(table, i), "code");
    if (code < 1 || code > 5) return bad(p, std::to_string(code) + " is not a " + std::string(kind) + " level 1..5");
    const auto slot = static_cast<std::size_t>(code);  // 1..5, checked above
    if (seen[slot]) return bad(p, "duplicate " + std::to_string(code));
    seen[slot] = true;
  }
  for (std::size_t l = 1; everyLevel && l <= 5; ++l)
    if (!seen[l]) return bad(table, "level " + std::to_string(l) + " missing");
  return Status::Ok();
}

// Series and their specialties.
Status validateSeries(const Catalogue& c, const SourceIds& sources) {
  std::set<std::uint64_t> seriesCodes, specialtyCodes;
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const Series& s = c.series[i];
    const std::string sp = indexed("series", i);
    if (s.code == 0) return bad(member(sp, "code"), "0 is not a series code");
    if (!seriesCodes.insert(s.code).second) return bad(member(sp, "code"), "duplicate " + std::to_string(s.code));
    TC_TRY(sources.check(s.provenance, sp));
    for (std::size_t j = 0; j < s.specialties.size(); ++j) {
      const Specialty& x = s.specialties[j];
      const std::string xp = indexed(member(sp, "specialties"), j);
      if (x.code / 100 != s.code || x.code % 100 == 0)
        return bad(member(xp, "code"), std::to_string(x.code) + " is not in series " + std::to_string(s.code) +
                                           "'s range " + std::to_string(s.code) + "01.." + std::to_string(s.code) +
                                           "99");
      if (!specialtyCodes.insert(x.code).second)
        return bad(member(xp, "code"), "duplicate " + std::to_string(x.code));
      TC_TRY(sources.check(x.provenance, xp));
    }
  }


  return Status::Ok();
}

// Routes: exactly ZC1's ten.
Status validateRoutes(const Catalogue& c) {
  std::array<bool, kRouteIds.size()> seen{};
  for (std::size_t i = 0; i < c.routes.size(); ++i) {
    const Route& r = c.routes[i];
    const std::string rp = indexed("routes", i);
    if (r.code < zc1::kMinRoute || r.code > zc1::kMaxRoute)
      return bad(member(rp, "code"), std::to_string(r.code) + " is not a ZC1 route 1..10");
    const auto slot = static_cast<std::size_t>(r.code);  // 1..10, checked above
    if (seen[slot]) return bad(member(rp, "code"), "duplicate " + std::to_string(r.code));
    seen[slot] = true;
    if (r.id != kRouteIds[slot])
      return bad(member(rp, "id"), "route " + std::to_string(r.code) + " is \"" + std::string(kRouteIds[slot]) +
                                       "\" in ZC1, not \"" + r.id + "\"");
  }
  for (std::size_t code = zc1::kMinRoute; code <= zc1::kMaxRoute; ++code)
    if (!seen[code]) return bad("routes", "route " + std::to_string(code) + " (" + std::string(kRouteIds[code]) + ") missing");


  return Status::Ok();
}

// Committees.
Status validateCommittees(const Catalogue& c, const SourceIds& sources) {
  std::set<std::uint64_t> codes;
  for (std::size_t i = 0; i < c.committees.size(); ++i) {
    const Committee& m = c.committees[i];
    const std::string mp = indexed("committees", i);
    if (!codes.insert(m.code).second) return bad(member(mp, "code"), "duplicate " + std::to_string(m.code));
    if (m.series && !c.findSeries(*m.series))
      return bad(member(mp, "series"), "series " + std::to_string(*m.series) + " not in the catalogue");
    if (!m.specialties.empty() && !m.series) return bad(member(mp, "specialties"), "given without a series");
    for (std::size_t j = 0; j < m.specialties.size(); ++j)
      if (!c.findSpecialty(*m.series, m.specialties[j]))
        return bad(indexed(member(mp, "specialties"), j), "specialty " + std::to_string(m.specialties[j]) +
                                                              " is not in series " + std::to_string(*m.series));
    if (m.maxLevel && (*m.maxLevel < 1 || *m.maxLevel > 5))
      return bad(member(mp, "max_level"), "a title level 1..5, not " + std::to_string(*m.maxLevel));
    if (!m.route.empty() && !c.findRouteById(m.route))
      return bad(member(mp, "route"), "\"" + m.route + "\" is not a route of the catalogue");
    TC_TRY(sources.check(m.provenance, mp));
  }


  return Status::Ok();
}

// Qualifications.
Status validateQualifications(const Catalogue& c, const SourceIds& sources) {
  std::set<std::uint64_t> codes;
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < c.qualifications.size(); ++i) {
    const Qualification& q = c.qualifications[i];
    const std::string qp = indexed("qualifications", i);
    if (!codes.insert(q.code).second) return bad(member(qp, "code"), "duplicate " + std::to_string(q.code));
    if (!q.id.empty()) {
      if (!isRowId(q.id) || q.id.find('.') != std::string::npos)
        return bad(member(qp, "id"), "\"" + q.id + "\" is not a lowercase slug of [a-z0-9_-]");
      if (!ids.insert(q.id).second) return bad(member(qp, "id"), "duplicate \"" + q.id + "\"");
    }
    std::set<std::uint64_t> levelCodes;
    for (std::size_t j = 0; j < q.levels.size(); ++j) {
      const std::uint64_t code = q.levels[j].code;
      const std::string lp = member(indexed(member(qp, "levels"), j), "code");
      if (!levelCodes.insert(code).second) return bad(lp, "duplicate " + std::to_string(code));
      if (q.kind == QualificationKind::Skill) {
        const bool known = std::any_of(c.skillLevels.begin(), c.skillLevels.end(),
                                       [&](const Level& l) { return l.code == code; });
        if (!known) return bad(lp, std::to_string(code) + " is not in skill_levels");
      }
    }
    TC_TRY(sources.check(q.provenance, qp));
  }


  return Status::Ok();
}

// A row's id: dotted segments of [a-z0-9_-], each id once in its table.
Status checkRowId(std::set<std::string_view>& ids, const std::string& id, const std::string& rowPath) {
  if (!isRowId(id)) return bad(member(rowPath, "id"), "\"" + id + "\" is not dotted segments of [a-z0-9_-]");
  if (!ids.insert(id).second) return bad(member(rowPath, "id"), "duplicate \"" + id + "\"");
  return Status::Ok();
}

// Equivalences.
Status validateEquivalences(const Catalogue& c, const SourceIds& sources) {
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < c.equivalences.size(); ++i) {
    const Equivalence& e = c.equivalences[i];
    const std::string ep = indexed("equivalences", i);
    TC_TRY(checkRowId(ids, e.id, ep));
    const Qualification* q = c.findQualification(e.qualification);
    if (!q)
      return bad(member(ep, "qualification"), "qualification " + std::to_string(e.qualification) +
                                                  " not in the catalogue");
    if (!c.findQualificationLevel(e.qualification, e.level))
      return bad(member(ep, "level"), std::to_string(e.level) + " is not a level of qualification " +
                                          std::to_string(e.qualification));
    if (!c.findSeries(e.series))
      return bad(member(ep, "series"), "series " + std::to_string(e.series) + " not in the catalogue");
    if (e.specialty && !c.findSpecialty(e.series, *e.specialty))
      return bad(member(ep, "specialty"), "specialty " + std::to_string(*e.specialty) + " is not in series " +
                                              std::to_string(e.series));
    if (e.titleLevel < 1 || e.titleLevel > 5)
      return bad(member(ep, "title_level"), std::to_string(e.titleLevel) + " is not a title level 1..5");
    if (!c.findTitle(e.series, e.specialty.value_or(0), e.titleLevel))
      return bad(member(ep, "title_level"), "series " + std::to_string(e.series) +
                                                (e.specialty ? " specialty " + std::to_string(*e.specialty) : "") +
                                                " has no title at level " + std::to_string(e.titleLevel));
    if (e.kind == EquivalenceKind::Recognised) {
      if (e.years != 0) return bad(member(ep, "years"), "must be 0 for a recognised row");
      if (q->kind != QualificationKind::Vocational)
        return bad(member(ep, "kind"), "recognised, but qualification " + std::to_string(q->code) + " is a skill");
    } else {
      if (e.years == 0 || e.years > kMaxYears)
        return bad(member(ep, "years"), "must be 1.." + std::to_string(kMaxYears) + " for an eligible_to_apply row");
      if (q->kind != QualificationKind::Skill)
        return bad(member(ep, "kind"), "eligible_to_apply, but qualification " + std::to_string(q->code) +
                                           " is not a skill");
    }
    TC_TRY(sources.check(e.provenance, ep));
  }


  return Status::Ok();
}

// Education equivalences.
Status validateEducationEquivalences(const Catalogue& c, const SourceIds& sources) {
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < c.educationEquivalences.size(); ++i) {
    const EducationEquivalence& e = c.educationEquivalences[i];
    const std::string ep = indexed("education_equivalence", i);
    TC_TRY(checkRowId(ids, e.id, ep));
    if (!oneOf(kSchoolClasses, e.from)) return bad(member(ep, "from"), "\"" + e.from + "\" is not a technical-school class");
    if (!oneOf(kEducationLevels, e.equivalentTo))
      return bad(member(ep, "equivalent_to"), "\"" + e.equivalentTo + "\" is not an education level");
    TC_TRY(sources.check(e.provenance, ep));
  }


  return Status::Ok();
}

// Rules.
Status validateRules(const Catalogue& c, const SourceIds& sources) {
  std::set<std::string_view> rowIds;
  for (const Equivalence& e : c.equivalences) rowIds.insert(e.id);
  for (const EducationEquivalence& e : c.educationEquivalences) rowIds.insert(e.id);
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < c.rules.size(); ++i) {
    const Rule& r = c.rules[i];
    const std::string rp = indexed("rules", i);
    TC_TRY(checkRowId(ids, r.id, rp));
    if (rowIds.count(r.id))
      return bad(member(rp, "id"), "\"" + r.id + "\" is already the id of an equivalence or education row");
    if (!c.findRouteById(r.route)) return bad(member(rp, "route"), "\"" + r.route + "\" is not a route of the catalogue");
    TC_TRY(validateRuleTarget(c, r.target, member(rp, "target")));
    if (r.all.empty()) return bad(member(rp, "all"), "no conditions");
    for (std::size_t j = 0; j < r.all.size(); ++j)
      TC_TRY(validateCondition(r.all[j], indexed(member(rp, "all"), j)));
    if (r.measures.empty()) return bad(member(rp, "measures"), "missing or empty (the zone's measures 1..15)");
    for (std::size_t j = 0; j < r.measures.size(); ++j)
      if (r.measures[j] < 1 || r.measures[j] > kMaxMeasure)
        return bad(indexed(member(rp, "measures"), j), std::to_string(r.measures[j]) + " is not a measure 1..15");
    if (r.version < 1 || r.version > c.version)
      return bad(member(rp, "version"), std::to_string(r.version) + " is not 1.." + std::to_string(c.version) +
                                            " (the catalogue's version)");
    TC_TRY(sources.check(r.provenance, rp));
  }
  return Status::Ok();
}

}  // namespace

Status validate(const Catalogue& c, bool checkSources) {
  if (c.version == 0) return bad("version", "must be at least 1");
  const SourceIds sources(c, checkSources);
  TC_TRY(validateLevelCodes(c.levels, "levels", "title", true));
  TC_TRY(validateLevelCodes(c.skillLevels, "skill_levels", "skill", false));
  TC_TRY(validateSeries(c, sources));
  TC_TRY(validateRoutes(c));
  TC_TRY(validateCommittees(c, sources));
  TC_TRY(validateQualifications(c, sources));
  TC_TRY(validateEquivalences(c, sources));
  TC_TRY(validateEducationEquivalences(c, sources));
  return validateRules(c, sources);
}

}  // namespace titlecert::catalogue::reading
