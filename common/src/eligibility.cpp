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

#include <nlohmann/json.hpp>

#include "titlecert/dates.h"

namespace titlecert::eligibility {

using catalogue::Catalogue;
using catalogue::Condition;
using catalogue::FactTest;
using catalogue::Names;
using catalogue::Rule;

namespace {

constexpr std::int64_t kAlways = std::numeric_limits<std::int64_t>::min();
constexpr std::size_t kMaxInput = std::size_t{1} << 20;
constexpr std::size_t kMaxItems = 64;  // entries of one profile list
constexpr std::size_t kMaxText = 4096;
constexpr std::uint64_t kMaxYears = 100;  // the catalogue holds years to 0..100

constexpr std::array<std::string_view, 6> kEducationLevels = {"zhongzhuan", "dazhuan", "bachelor",
                                                              "master",     "doctor",  "postdoc"};
constexpr std::array<std::string_view, 3> kSchoolClasses = {"intermediate_worker", "senior_worker",
                                                            "preparatory_technician"};

// zhongzhuan 0 < dazhuan < bachelor < master < doctor < postdoc 5; -1 unknown.
int educationRank(std::string_view level) {
  for (std::size_t i = 0; i < kEducationLevels.size(); ++i)
    if (kEducationLevels[i] == level) return static_cast<int>(i);
  return -1;
}

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

struct Outcome {
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

Outcome unmet(const Names& text) {
  Outcome o;
  o.text = &text;
  return o;
}

Outcome evaluateCondition(const Catalogue& c, const Person& p, const Target& t, const Condition& k) {
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
  Outcome best;
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

struct RuleOutcome {
  bool met = false;
  std::int64_t from = 0;
  std::vector<std::string> rows;
  std::vector<const Names*> unmet;    // conditions never met
  std::vector<const Names*> pending;  // conditions met only after `on`
};

RuleOutcome evaluateRule(const Catalogue& c, const Person& p, const Target& t, const Rule& r, std::int64_t onDay) {
  RuleOutcome out;
  std::vector<Outcome> parts;
  parts.reserve(r.all.size());
  for (const Condition& k : r.all) {
    Outcome o = evaluateCondition(c, p, t, k);
    if (!o.met) out.unmet.push_back(o.text);
    parts.push_back(std::move(o));
  }
  if (!out.unmet.empty()) return out;
  out.met = true;
  std::int64_t from = kAlways;
  for (const Outcome& o : parts) from = std::max(from, o.from);
  // Only undated facts: they hold as of the day asked about.
  out.from = from == kAlways ? onDay : from;
  for (Outcome& o : parts) {
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
  RuleOutcome best;
  std::vector<const Names*> unmet;
  for (const Rule* r : matched) {
    RuleOutcome o = evaluateRule(c, p, t, *r, onDay);
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
  return a;
}

// ---- Reading the profile -----------------------------------------------------------

using json = nlohmann::json;

Error invalid(const std::string& path, std::string_view what) {
  return makeError(Code::INVALID_ARGUMENT, path + ": " + std::string(what));
}

// One JSON object with its path; every key must be one of `known`.
class Fields {
 public:
  Fields(const json& j, std::string path) : j_(j), path_(std::move(path)) {}

  static Result<Fields> of(const json& j, const std::string& path, std::initializer_list<std::string_view> known) {
    if (!j.is_object()) return invalid(path, "not an object");
    for (const auto& [k, v] : j.items())
      if (std::find(known.begin(), known.end(), k) == known.end()) return invalid(path + "." + k, "unknown field");
    return Fields(j, path);
  }

  std::string at(std::string_view key) const { return path_ + "." + std::string(key); }
  // Absent and null are "not given".
  const json* opt(std::string_view key) const {
    auto it = j_.find(std::string(key));
    if (it == j_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  Result<const json*> req(std::string_view key) const {
    const json* v = opt(key);
    if (!v) return invalid(at(key), "missing");
    return v;
  }

  Status flag(std::string_view key, bool& out) const {
    const json* v = opt(key);
    if (!v) return Status::Ok();
    if (!v->is_boolean()) return invalid(at(key), "not true or false");
    out = v->get<bool>();
    return Status::Ok();
  }
  Status text(std::string_view key, std::string& out, bool required = false) const {
    const json* v = opt(key);
    if (!v) return required ? Status(invalid(at(key), "missing")) : Status::Ok();
    if (!v->is_string()) return invalid(at(key), "not a string");
    if (v->get_ref<const std::string&>().size() > kMaxText) return invalid(at(key), "too long");
    out = v->get<std::string>();
    return Status::Ok();
  }
  Status uint(std::string_view key, std::uint64_t& out, bool required = true) const {
    const json* v = opt(key);
    if (!v) return required ? Status(invalid(at(key), "missing")) : Status::Ok();
    if (!v->is_number_unsigned()) return invalid(at(key), "not a non-negative integer");
    out = v->get<std::uint64_t>();
    return Status::Ok();
  }
  Status date(std::string_view key, std::int64_t& out) const {
    TC_ASSIGN(const json* v, req(key));
    if (!v->is_string()) return invalid(at(key), "not a YYYY-MM-DD date");
    auto d = dates::parseDate(v->get_ref<const std::string&>());
    if (!d) return invalid(at(key), d.error().detail);
    out = *d;
    return Status::Ok();
  }
  // A list (absent/null: empty), each item read by `read(item, path)`.
  template <class T, class Read>
  Status list(std::string_view key, std::vector<T>& out, Read read) const {
    const json* v = opt(key);
    if (!v) return Status::Ok();
    if (!v->is_array()) return invalid(at(key), "not a list");
    if (v->size() > kMaxItems) return invalid(at(key), "more than " + std::to_string(kMaxItems) + " entries");
    for (std::size_t i = 0; i < v->size(); ++i) {
      TC_ASSIGN(T item, read((*v)[i], at(key) + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(item));
    }
    return Status::Ok();
  }

 private:
  const json& j_;
  std::string path_;
};

Result<std::uint64_t> levelIn(const Fields& f, std::string_view key, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t v = 0;
  TC_TRY(f.uint(key, v));
  if (v < lo || v > hi) return invalid(f.at(key), std::to_string(v) + " is not " + std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

Result<Education> readEducation(const json& v, const std::string& at) {
  TC_ASSIGN(Fields e, Fields::of(v, at, {"level", "full_time", "graduated"}));
  Education out;
  TC_TRY(e.text("level", out.level, true));
  if (educationRank(out.level) < 0)
    return invalid(e.at("level"), "\"" + out.level.substr(0, 40) + "\" is not zhongzhuan, dazhuan, bachelor, master, doctor or postdoc");
  TC_TRY(e.flag("full_time", out.fullTime));
  TC_TRY(e.date("graduated", out.graduated));
  return out;
}

Result<SkillLevel> readSkillLevel(const json& v, const std::string& at) {
  TC_ASSIGN(Fields e, Fields::of(v, at, {"level", "obtained", "occupation"}));
  SkillLevel out;
  TC_ASSIGN(out.level, levelIn(e, "level", 1, 5));
  TC_TRY(e.date("obtained", out.obtained));
  if (e.opt("occupation")) {
    std::uint64_t code = 0;
    TC_TRY(e.uint("occupation", code));
    out.occupation = code;
  }
  return out;
}

Result<QualificationHeld> readQualification(const json& v, const std::string& at) {
  TC_ASSIGN(Fields e, Fields::of(v, at, {"code", "level", "obtained"}));
  QualificationHeld out;
  TC_TRY(e.uint("code", out.code));
  TC_TRY(e.uint("level", out.level));
  TC_TRY(e.date("obtained", out.obtained));
  return out;
}

Result<TitleHeld> readTitle(const json& v, const std::string& at) {
  TC_ASSIGN(Fields e, Fields::of(v, at, {"series", "specialty", "level", "granted"}));
  TitleHeld out;
  TC_TRY(e.uint("series", out.series));
  TC_TRY(e.uint("specialty", out.specialty));
  TC_ASSIGN(out.level, levelIn(e, "level", 1, 5));
  TC_TRY(e.date("granted", out.granted));
  return out;
}

Result<Person> readPerson(const json& j, const std::string& path) {
  TC_ASSIGN(Fields f, Fields::of(j, path,
                                 {"education", "technical_school_class", "technical_work_since", "skill_levels",
                                  "qualifications", "titles", "employer", "hr_staff", "high_level_talent",
                                  "first_application", "continuing_education_hours", "entrustment_letter"}));
  Person p;
  TC_TRY(f.list("education", p.education, readEducation));
  if (const json* v = f.opt("technical_school_class")) {
    TC_ASSIGN(Fields e, Fields::of(*v, f.at("technical_school_class"), {"class", "graduated"}));
    TechnicalSchoolClass t;
    TC_TRY(e.text("class", t.cls, true));
    if (std::find(kSchoolClasses.begin(), kSchoolClasses.end(), t.cls) == kSchoolClasses.end())
      return invalid(e.at("class"), "\"" + t.cls.substr(0, 40) + "\" is not intermediate_worker, senior_worker or preparatory_technician");
    TC_TRY(e.date("graduated", t.graduated));
    p.technicalSchoolClass = std::move(t);
  }
  if (f.opt("technical_work_since")) {
    std::int64_t d = 0;
    TC_TRY(f.date("technical_work_since", d));
    p.technicalWorkSince = d;
  }
  TC_TRY(f.list("skill_levels", p.skillLevels, readSkillLevel));
  TC_TRY(f.list("qualifications", p.qualifications, readQualification));
  TC_TRY(f.list("titles", p.titles, readTitle));
  if (const json* v = f.opt("employer")) {
    TC_ASSIGN(Fields e, Fields::of(*v, f.at("employer"), {"kind", "in_zone", "industry", "manufacturing"}));
    TC_TRY(e.text("kind", p.employer.kind));
    TC_TRY(e.flag("in_zone", p.employer.inZone));
    TC_TRY(e.text("industry", p.employer.industry));
    TC_TRY(e.flag("manufacturing", p.employer.manufacturing));
  }
  TC_TRY(f.flag("hr_staff", p.hrStaff));
  if (const json* v = f.opt("high_level_talent")) {
    TC_ASSIGN(Fields e, Fields::of(*v, f.at("high_level_talent"), {"justification"}));
    HighLevelTalent h;
    TC_TRY(e.text("justification", h.justification));
    p.highLevelTalent = std::move(h);
  }
  TC_TRY(f.flag("first_application", p.firstApplication));
  TC_TRY(f.uint("continuing_education_hours", p.continuingEducationHours, false));
  if (const json* v = f.opt("entrustment_letter")) {
    TC_ASSIGN(Fields e, Fields::of(*v, f.at("entrustment_letter"), {"unit", "reference"}));
    EntrustmentLetter l;
    TC_TRY(e.text("unit", l.unit));
    TC_TRY(e.text("reference", l.reference));
    p.entrustmentLetter = std::move(l);
  }
  return p;
}

Result<Target> readTarget(const json& j, const std::string& path) {
  TC_ASSIGN(Fields f, Fields::of(j, path, {"series", "specialty", "level"}));
  Target t;
  TC_TRY(f.uint("series", t.series));
  TC_TRY(f.uint("specialty", t.specialty));
  TC_ASSIGN(t.level, levelIn(f, "level", 1, 5));
  return t;
}

Result<json> parse(std::string_view text, const std::string& what) {
  if (text.size() > kMaxInput) return invalid(what, "larger than 1 MiB");
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    return invalid(what, std::string("not valid JSON: ") + e.what());
  }
}

}  // namespace

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

Result<Person> personFromJson(std::string_view text) {
  TC_ASSIGN(json j, parse(text, "person"));
  return readPerson(j, "person");
}

Result<Request> requestFromJson(std::string_view text, std::optional<std::int64_t> defaultOn) {
  TC_ASSIGN(json j, parse(text, "(request)"));
  if (!j.is_object()) return invalid("(request)", "not an object");
  for (const auto& [k, v] : j.items())
    if (k != "on" && k != "person" && k != "target") return invalid(k, "unknown field");
  Request r;
  auto on = j.find("on");
  if (on == j.end() || on->is_null()) {
    if (!defaultOn) return invalid("on", "missing");
    r.on = *defaultOn;
  } else {
    if (!on->is_string()) return invalid("on", "not a YYYY-MM-DD date");
    auto d = dates::parseDate(on->get_ref<const std::string&>());
    if (!d) return invalid("on", d.error().detail);
    r.on = *d;
  }
  auto person = j.find("person");
  if (person == j.end() || person->is_null()) return invalid("person", "missing");
  TC_ASSIGN(r.person, readPerson(*person, "person"));
  auto target = j.find("target");
  if (target == j.end() || target->is_null()) return invalid("target", "missing");
  TC_ASSIGN(r.target, readTarget(*target, "target"));
  return r;
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
  for (const catalogue::Route& r : c.routes) a.routes.push_back(evaluateRoute(c, p, t, r, onDay));
  return a;
}

bool routeHasRules(const Catalogue& c, std::string_view route) {
  return std::any_of(c.rules.begin(), c.rules.end(), [&](const Rule& r) { return r.route == route && !isManual(r); });
}

bool routeHasRules(const Catalogue& c, std::string_view route, const Target& t) {
  return std::any_of(c.rules.begin(), c.rules.end(),
                     [&](const Rule& r) { return r.route == route && !isManual(r) && targetCovers(r.target, t); });
}

std::string answerToJson(const Answer& a, const Catalogue&, std::string_view lang) {
  using ojson = nlohmann::ordered_json;
  const bool zh = lang == "zh";
  ojson target = ojson::object();
  target["series"] = a.target.series;
  target["specialty"] = a.target.specialty;
  target["level"] = a.target.level;
  target["title_name"] = ojson{{"zh", a.titleName.zh}, {"en", a.titleName.en}};
  ojson routes = ojson::array();
  for (const RouteAnswer& r : a.routes) {
    ojson o = ojson::object();
    o["route"] = r.route;
    o["verdict"] = std::string(verdictName(r.verdict));
    if (r.verdict != Verdict::NotEligible && r.from) o["from"] = dates::formatDate(*r.from);
    o["rules"] = r.rules;
    ojson missing = ojson::array();
    for (const Names& n : r.missing) missing.push_back(zh ? n.zh : n.en);
    o["missing"] = std::move(missing);
    routes.push_back(std::move(o));
  }
  ojson j = ojson::object();
  j["target"] = std::move(target);
  j["routes"] = std::move(routes);
  return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

}  // namespace titlecert::eligibility
