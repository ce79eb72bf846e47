// The whole catalogue over either form: every table, then one validation.
#pragma once

#include "catalogue_form/rules.h"

namespace titlecert::catalogue::reading {

// Checks what spans rows (catalogue_validate.cpp); the JSON form also checks
// each row's source ids against the sources table.
Status validate(const Catalogue& c, bool checkSources);

template <class N>
Result<Catalogue> readCatalogue(const N& root) {
  TC_ASSIGN(Obj<N> o, object(root, ""));
  Catalogue c;
  std::string format;
  TC_TRY(o.text("format", format));
  if (format != kFormat) return bad("format", "\"" + format + "\" is not \"" + std::string(kFormat) + "\"");
  TC_TRY(o.uint("version", c.version));
  auto level = [](const Obj<N>& r, Level& l) { return readLevel(r, l); };
  TC_TRY(readTable(o, "levels", 5, c.levels, level));
  TC_TRY(readTable(o, "skill_levels", 5, c.skillLevels, level));
  TC_TRY(readTable(o, "series", kMaxSeries, c.series, [](const Obj<N>& r, Series& s) { return readSeries(r, s); }));
  if (c.series.empty()) return bad("series", "empty");
  TC_TRY(readTable(o, "routes", kRouteIds.size(), c.routes, [](const Obj<N>& r, Route& x) { return readRoute(r, x); }));
  TC_TRY(readTable(o, "committees", kMaxRows, c.committees,
                   [](const Obj<N>& r, Committee& x) { return readCommittee(r, x); }));
  TC_TRY(readTable(o, "qualifications", kMaxRows, c.qualifications,
                   [](const Obj<N>& r, Qualification& x) { return readQualification(r, x); }));
  TC_TRY(readTable(o, "equivalences", kMaxRows, c.equivalences,
                   [](const Obj<N>& r, Equivalence& x) { return readEquivalence(r, x); }));
  TC_TRY(readTable(o, "education_equivalence", kMaxRows, c.educationEquivalences,
                   [](const Obj<N>& r, EducationEquivalence& x) { return readEducation(r, x); }));
  if (o.opt("rules"))
    TC_TRY(readTable(o, "rules", kMaxRows, c.rules, [](const Obj<N>& r, Rule& x) { return readRule(r, x); }));
  if constexpr (Form<N>::kHasSources) {
    TC_ASSIGN(N sources, o.required("sources"));
    TC_TRY(Form<N>::readSources(sources, "sources", c.sources));
  }
  TC_TRY(validate(c, Form<N>::kHasSources));
  return c;
}


}  // namespace titlecert::catalogue::reading
