// What the CBOR writer (trust) and the JSON writer (authoring) share: the
// names of enumerations and the keys of a rule's condition.
#pragma once

#include <string_view>

#include "titlecert/catalogue.h"

namespace titlecert::catalogue::writing {


inline std::string_view kindName(QualificationKind k) { return k == QualificationKind::Skill ? "skill" : "vocational"; }
inline std::string_view kindName(EquivalenceKind k) {
  return k == EquivalenceKind::EligibleToApply ? "eligible_to_apply" : "recognised";
}

// Rules: the same keys in both forms; booleans that are false, empty lists
// and absent options are left out (the reader's defaults).
template <class Put, class Text, class Uint, class Bool, class Arr>
void writeCondition(const Condition& k, Put put, Text text, Uint uint, Bool boolean, Arr textList) {
  if (k.educationAtLeast) put("education_at_least", text(*k.educationAtLeast));
  if (k.fullTime) put("full_time", boolean(true));
  if (k.technicalSchoolClassCounts) put("technical_school_class_counts", boolean(true));
  if (k.skillLevelAtMost) put("skill_level_at_most", uint(*k.skillLevelAtMost));
  if (k.holdsTitleLevel) put("holds_title_level", uint(*k.holdsTitleLevel));
  if (k.sameSeries) put("same_series", boolean(true));
  if (k.countsQualifications) put("counts_qualifications", boolean(true));
  if (k.qualificationCorrespondence) put("qualification_correspondence", boolean(true));
  if (k.skillEquivalence) put("skill_equivalence", boolean(true));
  if (k.manualDecision) put("manual_decision", boolean(true));
  if (k.yearsOfTechnicalWork) put("years_of_technical_work", uint(*k.yearsOfTechnicalWork));
  if (!k.countedFrom.empty()) put("counted_from", textList(k.countedFrom));
  for (const FactTest& f : k.facts) {
    if (f.flag) put(f.fact, boolean(*f.flag));
    else if (f.anyOf.size() == 1) put(f.fact, text(f.anyOf.front()));
    else put(f.fact, textList(f.anyOf));
  }
  if (k.continuingEducationHoursAtLeast)
    put("continuing_education_hours_at_least", uint(*k.continuingEducationHoursAtLeast));
}

}  // namespace titlecert::catalogue::writing
