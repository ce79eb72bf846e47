// The catalogue's lookups, and the check of a credential's codes against it
// (ZC1.md §6).
#include <algorithm>
#include <string>
#include <vector>

#include "titlecert/catalogue.h"

namespace titlecert::catalogue {

namespace {

// The row of `rows` whose `field` equals `key`, or null. Tables are small
// (bounded by the reader) and read once per verification, so a linear scan.
template <class Row, class Key, class Field>
const Row* findBy(const std::vector<Row>& rows, Field Row::*field, const Key& key) {
  for (const Row& r : rows)
    if (r.*field == key) return &r;
  return nullptr;
}

const Specialty* specialtyOf(const Series& s, std::uint64_t code) {
  return findBy(s.specialties, &Specialty::code, code);
}

Error badClaims(std::string detail) { return makeError(Code::BAD_CLAIMS, std::move(detail)); }

}  // namespace

const std::optional<Names>& TitleNames::at(std::uint64_t level) const {
  static const std::optional<Names> kNone;
  if (level < 1 || level > 5) return kNone;
  return byLevel[static_cast<std::size_t>(level)];  // 1..5 fits any size_t
}

const Series* Catalogue::findSeries(std::uint64_t code) const { return findBy(series, &Series::code, code); }

const Specialty* Catalogue::findSpecialty(std::uint64_t seriesCode, std::uint64_t specialty) const {
  const Series* s = findSeries(seriesCode);
  return s ? specialtyOf(*s, specialty) : nullptr;
}

const Route* Catalogue::findRoute(std::uint64_t code) const { return findBy(routes, &Route::code, code); }

const Route* Catalogue::findRouteById(std::string_view id) const { return findBy(routes, &Route::id, id); }

const Committee* Catalogue::findCommittee(std::uint64_t code) const {
  return findBy(committees, &Committee::code, code);
}

bool Committee::covers(std::uint64_t seriesCode, std::uint64_t specialty, std::uint64_t level) const {
  if (series && *series != seriesCode) return false;
  if (!specialties.empty() && std::find(specialties.begin(), specialties.end(), specialty) == specialties.end())
    return false;
  return !maxLevel || level <= *maxLevel;
}

const Qualification* Catalogue::findQualification(std::uint64_t code) const {
  return findBy(qualifications, &Qualification::code, code);
}

const Level* Catalogue::findLevel(std::uint64_t code) const { return findBy(levels, &Level::code, code); }

const Level* Catalogue::findQualificationLevel(std::uint64_t qualification, std::uint64_t level) const {
  const Qualification* q = findQualification(qualification);
  if (!q) return nullptr;
  return findBy(q->levels, &Level::code, level);
}

const Names* Catalogue::findTitle(std::uint64_t seriesCode, std::uint64_t specialty, std::uint64_t level) const {
  const Series* s = findSeries(seriesCode);
  if (!s) return nullptr;
  const TitleNames* titles = &s->titles;
  if (specialty != 0) {
    const Specialty* x = specialtyOf(*s, specialty);
    if (!x) return nullptr;
    if (x->titles) titles = &*x->titles;
  }
  const std::optional<Names>& n = titles->at(level);
  return n ? &*n : nullptr;
}

std::optional<Names> Catalogue::titleName(std::uint64_t seriesCode, std::uint64_t specialty,
                                          std::uint64_t level) const {
  const Names* n = findTitle(seriesCode, specialty, level);
  if (!n) return std::nullopt;
  return *n;
}

std::vector<const Equivalence*> Catalogue::equivalencesFor(std::uint64_t qualification, std::uint64_t level) const {
  std::vector<const Equivalence*> out;
  for (const Equivalence& e : equivalences)
    if (e.qualification == qualification && e.level == level) out.push_back(&e);
  return out;
}

const Rule* Catalogue::findRule(std::string_view id) const { return findBy(rules, &Rule::id, id); }

// ---- Code check (ZC1.md §6) --------------------------------------------------

Status CodeCheck::check(const zc1::Credential& cred) const {
  const Catalogue& c = catalogue_;
  if (const zc1::TitleBody* t = cred.title()) {
    const Series* s = c.findSeries(t->series);
    if (!s) return badClaims("series " + std::to_string(t->series) + " not in the catalogue");
    const Specialty* x = specialtyOf(*s, t->specialty);
    if (!x) {
      for (const Series& other : c.series)
        if (specialtyOf(other, t->specialty))
          return badClaims("specialty " + std::to_string(t->specialty) + " does not belong to series " +
                           std::to_string(t->series));
      return badClaims("specialty " + std::to_string(t->specialty) + " not in the catalogue");
    }
    const TitleNames& titles = x->titles ? *x->titles : s->titles;
    if (!titles.at(t->level))
      return badClaims("level " + std::to_string(t->level) + ": series " + std::to_string(t->series) +
                       " specialty " + std::to_string(t->specialty) + " has no title at that level");
    if (!c.findRoute(t->route)) return badClaims("route " + std::to_string(t->route) + " not in the catalogue");
    if (t->committee && !c.findCommittee(*t->committee))
      return badClaims("committee " + std::to_string(*t->committee) + " not in the catalogue");
    return Status::Ok();
  }
  const zc1::QualificationBody* q = cred.qualification();
  const Qualification* qual = c.findQualification(q->qualification);
  if (!qual) return badClaims("qualification " + std::to_string(q->qualification) + " not in the catalogue");
  for (const Level& l : qual->levels)
    if (l.code == q->level) return Status::Ok();
  return badClaims("qualification level " + std::to_string(q->level) + " is not a level of qualification " +
                   std::to_string(q->qualification));
}

}  // namespace titlecert::catalogue
