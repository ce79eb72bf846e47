#include "measure12.h"

#include <string>

#include "titlecert/dates.h"
#include "titlecert/issuer/social_security.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;

// Whether the catalogue rule used counts years of work.
bool ruleCountsYears(const catalogue::Catalogue& cat, const std::string& ruleId) {
  const catalogue::Rule* rule = cat.findRule(ruleId);
  if (!rule) return false;
  for (const auto& k : rule->all)
    if (k.yearsOfTechnicalWork && *k.yearsOfTechnicalWork > 0) return true;
  return false;
}

Expected<json> commitmentRecord(const std::string& field, const std::optional<CommitmentInput>& c,
                                const std::string& who, std::int64_t today, const std::string& whoZh) {
  if (!c)
    return badRequest(field, field + ": the " + who + "'s integrity commitment is required (measure 12)",
                      "COMMITMENTS_REQUIRED", whoZh + "的诚信承诺未提供（措施12“双承诺”）");
  if (c->signedOn > today)
    return badRequest(field + ".signed", field + ".signed: after today", "INVALID_ARGUMENT",
                      whoZh + "的承诺签署日期晚于今天");
  if (c->textVersion.empty() || c->textVersion.size() > 64)
    return badRequest(field + ".text_version", field + ".text_version: 1..64 bytes", "INVALID_ARGUMENT",
                      whoZh + "的承诺文本版本须为1至64字节");
  return json{{"signed", dates::formatDate(c->signedOn)}, {"text_version", c->textVersion}};
}

Completion recordCommitments(const TitleInput& in, const zc1::TitleBody& t, std::int64_t today, Draft& d) {
  const CommitmentsInput none;
  const CommitmentsInput& c = in.commitments ? *in.commitments : none;
  TC_ASSIGN(json applicant, commitmentRecord("commitments.applicant", c.applicant, "applicant", today, "申报人"));
  TC_ASSIGN(json employer, commitmentRecord("commitments.employer", c.employer, "employer", today, "申报单位"));
  applicant["by"] = d.credential.holderName;
  const std::optional<std::string>& by = c.employer->by ? c.employer->by : t.employer;
  if (!by || by->empty())
    return badRequest("commitments.employer.by",
                      "commitments.employer.by: who signed for the employer (or the title's employer) is required",
                      "COMMITMENTS_REQUIRED", "须写明申报单位（签署承诺的单位）");
  employer["by"] = *by;
  d.fields["commitments"] = {{"applicant", applicant}, {"employer", employer}};
  return success();
}

Completion checkEmployment(const RequestRules& rules, const EmploymentInput& e, const zc1::TitleBody& t, Draft& d) {
  const std::optional<std::string>& employer = e.employer ? e.employer : t.employer;
  if (!employer || employer->empty())
    return badRequest("employment.employer", "employment.employer: the employer the years were worked at",
                      "INVALID_ARGUMENT", "须写明申报人工作年限所在的单位");
  if (!rules.socialSecurity)
    return unavailable("no social-security record is connected: the claimed years cannot be checked");
  auto records = rules.socialSecurity->insuredMonths(d.normalizedId);
  if (!records) return records.error();
  std::uint64_t months = 0;
  for (const InsuredMonths& r : *records)
    if (r.employer == *employer) months += r.months;
  const std::uint64_t needed = e.years * 12;
  d.fields["employment"] = {{"employer", *employer}, {"years", e.years}, {"insured_months", months}};
  if (months >= needed) return success();
  Problem p{ProblemKind::NotEligible,
            "SOCIAL_SECURITY_NOT_BACKED",
            "the social-security record does not back " + std::to_string(e.years) + " years at " + *employer,
            "employment",
            {std::to_string(needed) + " insured months at " + *employer + " (the social-security record shows " +
             std::to_string(months) + ")"}};
  p.missingZh = {"在" + *employer + "参保满" + std::to_string(needed) + "个月（社保记录为" + std::to_string(months) +
                 "个月）"};
  p.messageZh = "社保记录不能证明在" + *employer + "工作满" + std::to_string(e.years) + "年：须参保满" +
                std::to_string(needed) + "个月，记录为" + std::to_string(months) + "个月";
  return p;
}

}  // namespace

Completion checkMeasure12(const RequestRules& rules, const TitleInput& in, const zc1::TitleBody& t, std::int64_t now,
                          Draft& d) {
  const std::int64_t today = now / 86400;
  if (d.applicationRule || in.commitments) TC_TRY(recordCommitments(in, t, today, d));
  if (!in.employment && d.applicationRule && ruleCountsYears(rules.catalogue, *d.applicationRule))
    return badRequest(
        "employment",
        "employment: the rule " + *d.applicationRule +
            " counts years of work: the years at the employer, to be checked against the social-security record, are "
            "required",
        "EMPLOYMENT_REQUIRED",
        "规则 " + *d.applicationRule + " 要求工作年限：须填写在申报单位的工作年限，以社保记录核验（措施12）");
  if (in.employment) TC_TRY(checkEmployment(rules, *in.employment, t, d));
  return success();
}

}  // namespace titlecert::issuer
