// The whole catalogue over either form: every table, then one validation.
#pragma once

#include "catalogue_form/rules.h"

namespace titlecert::catalogue::reading {

// Checks what spans rows (catalogue_validate.cpp); the JSON form also checks
// each row's source ids against the sources table.
Status validate(const Catalogue& c, bool checkSources);

// Every table is read into one FieldErrors (the first error wins) and
// checked once, before the validation across rows.
template <class N>
Result<Catalogue> readCatalogue(const N& root) {
  fields::FieldErrors errors(Code::BAD_CATALOGUE, catalogueWording());
  Row<N> o = rowAt(errors, root, "");
  Catalogue c;
  std::string format;
  o.text("format", format, kTextRule);
  if (o.ok() && format != kFormat) o.fail("format", "\"" + format + "\" is not \"" + std::string(kFormat) + "\"");
  o.uint("version", c.version);
  auto level = [](Row<N>& r, Level& l) { readLevel(r, l); };
  readTable(o, "levels", 5, c.levels, level);
  readTable(o, "skill_levels", 5, c.skillLevels, level);
  readTable(o, "series", kMaxSeries, c.series, [](Row<N>& r, Series& s) { readSeries(r, s); });
  if (o.ok() && c.series.empty()) o.fail("series", "empty");
  readTable(o, "routes", kRouteIds.size(), c.routes, [](Row<N>& r, Route& x) { readRoute(r, x); });
  readTable(o, "committees", kMaxRows, c.committees, [](Row<N>& r, Committee& x) { readCommittee(r, x); });
  readTable(o, "qualifications", kMaxRows, c.qualifications,
            [](Row<N>& r, Qualification& x) { readQualification(r, x); });
  readTable(o, "equivalences", kMaxRows, c.equivalences, [](Row<N>& r, Equivalence& x) { readEquivalence(r, x); });
  readTable(o, "education_equivalence", kMaxRows, c.educationEquivalences,
            [](Row<N>& r, EducationEquivalence& x) { readEducation(r, x); });
  if (o.optional("rules")) readTable(o, "rules", kMaxRows, c.rules, [](Row<N>& r, Rule& x) { readRule(r, x); });
  if constexpr (Form<N>::kHasSources) {
    if (auto sources = o.required("sources")) Form<N>::readSources(errors, *sources, "sources", c.sources);
  }
  TC_TRY(errors.status());
  TC_TRY(validate(c, Form<N>::kHasSources));
  return c;
}

}  // namespace titlecert::catalogue::reading
