// The catalogue's CBOR form, carried in trust bundles (docs/format.md): the
// generic reader of catalogue_form/ over cbor::Node and cbor::TapeNode, and
// the writer. The
// same field names as the JSON form; titles are keyed by unsigned 1..5.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "catalogue_form/read.h"
#include "catalogue_form/write.h"
#include "titlecert/catalogue.h"
#include "titlecert/cbor_node.h"
#include "titlecert/cbor_tape.h"

namespace titlecert::catalogue {

namespace reading {

// The CBOR form over either CBOR node: a Value tree (catalogues built in
// code) or a tape (catalogues read from a bundle's bytes).
template <class Node>
struct CborForm {
  static constexpr bool kHasSources = false;  // sources stay in the JSON form

  // A map built by anyone must have text keys, each once, and a bounded size.
  static void checkRowMap(fields::FieldErrors& errors, const Node& n, const std::string& path) {
    if (n.size() > kMaxMapEntries)
      return errors.fail(path, "map has more than " + std::to_string(kMaxMapEntries) + " keys");
    // A decoded bundle's maps come in deterministic order (shorter keys
    // first, then bytewise), where no key can repeat: one pass shows it.
    bool inOrder = true, allText = true, first = true;
    std::string_view previous;
    n.forEachEntry([&](const Node& k, const Node&) {
      if (!k.isText()) return allText = false;
      const std::string_view key = k.asText();
      if (!first && !(previous.size() < key.size() || (previous.size() == key.size() && previous < key))) inOrder = false;
      previous = key;
      first = false;
      return true;
    });
    if (!allText) return errors.fail(path, "a map key is not text");
    if (inOrder) return;
    std::vector<std::string_view> keys;
    keys.reserve(n.size());
    n.forEachEntry([&](const Node& k, const Node&) {
      keys.push_back(k.asText());
      return true;
    });
    std::sort(keys.begin(), keys.end());
    auto dup = std::adjacent_find(keys.begin(), keys.end());
    if (dup != keys.end()) errors.fail(member(path, *dup), "duplicate key");
  }

  // Unsigned keys 1..5; `present` says which levels were given.
  static void readTitles(fields::FieldErrors& errors, const Node& n, const std::string& path, TitleNames& out,
                         std::array<bool, 6>& present) {
    if (!n.isMap()) return errors.fail(path, "not a map");
    if (n.size() > 5) return errors.fail(path, "more than 5 levels");
    n.forEachEntry([&](const Node& key, const Node& value) {
      if (!key.isUint() || key.asUint() < 1 || key.asUint() > 5)
        return errors.fail(path, "a key is not an unsigned 1..5"), false;
      const auto level = static_cast<std::size_t>(key.asUint());
      if (present[level]) return errors.fail(path, "duplicate key " + std::to_string(level)), false;
      // A level without a title (null) needs no path.
      if (value.isNull()) out.byLevel[level].reset();
      else readTitleAt(errors, value, member(path, std::to_string(level)), out.byLevel[level]);
      if (!errors.ok()) return false;
      present[level] = true;
      return true;
    });
  }
};

template <>
struct Form<cbor::Node> : CborForm<cbor::Node> {};
template <>
struct Form<cbor::TapeNode> : CborForm<cbor::TapeNode> {};

}  // namespace reading

namespace {

using namespace reading;
using namespace writing;

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


}  // namespace

Result<Catalogue> fromCbor(const cbor::Value& value) { return readCatalogue(cbor::Node(value)); }

Result<Catalogue> fromCbor(const cbor::TapeNode& node) { return readCatalogue(node); }

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
    if (k.maxLevel) cput(m, "max_level", Value::uint(*k.maxLevel));
    if (!k.route.empty()) cput(m, "route", ctext(k.route));
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


}  // namespace titlecert::catalogue
