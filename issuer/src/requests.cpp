#include "requests.h"

#include "measure12.h"
#include "route_scope.h"

#include <openssl/evp.h>

#include <algorithm>
#include <set>

#include "titlecert/base45.h"
#include "titlecert/dates.h"
#include "titlecert/eligibility.h"
#include "titlecert/idh.h"
#include "titlecert/qr.h"

#ifdef TITLECERT_ISSUER_ICU
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#endif

namespace titlecert::issuer {
namespace {

using nlohmann::json;

bool hasControlCharacter(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u < 0x20 || u == 0x7f;
  });
}

// A UTF-8 text as given, NFC-normalised, within maxBytes (ZC1.md limits);
// complaints name `path`.
Expected<std::string> checkedText(const std::string& path, const std::string& raw, std::size_t maxBytes) {
  if (!isValidUtf8(raw)) return badRequest(path, path + ": not valid UTF-8");
  std::string text = toNfc(raw);
  if (text.empty()) return badRequest(path, path + ": must not be empty");
  if (hasControlCharacter(text)) return badRequest(path, path + ": control characters are not allowed");
  if (text.size() > maxBytes)
    return badRequest(path, path + ": " + std::to_string(text.size()) + " bytes, at most " + std::to_string(maxBytes));
  return text;
}

Expected<std::optional<std::string>> optionalText(const std::string& path, const std::optional<std::string>& raw,
                                                  std::size_t maxBytes) {
  if (!raw) return std::optional<std::string>{};
  TC_ASSIGN(auto text, checkedText(path, *raw, maxBytes));
  return std::optional<std::string>(std::move(text));
}

// Printable ASCII that is also safe in a URL path segment.
bool isCertNoText(const std::string& s) {
  return !s.empty() && s.size() <= zc1::limit::kCti &&
         std::all_of(s.begin(), s.end(), [](char ch) {
           return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                  ch == '_' || ch == '.';
         }) &&
         s != "." && s != "..";
}

Expected<zc1::TitleBody> checkTitle(const RequestRules& rules, const TitleInput& in, Draft& d) {
  const catalogue::Catalogue& cat = rules.catalogue;
  zc1::TitleBody t;
  t.series = in.series;
  const catalogue::Series* series = cat.findSeries(t.series);
  if (!series) return badRequest("series", "series: " + std::to_string(t.series) + " is not in the catalogue");
  t.specialty = in.specialty;
  if (!cat.findSpecialty(t.series, t.specialty))
    return badRequest("specialty", "specialty: " + std::to_string(t.specialty) + " is not a specialty of series " +
                                       std::to_string(t.series) + " in the catalogue");
  t.level = in.level;
  const catalogue::Names* title = (t.level >= 1 && t.level <= 5) ? cat.findTitle(t.series, t.specialty, t.level) : nullptr;
  if (!title)
    return badRequest("level", "level: series " + std::to_string(t.series) + " specialty " + std::to_string(t.specialty) +
                                   " has no title at level " + std::to_string(t.level));
  const catalogue::Route* route = cat.findRouteById(in.route);
  if (!route) return badRequest("route", "route: \"" + in.route + "\" is not a route of the catalogue");
  t.route = route->code;
  t.grantDate = static_cast<std::uint64_t>(in.granted);
  TC_ASSIGN(t.approvalNo, optionalText("approval_no", in.approvalNo, zc1::limit::kApprovalNo));
  t.committee = in.committee;
  if (t.committee && !cat.findCommittee(*t.committee))
    return badRequest("committee", "committee: " + std::to_string(*t.committee) + " is not in the catalogue");
  TC_ASSIGN(t.employer, optionalText("employer", in.employer, zc1::limit::kEmployer));

  json& f = d.fields;
  f["series"] = {{"code", t.series}, {"zh", series->names.zh}, {"en", series->names.en}};
  const catalogue::Specialty* sp = cat.findSpecialty(t.series, t.specialty);
  f["specialty"] = {{"code", t.specialty}, {"zh", sp->names.zh}, {"en", sp->names.en}};
  f["level"] = t.level;
  f["title_name"] = {{"zh", title->zh}, {"en", title->en}};
  f["route"] = {{"code", route->code}, {"id", route->id}, {"zh", route->names.zh}, {"en", route->names.en}};
  f["granted"] = dates::formatDate(static_cast<std::int64_t>(t.grantDate));
  if (t.approvalNo) f["approval_no"] = *t.approvalNo;
  if (t.committee) {
    const catalogue::Committee* c = cat.findCommittee(*t.committee);
    f["committee"] = {{"code", *t.committee}, {"zh", c->names.zh}, {"en", c->names.en}};
  }
  if (t.employer) f["employer"] = *t.employer;
  if (in.qualificationNo) {
    TC_ASSIGN(auto qualificationNo, checkedText("qualification_no", *in.qualificationNo, zc1::limit::kQualCertNo));
    f["qualification_no"] = qualificationNo;
  }
  return t;
}

Expected<zc1::QualificationBody> checkQualification(const RequestRules& rules, const QualificationInput& in, Draft& d) {
  zc1::QualificationBody q;
  q.qualification = in.qualification;
  const catalogue::Qualification* qual = rules.catalogue.findQualification(q.qualification);
  if (!qual)
    return badRequest("qualification", "qualification: " + std::to_string(q.qualification) + " is not in the catalogue");
  q.level = in.level;
  const catalogue::Level* level = rules.catalogue.findQualificationLevel(q.qualification, q.level);
  if (!level)
    return badRequest("level", "level: " + std::to_string(q.level) + " is not a level of qualification " +
                                   std::to_string(q.qualification));
  q.dateObtained = static_cast<std::uint64_t>(in.obtained);
  TC_ASSIGN(q.certNo, optionalText("qualification_no", in.qualificationNo, zc1::limit::kQualCertNo));
  json& f = d.fields;
  f["qualification"] = {{"code", q.qualification}, {"zh", qual->names.zh}, {"en", qual->names.en},
                        {"kind", qual->kind == catalogue::QualificationKind::Skill ? "skill" : "vocational"}};
  f["level"] = {{"code", q.level}, {"zh", level->names.zh}, {"en", level->names.en}};
  f["obtained"] = dates::formatDate(static_cast<std::int64_t>(q.dateObtained));
  if (q.certNo) f["qualification_no"] = *q.certNo;
  return q;
}

// The route check of CONTRACT.md: a title whose route has rules carries the
// person's profile, checked on the grant date, unless an admin overrides.
Completion checkRoute(const RequestRules& rules, const TitleInput& in, const zc1::TitleBody& t, const Actor& by, Draft& d) {
  if (in.overrideReason) {
    if (by.role != Role::Admin) return forbidden("override: only an admin may override the route check");
    if (in.overrideReason->empty())
      return badRequest("override.reason", "override.reason: a non-empty text is required");
    TC_ASSIGN(auto reason, checkedText("override.reason", *in.overrideReason, 500));
    d.overrideReason = reason;
    return success();
  }
  const catalogue::Route* route = rules.catalogue.findRoute(t.route);
  if (!route || !eligibility::routeHasRules(rules.catalogue, route->id, {t.series, t.specialty, t.level})) return success();
  if (!in.person && isCommitteeApproval(rules.catalogue, t)) {
    d.committeeApproval = json{{"committee", *t.committee}, {"approval_no", *t.approvalNo}};
    return success();
  }
  if (!in.person)
    return badRequest("person", "person: the route \"" + route->id + "\" has rules: the person's profile is required");
  auto answer = eligibility::evaluate(rules.catalogue, *in.person, {t.series, t.specialty, t.level},
                                      static_cast<std::int64_t>(t.grantDate));
  if (!answer) return fromError(answer.error());
  const eligibility::RouteAnswer* r = answer->find(route->id);
  if (r && r->verdict == eligibility::Verdict::Eligible) {
    if (!r->rules.empty()) d.applicationRule = r->rules.front();
    return success();
  }
  Problem p{ProblemKind::NotEligible, "ROUTE_NOT_ELIGIBLE", "the person is not eligible for this title by the route \"" + route->id + "\" on " +
                                           dates::formatDate(static_cast<std::int64_t>(t.grantDate)), "route", {}};
  const std::string on = dates::formatDate(static_cast<std::int64_t>(t.grantDate));
  p.messageZh = "按取得途径“" + route->id + "”，申报人于 " + on + " 不符合该职称的申报条件";
  if (r && r->verdict == eligibility::Verdict::NotYet && r->from) {
    p.message += " (eligible from " + dates::formatDate(*r->from) + ")";
    p.messageZh = "按取得途径“" + route->id + "”，申报人于 " + on + " 尚不符合该职称的申报条件（" +
                  dates::formatDate(*r->from) + " 起符合）";
  }
  if (r)
    for (const auto& m : r->missing) {
      p.missing.push_back(m.en);
      p.missingZh.push_back(m.zh);
    }
  return p;
}

Expected<std::string> checkCertNo(const std::optional<std::string>& certNo) {
  if (!certNo) return std::string();
  if (!isCertNoText(*certNo)) return badRequest("cert_no", "cert_no: 1..32 characters of A-Z a-z 0-9 - _ .");
  return *certNo;
}

// The fields that make a payload long, longest first.
std::string longestFields(const zc1::Credential& c) {
  std::vector<std::pair<std::size_t, std::string>> sizes{{c.holderName.size(), "holder.name"}, {c.certNo.size(), "cert_no"}};
  if (const auto* t = c.title()) {
    if (t->approvalNo) sizes.emplace_back(t->approvalNo->size(), "approval_no");
    if (t->employer) sizes.emplace_back(t->employer->size(), "employer");
  } else if (c.qualification()->certNo) {
    sizes.emplace_back(c.qualification()->certNo->size(), "qualification_no");
  }
  std::sort(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out;
  for (std::size_t i = 0; i < sizes.size() && i < 3; ++i)
    out += (i ? ", " : "") + sizes[i].second + " (" + std::to_string(sizes[i].first) + " bytes)";
  return out;
}

// Worst-case values for what is assigned at issuance, so that the size
// checked here bounds the size signed later.
Completion checkQrSize(const RequestRules& rules, const Draft& d, std::int64_t when, crypto::Alg alg) {
  zc1::Credential c = d.credential;
  c.statusIndex = 0xffffffffu;
  c.iat = static_cast<std::uint64_t>(when) + 100 * 365 * 86400ull;
  if (c.certNo.empty()) c.certNo = formatCertNo(rules.config, when, 99999999);
  const std::size_t length = payloadTextLength(c, alg);
  if (length <= rules.maxQrTextLength) return success();
  const std::string longest = longestFields(c);
  return badRequest(longest.substr(0, longest.find(' ')),
                    "the payload (" + std::to_string(length) + " characters) needs a QR code larger than version " +
                        std::to_string(rules.config.maxQrVersion) + " at level M (at most " +
                        std::to_string(rules.maxQrTextLength) + "); longest fields: " + longest,
                    "PAYLOAD_TOO_LARGE");
}

std::size_t cborHeadSize(std::size_t n) { return n < 24 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5; }

}  // namespace

std::string toNfc(const std::string& utf8) {
#ifdef TITLECERT_ISSUER_ICU
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return utf8;
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(utf8);
  icu::UnicodeString out = nfc->normalize(in, status);
  if (U_FAILURE(status)) return utf8;
  std::string result;
  out.toUTF8String(result);
  return result;
#else
  return utf8;
#endif
}

std::string formatCertNo(const Config& config, std::int64_t when, std::uint64_t seq) {
  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  dates::civilFromDays(when / 86400, year, month, day);
  std::string out;
  const std::string& f = config.certNoFormat;
  for (std::size_t i = 0; i < f.size();) {
    if (f[i] != '{') {
      out += f[i++];
      continue;
    }
    const std::size_t close = f.find('}', i);
    if (close == std::string::npos) {
      out += f.substr(i);
      break;
    }
    const std::string name = f.substr(i + 1, close - i - 1);
    if (name == "region") out += config.region;
    else if (name == "iss") out += config.iss;
    else if (name == "year") out += std::to_string(year);
    else if (name.rfind("seq", 0) == 0) {
      std::string digits = std::to_string(seq);
      std::size_t width = 0;
      if (name.size() > 4 && name[3] == ':') width = static_cast<std::size_t>(std::stoul(name.substr(4)));
      if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
      out += digits;
    } else {
      out += f.substr(i, close - i + 1);
    }
    i = close + 1;
  }
  return out;
}

std::string certNoCounter(const Config& config, std::int64_t when) {
  // The number with the sequence blanked: "650100-2026-" for the default.
  const std::string marker = "\x01";
  Config c = config;
  const std::size_t at = c.certNoFormat.find("{seq");
  const std::size_t close = c.certNoFormat.find('}', at);
  c.certNoFormat.replace(at, close - at + 1, marker);
  std::string prefix = formatCertNo(c, when, 0);
  return "certno:" + prefix;
}

std::size_t payloadTextLength(const zc1::Credential& c, crypto::Alg alg) {
  auto claims = zc1::encodeClaims(c);
  if (!claims) return SIZE_MAX;
  const std::size_t algBytes = alg == crypto::Alg::SM2_SM3 ? 5 : 1;
  const std::size_t protectedLen = 12 + algBytes;  // {1: alg, 4: h'8 bytes'}
  const std::size_t cose = 1 /*tag 18*/ + 1 /*array(4)*/ + cborHeadSize(protectedLen) + protectedLen + 1 /*{}*/ +
                           cborHeadSize(claims->size()) + claims->size() + 2 + crypto::kSignatureSize;
  return zc1::kPrefix.size() + (cose / 2) * 3 + (cose % 2) * 2;
}

std::size_t maxTextForVersion(int maxVersion) {
  std::size_t lo = 0, hi = 8000;  // version 40 at M holds 3391 alphanumeric characters
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    if (qr::encode(std::string(mid, 'A'), qr::EcLevel::M, maxVersion)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

std::string requestKeyFor(const RequestRules& rules, const IssueRequest& request) {
  const std::string text = "titlecert-batch-row/1|" + request.canonicalText;
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t macLength = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, rules.requestKeySecret.data(), rules.requestKeySecret.size(),
                 reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, sizeof mac, &macLength))
    return {};
  return toHex(ByteView(mac, macLength));
}

Expected<Draft> checkIssueRequest(const RequestRules& rules, const IssueRequest& request, const Actor& by,
                                  std::int64_t when, crypto::Alg activeAlg) {
  Draft d;
  const TitleInput* title = request.title();
  zc1::Credential& c = d.credential;
  TC_ASSIGN(c.holderName, checkedText("holder.name", request.holder.name, zc1::limit::kHolderName));
  auto normalized = idh::normalize(request.holder.id);
  if (!normalized)
    return badRequest("holder.id", "holder.id: not a valid ID number (TYPE:VALUE; CN needs a correct GB 11643 check digit)",
                      "BAD_ID_NUMBER");
  d.normalizedId = *normalized;
  d.maskedId = idh::masked(d.normalizedId);

  c.iss = rules.config.iss;
  c.catalogueVersion = rules.catalogue.version;
  TC_ASSIGN(c.certNo, checkCertNo(request.certNo));
  // expires / not_before: a date, taken as 00:00:00Z of that day.
  if (request.expires) c.exp = static_cast<std::uint64_t>(*request.expires) * 86400;
  if (request.notBefore) c.nbf = static_cast<std::uint64_t>(*request.notBefore) * 86400;
  if (c.exp && c.nbf && *c.exp <= *c.nbf) return badRequest("expires", "expires: must be after not_before");

  d.fields = json::object();
  d.fields["type"] = title ? "title" : "qualification";
  d.fields["holder"] = {{"name", c.holderName}, {"id", d.maskedId}};
  if (title) {
    TC_ASSIGN(auto t, checkTitle(rules, *title, d));
    TC_TRY(checkRouteScope(rules.catalogue, *title, t, when));
    TC_TRY(checkRoute(rules, *title, t, by, d));
    TC_TRY(checkMeasure12(rules, *title, t, when, d));
    c.body = std::move(t);
  } else {
    TC_ASSIGN(auto q, checkQualification(rules, *request.qualification(), d));
    c.body = std::move(q);
  }
  if (c.exp) d.fields["expires"] = dates::formatDate(static_cast<std::int64_t>(*c.exp / 86400));
  if (c.nbf) d.fields["not_before"] = dates::formatDate(static_cast<std::int64_t>(*c.nbf / 86400));

  // Backstop: the ZC1 issuing limits with placeholder assigned values.
  zc1::Credential probe = c;
  if (probe.certNo.empty()) probe.certNo = formatCertNo(rules.config, when, 1);
  auto valid = zc1::validateForIssue(probe);
  if (!valid) return fromError(valid.error());
  if (auto codes = catalogue::CodeCheck(rules.catalogue).check(probe); !codes) return fromError(codes.error());
  TC_TRY(checkQrSize(rules, d, when, activeAlg));
  return d;
}

}  // namespace titlecert::issuer
