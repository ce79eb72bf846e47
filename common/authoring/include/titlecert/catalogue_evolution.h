// Catalogue codes are never reused (ZC1.md §3.1): a credential names codes
// and is read with whatever catalogue a terminal holds later. This checks a
// new catalogue against the one it replaces.
#pragma once

#include <string>
#include <vector>

#include "titlecert/catalogue.h"
#include "titlecert/result.h"

namespace titlecert::catalogue {

// BAD_CATALOGUE naming the first violation when `next` does not succeed
// `previous`: its version must be higher, and every code of `previous`
// (series, specialty, route, committee, qualification and its levels,
// equivalence row id) must still be there meaning the same thing — the same
// series for a specialty, the same kind for a qualification, the same route
// id, the same qualification/level/series/title level for a row. Names may
// be corrected; each such change is reported in `notes`.
Status checkSuccessor(const Catalogue& previous, const Catalogue& next, std::vector<std::string>* notes = nullptr);

}  // namespace titlecert::catalogue
