// How a verification outcome is shown: CONTRACT.md's JSON object, and lines
// for people in Chinese or English.
#include <optional>
#include <sstream>
#include <string>

#include "titlecert/dates.h"
#include "titlecert/display_text.h"
#include "titlecert/json_writer.h"
#include "titlecert/verifier.h"

namespace titlecert::verifier {
namespace {

using json::Writer;

const char* pick(Lang lang, const char* zh, const char* en) { return lang == Lang::Zh ? zh : en; }
const std::string& pick(Lang lang, const catalogue::Names& n) { return lang == Lang::Zh ? n.zh : n.en; }

// A text that may be absent, without copying it.
void textOrNull(Writer& w, std::string_view key, const std::string* s) {
  w.key(key);
  if (s) w.text(*s);
  else w.null();
}

void textOrNull(Writer& w, std::string_view key, const std::optional<std::string>& s) {
  textOrNull(w, key, s ? &*s : nullptr);
}

void zhEn(Writer& w, const catalogue::Names& n) { w.field("zh", n.zh).field("en", n.en); }

// {"code", "zh", "en"}, names null when the catalogue does not know the
// code; `route` objects add their "id" after these (hence no endObject).
void beginNames(Writer& w, std::string_view key, std::uint64_t code, const catalogue::Names* n) {
  w.key(key).beginObject().field("code", code);
  if (n) zhEn(w, *n);
  else w.key("zh").null().key("en").null();
}

void names(Writer& w, std::string_view key, std::uint64_t code, const catalogue::Names* n) {
  beginNames(w, key, code, n);
  w.endObject();
}

void optionalNames(Writer& w, std::string_view key, const catalogue::Names* n) {
  w.key(key);
  if (!n) {
    w.null();
    return;
  }
  w.beginObject();
  zhEn(w, *n);
  w.endObject();
}

void optionalNames(Writer& w, std::string_view key, const std::optional<catalogue::Names>& n) {
  optionalNames(w, key, n ? &*n : nullptr);
}

const catalogue::Names* seriesNames(const catalogue::Catalogue& cat, std::uint64_t code) {
  const auto* s = cat.findSeries(code);
  return s ? &s->names : nullptr;
}

void titleFields(const catalogue::Catalogue& cat, const zc1::TitleBody& t, Writer& w) {
  const auto* sp = cat.findSpecialty(t.series, t.specialty);
  const auto* lv = cat.findLevel(t.level);
  const auto* route = cat.findRoute(t.route);
  names(w, "series", t.series, seriesNames(cat, t.series));
  names(w, "specialty", t.specialty, sp ? &sp->names : nullptr);
  names(w, "level", t.level, lv ? &lv->names : nullptr);
  beginNames(w, "route", t.route, route ? &route->names : nullptr);
  textOrNull(w, "id", route ? &route->id : nullptr);
  w.endObject();
  optionalNames(w, "title_name", cat.findTitle(t.series, t.specialty, t.level));
  w.field("grant_date", dates::formatDate(static_cast<std::int64_t>(t.grantDate)));
  textOrNull(w, "approval_no", t.approvalNo);
  const auto* committee = t.committee ? cat.findCommittee(*t.committee) : nullptr;
  if (t.committee) names(w, "committee", *t.committee, committee ? &committee->names : nullptr);
  else w.key("committee").null();
  textOrNull(w, "employer", t.employer);
}

void equivalence(const catalogue::Catalogue& cat, const EquivalenceResult& e, Writer& w) {
  w.beginObject();
  w.field("kind", e.kind == catalogue::EquivalenceKind::Recognised ? "recognised" : "eligible_to_apply");
  names(w, "series", e.series, seriesNames(cat, e.series));
  w.field("level", e.titleLevel);
  optionalNames(w, "title_name", e.titleName);
  w.field("from_date", dates::formatDate(e.fromDate));
  textOrNull(w, "catalogue_row", e.row ? &e.row->id : nullptr);
  w.endObject();
}

void qualificationFields(const catalogue::Catalogue& cat, const Outcome& o, const zc1::QualificationBody& q, Writer& w) {
  const auto* qual = cat.findQualification(q.qualification);
  names(w, "qualification", q.qualification, qual ? &qual->names : nullptr);
  w.field("level", q.level);
  const auto* level = cat.findQualificationLevel(q.qualification, q.level);
  optionalNames(w, "level_name", level ? &level->names : nullptr);
  w.field("date_obtained", dates::formatDate(static_cast<std::int64_t>(q.dateObtained)));
  textOrNull(w, "qualification_no", q.certNo);
  w.key("equivalences").beginArray();
  for (const auto& e : o.equivalences) equivalence(cat, e, w);
  w.endArray();
}

void recognition(const Outcome& o, Writer& w) {
  w.key("recognition");
  if (!o.recognition) {
    w.null();
    return;
  }
  w.beginObject().field("accepted", o.recognition->accepted).field("region", o.recognition->region);
  textOrNull(w, "policy_entry", o.recognition->policyEntry);
  w.endObject();
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

// Every text a signer chose (the credential's fields, and the bundle's names
// for good measure) goes to a terminal only through this (display_text.h).
std::string shown(std::string_view signedText) { return safeForDisplay(signedText); }

// The committee, approval number and employer of a title, when it has them.
void titleDetailLines(std::ostringstream& s, const catalogue::Catalogue& cat, const zc1::TitleBody& t, Lang lang) {
  if (t.committee) {
    const auto* committee = cat.findCommittee(*t.committee);
    s << "  " << pick(lang, "评审委员会：", "Committee:   ")
      << (committee ? shown(pick(lang, committee->names)) : std::to_string(*t.committee)) << "\n";
  }
  if (t.approvalNo) s << "  " << pick(lang, "批准文号：", "Approval no: ") << shown(*t.approvalNo) << "\n";
  if (t.employer) s << "  " << pick(lang, "工作单位：", "Employer:    ") << shown(*t.employer) << "\n";
}

}  // namespace

std::string Verifier::toJson(const Outcome& o, const std::string& input, Lang lang) const {
  std::string out;
  appendJson(out, o, input, lang);
  return out;
}

void Verifier::appendJson(std::string& out, const Outcome& o, std::string_view input, Lang lang) const {
  const auto& cat = contents().catalogue;
  const auto* c = o.credential ? &*o.credential : nullptr;
  Writer w(out);
  w.beginObject();
  w.field("input", input).field("valid", o.valid()).field("code", codeName(o.code));
  w.field("message", lang == Lang::Zh ? codeZh(o.code) : codeEn(o.code));
  w.key("type");
  if (c) w.text(c->title() ? "title" : "qualification");
  else w.null();
  textOrNull(w, "iss", c ? &c->iss : nullptr);
  optionalNames(w, "issuer_name", o.issuer && c ? &o.issuer->name : nullptr);
  textOrNull(w, "cert_no", c ? &c->certNo : nullptr);
  textOrNull(w, "holder_name", c ? &c->holderName : nullptr);
  w.key("holder_match");
  if (o.holderMatch) w.boolean(*o.holderMatch);
  else w.null();
  if (c && c->title()) titleFields(cat, *c->title(), w);
  if (c && c->qualification()) qualificationFields(cat, o, *c->qualification(), w);
  w.key("issued_at");
  if (c) w.text(dates::formatRfc3339(static_cast<std::int64_t>(c->iat)));
  else w.null();
  w.key("expires");
  if (c && c->exp) w.text(dates::formatRfc3339(static_cast<std::int64_t>(*c->exp)));
  else w.null();
  w.key("status_index");
  if (c) w.number(c->statusIndex);
  else w.null();
  recognition(o, w);
  w.key("warnings").beginArray();
  for (auto code : o.warnings) w.text(codeName(code));
  w.endArray();
  w.endObject();
}

std::string Verifier::toHuman(const Outcome& o, Lang lang) const {
  const auto& cat = contents().catalogue;
  std::ostringstream s;
  const std::string_view reason = lang == Lang::Zh ? codeZh(o.code) : codeEn(o.code);
  if (o.valid()) s << "✔ " << pick(lang, "有效", "VALID") << "\n";
  else s << "✘ " << pick(lang, "无效：", "NOT VALID: ") << reason << " (" << codeName(o.code) << ")\n";
  if (const auto* c = o.credential ? &*o.credential : nullptr) {
    s << "  " << pick(lang, "持有人：", "Holder:      ") << shown(c->holderName) << "\n";
    if (const auto* t = c->title()) {
      s << "  " << pick(lang, "职称：", "Title:       ") << shown(titleLine(cat, *t, lang)) << "\n";
      if (const auto* r = cat.findRoute(t->route)) s << "  " << pick(lang, "取得途径：", "Route:       ") << shown(pick(lang, r->names)) << "\n";
      s << "  " << pick(lang, "授予日期：", "Granted:     ") << dates::formatDate(static_cast<std::int64_t>(t->grantDate)) << "\n";
      titleDetailLines(s, cat, *t, lang);
    }
    if (const auto* q = c->qualification()) {
      const auto* qual = cat.findQualification(q->qualification);
      const auto* lv = cat.findQualificationLevel(q->qualification, q->level);
      s << "  " << pick(lang, "资格：", "Qualification: ") << (qual ? shown(pick(lang, qual->names)) : "?")
        << (lv ? " · " + shown(pick(lang, lv->names)) : std::string()) << "\n";
      s << "  " << pick(lang, "取得日期：", "Obtained:    ") << dates::formatDate(static_cast<std::int64_t>(q->dateObtained)) << "\n";
      for (const auto& e : o.equivalences) {
        const std::string name = e.titleName ? shown(pick(lang, *e.titleName)) : "?";
        if (e.kind == catalogue::EquivalenceKind::Recognised)
          s << "  " << pick(lang, "对应职称：", "Recognised as: ") << name;
        else
          s << "  " << pick(lang, "可申报：", "May apply for: ") << name << pick(lang, "，自 ", " from ") << dates::formatDate(e.fromDate);
        s << " [" << (e.row ? shown(e.row->id) : "") << "]\n";
      }
    }
    s << "  " << pick(lang, "证书编号：", "Certificate: ") << shown(c->certNo) << "\n";
    if (o.issuer)
      s << "  " << pick(lang, "签发机构：", "Issuer:      ") << shown(pick(lang, o.issuer->name)) << " (" << shown(c->iss) << ")\n";
    if (o.recognition)
      s << "  " << pick(lang, "跨地区认可：", "Recognition: ")
        << (o.recognition->accepted ? pick(lang, "认可（", "accepted (") + shown(*o.recognition->policyEntry) + pick(lang, "）", ")")
                                    : pick(lang, "本地不认可该地区 ", "not accepted here, region ") + shown(o.recognition->region))
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
