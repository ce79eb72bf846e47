// The policy-route evaluator (docs/policy.md): a small interpreter of the
// catalogue's rule rows. Nothing here knows a measure: the conditions are read
// from the rows, and each kind of condition is answered the same way for
// every rule that uses it.
//
// Dates are days since the epoch. A condition answers the first day it is
// met (or kAlways for an undated fact that holds), or "never"; a rule is met
// from the latest of its conditions' days; a route from the earliest of its
// rules' days.
#include "titlecert/eligibility.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "titlecert/dates.h"

namespace titlecert::eligibility {

using catalogue::Catalogue;
using catalogue::Condition;
using catalogue::FactTest;
using catalogue::Names;
using catalogue::Rule;

namespace {

constexpr std::int64_t kAlways = std::numeric_limits<std::int64_t>::min();
constexpr std::uint64_t kMaxYears = 100;  // the catalogue holds years to 0..100

using catalogue::educationRank;

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; });
}

// ---- Facts ---------------------------------------------------------------------

bool hasLetter(const Person& p) {
  return p.entrustmentLetter && !blank(p.entrustmentLetter->unit) && !blank(p.entrustmentLetter->reference);
}

// No title, and no qualification the catalogue recognises as a title (measure
// 7 makes such a qualification count as holding that title).
bool noTitleYet(const Catalogue& c, const Person& p) {
  if (!p.titles.empty()) return false;
  for (const QualificationHeld& q : p.qualifications)
    for (const catalogue::Equivalence* e : c.equivalencesFor(q.code, q.level))
      if (e->kind == catalogue::EquivalenceKind::Recognised) return false;
  return true;
}

// The boolean facts of catalogue::kBoolFacts; nullopt for a name it does not know.
std::optional<bool> boolFact(const Catalogue& c, const Person& p, std::string_view name) {
  if (name == "hr_staff") return p.hrStaff;
  if (name == "first_application") return p.firstApplication;
  if (name == "employer.in_zone") return p.employer.inZone;
  if (name == "employer.manufacturing") return p.employer.manufacturing;
  if (name == "no_title_yet") return noTitleYet(c, p);
  if (name == "high_level_talent_justified") return p.highLevelTalent && !blank(p.highLevelTalent->justification);
  if (name == "entrustment_letter") return hasLetter(p);
  if (name == "entrustment_letter_or_in_zone") return p.employer.inZone || hasLetter(p);
  if (name.starts_with(catalogue::kAttestedPrefix) &&
      std::find(catalogue::kBoolFacts.begin(), catalogue::kBoolFacts.end(), name) != catalogue::kBoolFacts.end()) {
    const std::string_view what = name.substr(catalogue::kAttestedPrefix.size());
    return std::find(p.attested.begin(), p.attested.end(), what) != p.attested.end();
  }
  return std::nullopt;
}

const std::string* textFact(const Person& p, std::string_view name) {
  if (name == "employer.kind") return &p.employer.kind;
  if (name == "employer.industry") return &p.employer.industry;
  return nullptr;
}

bool factHolds(const Catalogue& c, const Person& p, const FactTest& f) {
  if (f.flag) {
    const auto v = boolFact(c, p, f.fact);
    return v && *v == *f.flag;
  }
  const std::string* v = textFact(p, f.fact);
  return v && std::find(f.anyOf.begin(), f.anyOf.end(), *v) != f.anyOf.end();
}

// ---- Conditions ------------------------------------------------------------------

// A dated item of the profile a selector picked: its date, the catalogue rows
// that made it count, and (skill equivalence) the years its row asks.
struct Candidate {
  std::int64_t date = kAlways;
  std::vector<std::string> rows;
  std::optional<std::uint64_t> years;
};

struct ConditionAnswer {
  bool met = false;
  std::int64_t from = kAlways;  // when met
  std::vector<std::string> rows;
  const Names* text = nullptr;  // unmet: what is missing; met later than `on`: what is pending
};

bool titleFits(const Catalogue&, std::uint64_t series, std::optional<std::uint64_t> specialty, std::uint64_t level,
               const Target& t) {
  return series == t.series && (!specialty || *specialty == t.specialty) && level == t.level;
}

// The items of the profile a condition's selector picks; nullopt when the
// condition has no selector.
std::optional<std::vector<Candidate>> candidates(const Catalogue& c, const Person& p, const Target& t,
                                                 const Condition& k) {
  std::vector<Candidate> out;
  if (k.educationAtLeast) {
    const int need = educationRank(*k.educationAtLeast);
    for (const Education& e : p.education)
      if (educationRank(e.level) >= need && (!k.fullTime || e.fullTime)) out.push_back({e.graduated, {}, {}});
    if (k.technicalSchoolClassCounts && p.technicalSchoolClass) {
      // Technical-school classes are full-time schooling (docs/policy.md).
      for (const catalogue::EducationEquivalence& row : c.educationEquivalences)
        if (row.from == p.technicalSchoolClass->cls && educationRank(row.equivalentTo) >= need)
          out.push_back({p.technicalSchoolClass->graduated, {row.id}, {}});
    }
    return out;
  }
  if (k.skillLevelAtMost) {
    for (const SkillLevel& s : p.skillLevels)
      if (s.level >= 1 && s.level <= *k.skillLevelAtMost) out.push_back({s.obtained, {}, {}});
    return out;
  }
  if (k.holdsTitleLevel) {
    for (const TitleHeld& h : p.titles)
      if (h.level >= *k.holdsTitleLevel && h.level <= 5 && (!k.sameSeries || h.series == t.series))
        out.push_back({h.granted, {}, {}});
    if (k.countsQualifications)
      for (const QualificationHeld& q : p.qualifications)
        for (const catalogue::Equivalence* e : c.equivalencesFor(q.code, q.level))
          if (e->kind == catalogue::EquivalenceKind::Recognised && e->titleLevel >= *k.holdsTitleLevel &&
              (!k.sameSeries || e->series == t.series))
            out.push_back({q.obtained, {e->id}, {}});
    return out;
  }
  if (k.qualificationCorrespondence) {
    for (const QualificationHeld& q : p.qualifications)
      for (const catalogue::Equivalence* e : c.equivalencesFor(q.code, q.level))
        if (e->kind == catalogue::EquivalenceKind::Recognised && titleFits(c, e->series, e->specialty, e->titleLevel, t))
          out.push_back({q.obtained, {e->id}, {}});
    return out;
  }
  if (k.skillEquivalence) {
    for (const SkillLevel& s : p.skillLevels) {
      if (!s.occupation) continue;
      for (const catalogue::Equivalence* e : c.equivalencesFor(*s.occupation, s.level))
        if (e->kind == catalogue::EquivalenceKind::EligibleToApply &&
            titleFits(c, e->series, e->specialty, e->titleLevel, t))
          out.push_back({s.obtained, {e->id}, e->years});
    }
    return out;
  }
  return std::nullopt;
}

ConditionAnswer unmet(const Names& text) {
  ConditionAnswer o;
  o.text = &text;
  return o;
}

ConditionAnswer evaluateCondition(const Catalogue& c, const Person& p, const Target& t, const Condition& k) {
  if (k.manualDecision) return unmet(k.missing);
  for (const FactTest& f : k.facts)
    if (!factHolds(c, p, f)) return unmet(k.missing);
  if (k.continuingEducationHoursAtLeast) {
    const bool waived =
        !k.unless.empty() && std::all_of(k.unless.begin(), k.unless.end(), [&](const FactTest& f) { return factHolds(c, p, f); });
    if (!waived && p.continuingEducationHours < *k.continuingEducationHoursAtLeast) return unmet(k.missing);
  }
  std::vector<Candidate> items;
  if (auto picked = candidates(c, p, t, k)) {
    if (picked->empty()) return unmet(k.missing);
    items = std::move(*picked);
  } else {
    items.push_back({});  // no selector: the years (if any) alone
  }

  const bool counts = k.yearsOfTechnicalWork.has_value() || k.skillEquivalence;
  const Names& yearsText = k.missingYears ? *k.missingYears : k.missing;
  ConditionAnswer best;
  bool itemDecides = true;  // the best item's own date, not its years, is the later one
  for (Candidate& item : items) {
    std::int64_t date = item.date;
    bool fromItem = true;
    if (counts) {
      std::int64_t start = kAlways;
      bool known = true;
      for (const std::string& a : k.countedFrom) {
        if (a == "technical_work_since") {
          if (!p.technicalWorkSince) known = false;
          else start = std::max(start, *p.technicalWorkSince);
        } else {
          start = std::max(start, item.date);  // the selector's own date
        }
      }
      if (!known || start == kAlways) continue;
      const std::uint64_t years = item.years ? *item.years : k.yearsOfTechnicalWork.value_or(0);
      const std::int64_t due = dates::addYears(start, static_cast<int>(std::min<std::uint64_t>(years, kMaxYears)));
      fromItem = item.date > due;
      date = std::max(date, due);
    }
    if (!best.met || date < best.from) {
      best.met = true;
      best.from = date;
      best.rows = std::move(item.rows);
      itemDecides = fromItem;
    }
  }
  if (!best.met) return unmet(yearsText);
  best.text = itemDecides ? &k.missing : &yearsText;
  return best;
}

// ---- Rules and routes ------------------------------------------------------------

bool contains(const std::vector<std::uint64_t>& list, std::uint64_t v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

bool targetCovers(const catalogue::RuleTarget& rt, const Target& t) {
  if (rt.series && !contains(*rt.series, t.series)) return false;
  if (contains(rt.exceptSeries, t.series)) return false;
  if (rt.specialties && !contains(*rt.specialties, t.specialty)) return false;
  if (contains(rt.exceptSpecialties, t.specialty)) return false;
  if (rt.levels && !contains(*rt.levels, t.level)) return false;
  return true;
}

bool isManual(const Rule& r) {
  return std::any_of(r.all.begin(), r.all.end(), [](const Condition& k) { return k.manualDecision; });
}

// A condition that rests on the clerk's word: it tests attested facts only.
bool isAttestation(const Condition& k) {
  return !k.facts.empty() && std::all_of(k.facts.begin(), k.facts.end(), [](const FactTest& f) {
    return f.fact.starts_with(catalogue::kAttestedPrefix);
  });
}

struct RuleAnswer {
  bool met = false;
  std::int64_t from = 0;
  std::vector<std::string> rows;
  std::vector<const Names*> unmet;    // conditions never met
  std::vector<const Names*> pending;  // conditions met only after `on`
};

RuleAnswer evaluateRule(const Catalogue& c, const Person& p, const Target& t, const Rule& r, std::int64_t onDay) {
  RuleAnswer out;
  std::vector<ConditionAnswer> parts;
  parts.reserve(r.all.size());
  for (const Condition& k : r.all) {
    ConditionAnswer o = evaluateCondition(c, p, t, k);
    if (!o.met) out.unmet.push_back(o.text);
    parts.push_back(std::move(o));
  }
  if (!out.unmet.empty()) return out;
  out.met = true;
  std::int64_t from = kAlways;
  for (const ConditionAnswer& o : parts) from = std::max(from, o.from);
  // Only undated facts: they hold as of the day asked about.
  out.from = from == kAlways ? onDay : from;
  for (ConditionAnswer& o : parts) {
    if (o.from != kAlways && o.from > onDay) out.pending.push_back(o.text);
    for (std::string& row : o.rows)
      if (std::find(out.rows.begin(), out.rows.end(), row) == out.rows.end()) out.rows.push_back(std::move(row));
  }
  return out;
}

void addText(std::vector<Names>& out, const Names* n) {
  if (n && std::find(out.begin(), out.end(), *n) == out.end()) out.push_back(*n);
}

RouteAnswer evaluateRoute(const Catalogue& c, const Person& p, const Target& t, const catalogue::Route& route,
                          std::int64_t onDay) {
  RouteAnswer a;
  a.route = route.id;
  std::vector<const Rule*> matched;
  for (const Rule& r : c.rules)
    if (r.route == route.id && targetCovers(r.target, t)) matched.push_back(&r);
  if (matched.empty()) {
    a.missing.push_back(Names{"本途径没有适用于该职称（系列、专业、级别）的规则",
                              "no rule of this route covers this title (series, specialty, level)"});
    return a;
  }
  const Rule* bestRule = nullptr;
  RuleAnswer best;
  std::vector<const Names*> unmet;
  for (const Rule* r : matched) {
    RuleAnswer o = evaluateRule(c, p, t, *r, onDay);
    if (!o.met) {
      unmet.insert(unmet.end(), o.unmet.begin(), o.unmet.end());
      continue;
    }
    if (!bestRule || o.from < best.from) {  // ties: the first rule in file order
      bestRule = r;
      best = std::move(o);
    }
  }
  if (!bestRule) {
    for (const Rule* r : matched) a.rules.push_back(r->id);
    for (const Names* n : unmet) addText(a.missing, n);
    return a;
  }
  a.verdict = best.from <= onDay ? Verdict::Eligible : Verdict::NotYet;
  a.from = best.from;
  a.rules.push_back(bestRule->id);
  for (std::string& row : best.rows) a.rules.push_back(std::move(row));
  if (a.verdict == Verdict::NotYet)
    for (const Names* n : best.pending) addText(a.missing, n);
  for (const Condition& k : bestRule->all)
    if (isAttestation(k)) addText(a.attested, &k.missing);
  return a;
}

// The target title itself, granted before the day asked about (a title granted
// on that day is the one being issued, not one already held).
bool holdsTarget(const Person& p, const Target& t, std::int64_t onDay) {
  return std::any_of(p.titles.begin(), p.titles.end(), [&](const TitleHeld& h) {
    return h.series == t.series && h.specialty == t.specialty && h.level == t.level && h.granted < onDay;
  });
}

}  // namespace

const Names kAlreadyHeld{"已取得该职称，无需再申报", "already holds this title: there is nothing to apply for"};

// ---- Public API -------------------------------------------------------------------

std::string_view verdictName(Verdict v) {
  switch (v) {
    case Verdict::Eligible: return "eligible";
    case Verdict::NotYet: return "not_yet";
    case Verdict::NotEligible: return "not_eligible";
  }
  return "not_eligible";
}

const RouteAnswer* Answer::find(std::string_view route) const {
  for (const auto& r : routes)
    if (r.route == route) return &r;
  return nullptr;
}

Result<Answer> evaluate(const Catalogue& c, const Person& p, const Target& t, std::int64_t onDay) {
  const catalogue::Series* s = c.findSeries(t.series);
  if (!s) return makeError(Code::BAD_CLAIMS, "target.series: " + std::to_string(t.series) + " not in the catalogue");
  if (!c.findSpecialty(t.series, t.specialty))
    return makeError(Code::BAD_CLAIMS, "target.specialty: " + std::to_string(t.specialty) + " is not a specialty of series " +
                                           std::to_string(t.series));
  const Names* name = c.findTitle(t.series, t.specialty, t.level);
  if (!name)
    return makeError(Code::BAD_CLAIMS, "target.level: series " + std::to_string(t.series) + " specialty " +
                                           std::to_string(t.specialty) + " has no title at level " +
                                           std::to_string(t.level));
  Answer a;
  a.target = t;
  a.titleName = *name;
  a.routes.reserve(c.routes.size());
  const bool held = holdsTarget(p, t, onDay);
  for (const catalogue::Route& r : c.routes) {
    if (!held) {
      a.routes.push_back(evaluateRoute(c, p, t, r, onDay));
      continue;
    }
    RouteAnswer already;
    already.route = r.id;
    already.missing.push_back(kAlreadyHeld);
    a.routes.push_back(std::move(already));
  }
  return a;
}

bool routeHasRules(const Catalogue& c, std::string_view route) {
  return std::any_of(c.rules.begin(), c.rules.end(), [&](const Rule& r) { return r.route == route && !isManual(r); });
}

bool routeHasRules(const Catalogue& c, std::string_view route, const Target& t) {
  return std::any_of(c.rules.begin(), c.rules.end(),
                     [&](const Rule& r) { return r.route == route && !isManual(r) && targetCovers(r.target, t); });
}

}  // namespace titlecert::eligibility
