// Readers of the catalogue's tables, one per row kind. Each reads every
// field of its row into the shared FieldErrors; the first error wins and the
// whole catalogue is checked once (read.h).
#pragma once

#include <array>
#include <optional>
#include <string>

#include "catalogue_form/fields.h"

namespace titlecert::catalogue::reading {

// ---- Titles ----------------------------------------------------------------

// One level's names, or null where the level has no title.
template <class N>
void readTitleAt(fields::FieldErrors& errors, const N& v, const std::string& path, std::optional<Names>& out) {
  out.reset();
  if (!errors.ok() || v.isNull()) return;
  Row<N> row = rowAt(errors, v, path);
  Names n;
  readNames(row, n);
  if (row.ok()) out = std::move(n);
}

inline bool anyTitle(const TitleNames& t) {
  for (std::size_t l = 1; l <= 5; ++l)
    if (t.byLevel[l]) return true;
  return false;
}

// A series' titles: every level given (JSON: keys "1".."5"; CBOR: unsigned
// keys 1..5).
template <class N>
void seriesTitles(Row<N>& row, TitleNames& out) {
  auto v = row.required("titles");
  if (!v) return;
  std::array<bool, 6> present{};
  Form<N>::readTitles(row.errors(), *v, row.at("titles"), out, present);
  if (!row.ok()) return;
  for (std::size_t l = 1; l <= 5; ++l)
    if (!present[l]) return row.fail("titles", "level " + std::to_string(l) + " missing (null where there is no title)");
  if (!anyTitle(out)) row.fail("titles", "no title at any level");
}

// A specialty's titles, when given: a level left out takes the series' name.
template <class N>
void specialtyTitles(Row<N>& row, const TitleNames& seriesTitles, std::optional<TitleNames>& out) {
  out.reset();
  auto v = row.optional("titles");
  if (!v) return;
  TitleNames t;
  std::array<bool, 6> present{};
  Form<N>::readTitles(row.errors(), *v, row.at("titles"), t, present);
  if (!row.ok()) return;
  for (std::size_t l = 1; l <= 5; ++l)
    if (!present[l]) t.byLevel[l] = seriesTitles.byLevel[l];
  if (!anyTitle(t)) return row.fail("titles", "no title at any level");
  out = std::move(t);
}

// ---- Rows ------------------------------------------------------------------

template <class N>
void readLevel(Row<N>& row, Level& out) {
  row.uint("code", out.code);
  readNames(row, out.names);
}

template <class N>
void readSpecialty(Row<N>& row, const TitleNames& seriesTitles, Specialty& out) {
  row.uint("code", out.code);
  readNames(row, out.names);
  specialtyTitles(row, seriesTitles, out.titles);
  readProvenance(row, out.provenance);
}

template <class N>
void readSeries(Row<N>& row, Series& out) {
  row.uint("code", out.code);
  readNames(row, out.names);
  seriesTitles(row, out.titles);
  readTable(row, "specialties", kMaxSpecialties, out.specialties,
            [&](Row<N>& s, Specialty& sp) { readSpecialty(s, out.titles, sp); });
  if (row.ok() && out.specialties.empty()) row.fail("specialties", "empty (every series needs a specialty)");
  readProvenance(row, out.provenance);
}

template <class N>
void readRoute(Row<N>& row, Route& out) {
  row.uint("code", out.code);
  row.text("id", out.id, kTextRule);
  readNames(row, out.names);
}

template <class N>
void readCommittee(Row<N>& row, Committee& out) {
  row.uint("code", out.code);
  readNames(row, out.names);
  row.optionalUint("series", out.series);
  readUintItems(row, "specialties", row.optionalArray("specialties", kMaxSpecialties), out.specialties);
  row.optionalUint("max_level", out.maxLevel);
  row.optionalText("route", out.route, kTextRule);
  readProvenance(row, out.provenance);
}

template <class N>
void readQualification(Row<N>& row, Qualification& out) {
  row.uint("code", out.code);
  row.optionalText("id", out.id, kTextRule);
  readNames(row, out.names);
  std::string kind;
  row.text("kind", kind, kTextRule);
  if (kind == "vocational") out.kind = QualificationKind::Vocational;
  else if (kind == "skill") out.kind = QualificationKind::Skill;
  else if (row.ok()) row.fail("kind", "\"" + kind + "\" is neither vocational nor skill");
  readTable(row, "levels", kMaxQualificationLevels, out.levels, [](Row<N>& l, Level& lv) { readLevel(l, lv); });
  if (row.ok() && out.levels.empty()) row.fail("levels", "empty");
  readProvenance(row, out.provenance);
}

template <class N>
void readEquivalence(Row<N>& row, Equivalence& out) {
  row.text("id", out.id, kTextRule);
  row.uint("qualification", out.qualification);
  row.uint("level", out.level);
  row.uint("series", out.series);
  row.optionalUint("specialty", out.specialty);
  row.uint("title_level", out.titleLevel);
  std::string kind;
  row.text("kind", kind, kTextRule);
  if (kind == "recognised") out.kind = EquivalenceKind::Recognised;
  else if (kind == "eligible_to_apply") out.kind = EquivalenceKind::EligibleToApply;
  else if (row.ok()) row.fail("kind", "\"" + kind + "\" is neither recognised nor eligible_to_apply");
  row.uint("years", out.years);
  row.optionalText("basis", out.basis, kTextRule);
  readProvenance(row, out.provenance);
}

template <class N>
void readEducation(Row<N>& row, EducationEquivalence& out) {
  row.text("id", out.id, kTextRule);
  row.text("from", out.from, kTextRule);
  row.text("equivalent_to", out.equivalentTo, kTextRule);
  row.text("zh", out.zh, kTextRule);
  readProvenance(row, out.provenance);
}

}  // namespace titlecert::catalogue::reading
