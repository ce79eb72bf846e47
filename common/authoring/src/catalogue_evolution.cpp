#include "titlecert/catalogue_evolution.h"

namespace titlecert::catalogue {
namespace {

Error reused(const std::string& what) {
  return makeError(Code::BAD_CATALOGUE, what + ": a published code must keep its meaning (codes are never reused)");
}

void noteRename(const std::string& what, const Names& before, const Names& after, std::vector<std::string>* notes) {
  if (notes && (before.zh != after.zh || before.en != after.en))
    notes->push_back(what + " renamed: " + before.zh + " / " + before.en + " -> " + after.zh + " / " + after.en);
}

Status checkSeries(const Catalogue& prev, const Catalogue& next, std::vector<std::string>* notes) {
  for (const auto& s : prev.series) {
    const std::string where = "series " + std::to_string(s.code);
    const auto* now = next.findSeries(s.code);
    if (!now) return reused(where + " was removed");
    noteRename(where, s.names, now->names, notes);
    for (const auto& sp : s.specialties) {
      const std::string spWhere = "specialty " + std::to_string(sp.code);
      const auto* spNow = next.findSpecialty(s.code, sp.code);
      if (!spNow) return reused(spWhere + " is no longer in " + where);
      noteRename(spWhere, sp.names, spNow->names, notes);
    }
  }
  return Status::Ok();
}

Status checkRoutesAndCommittees(const Catalogue& prev, const Catalogue& next, std::vector<std::string>* notes) {
  for (const auto& r : prev.routes) {
    const auto* now = next.findRoute(r.code);
    if (!now || now->id != r.id) return reused("route " + std::to_string(r.code) + " (" + r.id + ")");
  }
  for (const auto& c : prev.committees) {
    const auto* now = next.findCommittee(c.code);
    if (!now || now->series != c.series) return reused("committee " + std::to_string(c.code));
    noteRename("committee " + std::to_string(c.code), c.names, now->names, notes);
  }
  return Status::Ok();
}

Status checkQualifications(const Catalogue& prev, const Catalogue& next, std::vector<std::string>* notes) {
  for (const auto& q : prev.qualifications) {
    const std::string where = "qualification " + std::to_string(q.code);
    const auto* now = next.findQualification(q.code);
    if (!now || now->kind != q.kind) return reused(where);
    noteRename(where, q.names, now->names, notes);
    for (const auto& level : q.levels)
      if (!next.findQualificationLevel(q.code, level.code)) return reused(where + " level " + std::to_string(level.code));
  }
  return Status::Ok();
}

Status checkEquivalences(const Catalogue& prev, const Catalogue& next) {
  for (const auto& row : prev.equivalences) {
    const Equivalence* now = nullptr;
    for (const auto& candidate : next.equivalences)
      if (candidate.id == row.id) now = &candidate;
    // A row may be withdrawn (a policy can end), but its id never names another rule.
    if (now && (now->qualification != row.qualification || now->level != row.level || now->series != row.series ||
                now->titleLevel != row.titleLevel || now->kind != row.kind))
      return reused("equivalence row " + row.id);
  }
  return Status::Ok();
}

}  // namespace

Status checkSuccessor(const Catalogue& previous, const Catalogue& next, std::vector<std::string>* notes) {
  if (next.version <= previous.version)
    return makeError(Code::BAD_CATALOGUE, "version " + std::to_string(next.version) + " does not follow version " +
                                              std::to_string(previous.version));
  TC_TRY(checkSeries(previous, next, notes));
  TC_TRY(checkRoutesAndCommittees(previous, next, notes));
  TC_TRY(checkQualifications(previous, next, notes));
  return checkEquivalences(previous, next);
}

}  // namespace titlecert::catalogue
