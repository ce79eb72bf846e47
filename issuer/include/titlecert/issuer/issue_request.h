// What a POST /v1/certificates body or a batch row asks for, typed but not
// yet checked against anything: the HTTP layer reads it from JSON
// (titlecert/issuer/request_json.h), the Service checks it against ZC1's
// limits, the catalogue and the route's rules before issuing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "titlecert/eligibility.h"

namespace titlecert::issuer {

// Texts are as given: the service normalises them (NFC) and the ID number
// (idh::normalize) and checks their limits.
struct HolderInput {
  std::string name;
  std::string id;  // "TYPE:VALUE"
};

// An integrity commitment (measure 12, 双承诺): when it was signed and the
// version of the text signed. The employer's names who signed for it.
struct CommitmentInput {
  std::int64_t signedOn = 0;  // days since 1970-01-01
  std::string textVersion;
  std::optional<std::string> by;  // the employer's: who signed (default: the title's employer)
};

struct CommitmentsInput {
  std::optional<CommitmentInput> applicant, employer;
};

// The years the applicant claims at an employer, to be backed by insured
// months in the social-security record (measure 12).
struct EmploymentInput {
  std::optional<std::string> employer;  // default: the title's employer
  std::uint64_t years = 0;
};

struct TitleInput {
  std::uint64_t series = 0, specialty = 0, level = 0;
  std::string route;     // the route's id ("review")
  std::int64_t granted = 0;  // days since 1970-01-01
  std::optional<std::string> approvalNo, employer;
  std::optional<std::uint64_t> committee;
  // An exam title: the number of the qualification certificate that proves
  // it (JSON "qualification_no", as on a qualification request).
  std::optional<std::string> qualificationNo;
  std::optional<CommitmentsInput> commitments;
  std::optional<EmploymentInput> employment;
  // The person's profile, for a route with rules.
  std::optional<eligibility::Person> person;
  // An admin's route override: the reason as given (may be empty: the
  // service refuses that after checking the role).
  std::optional<std::string> overrideReason;
};

struct QualificationInput {
  std::uint64_t qualification = 0, level = 0;
  std::int64_t obtained = 0;  // days since 1970-01-01
  std::optional<std::string> qualificationNo;
};

struct IssueRequest {
  HolderInput holder;
  std::optional<std::string> certNo;              // absent: the service numbers it
  std::optional<std::int64_t> expires, notBefore;  // days since 1970-01-01
  std::variant<TitleInput, QualificationInput> body;
  // What identifies the request across re-runs of a batch: the request as
  // given in its canonical text (the JSON object with sorted keys, compact,
  // the holder's ID normalised and name in NFC). The service only hashes it
  // into the row's key, so the key of a row stays what it has always been.
  std::string canonicalText;

  const TitleInput* title() const { return std::get_if<TitleInput>(&body); }
  const QualificationInput* qualification() const { return std::get_if<QualificationInput>(&body); }
};

}  // namespace titlecert::issuer
