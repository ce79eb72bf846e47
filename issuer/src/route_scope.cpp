#include "route_scope.h"

#include <string>

#include "titlecert/dates.h"

namespace titlecert::issuer {
namespace {

std::string levelText(std::uint64_t level) { return std::to_string(level); }

Completion checkGrantDate(const zc1::TitleBody& t, std::int64_t now) {
  const std::int64_t today = now / 86400;
  if (static_cast<std::int64_t>(t.grantDate) <= today) return success();
  return badRequest("granted",
                    "granted: " + dates::formatDate(static_cast<std::int64_t>(t.grantDate)) + " is after today (" +
                        dates::formatDate(today) + "); a title is issued once it has been granted",
                    "GRANT_DATE_IN_FUTURE",
                    "授予日期 " + dates::formatDate(static_cast<std::int64_t>(t.grantDate)) + " 晚于今天（" +
                        dates::formatDate(today) + "），职称授予后方可制证");
}

// A committee decides within the catalogue's scope for it, and an
// enterprise's autonomous-review committee only through that route.
Completion checkCommittee(const catalogue::Committee& c, const zc1::TitleBody& t, const std::string& routeId) {
  const std::string code = std::to_string(c.code);
  if (!c.covers(t.series, t.specialty, t.level)) {
    std::string en = "committee: " + code + " may not grant this title (series " + std::to_string(t.series) +
                     ", specialty " + std::to_string(t.specialty) + ", level " + levelText(t.level) + ")";
    std::string zh = "评审委员会 " + code + " 无权授予该职称（系列 " + std::to_string(t.series) + "，专业 " +
                     std::to_string(t.specialty) + "，级别 " + levelText(t.level) + "）";
    if (c.maxLevel && t.level > *c.maxLevel) {
      en += ": it grants up to level " + levelText(*c.maxLevel);
      zh += "：其评审权限最高至级别 " + levelText(*c.maxLevel);
    } else {
      en += ": outside its series or specialties";
      zh += "：超出其评审的系列或专业";
    }
    return badRequest("committee", en, "COMMITTEE_OUT_OF_SCOPE", zh);
  }
  if (c.route == "autonomous_review" && routeId != "autonomous_review")
    return badRequest(
        "committee",
        "committee: " + code +
            " is an enterprise's autonomous-review committee; it grants only by the route \"autonomous_review\"",
        "COMMITTEE_OUT_OF_SCOPE", "评审委员会 " + code + " 为企业自主评审委员会，只能以自主评审途径授予职称");
  return success();
}

Completion checkAutonomousReview(const catalogue::Catalogue& cat, const zc1::TitleBody& t) {
  const catalogue::Committee* c = t.committee ? cat.findCommittee(*t.committee) : nullptr;
  if (c && c->route == "autonomous_review") return success();  // its scope is checked with the committee
  return badRequest(
      "committee",
      "committee: an autonomous_review title comes from an enterprise committee holding the autonomous review "
      "right for its series, specialty and level (measure 1: engineering, 化工（含制药）)",
      "AUTONOMOUS_REVIEW_OUT_OF_SCOPE",
      "自主评审职称须由取得该系列、专业、级别自主评审权的企业评审委员会授予（措施1：工程系列化工（含制药）专业）");
}

Completion checkExam(const TitleInput& in) {
  if (in.qualificationNo && !in.qualificationNo->empty()) return success();
  return badRequest("qualification_no",
                    "qualification_no: an exam title names the number of the qualification certificate that proves it",
                    "EXAM_QUALIFICATION_MISSING",
                    "以考代评的职称须填写证明其考试合格的资格证书编号（qualification_no）");
}

}  // namespace

Completion checkRouteScope(const catalogue::Catalogue& cat, const TitleInput& in, const zc1::TitleBody& t,
                           std::int64_t now) {
  TC_TRY(checkGrantDate(t, now));
  const catalogue::Route* route = cat.findRoute(t.route);
  const std::string routeId = route ? route->id : std::string();
  if (t.committee)
    if (const catalogue::Committee* c = cat.findCommittee(*t.committee)) TC_TRY(checkCommittee(*c, t, routeId));
  if (routeId == "autonomous_review") TC_TRY(checkAutonomousReview(cat, t));
  if (routeId == "exam") TC_TRY(checkExam(in));
  return success();
}

bool isCommitteeApproval(const catalogue::Catalogue& cat, const zc1::TitleBody& t) {
  const catalogue::Route* route = cat.findRoute(t.route);
  if (!route || route->id != "review" || !t.committee || !t.approvalNo || t.approvalNo->empty()) return false;
  const catalogue::Committee* c = cat.findCommittee(*t.committee);
  return c && c->route != "autonomous_review" && c->covers(t.series, t.specialty, t.level);
}

}  // namespace titlecert::issuer
