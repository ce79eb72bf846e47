#include "titlecert/dates.h"

#include <cstdio>
#include <string>

namespace titlecert::dates {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& out) {
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Writes value as `width` decimal digits (zero-padded) over out[pos, pos + width):
// dates are formatted for every verdict a batch renders, and printf is
// several times slower than this.
void writeDigits(std::string& out, std::size_t pos, std::size_t width, unsigned value) {
  for (std::size_t i = width; i-- > 0; value /= 10) out[pos + i] = static_cast<char>('0' + value % 10);
}

bool isLeap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned daysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// "YYYY-MM-DD" at the start of text, validated as a calendar date.
bool readDate(std::string_view text, std::int64_t& days) {
  int y = 0, m = 0, d = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  if (!digits(text, 0, 4, y) || !digits(text, 5, 2, m) || !digits(text, 8, 2, d)) return false;
  if (y < 1970 || m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > daysInMonth(y, static_cast<unsigned>(m)))
    return false;
  days = daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

}  // namespace

// Howard Hinnant's days_from_civil algorithm (public domain description).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

std::int64_t addYears(std::int64_t days, int years) {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civilFromDays(days, y, m, d);
  y += years;
  if (d > daysInMonth(y, m)) d = daysInMonth(y, m);
  return daysFromCivil(y, m, d);
}

Result<std::int64_t> parseDate(std::string_view text) {
  std::int64_t days = 0;
  if (text.size() != 10 || !readDate(text, days))
    return makeError(Code::INVALID_ARGUMENT, "expected a date YYYY-MM-DD, got \"" + std::string(text.substr(0, 40)) + "\"");
  return days;
}

Result<std::int64_t> parseRfc3339(std::string_view text) {
  std::int64_t days = 0;
  int hh = 0, mm = 0, ss = 0;
  const bool ok = text.size() == 20 && readDate(text, days) && text[10] == 'T' && digits(text, 11, 2, hh) &&
                  text[13] == ':' && digits(text, 14, 2, mm) && text[16] == ':' && digits(text, 17, 2, ss) &&
                  text[19] == 'Z' && hh < 24 && mm < 60 && ss < 60;
  if (!ok)
    return makeError(Code::INVALID_ARGUMENT,
                     "expected an RFC 3339 UTC time YYYY-MM-DDThh:mm:ssZ, got \"" + std::string(text.substr(0, 40)) + "\"");
  return days * kSecondsPerDay + hh * 3600 + mm * 60 + ss;
}

std::string formatDate(std::int64_t days) {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civilFromDays(days, y, m, d);
  if (y < 0 || y > 9999) {  // rare: printf's rules for the sign and the width
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return buf;
  }
  std::string out = "0000-00-00";
  writeDigits(out, 0, 4, static_cast<unsigned>(y));
  writeDigits(out, 5, 2, m);
  writeDigits(out, 8, 2, d);
  return out;
}

std::string formatRfc3339(std::int64_t t) {
  std::int64_t days = t / kSecondsPerDay, rem = t % kSecondsPerDay;
  if (rem < 0) {
    rem += kSecondsPerDay;
    --days;
  }
  std::string out = formatDate(days) + "T00:00:00Z";
  const std::size_t at = out.size() - 9;  // the hour
  writeDigits(out, at, 2, static_cast<unsigned>(rem / 3600));
  writeDigits(out, at + 3, 2, static_cast<unsigned>(rem / 60 % 60));
  writeDigits(out, at + 6, 2, static_cast<unsigned>(rem % 60));
  return out;
}

}  // namespace titlecert::dates
