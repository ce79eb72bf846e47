// Measure 12 at issuance (docs/issuer.md, "Social-security records and the
// double commitment"): the applicant's and the employer's integrity
// commitments (双承诺), required where the bureau decides an application on
// the person's profile and recorded with the issuance; and the applicant's
// claimed years at the employer, required where the rule used counts years
// of work and backed by insured months in the social-security record.
#pragma once

#include <cstdint>

#include "requests.h"

namespace titlecert::issuer {

// After the route check: d.applicationRule is set when the title was
// checked against a profile. Records what it accepts in d.fields; 400 for
// what is missing or malformed, 422 SOCIAL_SECURITY_NOT_BACKED naming the
// insured months that are missing.
Completion checkMeasure12(const RequestRules& rules, const TitleInput& in, const zc1::TitleBody& t, std::int64_t now,
                          Draft& d);

}  // namespace titlecert::issuer
