// The catalogue: reading the JSON form (docs/catalogue.md) and the CBOR form
// carried in trust bundles with one validator, writing both, lookups, and the
// credential code check of ZC1.md §6.
//
// Both forms have the same field names, so one reader (a template over a small
// node adaptor for nlohmann::ordered_json and for cbor::Value) reads the
// shape, and one function checks what spans rows: unique codes, references,
// the route table. Every failure is BAD_CATALOGUE with the field's path.
#include "titlecert/catalogue.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "titlecert/bytes.h"

namespace titlecert::catalogue {

namespace {

using ojson = nlohmann::ordered_json;

constexpr std::string_view kFormat = "titlecert-catalogue/1";

// Bounds on what is read: the JSON comes from files, the CBOR from bundles
// that were signed but are still parsed as untrusted input.
constexpr std::size_t kMaxInputBytes = std::size_t{8} << 20;
constexpr int kMaxJsonDepth = 32;
constexpr std::size_t kMaxText = 4096;          // bytes of one string
constexpr std::size_t kMaxRows = 4096;          // rows of one table
constexpr std::size_t kMaxSeries = 999;
constexpr std::size_t kMaxSpecialties = 99;     // per series: code = series * 100 + 1..99
constexpr std::size_t kMaxQualificationLevels = 64;
constexpr std::size_t kMaxSourceIds = 64;       // per row
constexpr std::size_t kMaxMapEntries = 256;     // keys of one CBOR row map
constexpr std::uint64_t kMaxYears = 100;
constexpr std::size_t kMaxConditions = 32;      // per rule
constexpr std::size_t kMaxTargetCodes = 256;    // per target list
constexpr std::uint64_t kMaxMeasure = 15;       // the zone's measures 1..15
constexpr std::uint64_t kMaxHours = 10000;      // continuing-education hours

// ZC1.md §3.1, normative; index = route code.
constexpr std::array<std::string_view, 11> kRouteIds = {
    "",
    "review",
    "exam",
    "initial_determination",
    "qualification_correspondence",
    "skill_bridging",
    "green_channel",
    "autonomous_review",
    "direct_intermediate",
    "hr_direct_senior",
    "cross_region_confirmation",
};

constexpr std::array<std::string_view, 3> kConfidences = {"confirmed", "inferred", "unconfirmed"};
// CONTRACT.md technical_school_class and education[].level.
constexpr std::array<std::string_view, 3> kSchoolClasses = {"intermediate_worker", "senior_worker",
                                                            "preparatory_technician"};
constexpr std::array<std::string_view, 6> kEducationLevels = {"zhongzhuan", "dazhuan", "bachelor",
                                                              "master",     "doctor",  "postdoc"};

template <std::size_t N>
bool oneOf(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// The root is "" in paths ("series[3].code"), "(catalogue)" on its own.
Error bad(const std::string& path, std::string_view what) {
  return makeError(Code::BAD_CATALOGUE, (path.empty() ? "(catalogue)" : path) + ": " + std::string(what));
}

std::string indexed(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
std::string member(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Equivalence ids: lowercase dotted segments of [a-z0-9_-] (docs/catalogue.md).
bool isRowId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  bool segmentEmpty = true;
  for (char ch : id) {
    if (ch == '.') {
      if (segmentEmpty) return false;
      segmentEmpty = true;
      continue;
    }
    const bool okChar = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    if (!okChar) return false;
    segmentEmpty = false;
  }
  return !segmentEmpty;
}

// ---- Node adaptors ---------------------------------------------------------

class JsonNode {
 public:
  explicit JsonNode(const ojson& j) : j_(&j) {}
  static constexpr bool kIsJson = true;
  bool isMap() const { return j_->is_object(); }
  bool isArray() const { return j_->is_array(); }
  bool isNull() const { return j_->is_null(); }
  bool isUint() const { return j_->is_number_unsigned(); }
  std::uint64_t asUint() const { return j_->get<std::uint64_t>(); }
  bool isText() const { return j_->is_string(); }
  const std::string& asText() const { return j_->get_ref<const std::string&>(); }
  bool isBool() const { return j_->is_boolean(); }
  bool asBool() const { return j_->get<bool>(); }
  std::size_t size() const { return j_->size(); }
  JsonNode item(std::size_t i) const { return JsonNode((*j_)[i]); }
  // An object's keys, in file order.
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : j_->items()) out.push_back(k);
    return out;
  }
  std::optional<JsonNode> find(std::string_view key) const {
    auto it = j_->find(std::string(key));
    if (it == j_->end()) return std::nullopt;
    return JsonNode(*it);
  }
  const ojson& json() const { return *j_; }

 private:
  const ojson* j_;
};

class CborNode {
 public:
  explicit CborNode(const cbor::Value& v) : v_(&v) {}
  static constexpr bool kIsJson = false;
  bool isMap() const { return v_->isMap(); }
  bool isArray() const { return v_->isArray(); }
  bool isNull() const { return v_->isNull(); }
  bool isUint() const { return v_->isUnsigned(); }
  std::uint64_t asUint() const { return v_->raw(); }
  bool isText() const { return v_->isText(); }
  const std::string& asText() const { return v_->asText(); }
  bool isBool() const { return v_->isBool(); }
  bool asBool() const { return v_->asBool(); }
  std::size_t size() const { return v_->isArray() ? v_->asArray().size() : v_->asMap().size(); }
  // A map's keys (checkRowMap made sure they are text, each once).
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : v_->asMap()) out.push_back(k.asText());
    return out;
  }
  CborNode item(std::size_t i) const { return CborNode(v_->asArray()[i]); }
  std::optional<CborNode> find(std::string_view key) const {
    const cbor::Value* m = v_->find(key);
    if (!m) return std::nullopt;
    return CborNode(*m);
  }
  const cbor::Value& value() const { return *v_; }

 private:
  const cbor::Value* v_;
};

// JSON objects had their duplicate keys rejected while parsing; a CBOR map
// built by anyone must have text keys, each once, and a bounded size.
Status checkRowMap(const JsonNode&, const std::string&) { return Status::Ok(); }
Status checkRowMap(const CborNode& n, const std::string& path) {
  const cbor::Map& m = n.value().asMap();
  if (m.size() > kMaxMapEntries) return bad(path, "map has more than " + std::to_string(kMaxMapEntries) + " keys");
  std::vector<std::string_view> keys;
  keys.reserve(m.size());
  for (const auto& [k, v] : m) {
    if (!k.isText()) return bad(path, "a map key is not text");
    keys.push_back(k.asText());
  }
  std::sort(keys.begin(), keys.end());
  auto dup = std::adjacent_find(keys.begin(), keys.end());
  if (dup != keys.end()) return bad(member(path, *dup), "duplicate key");
  return Status::Ok();
}

// ---- Field access ----------------------------------------------------------

// One object (a row), with its path for error details.
template <class N>
class Obj {
 public:
  Obj(N node, std::string path) : n_(node), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return member(path_, key); }
  std::vector<std::string> keys() const { return n_.keys(); }

  // Absent and null are both "not given".
  std::optional<N> opt(std::string_view key) const {
    auto m = n_.find(key);
    if (m && m->isNull()) return std::nullopt;
    return m;
  }
  Result<N> required(std::string_view key) const {
    auto m = n_.find(key);
    if (!m) return bad(at(key), "missing");
    return *m;
  }

  Status uint(std::string_view key, std::uint64_t& out) const {
    TC_ASSIGN(N v, required(key));
    return readUint(v, at(key), out);
  }
  Status optionalUint(std::string_view key, std::optional<std::uint64_t>& out) const {
    out.reset();
    auto v = opt(key);
    if (!v) return Status::Ok();
    std::uint64_t u = 0;
    TC_TRY(readUint(*v, at(key), u));
    out = u;
    return Status::Ok();
  }
  Status text(std::string_view key, std::string& out) const {
    TC_ASSIGN(N v, required(key));
    return readText(v, at(key), out);
  }
  Status optionalText(std::string_view key, std::string& out) const {
    out.clear();
    auto v = opt(key);
    if (!v) return Status::Ok();
    return readText(*v, at(key), out);
  }
  Status names(Names& out) const {
    TC_TRY(text("zh", out.zh));
    return text("en", out.en);
  }
  Result<N> array(std::string_view key, std::size_t maxItems) const {
    TC_ASSIGN(N v, required(key));
    return checkArray(v, at(key), maxItems);
  }
  Status provenance(Provenance& out) const {
    TC_ASSIGN(N list, array("source", kMaxSourceIds));
    if (list.size() == 0) return bad(at("source"), "no source ids");
    out.source.clear();
    out.source.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string id;
      TC_TRY(readText(list.item(i), indexed(at("source"), i), id));
      out.source.push_back(std::move(id));
    }
    TC_TRY(text("confidence", out.confidence));
    if (!oneOf(kConfidences, out.confidence))
      return bad(at("confidence"), "\"" + out.confidence + "\" is not confirmed, inferred or unconfirmed");
    return Status::Ok();
  }

  static Status readUint(const N& v, const std::string& path, std::uint64_t& out) {
    if (!v.isUint()) return bad(path, "not an unsigned integer");
    out = v.asUint();
    return Status::Ok();
  }
  static Status readText(const N& v, const std::string& path, std::string& out) {
    if (!v.isText()) return bad(path, "not a string");
    const std::string& s = v.asText();
    if (s.empty()) return bad(path, "empty");
    if (s.size() > kMaxText) return bad(path, "longer than " + std::to_string(kMaxText) + " bytes");
    if (!isValidUtf8(s)) return bad(path, "not valid UTF-8");
    out = s;
    return Status::Ok();
  }
  static Result<N> checkArray(const N& v, const std::string& path, std::size_t maxItems) {
    if (!v.isArray()) return bad(path, "not an array");
    if (v.size() > maxItems) return bad(path, "more than " + std::to_string(maxItems) + " items");
    return v;
  }

 private:
  N n_;
  std::string path_;
};

template <class N>
Result<Obj<N>> object(const N& n, const std::string& path) {
  if (!n.isMap()) return bad(path, "not an object");
  TC_TRY(checkRowMap(n, path));
  return Obj<N>(n, path);
}

// A table: a required array of objects, each read by `read`.
template <class N, class T, class Read>
Status readTable(const Obj<N>& parent, std::string_view key, std::size_t maxItems, std::vector<T>& out, Read read) {
  TC_ASSIGN(N list, parent.array(key, maxItems));
  out.clear();
  out.reserve(list.size());
  const std::string path = parent.at(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    TC_ASSIGN(Obj<N> row, object(list.item(i), indexed(path, i)));
    T value;
    TC_TRY(read(row, value));
    out.push_back(std::move(value));
  }
  return Status::Ok();
}

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
// were given.
Status readTitles(const JsonNode& n, const std::string& path, TitleNames& out, std::array<bool, 6>& present) {
  if (!n.isMap()) return bad(path, "not an object");
  for (const auto& [key, value] : n.json().items()) {
    if (key.size() != 1 || key[0] < '1' || key[0] > '5') return bad(path, "key \"" + key + "\" is not \"1\"..\"5\"");
    const auto level = static_cast<std::size_t>(key[0] - '0');
    TC_TRY(readTitleAt(JsonNode(value), member(path, key), out.byLevel[level]));
    present[level] = true;
  }
  return Status::Ok();
}

Status readTitles(const CborNode& n, const std::string& path, TitleNames& out, std::array<bool, 6>& present) {
  if (!n.isMap()) return bad(path, "not a map");
  const cbor::Map& m = n.value().asMap();
  if (m.size() > 5) return bad(path, "more than 5 levels");
  for (const auto& [key, value] : m) {
    if (!key.isUnsigned() || key.raw() < 1 || key.raw() > 5) return bad(path, "a key is not an unsigned 1..5");
    const auto level = static_cast<std::size_t>(key.raw());
    if (present[level]) return bad(path, "duplicate key " + std::to_string(level));
    TC_TRY(readTitleAt(CborNode(value), member(path, std::to_string(level)), out.byLevel[level]));
    present[level] = true;
  }
  return Status::Ok();
}

bool anyTitle(const TitleNames& t) {
  for (std::size_t l = 1; l <= 5; ++l)
    if (t.byLevel[l]) return true;
  return false;
}

// A series' titles: every level given.
template <class N>
Status seriesTitles(const Obj<N>& row, TitleNames& out) {
  TC_ASSIGN(N v, row.required("titles"));
  std::array<bool, 6> present{};
  TC_TRY(readTitles(v, row.at("titles"), out, present));
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
  TC_TRY(readTitles(*v, row.at("titles"), t, present));
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

// ---- Rules (docs/policy.md) -------------------------------------------------

template <std::size_t N>
std::size_t indexIn(const std::array<std::string_view, N>& set, std::string_view s) {
  return static_cast<std::size_t>(std::find(set.begin(), set.end(), s) - set.begin());
}

// Facts sorted in the order of kBoolFacts then kTextFacts, so that the JSON
// form (file order) and the CBOR form (sorted keys) read to equal rows.
std::size_t factRank(std::string_view fact) {
  const std::size_t b = indexIn(kBoolFacts, fact);
  return b < kBoolFacts.size() ? b : kBoolFacts.size() + indexIn(kTextFacts, fact);
}
bool isFact(std::string_view key) { return oneOf(kBoolFacts, key) || oneOf(kTextFacts, key); }

template <class N>
Status readFlag(const N& v, const std::string& path, bool& out) {
  if (!v.isBool()) return bad(path, "not a boolean");
  out = v.asBool();
  return Status::Ok();
}

template <class N>
Status readFact(const N& v, const std::string& path, const std::string& key, FactTest& out) {
  out.fact = key;
  if (oneOf(kBoolFacts, key)) {
    bool b = false;
    TC_TRY(readFlag(v, path, b));
    out.flag = b;
    return Status::Ok();
  }
  // A text fact: one string, or a non-empty list of strings.
  if (v.isText()) {
    std::string t;
    TC_TRY(Obj<N>::readText(v, path, t));
    out.anyOf.push_back(std::move(t));
    return Status::Ok();
  }
  if (!v.isArray()) return bad(path, "not a string or a list of strings");
  TC_ASSIGN(N list, Obj<N>::checkArray(v, path, 32));
  if (list.size() == 0) return bad(path, "empty list");
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string t;
    TC_TRY(Obj<N>::readText(list.item(i), indexed(path, i), t));
    out.anyOf.push_back(std::move(t));
  }
  return Status::Ok();
}

void sortFacts(std::vector<FactTest>& facts) {
  std::stable_sort(facts.begin(), facts.end(),
                   [](const FactTest& a, const FactTest& b) { return factRank(a.fact) < factRank(b.fact); });
}

template <class N>
Status readNamesAt(const N& v, const std::string& path, Names& out) {
  TC_ASSIGN(Obj<N> o, object(v, path));
  return o.names(out);
}

// "*" or a list of codes.
template <class N>
Status readCodesOrAny(const Obj<N>& row, std::string_view key, std::optional<std::vector<std::uint64_t>>& out) {
  out.reset();
  TC_ASSIGN(N v, row.required(key));
  if (v.isText()) {
    if (v.asText() != "*") return bad(row.at(key), "not \"*\" or a list of codes");
    return Status::Ok();
  }
  TC_ASSIGN(N list, Obj<N>::checkArray(v, row.at(key), kMaxTargetCodes));
  std::vector<std::uint64_t> codes;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::uint64_t c = 0;
    TC_TRY(Obj<N>::readUint(list.item(i), indexed(row.at(key), i), c));
    codes.push_back(c);
  }
  if (codes.empty()) return bad(row.at(key), "empty list (use \"*\" for any)");
  out = std::move(codes);
  return Status::Ok();
}

template <class N>
Status readCodes(const Obj<N>& row, std::string_view key, std::size_t maxItems, std::vector<std::uint64_t>& out) {
  out.clear();
  auto v = row.opt(key);
  if (!v) return Status::Ok();
  TC_ASSIGN(N list, Obj<N>::checkArray(*v, row.at(key), maxItems));
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::uint64_t c = 0;
    TC_TRY(Obj<N>::readUint(list.item(i), indexed(row.at(key), i), c));
    out.push_back(c);
  }
  return Status::Ok();
}

template <class N>
Status readRuleTarget(const N& v, const std::string& path, RuleTarget& out) {
  TC_ASSIGN(Obj<N> o, object(v, path));
  TC_TRY(readCodesOrAny(o, "series", out.series));
  TC_TRY(readCodesOrAny(o, "specialties", out.specialties));
  TC_TRY(readCodesOrAny(o, "levels", out.levels));
  TC_TRY(readCodes(o, "except_series", kMaxTargetCodes, out.exceptSeries));
  return readCodes(o, "except_specialties", kMaxTargetCodes, out.exceptSpecialties);
}

// A condition: every key must be known, since a condition a reader skipped
// would make the rule more permissive than the bureau wrote it.
template <class N>
Status readCondition(const Obj<N>& row, Condition& out) {
  bool haveMissing = false;
  for (const std::string& key : row.keys()) {
    const std::string p = row.at(key);
    TC_ASSIGN(N v, row.required(key));
    if (key == "education_at_least") {
      std::string t;
      TC_TRY(Obj<N>::readText(v, p, t));
      out.educationAtLeast = std::move(t);
    } else if (key == "full_time") {
      TC_TRY(readFlag(v, p, out.fullTime));
    } else if (key == "technical_school_class_counts") {
      TC_TRY(readFlag(v, p, out.technicalSchoolClassCounts));
    } else if (key == "skill_level_at_most") {
      std::uint64_t u = 0;
      TC_TRY(Obj<N>::readUint(v, p, u));
      out.skillLevelAtMost = u;
    } else if (key == "holds_title_level") {
      std::uint64_t u = 0;
      TC_TRY(Obj<N>::readUint(v, p, u));
      out.holdsTitleLevel = u;
    } else if (key == "same_series") {
      TC_TRY(readFlag(v, p, out.sameSeries));
    } else if (key == "counts_qualifications") {
      TC_TRY(readFlag(v, p, out.countsQualifications));
    } else if (key == "qualification_correspondence") {
      TC_TRY(readFlag(v, p, out.qualificationCorrespondence));
    } else if (key == "skill_equivalence") {
      TC_TRY(readFlag(v, p, out.skillEquivalence));
    } else if (key == "manual_decision") {
      TC_TRY(readFlag(v, p, out.manualDecision));
    } else if (key == "years_of_technical_work") {
      std::uint64_t u = 0;
      TC_TRY(Obj<N>::readUint(v, p, u));
      out.yearsOfTechnicalWork = u;
    } else if (key == "counted_from") {
      TC_ASSIGN(N list, Obj<N>::checkArray(v, p, 8));
      for (std::size_t i = 0; i < list.size(); ++i) {
        std::string t;
        TC_TRY(Obj<N>::readText(list.item(i), indexed(p, i), t));
        out.countedFrom.push_back(std::move(t));
      }
    } else if (key == "continuing_education_hours_at_least") {
      std::uint64_t u = 0;
      TC_TRY(Obj<N>::readUint(v, p, u));
      out.continuingEducationHoursAtLeast = u;
    } else if (key == "unless") {
      TC_ASSIGN(Obj<N> u, object(v, p));
      for (const std::string& fk : u.keys()) {
        if (!isFact(fk)) return bad(u.at(fk), "not a fact a rule may test");
        TC_ASSIGN(N fv, u.required(fk));
        FactTest f;
        TC_TRY(readFact(fv, u.at(fk), fk, f));
        out.unless.push_back(std::move(f));
      }
      if (out.unless.empty()) return bad(p, "empty");
      sortFacts(out.unless);
    } else if (key == "missing") {
      TC_TRY(readNamesAt(v, p, out.missing));
      haveMissing = true;
    } else if (key == "missing_years") {
      Names n;
      TC_TRY(readNamesAt(v, p, n));
      out.missingYears = std::move(n);
    } else if (key == "notes") {
      // for people; not carried
    } else if (isFact(key)) {
      FactTest f;
      TC_TRY(readFact(v, p, key, f));
      out.facts.push_back(std::move(f));
    } else {
      return bad(p, "unknown condition");
    }
  }
  if (!haveMissing) return bad(row.at("missing"), "missing");
  sortFacts(out.facts);
  return Status::Ok();
}

template <class N>
Status readRule(const Obj<N>& row, Rule& out) {
  TC_TRY(row.text("id", out.id));
  TC_TRY(row.text("route", out.route));
  TC_ASSIGN(N target, row.required("target"));
  TC_TRY(readRuleTarget(target, row.at("target"), out.target));
  TC_TRY(readTable(row, "all", kMaxConditions, out.all,
                   [](const Obj<N>& r, Condition& x) { return readCondition(r, x); }));
  TC_TRY(readCodes(row, "measures", kMaxMeasure, out.measures));
  TC_TRY(row.uint("version", out.version));
  TC_TRY(row.names(out.explanation));
  return row.provenance(out.provenance);
}

Status readSources(const JsonNode& n, const std::string& path, std::vector<Source>& out) {
  if (!n.isMap()) return bad(path, "not an object");
  if (n.size() > kMaxRows) return bad(path, "more than " + std::to_string(kMaxRows) + " sources");
  for (const auto& [key, value] : n.json().items()) {
    const std::string p = member(path, key);
    if (key.empty() || key.size() > 64 || !isPrintableAscii(key)) return bad(p, "not a source id");
    TC_ASSIGN(Obj<JsonNode> row, object(JsonNode(value), p));
    Source s;
    s.id = key;
    TC_TRY(row.text("title", s.title));
    if (auto urls = row.opt("urls")) {
      TC_ASSIGN(JsonNode list, Obj<JsonNode>::checkArray(*urls, row.at("urls"), 64));
      for (std::size_t i = 0; i < list.size(); ++i) {
        std::string u;
        TC_TRY(Obj<JsonNode>::readText(list.item(i), indexed(row.at("urls"), i), u));
        s.urls.push_back(std::move(u));
      }
    } else if (auto url = row.opt("url")) {
      std::string u;
      TC_TRY(Obj<JsonNode>::readText(*url, row.at("url"), u));
      s.urls.push_back(std::move(u));
    }
    if (!s.urls.empty()) s.url = s.urls.front();
    out.push_back(std::move(s));
  }
  return Status::Ok();
}

// ---- Cross-row checks --------------------------------------------------------

constexpr std::array<std::string_view, 5> kAnchors = {"graduation", "skill_level", "title", "qualification",
                                                     "technical_work_since"};

Status validateRuleTarget(const Catalogue& c, const RuleTarget& t, const std::string& path) {
  auto seriesOk = [&](const std::vector<std::uint64_t>& list, const std::string& p) -> Status {
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!c.findSeries(list[i])) return bad(indexed(p, i), "series " + std::to_string(list[i]) + " not in the catalogue");
    return Status::Ok();
  };
  auto specialtiesOk = [&](const std::vector<std::uint64_t>& list, const std::string& p) -> Status {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::uint64_t code = list[i];
      if (!c.findSpecialty(code / 100, code))
        return bad(indexed(p, i), "specialty " + std::to_string(code) + " not in the catalogue");
      if (t.series && std::find(t.series->begin(), t.series->end(), code / 100) == t.series->end())
        return bad(indexed(p, i), "specialty " + std::to_string(code) + " is not in the target's series");
    }
    return Status::Ok();
  };
  if (t.series) TC_TRY(seriesOk(*t.series, member(path, "series")));
  TC_TRY(seriesOk(t.exceptSeries, member(path, "except_series")));
  if (t.specialties) TC_TRY(specialtiesOk(*t.specialties, member(path, "specialties")));
  TC_TRY(specialtiesOk(t.exceptSpecialties, member(path, "except_specialties")));
  if (t.levels)
    for (std::size_t i = 0; i < t.levels->size(); ++i)
      if ((*t.levels)[i] < 1 || (*t.levels)[i] > 5)
        return bad(indexed(member(path, "levels"), i), std::to_string((*t.levels)[i]) + " is not a title level 1..5");
  return Status::Ok();
}

// What one condition may combine (docs/policy.md, "The rule language").
Status validateCondition(const Condition& k, const std::string& path) {
  const int selectors = int{k.educationAtLeast.has_value()} + int{k.skillLevelAtMost.has_value()} +
                        int{k.holdsTitleLevel.has_value()} + int{k.qualificationCorrespondence} +
                        int{k.skillEquivalence};
  if (selectors > 1)
    return bad(path, "more than one of education_at_least, skill_level_at_most, holds_title_level, "
                     "qualification_correspondence, skill_equivalence");
  if (k.educationAtLeast && !oneOf(kEducationLevels, *k.educationAtLeast))
    return bad(member(path, "education_at_least"), "\"" + *k.educationAtLeast + "\" is not an education level");
  if ((k.fullTime || k.technicalSchoolClassCounts) && !k.educationAtLeast)
    return bad(member(path, k.fullTime ? "full_time" : "technical_school_class_counts"), "needs education_at_least");
  if (k.skillLevelAtMost && (*k.skillLevelAtMost < 1 || *k.skillLevelAtMost > 5))
    return bad(member(path, "skill_level_at_most"), std::to_string(*k.skillLevelAtMost) + " is not a skill level 1..5");
  if (k.holdsTitleLevel && (*k.holdsTitleLevel < 1 || *k.holdsTitleLevel > 5))
    return bad(member(path, "holds_title_level"), std::to_string(*k.holdsTitleLevel) + " is not a title level 1..5");
  if ((k.sameSeries || k.countsQualifications) && !k.holdsTitleLevel)
    return bad(member(path, k.sameSeries ? "same_series" : "counts_qualifications"), "needs holds_title_level");
  if (k.yearsOfTechnicalWork && *k.yearsOfTechnicalWork > kMaxYears)
    return bad(member(path, "years_of_technical_work"), "more than " + std::to_string(kMaxYears));
  if (k.skillEquivalence && k.yearsOfTechnicalWork)
    return bad(member(path, "years_of_technical_work"), "not with skill_equivalence (the rows give the years)");
  const bool counts = k.yearsOfTechnicalWork.has_value() || k.skillEquivalence;
  if (counts && k.countedFrom.empty()) return bad(member(path, "counted_from"), "missing (needed with the years)");
  if (!counts && !k.countedFrom.empty())
    return bad(member(path, "counted_from"), "given without years_of_technical_work or skill_equivalence");
  std::set<std::string_view> anchors;
  for (std::size_t i = 0; i < k.countedFrom.size(); ++i) {
    const std::string& a = k.countedFrom[i];
    const std::string ap = indexed(member(path, "counted_from"), i);
    if (!oneOf(kAnchors, a))
      return bad(ap, "\"" + a + "\" is not graduation, skill_level, title, qualification or technical_work_since");
    if (!anchors.insert(a).second) return bad(ap, "duplicate \"" + a + "\"");
    const bool fits = a == "technical_work_since" || (a == "graduation" && k.educationAtLeast) ||
                      (a == "skill_level" && (k.skillLevelAtMost || k.skillEquivalence)) ||
                      (a == "title" && k.holdsTitleLevel) || (a == "qualification" && k.qualificationCorrespondence);
    if (!fits) return bad(ap, "\"" + a + "\" is not the date of this condition's selector");
  }
  if (k.missingYears && !counts) return bad(member(path, "missing_years"), "given without years");
  if (!k.unless.empty() && !k.continuingEducationHoursAtLeast)
    return bad(member(path, "unless"), "needs continuing_education_hours_at_least");
  if (k.continuingEducationHoursAtLeast && *k.continuingEducationHoursAtLeast > kMaxHours)
    return bad(member(path, "continuing_education_hours_at_least"), "more than " + std::to_string(kMaxHours));
  const bool testsSomething = selectors > 0 || counts || !k.facts.empty() || k.continuingEducationHoursAtLeast;
  if (k.manualDecision && testsSomething) return bad(member(path, "manual_decision"), "must stand alone");
  if (!k.manualDecision && !testsSomething) return bad(path, "tests nothing");
  return Status::Ok();
}

Status validate(const Catalogue& c, bool checkSources) {
  if (c.version == 0) return bad("version", "must be at least 1");

  std::set<std::string_view> sourceIds;
  for (const Source& s : c.sources) sourceIds.insert(s.id);
  auto provenance = [&](const Provenance& p, const std::string& path) -> Status {
    if (!checkSources) return Status::Ok();
    for (std::size_t i = 0; i < p.source.size(); ++i)
      if (!sourceIds.count(p.source[i]))
        return bad(indexed(member(path, "source"), i), "\"" + p.source[i] + "\" is not in sources");
    return Status::Ok();
  };

  // Levels: the ZC1 title levels 1..5, each once; skill levels within 1..5.
  {
    std::array<bool, 6> seen{};
    for (std::size_t i = 0; i < c.levels.size(); ++i) {
      const std::uint64_t code = c.levels[i].code;
      const std::string p = member(indexed("levels", i), "code");
      if (code < 1 || code > 5) return bad(p, std::to_string(code) + " is not a title level 1..5");
      if (seen[code]) return bad(p, "duplicate " + std::to_string(code));
      seen[code] = true;
    }
    for (std::uint64_t l = 1; l <= 5; ++l)
      if (!seen[l]) return bad("levels", "level " + std::to_string(l) + " missing");
  }
  {
    std::array<bool, 6> seen{};
    for (std::size_t i = 0; i < c.skillLevels.size(); ++i) {
      const std::uint64_t code = c.skillLevels[i].code;
      const std::string p = member(indexed("skill_levels", i), "code");
      if (code < 1 || code > 5) return bad(p, std::to_string(code) + " is not a skill level 1..5");
      if (seen[code]) return bad(p, "duplicate " + std::to_string(code));
      seen[code] = true;
    }
  }

  // Series and their specialties.
  {
    std::set<std::uint64_t> seriesCodes, specialtyCodes;
    for (std::size_t i = 0; i < c.series.size(); ++i) {
      const Series& s = c.series[i];
      const std::string sp = indexed("series", i);
      if (s.code == 0) return bad(member(sp, "code"), "0 is not a series code");
      if (!seriesCodes.insert(s.code).second) return bad(member(sp, "code"), "duplicate " + std::to_string(s.code));
      TC_TRY(provenance(s.provenance, sp));
      for (std::size_t j = 0; j < s.specialties.size(); ++j) {
        const Specialty& x = s.specialties[j];
        const std::string xp = indexed(member(sp, "specialties"), j);
        if (x.code / 100 != s.code || x.code % 100 == 0)
          return bad(member(xp, "code"), std::to_string(x.code) + " is not in series " + std::to_string(s.code) +
                                             "'s range " + std::to_string(s.code) + "01.." + std::to_string(s.code) +
                                             "99");
        if (!specialtyCodes.insert(x.code).second)
          return bad(member(xp, "code"), "duplicate " + std::to_string(x.code));
        TC_TRY(provenance(x.provenance, xp));
      }
    }
  }

  // Routes: exactly ZC1's ten.
  {
    std::array<bool, kRouteIds.size()> seen{};
    for (std::size_t i = 0; i < c.routes.size(); ++i) {
      const Route& r = c.routes[i];
      const std::string rp = indexed("routes", i);
      if (r.code < zc1::kMinRoute || r.code > zc1::kMaxRoute)
        return bad(member(rp, "code"), std::to_string(r.code) + " is not a ZC1 route 1..10");
      if (seen[r.code]) return bad(member(rp, "code"), "duplicate " + std::to_string(r.code));
      seen[r.code] = true;
      if (r.id != kRouteIds[r.code])
        return bad(member(rp, "id"), "route " + std::to_string(r.code) + " is \"" + std::string(kRouteIds[r.code]) +
                                         "\" in ZC1, not \"" + r.id + "\"");
    }
    for (std::uint64_t code = zc1::kMinRoute; code <= zc1::kMaxRoute; ++code)
      if (!seen[code]) return bad("routes", "route " + std::to_string(code) + " (" + std::string(kRouteIds[code]) + ") missing");
  }

  // Committees.
  {
    std::set<std::uint64_t> codes;
    for (std::size_t i = 0; i < c.committees.size(); ++i) {
      const Committee& m = c.committees[i];
      const std::string mp = indexed("committees", i);
      if (!codes.insert(m.code).second) return bad(member(mp, "code"), "duplicate " + std::to_string(m.code));
      if (m.series && !c.findSeries(*m.series))
        return bad(member(mp, "series"), "series " + std::to_string(*m.series) + " not in the catalogue");
      if (!m.specialties.empty() && !m.series) return bad(member(mp, "specialties"), "given without a series");
      for (std::size_t j = 0; j < m.specialties.size(); ++j)
        if (!c.findSpecialty(*m.series, m.specialties[j]))
          return bad(indexed(member(mp, "specialties"), j), "specialty " + std::to_string(m.specialties[j]) +
                                                                " is not in series " + std::to_string(*m.series));
      TC_TRY(provenance(m.provenance, mp));
    }
  }

  // Qualifications.
  {
    std::set<std::uint64_t> codes;
    std::set<std::string_view> ids;
    for (std::size_t i = 0; i < c.qualifications.size(); ++i) {
      const Qualification& q = c.qualifications[i];
      const std::string qp = indexed("qualifications", i);
      if (!codes.insert(q.code).second) return bad(member(qp, "code"), "duplicate " + std::to_string(q.code));
      if (!q.id.empty()) {
        if (!isRowId(q.id) || q.id.find('.') != std::string::npos)
          return bad(member(qp, "id"), "\"" + q.id + "\" is not a lowercase slug of [a-z0-9_-]");
        if (!ids.insert(q.id).second) return bad(member(qp, "id"), "duplicate \"" + q.id + "\"");
      }
      std::set<std::uint64_t> levelCodes;
      for (std::size_t j = 0; j < q.levels.size(); ++j) {
        const std::uint64_t code = q.levels[j].code;
        const std::string lp = member(indexed(member(qp, "levels"), j), "code");
        if (!levelCodes.insert(code).second) return bad(lp, "duplicate " + std::to_string(code));
        if (q.kind == QualificationKind::Skill) {
          const bool known = std::any_of(c.skillLevels.begin(), c.skillLevels.end(),
                                         [&](const Level& l) { return l.code == code; });
          if (!known) return bad(lp, std::to_string(code) + " is not in skill_levels");
        }
      }
      TC_TRY(provenance(q.provenance, qp));
    }
  }

  // Equivalences.
  {
    std::set<std::string_view> ids;
    for (std::size_t i = 0; i < c.equivalences.size(); ++i) {
      const Equivalence& e = c.equivalences[i];
      const std::string ep = indexed("equivalences", i);
      if (!isRowId(e.id)) return bad(member(ep, "id"), "\"" + e.id + "\" is not dotted segments of [a-z0-9_-]");
      if (!ids.insert(e.id).second) return bad(member(ep, "id"), "duplicate \"" + e.id + "\"");
      const Qualification* q = c.findQualification(e.qualification);
      if (!q)
        return bad(member(ep, "qualification"), "qualification " + std::to_string(e.qualification) +
                                                    " not in the catalogue");
      if (!c.findQualificationLevel(e.qualification, e.level))
        return bad(member(ep, "level"), std::to_string(e.level) + " is not a level of qualification " +
                                            std::to_string(e.qualification));
      if (!c.findSeries(e.series))
        return bad(member(ep, "series"), "series " + std::to_string(e.series) + " not in the catalogue");
      if (e.specialty && !c.findSpecialty(e.series, *e.specialty))
        return bad(member(ep, "specialty"), "specialty " + std::to_string(*e.specialty) + " is not in series " +
                                                std::to_string(e.series));
      if (e.titleLevel < 1 || e.titleLevel > 5)
        return bad(member(ep, "title_level"), std::to_string(e.titleLevel) + " is not a title level 1..5");
      if (!c.findTitle(e.series, e.specialty.value_or(0), e.titleLevel))
        return bad(member(ep, "title_level"), "series " + std::to_string(e.series) +
                                                  (e.specialty ? " specialty " + std::to_string(*e.specialty) : "") +
                                                  " has no title at level " + std::to_string(e.titleLevel));
      if (e.kind == EquivalenceKind::Recognised) {
        if (e.years != 0) return bad(member(ep, "years"), "must be 0 for a recognised row");
        if (q->kind != QualificationKind::Vocational)
          return bad(member(ep, "kind"), "recognised, but qualification " + std::to_string(q->code) + " is a skill");
      } else {
        if (e.years == 0 || e.years > kMaxYears)
          return bad(member(ep, "years"), "must be 1.." + std::to_string(kMaxYears) + " for an eligible_to_apply row");
        if (q->kind != QualificationKind::Skill)
          return bad(member(ep, "kind"), "eligible_to_apply, but qualification " + std::to_string(q->code) +
                                             " is not a skill");
      }
      TC_TRY(provenance(e.provenance, ep));
    }
  }

  // Education equivalences.
  {
    std::set<std::string_view> ids;
    for (std::size_t i = 0; i < c.educationEquivalences.size(); ++i) {
      const EducationEquivalence& e = c.educationEquivalences[i];
      const std::string ep = indexed("education_equivalence", i);
      if (!isRowId(e.id)) return bad(member(ep, "id"), "\"" + e.id + "\" is not dotted segments of [a-z0-9_-]");
      if (!ids.insert(e.id).second) return bad(member(ep, "id"), "duplicate \"" + e.id + "\"");
      if (!oneOf(kSchoolClasses, e.from)) return bad(member(ep, "from"), "\"" + e.from + "\" is not a technical-school class");
      if (!oneOf(kEducationLevels, e.equivalentTo))
        return bad(member(ep, "equivalent_to"), "\"" + e.equivalentTo + "\" is not an education level");
      TC_TRY(provenance(e.provenance, ep));
    }
  }

  // Rules.
  {
    std::set<std::string_view> rowIds;
    for (const Equivalence& e : c.equivalences) rowIds.insert(e.id);
    for (const EducationEquivalence& e : c.educationEquivalences) rowIds.insert(e.id);
    std::set<std::string_view> ids;
    for (std::size_t i = 0; i < c.rules.size(); ++i) {
      const Rule& r = c.rules[i];
      const std::string rp = indexed("rules", i);
      if (!isRowId(r.id)) return bad(member(rp, "id"), "\"" + r.id + "\" is not dotted segments of [a-z0-9_-]");
      if (!ids.insert(r.id).second) return bad(member(rp, "id"), "duplicate \"" + r.id + "\"");
      if (rowIds.count(r.id))
        return bad(member(rp, "id"), "\"" + r.id + "\" is already the id of an equivalence or education row");
      if (!c.findRouteById(r.route)) return bad(member(rp, "route"), "\"" + r.route + "\" is not a route of the catalogue");
      TC_TRY(validateRuleTarget(c, r.target, member(rp, "target")));
      if (r.all.empty()) return bad(member(rp, "all"), "no conditions");
      for (std::size_t j = 0; j < r.all.size(); ++j)
        TC_TRY(validateCondition(r.all[j], indexed(member(rp, "all"), j)));
      if (r.measures.empty()) return bad(member(rp, "measures"), "missing or empty (the zone's measures 1..15)");
      for (std::size_t j = 0; j < r.measures.size(); ++j)
        if (r.measures[j] < 1 || r.measures[j] > kMaxMeasure)
          return bad(indexed(member(rp, "measures"), j), std::to_string(r.measures[j]) + " is not a measure 1..15");
      if (r.version < 1 || r.version > c.version)
        return bad(member(rp, "version"), std::to_string(r.version) + " is not 1.." + std::to_string(c.version) +
                                              " (the catalogue's version)");
      TC_TRY(provenance(r.provenance, rp));
    }
  }
  return Status::Ok();
}

// ---- The whole catalogue ---------------------------------------------------

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
  if constexpr (N::kIsJson) {
    TC_ASSIGN(N sources, o.required("sources"));
    TC_TRY(readSources(sources, "sources", c.sources));
  }
  TC_TRY(validate(c, N::kIsJson));
  return c;
}

// Rejects duplicate keys and deep nesting while nlohmann parses.
struct JsonReject {
  std::string detail;
};

class JsonGuard {
 public:
  bool operator()(int depth, ojson::parse_event_t event, ojson& parsed) {
    switch (event) {
      case ojson::parse_event_t::object_start:
        if (depth >= kMaxJsonDepth) throw JsonReject{"nested deeper than " + std::to_string(kMaxJsonDepth)};
        keys_.emplace_back();
        break;
      case ojson::parse_event_t::array_start:
        if (depth >= kMaxJsonDepth) throw JsonReject{"nested deeper than " + std::to_string(kMaxJsonDepth)};
        break;
      case ojson::parse_event_t::object_end:
        if (!keys_.empty()) keys_.pop_back();
        break;
      case ojson::parse_event_t::key:
        if (!keys_.empty() && !keys_.back().insert(parsed.get<std::string>()).second)
          throw JsonReject{"duplicate key \"" + parsed.get<std::string>() + "\" in an object"};
        break;
      default:
        break;
    }
    return true;
  }

 private:
  std::vector<std::set<std::string>> keys_;
};

// ---- Writing -----------------------------------------------------------------

std::string_view kindName(QualificationKind k) { return k == QualificationKind::Skill ? "skill" : "vocational"; }
std::string_view kindName(EquivalenceKind k) {
  return k == EquivalenceKind::EligibleToApply ? "eligible_to_apply" : "recognised";
}

void putNames(ojson& j, const Names& n) {
  j["zh"] = n.zh;
  j["en"] = n.en;
}
void putProvenance(ojson& j, const Provenance& p) {
  j["source"] = p.source;
  j["confidence"] = p.confidence;
}
ojson jsonTitles(const TitleNames& t) {
  ojson j = ojson::object();
  for (std::size_t l = 1; l <= 5; ++l) {
    const std::string key = std::to_string(l);
    if (t.byLevel[l]) {
      ojson n = ojson::object();
      putNames(n, *t.byLevel[l]);
      j[key] = std::move(n);
    } else {
      j[key] = nullptr;
    }
  }
  return j;
}
ojson jsonLevels(const std::vector<Level>& levels) {
  ojson a = ojson::array();
  for (const Level& l : levels) {
    ojson j = ojson::object();
    j["code"] = l.code;
    putNames(j, l.names);
    a.push_back(std::move(j));
  }
  return a;
}

// CBOR building: rows are maps with text keys; encode() sorts them.
using cbor::Value;
Value ctext(std::string_view s) { return Value::text(std::string(s)); }
void cput(cbor::Map& m, std::string_view key, Value v) { m.emplace_back(ctext(key), std::move(v)); }
void cputNames(cbor::Map& m, const Names& n) {
  cput(m, "zh", ctext(n.zh));
  cput(m, "en", ctext(n.en));
}
void cputProvenance(cbor::Map& m, const Provenance& p) {
  cbor::Array ids;
  ids.reserve(p.source.size());
  for (const std::string& s : p.source) ids.push_back(ctext(s));
  cput(m, "source", Value::array(std::move(ids)));
  cput(m, "confidence", ctext(p.confidence));
}
Value cborTitles(const TitleNames& t) {
  cbor::Map m;
  for (std::size_t l = 1; l <= 5; ++l) {
    if (t.byLevel[l]) {
      cbor::Map n;
      cputNames(n, *t.byLevel[l]);
      m.emplace_back(Value::uint(l), Value::map(std::move(n)));
    } else {
      m.emplace_back(Value::uint(l), Value::null());
    }
  }
  return Value::map(std::move(m));
}
Value cborLevels(const std::vector<Level>& levels) {
  cbor::Array a;
  for (const Level& l : levels) {
    cbor::Map m;
    cput(m, "code", Value::uint(l.code));
    cputNames(m, l.names);
    a.push_back(Value::map(std::move(m)));
  }
  return Value::array(std::move(a));
}
Value cborCodes(const std::vector<std::uint64_t>& codes) {
  cbor::Array a;
  for (std::uint64_t c : codes) a.push_back(Value::uint(c));
  return Value::array(std::move(a));
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

ojson jsonFacts(const std::vector<FactTest>& facts) {
  ojson o = ojson::object();
  for (const FactTest& f : facts) {
    if (f.flag) o[f.fact] = *f.flag;
    else if (f.anyOf.size() == 1) o[f.fact] = f.anyOf.front();
    else o[f.fact] = f.anyOf;
  }
  return o;
}
Value cborFacts(const std::vector<FactTest>& facts) {
  cbor::Map m;
  for (const FactTest& f : facts) {
    Value v;
    if (f.flag) v = Value::boolean(*f.flag);
    else if (f.anyOf.size() == 1) v = ctext(f.anyOf.front());
    else {
      cbor::Array a;
      for (const std::string& t : f.anyOf) a.push_back(ctext(t));
      v = Value::array(std::move(a));
    }
    cput(m, f.fact, std::move(v));
  }
  return Value::map(std::move(m));
}

ojson jsonRule(const Rule& r) {
  ojson o = ojson::object();
  o["id"] = r.id;
  o["route"] = r.route;
  ojson t = ojson::object();
  auto anyOrCodes = [](const std::optional<std::vector<std::uint64_t>>& v) -> ojson {
    return v ? ojson(*v) : ojson("*");
  };
  t["series"] = anyOrCodes(r.target.series);
  t["specialties"] = anyOrCodes(r.target.specialties);
  t["levels"] = anyOrCodes(r.target.levels);
  if (!r.target.exceptSeries.empty()) t["except_series"] = r.target.exceptSeries;
  if (!r.target.exceptSpecialties.empty()) t["except_specialties"] = r.target.exceptSpecialties;
  o["target"] = std::move(t);
  ojson all = ojson::array();
  for (const Condition& k : r.all) {
    ojson c = ojson::object();
    writeCondition(
        k, [&](std::string_view key, ojson v) { c[std::string(key)] = std::move(v); },
        [](const std::string& s) { return ojson(s); }, [](std::uint64_t u) { return ojson(u); },
        [](bool b) { return ojson(b); }, [](const std::vector<std::string>& l) { return ojson(l); });
    if (!k.unless.empty()) c["unless"] = jsonFacts(k.unless);
    ojson missing = ojson::object();
    putNames(missing, k.missing);
    c["missing"] = std::move(missing);
    if (k.missingYears) {
      ojson my = ojson::object();
      putNames(my, *k.missingYears);
      c["missing_years"] = std::move(my);
    }
    all.push_back(std::move(c));
  }
  o["all"] = std::move(all);
  o["measures"] = r.measures;
  o["version"] = r.version;
  putNames(o, r.explanation);
  putProvenance(o, r.provenance);
  return o;
}

Value cborRule(const Rule& r) {
  cbor::Map m;
  cput(m, "id", ctext(r.id));
  cput(m, "route", ctext(r.route));
  cbor::Map t;
  auto anyOrCodes = [](const std::optional<std::vector<std::uint64_t>>& v) { return v ? cborCodes(*v) : ctext("*"); };
  cput(t, "series", anyOrCodes(r.target.series));
  cput(t, "specialties", anyOrCodes(r.target.specialties));
  cput(t, "levels", anyOrCodes(r.target.levels));
  if (!r.target.exceptSeries.empty()) cput(t, "except_series", cborCodes(r.target.exceptSeries));
  if (!r.target.exceptSpecialties.empty()) cput(t, "except_specialties", cborCodes(r.target.exceptSpecialties));
  cput(m, "target", Value::map(std::move(t)));
  cbor::Array all;
  for (const Condition& k : r.all) {
    cbor::Map c;
    writeCondition(
        k, [&](std::string_view key, Value v) { cput(c, key, std::move(v)); },
        [](const std::string& s) { return ctext(s); }, [](std::uint64_t u) { return Value::uint(u); },
        [](bool b) { return Value::boolean(b); },
        [](const std::vector<std::string>& l) {
          cbor::Array a;
          for (const std::string& x : l) a.push_back(ctext(x));
          return Value::array(std::move(a));
        });
    if (!k.unless.empty()) cput(c, "unless", cborFacts(k.unless));
    cbor::Map missing;
    cputNames(missing, k.missing);
    cput(c, "missing", Value::map(std::move(missing)));
    if (k.missingYears) {
      cbor::Map my;
      cputNames(my, *k.missingYears);
      cput(c, "missing_years", Value::map(std::move(my)));
    }
    all.push_back(Value::map(std::move(c)));
  }
  cput(m, "all", Value::array(std::move(all)));
  cput(m, "measures", cborCodes(r.measures));
  cput(m, "version", Value::uint(r.version));
  cputNames(m, r.explanation);
  cputProvenance(m, r.provenance);
  return Value::map(std::move(m));
}

const Specialty* specialtyOf(const Series& s, std::uint64_t code) {
  for (const Specialty& x : s.specialties)
    if (x.code == code) return &x;
  return nullptr;
}

}  // namespace

// ---- Lookups -----------------------------------------------------------------

const std::optional<Names>& TitleNames::at(std::uint64_t level) const {
  static const std::optional<Names> kNone;
  if (level < 1 || level > 5) return kNone;
  return byLevel[level];
}

const Series* Catalogue::findSeries(std::uint64_t code) const {
  for (const Series& s : series)
    if (s.code == code) return &s;
  return nullptr;
}

const Specialty* Catalogue::findSpecialty(std::uint64_t seriesCode, std::uint64_t specialty) const {
  const Series* s = findSeries(seriesCode);
  return s ? specialtyOf(*s, specialty) : nullptr;
}

const Route* Catalogue::findRoute(std::uint64_t code) const {
  for (const Route& r : routes)
    if (r.code == code) return &r;
  return nullptr;
}

const Route* Catalogue::findRouteById(std::string_view id) const {
  for (const Route& r : routes)
    if (r.id == id) return &r;
  return nullptr;
}

const Committee* Catalogue::findCommittee(std::uint64_t code) const {
  for (const Committee& c : committees)
    if (c.code == code) return &c;
  return nullptr;
}

const Qualification* Catalogue::findQualification(std::uint64_t code) const {
  for (const Qualification& q : qualifications)
    if (q.code == code) return &q;
  return nullptr;
}

const Level* Catalogue::findLevel(std::uint64_t code) const {
  for (const Level& l : levels)
    if (l.code == code) return &l;
  return nullptr;
}

const Level* Catalogue::findQualificationLevel(std::uint64_t qualification, std::uint64_t level) const {
  const Qualification* q = findQualification(qualification);
  if (!q) return nullptr;
  for (const Level& l : q->levels)
    if (l.code == level) return &l;
  return nullptr;
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

const Rule* Catalogue::findRule(std::string_view id) const {
  for (const Rule& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

// ---- Reading -----------------------------------------------------------------

Result<Catalogue> fromJson(std::string_view json) {
  if (json.size() > kMaxInputBytes) return bad("(catalogue)", "larger than 8 MiB");
  ojson doc;
  try {
    doc = ojson::parse(json.begin(), json.end(), JsonGuard());
  } catch (const JsonReject& r) {
    return bad("(catalogue)", r.detail);
  } catch (const nlohmann::json::exception& e) {
    return bad("(catalogue)", std::string("not valid JSON: ") + e.what());
  }
  return readCatalogue(JsonNode(doc));
}

Result<Catalogue> fromCbor(const cbor::Value& value) { return readCatalogue(CborNode(value)); }

Result<Catalogue> loadFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return makeError(Code::IO_ERROR, path + ": " + std::strerror(errno));
  std::string data;
  char buf[65536];
  bool tooBig = false;
  for (;;) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, f);
    data.append(buf, n);
    if (data.size() > kMaxInputBytes) {
      tooBig = true;
      break;
    }
    if (n < sizeof buf) break;
  }
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) return makeError(Code::IO_ERROR, path + ": " + std::strerror(err));
  if (tooBig) return makeError(Code::BAD_CATALOGUE, path + ": larger than 8 MiB");
  auto c = fromJson(data);
  if (!c) return makeError(c.error().code, path + ": " + c.error().detail);
  return c;
}

std::string defaultPath() {
  constexpr std::string_view kRelative = "/catalogue/default.json";
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("TITLECERT_DATA_DIR"); env && *env)
    candidates.push_back(std::string(env) + std::string(kRelative));
#ifdef TITLECERT_BUILD_DATA_DIR
  candidates.push_back(std::string(TITLECERT_BUILD_DATA_DIR) + std::string(kRelative));
#endif
#ifdef TITLECERT_INSTALL_DATA_DIR
  candidates.push_back(std::string(TITLECERT_INSTALL_DATA_DIR) + std::string(kRelative));
#endif
  if (candidates.empty()) return "data" + std::string(kRelative);
  for (const std::string& p : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  return candidates.front();  // none exists: loadFile names the first choice
}

Result<Catalogue> loadDefault() { return loadFile(defaultPath()); }

// ---- Writing -----------------------------------------------------------------

std::string toJson(const Catalogue& c) {
  ojson j = ojson::object();
  j["format"] = std::string(kFormat);
  j["version"] = c.version;
  j["levels"] = jsonLevels(c.levels);
  j["skill_levels"] = jsonLevels(c.skillLevels);

  ojson series = ojson::array();
  for (const Series& s : c.series) {
    ojson o = ojson::object();
    o["code"] = s.code;
    putNames(o, s.names);
    o["titles"] = jsonTitles(s.titles);
    ojson specialties = ojson::array();
    for (const Specialty& x : s.specialties) {
      ojson so = ojson::object();
      so["code"] = x.code;
      putNames(so, x.names);
      if (x.titles) so["titles"] = jsonTitles(*x.titles);
      putProvenance(so, x.provenance);
      specialties.push_back(std::move(so));
    }
    o["specialties"] = std::move(specialties);
    putProvenance(o, s.provenance);
    series.push_back(std::move(o));
  }
  j["series"] = std::move(series);

  ojson routes = ojson::array();
  for (const Route& r : c.routes) {
    ojson o = ojson::object();
    o["code"] = r.code;
    o["id"] = r.id;
    putNames(o, r.names);
    routes.push_back(std::move(o));
  }
  j["routes"] = std::move(routes);

  ojson committees = ojson::array();
  for (const Committee& m : c.committees) {
    ojson o = ojson::object();
    o["code"] = m.code;
    putNames(o, m.names);
    if (m.series) o["series"] = *m.series;
    if (!m.specialties.empty()) o["specialties"] = m.specialties;
    putProvenance(o, m.provenance);
    committees.push_back(std::move(o));
  }
  j["committees"] = std::move(committees);

  ojson qualifications = ojson::array();
  for (const Qualification& q : c.qualifications) {
    ojson o = ojson::object();
    o["code"] = q.code;
    if (!q.id.empty()) o["id"] = q.id;
    putNames(o, q.names);
    o["kind"] = std::string(kindName(q.kind));
    o["levels"] = jsonLevels(q.levels);
    putProvenance(o, q.provenance);
    qualifications.push_back(std::move(o));
  }
  j["qualifications"] = std::move(qualifications);

  ojson equivalences = ojson::array();
  for (const Equivalence& e : c.equivalences) {
    ojson o = ojson::object();
    o["id"] = e.id;
    o["qualification"] = e.qualification;
    o["level"] = e.level;
    o["series"] = e.series;
    if (e.specialty) o["specialty"] = *e.specialty;
    o["title_level"] = e.titleLevel;
    o["kind"] = std::string(kindName(e.kind));
    o["years"] = e.years;
    if (!e.basis.empty()) o["basis"] = e.basis;
    putProvenance(o, e.provenance);
    equivalences.push_back(std::move(o));
  }
  j["equivalences"] = std::move(equivalences);

  ojson education = ojson::array();
  for (const EducationEquivalence& e : c.educationEquivalences) {
    ojson o = ojson::object();
    o["id"] = e.id;
    o["from"] = e.from;
    o["equivalent_to"] = e.equivalentTo;
    o["zh"] = e.zh;
    putProvenance(o, e.provenance);
    education.push_back(std::move(o));
  }
  j["education_equivalence"] = std::move(education);

  if (!c.rules.empty()) {
    ojson rules = ojson::array();
    for (const Rule& r : c.rules) rules.push_back(jsonRule(r));
    j["rules"] = std::move(rules);
  }

  ojson sources = ojson::object();
  for (const Source& s : c.sources) {
    ojson o = ojson::object();
    o["title"] = s.title;
    o["urls"] = s.urls;
    sources[s.id] = std::move(o);
  }
  j["sources"] = std::move(sources);

  // Text was checked to be UTF-8 when read; `replace` keeps a hand-built
  // catalogue with bad bytes from throwing.
  return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

cbor::Value toCbor(const Catalogue& c) {
  cbor::Map top;
  cput(top, "format", ctext(kFormat));
  cput(top, "version", Value::uint(c.version));
  cput(top, "levels", cborLevels(c.levels));
  cput(top, "skill_levels", cborLevels(c.skillLevels));

  cbor::Array series;
  for (const Series& s : c.series) {
    cbor::Map m;
    cput(m, "code", Value::uint(s.code));
    cputNames(m, s.names);
    cput(m, "titles", cborTitles(s.titles));
    cbor::Array specialties;
    for (const Specialty& x : s.specialties) {
      cbor::Map sm;
      cput(sm, "code", Value::uint(x.code));
      cputNames(sm, x.names);
      if (x.titles) cput(sm, "titles", cborTitles(*x.titles));
      cputProvenance(sm, x.provenance);
      specialties.push_back(Value::map(std::move(sm)));
    }
    cput(m, "specialties", Value::array(std::move(specialties)));
    cputProvenance(m, s.provenance);
    series.push_back(Value::map(std::move(m)));
  }
  cput(top, "series", Value::array(std::move(series)));

  cbor::Array routes;
  for (const Route& r : c.routes) {
    cbor::Map m;
    cput(m, "code", Value::uint(r.code));
    cput(m, "id", ctext(r.id));
    cputNames(m, r.names);
    routes.push_back(Value::map(std::move(m)));
  }
  cput(top, "routes", Value::array(std::move(routes)));

  cbor::Array committees;
  for (const Committee& k : c.committees) {
    cbor::Map m;
    cput(m, "code", Value::uint(k.code));
    cputNames(m, k.names);
    if (k.series) cput(m, "series", Value::uint(*k.series));
    if (!k.specialties.empty()) cput(m, "specialties", cborCodes(k.specialties));
    cputProvenance(m, k.provenance);
    committees.push_back(Value::map(std::move(m)));
  }
  cput(top, "committees", Value::array(std::move(committees)));

  cbor::Array qualifications;
  for (const Qualification& q : c.qualifications) {
    cbor::Map m;
    cput(m, "code", Value::uint(q.code));
    if (!q.id.empty()) cput(m, "id", ctext(q.id));
    cputNames(m, q.names);
    cput(m, "kind", ctext(kindName(q.kind)));
    cput(m, "levels", cborLevels(q.levels));
    cputProvenance(m, q.provenance);
    qualifications.push_back(Value::map(std::move(m)));
  }
  cput(top, "qualifications", Value::array(std::move(qualifications)));

  cbor::Array equivalences;
  for (const Equivalence& e : c.equivalences) {
    cbor::Map m;
    cput(m, "id", ctext(e.id));
    cput(m, "qualification", Value::uint(e.qualification));
    cput(m, "level", Value::uint(e.level));
    cput(m, "series", Value::uint(e.series));
    if (e.specialty) cput(m, "specialty", Value::uint(*e.specialty));
    cput(m, "title_level", Value::uint(e.titleLevel));
    cput(m, "kind", ctext(kindName(e.kind)));
    cput(m, "years", Value::uint(e.years));
    if (!e.basis.empty()) cput(m, "basis", ctext(e.basis));
    cputProvenance(m, e.provenance);
    equivalences.push_back(Value::map(std::move(m)));
  }
  cput(top, "equivalences", Value::array(std::move(equivalences)));

  cbor::Array education;
  for (const EducationEquivalence& e : c.educationEquivalences) {
    cbor::Map m;
    cput(m, "id", ctext(e.id));
    cput(m, "from", ctext(e.from));
    cput(m, "equivalent_to", ctext(e.equivalentTo));
    cput(m, "zh", ctext(e.zh));
    cputProvenance(m, e.provenance);
    education.push_back(Value::map(std::move(m)));
  }
  cput(top, "education_equivalence", Value::array(std::move(education)));
  if (!c.rules.empty()) {
    cbor::Array rules;
    for (const Rule& r : c.rules) rules.push_back(cborRule(r));
    cput(top, "rules", Value::array(std::move(rules)));
  }
  return Value::map(std::move(top));
}

// ---- Code check (ZC1.md §6) --------------------------------------------------

namespace {
Error badClaims(std::string detail) { return makeError(Code::BAD_CLAIMS, std::move(detail)); }
}  // namespace

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
