// The applicant's profile and the eligibility request as JSON (CONTRACT.md
// "person"), read with the field reader; and the answer written as JSON.
// Every error is INVALID_ARGUMENT naming the field.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "titlecert/dates.h"
#include "titlecert/eligibility.h"
#include "titlecert/field_reader.h"
#include "titlecert/json_node.h"
#include "titlecert/json_writer.h"

namespace titlecert::eligibility {
namespace {

using Node = json::Node;
using Reader = fields::FieldReader<Node>;

constexpr std::size_t kMaxInput = std::size_t{1} << 20;
constexpr std::size_t kMaxItems = 64;  // entries of one profile list

fields::Wording profileWording() {
  fields::Wording w;
  w.root = "(request)";
  w.notArray = "not a list";
  w.notUint = "not a non-negative integer";
  w.items = "entries";
  w.nullIsMissing = true;
  return w;
}

fields::TextRule profileText() {
  fields::TextRule r;
  r.allowEmpty = true;
  r.requireUtf8 = false;  // the JSON parser already refused ill-formed UTF-8
  r.tooLong = "too long";
  return r;
}

// A map whose keys must all be known (a misspelt field would otherwise
// silently make an applicant ineligible).
Reader object(fields::FieldErrors& errors, const Node& v, const std::string& path,
              std::initializer_list<std::string_view> known) {
  Reader r(errors, v, path);
  r.onlyKeys(known);
  return r;
}

void readDate(fields::FieldErrors& errors, const Node& v, const std::string& path, std::int64_t& out) {
  if (!errors.ok()) return;
  if (!v.isText()) return errors.fail(path, "not a YYYY-MM-DD date");
  auto d = dates::parseDate(v.asText());
  if (!d) return errors.fail(path, d.error().detail);
  out = *d;
}

void date(Reader& r, std::string_view key, std::int64_t& out) {
  if (auto v = r.required(key)) readDate(r.errors(), *v, r.at(key), out);
}

// One of `allowed` ("... is not a, b or c" otherwise).
template <std::size_t K>
void oneOf(Reader& r, std::string_view key, std::string& out, const std::array<std::string_view, K>& allowed,
           std::string_view allowedText) {
  r.text(key, out, profileText());
  if (r.ok() && std::find(allowed.begin(), allowed.end(), out) == allowed.end())
    r.fail(key, "\"" + out.substr(0, 40) + "\" is not " + std::string(allowedText));
}

// A list that may be left out, each item read by read(errors, item, path, T&).
template <class T, class Read>
void list(Reader& r, std::string_view key, std::vector<T>& out, Read read) {
  r.items(key, r.optionalArray(key, kMaxItems), out,
          [&](const Node& item, const std::string& at, T& value) { read(r.errors(), item, at, value); });
}

void readEducation(fields::FieldErrors& errors, const Node& v, const std::string& at, Education& out) {
  Reader e = object(errors, v, at, {"level", "full_time", "graduated"});
  oneOf(e, "level", out.level, catalogue::kEducationLevels, "zhongzhuan, dazhuan, bachelor, master, doctor or postdoc");
  e.optionalBool("full_time", out.fullTime);
  date(e, "graduated", out.graduated);
}

void readSkillLevel(fields::FieldErrors& errors, const Node& v, const std::string& at, SkillLevel& out) {
  Reader e = object(errors, v, at, {"level", "obtained", "occupation"});
  e.uintIn("level", 1, 5, out.level);
  date(e, "obtained", out.obtained);
  e.optionalUint("occupation", out.occupation);
}

void readQualification(fields::FieldErrors& errors, const Node& v, const std::string& at, QualificationHeld& out) {
  Reader e = object(errors, v, at, {"code", "level", "obtained"});
  e.uint("code", out.code);
  e.uint("level", out.level);
  date(e, "obtained", out.obtained);
}

void readTitle(fields::FieldErrors& errors, const Node& v, const std::string& at, TitleHeld& out) {
  Reader e = object(errors, v, at, {"series", "specialty", "level", "granted"});
  e.uint("series", out.series);
  e.uint("specialty", out.specialty);
  e.uintIn("level", 1, 5, out.level);
  date(e, "granted", out.granted);
}

void readAttested(fields::FieldErrors& errors, const Node& v, const std::string& at, std::string& out) {
  if (!errors.ok()) return;
  if (!v.isText()) return errors.fail(at, "not a text");
  out = std::string(v.asText());
  if (!catalogue::isAttestable(out)) errors.fail(at, "\"" + out.substr(0, 40) + "\" is not a condition a clerk attests");
}

// An optional member object: read(reader) fills `out` when it is given.
template <class T, class Read>
void optionalObject(Reader& f, std::string_view key, std::initializer_list<std::string_view> known,
                    std::optional<T>& out, Read read) {
  auto v = f.optional(key);
  if (!v) return;
  Reader e = object(f.errors(), *v, f.at(key), known);
  T value{};
  read(e, value);
  if (f.errors().ok()) out = std::move(value);
}

void readPerson(fields::FieldErrors& errors, const Node& v, const std::string& path, Person& p) {
  Reader f = object(errors, v, path,
                    {"education", "technical_school_class", "technical_work_since", "skill_levels", "qualifications",
                     "titles", "employer", "hr_staff", "high_level_talent", "first_application",
                     "continuing_education_hours", "entrustment_letter", "attested"});
  list(f, "education", p.education, readEducation);
  optionalObject(f, "technical_school_class", {"class", "graduated"}, p.technicalSchoolClass,
                 [](Reader& e, TechnicalSchoolClass& t) {
                   oneOf(e, "class", t.cls, catalogue::kSchoolClasses,
                         "intermediate_worker, senior_worker or preparatory_technician");
                   date(e, "graduated", t.graduated);
                 });
  if (auto since = f.optional("technical_work_since")) {
    std::int64_t d = 0;
    readDate(errors, *since, f.at("technical_work_since"), d);
    if (errors.ok()) p.technicalWorkSince = d;
  }
  list(f, "skill_levels", p.skillLevels, readSkillLevel);
  list(f, "qualifications", p.qualifications, readQualification);
  list(f, "titles", p.titles, readTitle);
  if (auto v2 = f.optional("employer")) {
    Reader e = object(errors, *v2, f.at("employer"), {"kind", "in_zone", "industry", "manufacturing"});
    e.optionalText("kind", p.employer.kind, profileText());
    e.optionalBool("in_zone", p.employer.inZone);
    e.optionalText("industry", p.employer.industry, profileText());
    e.optionalBool("manufacturing", p.employer.manufacturing);
  }
  f.optionalBool("hr_staff", p.hrStaff);
  optionalObject(f, "high_level_talent", {"justification"}, p.highLevelTalent, [](Reader& e, HighLevelTalent& h) {
    e.optionalText("justification", h.justification, profileText());
  });
  f.optionalBool("first_application", p.firstApplication);
  std::optional<std::uint64_t> hours;
  f.optionalUint("continuing_education_hours", hours);
  p.continuingEducationHours = hours.value_or(0);
  optionalObject(f, "entrustment_letter", {"unit", "reference"}, p.entrustmentLetter, [](Reader& e, EntrustmentLetter& l) {
    e.optionalText("unit", l.unit, profileText());
    e.optionalText("reference", l.reference, profileText());
  });
  list(f, "attested", p.attested, readAttested);
}

void readTarget(fields::FieldErrors& errors, const Node& v, const std::string& path, Target& t) {
  Reader f = object(errors, v, path, {"series", "specialty", "level"});
  f.uint("series", t.series);
  f.uint("specialty", t.specialty);
  f.uintIn("level", 1, 5, t.level);
}

Error invalid(const std::string& path, std::string_view what) {
  return makeError(Code::INVALID_ARGUMENT, path + ": " + std::string(what));
}

Result<nlohmann::json> parse(std::string_view text, const std::string& what) {
  if (text.size() > kMaxInput) return invalid(what, "larger than 1 MiB");
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    return invalid(what, std::string("not valid JSON: ") + e.what());
  }
}

}  // namespace

Result<Person> personFromJson(std::string_view text) {
  TC_ASSIGN(nlohmann::json j, parse(text, "person"));
  fields::FieldErrors errors(Code::INVALID_ARGUMENT, profileWording());
  Person p;
  readPerson(errors, Node(j), "person", p);
  TC_TRY(errors.status());
  return p;
}

Result<Request> requestFromJson(std::string_view text, std::optional<std::int64_t> defaultOn) {
  TC_ASSIGN(nlohmann::json j, parse(text, "(request)"));
  fields::FieldErrors errors(Code::INVALID_ARGUMENT, profileWording());
  Reader f = object(errors, Node(j), "", {"on", "person", "target"});
  Request r;
  if (auto on = f.optional("on")) readDate(errors, *on, "on", r.on);
  else if (defaultOn) r.on = *defaultOn;
  else f.fail("on", "missing");
  if (auto person = f.required("person")) readPerson(errors, *person, "person", r.person);
  if (auto target = f.required("target")) readTarget(errors, *target, "target", r.target);
  TC_TRY(errors.status());
  return r;
}

std::string answerToJson(const Answer& a, const catalogue::Catalogue&, std::string_view lang) {
  const bool zh = lang == "zh";
  json::Writer w;
  w.beginObject().key("target").beginObject();
  w.field("series", a.target.series).field("specialty", a.target.specialty).field("level", a.target.level);
  w.key("title_name").beginObject().field("zh", a.titleName.zh).field("en", a.titleName.en).endObject();
  w.endObject();
  w.key("routes").beginArray();
  for (const RouteAnswer& r : a.routes) {
    w.beginObject().field("route", r.route).field("verdict", verdictName(r.verdict));
    if (r.verdict != Verdict::NotEligible && r.from) w.field("from", dates::formatDate(*r.from));
    w.key("rules").beginArray();
    for (const std::string& id : r.rules) w.text(id);
    w.endArray().key("missing").beginArray();
    for (const catalogue::Names& n : r.missing) w.text(zh ? n.zh : n.en);
    w.endArray();
    if (!r.attested.empty()) {
      w.key("attested").beginArray();
      for (const catalogue::Names& n : r.attested) w.text(zh ? n.zh : n.en);
      w.endArray();
    }
    w.endObject();
  }
  w.endArray().endObject();
  return w.str();
}

}  // namespace titlecert::eligibility
