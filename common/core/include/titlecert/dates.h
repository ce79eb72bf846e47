// Times and dates as CONTRACT.md writes them: RFC 3339 in UTC
// ("2026-11-27T00:00:00Z") <-> epoch seconds, and "YYYY-MM-DD" <-> days
// since 1970-01-01 (the ZC1 date fields). Strict: nothing else parses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "titlecert/result.h"

namespace titlecert::dates {

// INVALID_ARGUMENT for anything but "YYYY-MM-DDThh:mm:ssZ" (a real date and
// time, years 1970..9999).
Result<std::int64_t> parseRfc3339(std::string_view text);
std::string formatRfc3339(std::int64_t epochSeconds);

Result<std::int64_t> parseDate(std::string_view text);
std::string formatDate(std::int64_t daysSinceEpoch);

// Civil-calendar helpers (proleptic Gregorian).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day);
void civilFromDays(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day);
// The same day-of-month `years` later (29 Feb -> 28 Feb in common years).
std::int64_t addYears(std::int64_t days, int years);

}  // namespace titlecert::dates
