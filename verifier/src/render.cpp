// How a verification outcome is shown: CONTRACT.md's JSON object, and lines
// for people in Chinese or English.
#include <nlohmann/json.hpp>
#include <sstream>

#include "titlecert/dates.h"
#include "titlecert/verifier.h"

namespace titlecert::verifier {
namespace {

using Json = nlohmann::ordered_json;

const char* pick(Lang lang, const char* zh, const char* en) { return lang == Lang::Zh ? zh : en; }
const std::string& pick(Lang lang, const catalogue::Names& n) { return lang == Lang::Zh ? n.zh : n.en; }

Json names(std::uint64_t code, const catalogue::Names* n) {
  Json j = {{"code", code}, {"zh", nullptr}, {"en", nullptr}};
  if (n) {
    j["zh"] = n->zh;
    j["en"] = n->en;
  }
  return j;
}

Json optionalNames(const std::optional<catalogue::Names>& n) {
  if (!n) return nullptr;
  return {{"zh", n->zh}, {"en", n->en}};
}

const catalogue::Names* seriesNames(const catalogue::Catalogue& cat, std::uint64_t code) {
  const auto* s = cat.findSeries(code);
  return s ? &s->names : nullptr;
}

void titleFields(const catalogue::Catalogue& cat, const zc1::TitleBody& t, Json& j) {
  const auto* sp = cat.findSpecialty(t.series, t.specialty);
  const auto* lv = cat.findLevel(t.level);
  const auto* route = cat.findRoute(t.route);
  j["series"] = names(t.series, seriesNames(cat, t.series));
  j["specialty"] = names(t.specialty, sp ? &sp->names : nullptr);
  j["level"] = names(t.level, lv ? &lv->names : nullptr);
  j["route"] = names(t.route, route ? &route->names : nullptr);
  j["route"]["id"] = route ? Json(route->id) : Json(nullptr);
  j["title_name"] = optionalNames(cat.titleName(t.series, t.specialty, t.level));
  j["grant_date"] = dates::formatDate(static_cast<std::int64_t>(t.grantDate));
  j["approval_no"] = t.approvalNo ? Json(*t.approvalNo) : Json(nullptr);
  const auto* committee = t.committee ? cat.findCommittee(*t.committee) : nullptr;
  j["committee"] = t.committee ? names(*t.committee, committee ? &committee->names : nullptr) : Json(nullptr);
  j["employer"] = t.employer ? Json(*t.employer) : Json(nullptr);
}

Json equivalenceJson(const catalogue::Catalogue& cat, const EquivalenceResult& e) {
  return {{"kind", e.kind == catalogue::EquivalenceKind::Recognised ? "recognised" : "eligible_to_apply"},
          {"series", names(e.series, seriesNames(cat, e.series))},
          {"level", e.titleLevel},
          {"title_name", optionalNames(e.titleName)},
          {"from_date", dates::formatDate(e.fromDate)},
          {"catalogue_row", e.row ? Json(e.row->id) : Json(nullptr)}};
}

void qualificationFields(const catalogue::Catalogue& cat, const Outcome& o, const zc1::QualificationBody& q, Json& j) {
  const auto* qual = cat.findQualification(q.qualification);
  j["qualification"] = names(q.qualification, qual ? &qual->names : nullptr);
  j["level"] = q.level;
  const auto* level = cat.findQualificationLevel(q.qualification, q.level);
  j["level_name"] = level ? Json{{"zh", level->names.zh}, {"en", level->names.en}} : Json(nullptr);
  j["date_obtained"] = dates::formatDate(static_cast<std::int64_t>(q.dateObtained));
  j["qualification_no"] = q.certNo ? Json(*q.certNo) : Json(nullptr);
  Json list = Json::array();
  for (const auto& e : o.equivalences) list.push_back(equivalenceJson(cat, e));
  j["equivalences"] = list;
}

Json recognitionJson(const Outcome& o) {
  if (!o.recognition) return nullptr;
  return {{"accepted", o.recognition->accepted},
          {"region", o.recognition->region},
          {"policy_entry", o.recognition->policyEntry ? Json(*o.recognition->policyEntry) : Json(nullptr)}};
}

std::string titleLine(const catalogue::Catalogue& cat, const zc1::TitleBody& t, Lang lang) {
  std::ostringstream s;
  const auto title = cat.titleName(t.series, t.specialty, t.level);
  const auto* series = cat.findSeries(t.series);
  const auto* sp = cat.findSpecialty(t.series, t.specialty);
  const auto* lv = cat.findLevel(t.level);
  s << (title ? pick(lang, *title) : std::string("?"));
  s << (lang == Lang::Zh ? "（" : " (");
  if (series) s << pick(lang, series->names) << pick(lang, "系列", " series");
  if (sp) s << (lang == Lang::Zh ? "，" : ", ") << pick(lang, sp->names);
  if (lv) s << (lang == Lang::Zh ? "，" : ", ") << pick(lang, lv->names);
  s << (lang == Lang::Zh ? "）" : ")");
  return s.str();
}

}  // namespace

std::string Verifier::toJson(const Outcome& o, const std::string& input, Lang lang) const {
  const auto& cat = contents().catalogue;
  Json j;
  j["input"] = input;
  j["valid"] = o.valid();
  j["code"] = std::string(codeName(o.code));
  j["message"] = std::string(lang == Lang::Zh ? codeZh(o.code) : codeEn(o.code));
  const auto* c = o.credential ? &*o.credential : nullptr;
  j["type"] = c ? Json(c->title() ? "title" : "qualification") : Json(nullptr);
  j["iss"] = c ? Json(c->iss) : Json(nullptr);
  j["issuer_name"] = o.issuer && c ? Json{{"zh", o.issuer->name.zh}, {"en", o.issuer->name.en}} : Json(nullptr);
  j["cert_no"] = c ? Json(c->certNo) : Json(nullptr);
  j["holder_name"] = c ? Json(c->holderName) : Json(nullptr);
  j["holder_match"] = o.holderMatch ? Json(*o.holderMatch) : Json(nullptr);
  if (c && c->title()) titleFields(cat, *c->title(), j);
  if (c && c->qualification()) qualificationFields(cat, o, *c->qualification(), j);
  j["issued_at"] = c ? Json(dates::formatRfc3339(static_cast<std::int64_t>(c->iat))) : Json(nullptr);
  j["expires"] = c && c->exp ? Json(dates::formatRfc3339(static_cast<std::int64_t>(*c->exp))) : Json(nullptr);
  j["status_index"] = c ? Json(c->statusIndex) : Json(nullptr);
  j["recognition"] = recognitionJson(o);
  Json warnings = Json::array();
  for (auto w : o.warnings) warnings.push_back(std::string(codeName(w)));
  j["warnings"] = warnings;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string Verifier::toHuman(const Outcome& o, Lang lang) const {
  const auto& cat = contents().catalogue;
  std::ostringstream s;
  const std::string_view reason = lang == Lang::Zh ? codeZh(o.code) : codeEn(o.code);
  if (o.valid()) s << "✔ " << pick(lang, "有效", "VALID") << "\n";
  else s << "✘ " << pick(lang, "无效：", "NOT VALID: ") << reason << " (" << codeName(o.code) << ")\n";
  if (const auto* c = o.credential ? &*o.credential : nullptr) {
    s << "  " << pick(lang, "持有人：", "Holder:      ") << c->holderName << "\n";
    if (const auto* t = c->title()) {
      s << "  " << pick(lang, "职称：", "Title:       ") << titleLine(cat, *t, lang) << "\n";
      if (const auto* r = cat.findRoute(t->route)) s << "  " << pick(lang, "取得途径：", "Route:       ") << pick(lang, r->names) << "\n";
      s << "  " << pick(lang, "授予日期：", "Granted:     ") << dates::formatDate(static_cast<std::int64_t>(t->grantDate)) << "\n";
    }
    if (const auto* q = c->qualification()) {
      const auto* qual = cat.findQualification(q->qualification);
      const auto* lv = cat.findQualificationLevel(q->qualification, q->level);
      s << "  " << pick(lang, "资格：", "Qualification: ") << (qual ? pick(lang, qual->names) : "?")
        << (lv ? " · " + pick(lang, lv->names) : std::string()) << "\n";
      s << "  " << pick(lang, "取得日期：", "Obtained:    ") << dates::formatDate(static_cast<std::int64_t>(q->dateObtained)) << "\n";
      for (const auto& e : o.equivalences) {
        const std::string name = e.titleName ? pick(lang, *e.titleName) : "?";
        if (e.kind == catalogue::EquivalenceKind::Recognised)
          s << "  " << pick(lang, "对应职称：", "Recognised as: ") << name;
        else
          s << "  " << pick(lang, "可申报：", "May apply for: ") << name << pick(lang, "，自 ", " from ") << dates::formatDate(e.fromDate);
        s << " [" << (e.row ? e.row->id : "") << "]\n";
      }
    }
    s << "  " << pick(lang, "证书编号：", "Certificate: ") << c->certNo << "\n";
    if (o.issuer)
      s << "  " << pick(lang, "签发机构：", "Issuer:      ") << pick(lang, o.issuer->name) << " (" << c->iss << ")\n";
    if (o.recognition)
      s << "  " << pick(lang, "跨地区认可：", "Recognition: ")
        << (o.recognition->accepted ? pick(lang, "认可（", "accepted (") + *o.recognition->policyEntry + pick(lang, "）", ")")
                                    : pick(lang, "本地不认可该地区 ", "not accepted here, region ") + o.recognition->region)
        << "\n";
    s << "  " << pick(lang, "持有人核验：", "Holder check: ")
      << (!o.holderMatch ? pick(lang, "未提供证件号码，未核验", "no ID number given, not checked")
                         : *o.holderMatch ? pick(lang, "证件号码一致", "ID number matches")
                                          : pick(lang, "证件号码不一致", "ID number does NOT match"))
      << "\n";
  }
  for (auto w : o.warnings)
    s << "  ⚠ " << (lang == Lang::Zh ? codeZh(w) : codeEn(w)) << " (" << codeName(w) << ")\n";
  return s.str();
}

}  // namespace titlecert::verifier
