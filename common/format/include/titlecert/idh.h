// Holder binding without the ID number in the code (ZC1.md §4):
// idh = scrypt(normalized ID, "zc1/idh" || cti, N=16384, r=8, p=1, 16 bytes).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "titlecert/result.h"

namespace titlecert::idh {

using Idh = std::array<std::uint8_t, 16>;

// "TYPE:VALUE" -> normalized form: spaces removed from VALUE, letters of TYPE
// and VALUE upper-cased. TYPE is CN (18-character resident ID, GB 11643 check
// digit verified), HKMO, TW, or PP-<ISO 3166 alpha-3>. BAD_ID_NUMBER else.
Result<std::string> normalize(std::string_view id);

// GB 11643-1999: 17 digits, then the check digit (0-9 or X).
bool gb11643Valid(std::string_view id18);

// The 16-byte binding for an already-normalized ID. Takes ~60 ms and 16 MiB
// by design: call it only when an ID is given.
Result<Idh> derive(std::string_view normalizedId, std::string_view cti);

// The ID as it may be logged or shown: the type, then the value with all
// but its last min(4, length / 3) characters starred, length kept
// (e.g. "CN:*****************9", "PP-FRA:******678").
std::string masked(std::string_view normalizedId);

}  // namespace titlecert::idh
