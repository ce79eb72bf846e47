// Writes the catalogue's JSON form: the authored layout of
// data/catalogue/default.json, indented, keys in the documented order.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalogue_form/common.h"
#include "catalogue_form/write.h"
#include "titlecert/catalogue_json.h"

namespace titlecert::catalogue {

namespace {

using namespace writing;
using reading::kFormat;
using ojson = nlohmann::ordered_json;

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


ojson jsonFacts(const std::vector<FactTest>& facts) {
  ojson o = ojson::object();
  for (const FactTest& f : facts) {
    if (f.flag) o[f.fact] = *f.flag;
    else if (f.anyOf.size() == 1) o[f.fact] = f.anyOf.front();
    else o[f.fact] = f.anyOf;
  }
  return o;
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


}  // namespace

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
    if (m.maxLevel) o["max_level"] = *m.maxLevel;
    if (!m.route.empty()) o["route"] = m.route;
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


}  // namespace titlecert::catalogue
