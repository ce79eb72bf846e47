// Readers of the catalogue's tables, one per row kind.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "catalogue_form/fields.h"

namespace titlecert::catalogue::reading {

// ---- Titles ----------------------------------------------------------------

template <class N>
Status readTitleAt(const N& v, const std::string& path, std::optional<Names>& out) {
  out.reset();
  if (v.isNull()) return Status::Ok();
  TC_ASSIGN(Obj<N> o, object(v, path));
  Names n;
  TC_TRY(o.names(n));
  out = std::move(n);
  return Status::Ok();
}

// JSON: keys "1".."5". CBOR: unsigned keys 1..5. `present` says which levels

inline bool anyTitle(const TitleNames& t) {
  for (std::size_t l = 1; l <= 5; ++l)
    if (t.byLevel[l]) return true;
  return false;
}

// A series' titles: every level given.
template <class N>
Status seriesTitles(const Obj<N>& row, TitleNames& out) {
  TC_ASSIGN(N v, row.required("titles"));
  std::array<bool, 6> present{};
  TC_TRY(Form<N>::readTitles(v, row.at("titles"), out, present));
  for (std::size_t l = 1; l <= 5; ++l)
    if (!present[l]) return bad(row.at("titles"), "level " + std::to_string(l) + " missing (null where there is no title)");
  if (!anyTitle(out)) return bad(row.at("titles"), "no title at any level");
  return Status::Ok();
}

// A specialty's titles, when given: a level left out takes the series' name.
template <class N>
Status specialtyTitles(const Obj<N>& row, const TitleNames& seriesTitles, std::optional<TitleNames>& out) {
  out.reset();
  auto v = row.opt("titles");
  if (!v) return Status::Ok();
  TitleNames t;
  std::array<bool, 6> present{};
  TC_TRY(Form<N>::readTitles(*v, row.at("titles"), t, present));
  for (std::size_t l = 1; l <= 5; ++l)
    if (!present[l]) t.byLevel[l] = seriesTitles.byLevel[l];
  if (!anyTitle(t)) return bad(row.at("titles"), "no title at any level");
  out = std::move(t);
  return Status::Ok();
}

// ---- Rows ------------------------------------------------------------------

template <class N>
Status readLevel(const Obj<N>& row, Level& out) {
  TC_TRY(row.uint("code", out.code));
  return row.names(out.names);
}

template <class N>
Status readSpecialty(const Obj<N>& row, const TitleNames& seriesTitles, Specialty& out) {
  TC_TRY(row.uint("code", out.code));
  TC_TRY(row.names(out.names));
  TC_TRY(specialtyTitles(row, seriesTitles, out.titles));
  return row.provenance(out.provenance);
}

template <class N>
Status readSeries(const Obj<N>& row, Series& out) {
  TC_TRY(row.uint("code", out.code));
  TC_TRY(row.names(out.names));
  TC_TRY(seriesTitles(row, out.titles));
  TC_TRY(readTable(row, "specialties", kMaxSpecialties, out.specialties,
                   [&](const Obj<N>& s, Specialty& sp) { return readSpecialty(s, out.titles, sp); }));
  if (out.specialties.empty()) return bad(row.at("specialties"), "empty (every series needs a specialty)");
  return row.provenance(out.provenance);
}

template <class N>
Status readRoute(const Obj<N>& row, Route& out) {
  TC_TRY(row.uint("code", out.code));
  TC_TRY(row.text("id", out.id));
  return row.names(out.names);
}

template <class N>
Status readCommittee(const Obj<N>& row, Committee& out) {
  TC_TRY(row.uint("code", out.code));
  TC_TRY(row.names(out.names));
  TC_TRY(row.optionalUint("series", out.series));
  out.specialties.clear();
  if (auto list = row.opt("specialties")) {
    TC_ASSIGN(N v, Obj<N>::checkArray(*list, row.at("specialties"), kMaxSpecialties));
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::uint64_t code = 0;
      TC_TRY(Obj<N>::readUint(v.item(i), indexed(row.at("specialties"), i), code));
      out.specialties.push_back(code);
    }
  }
  return row.provenance(out.provenance);
}

template <class N>
Status readQualification(const Obj<N>& row, Qualification& out) {
  TC_TRY(row.uint("code", out.code));
  TC_TRY(row.optionalText("id", out.id));
  TC_TRY(row.names(out.names));
  std::string kind;
  TC_TRY(row.text("kind", kind));
  if (kind == "vocational") out.kind = QualificationKind::Vocational;
  else if (kind == "skill") out.kind = QualificationKind::Skill;
  else return bad(row.at("kind"), "\"" + kind + "\" is neither vocational nor skill");
  TC_TRY(readTable(row, "levels", kMaxQualificationLevels, out.levels,
                   [](const Obj<N>& l, Level& lv) { return readLevel(l, lv); }));
  if (out.levels.empty()) return bad(row.at("levels"), "empty");
  return row.provenance(out.provenance);
}

template <class N>
Status readEquivalence(const Obj<N>& row, Equivalence& out) {
  TC_TRY(row.text("id", out.id));
  TC_TRY(row.uint("qualification", out.qualification));
  TC_TRY(row.uint("level", out.level));
  TC_TRY(row.uint("series", out.series));
  TC_TRY(row.optionalUint("specialty", out.specialty));
  TC_TRY(row.uint("title_level", out.titleLevel));
  std::string kind;
  TC_TRY(row.text("kind", kind));
  if (kind == "recognised") out.kind = EquivalenceKind::Recognised;
  else if (kind == "eligible_to_apply") out.kind = EquivalenceKind::EligibleToApply;
  else return bad(row.at("kind"), "\"" + kind + "\" is neither recognised nor eligible_to_apply");
  TC_TRY(row.uint("years", out.years));
  TC_TRY(row.optionalText("basis", out.basis));
  return row.provenance(out.provenance);
}

template <class N>
Status readEducation(const Obj<N>& row, EducationEquivalence& out) {
  TC_TRY(row.text("id", out.id));
  TC_TRY(row.text("from", out.from));
  TC_TRY(row.text("equivalent_to", out.equivalentTo));
  TC_TRY(row.text("zh", out.zh));
  return row.provenance(out.provenance);
}


}  // namespace titlecert::catalogue::reading
