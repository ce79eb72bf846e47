// The conditions of a title's route that the issuer checks before anything
// else (docs/issuer.md, "What issuance checks"): a grant date not after
// today, a committee deciding within its series, specialties and highest
// level, an autonomous review only by a committee holding that right for
// the title, and an exam title naming the qualification that proves it.
// Every refusal is a 400 with its own code and both message languages.
#pragma once

#include <cstdint>

#include "titlecert/catalogue.h"
#include "titlecert/issuer/issue_request.h"
#include "titlecert/issuer/problem.h"
#include "titlecert/zc1.h"

namespace titlecert::issuer {

// `now` is the issuance time (seconds since 1970-01-01).
Completion checkRouteScope(const catalogue::Catalogue& cat, const TitleInput& in, const zc1::TitleBody& t,
                           std::int64_t now);

// A committee's approved list (CONTRACT.md "The clerk console and batches"):
// a review title naming its committee and approval number, where the
// catalogue gives that committee the title's series, specialty and level.
// Such a title is issued on the committee's decision without a profile.
bool isCommitteeApproval(const catalogue::Catalogue& cat, const zc1::TitleBody& t);

}  // namespace titlecert::issuer
