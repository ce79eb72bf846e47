// titlecert::dates: the texts of dates and times the verifier prints in
// every verdict, checked against fixed values and against parsing them back.
#include "titlecert/dates.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace titlecert::dates {
namespace {

constexpr std::int64_t kDay = 86400;

TEST(Dates, FormatsFixedDatesAndTimes) {
  EXPECT_EQ(formatDate(0), "1970-01-01");
  EXPECT_EQ(formatDate(20777), "2026-11-20");
  EXPECT_EQ(formatDate(-719162), "0001-01-01");
  EXPECT_EQ(formatDate(2932896), "9999-12-31");
  EXPECT_EQ(formatRfc3339(1795737600 + 3600 + 59), "2026-11-27T01:00:59Z");
  EXPECT_EQ(formatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(formatRfc3339(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(formatRfc3339(kDay - 1), "1970-01-01T23:59:59Z");
}

// Years outside 0000-9999 keep printf's rendering (a sign, no truncation).
TEST(Dates, FormatsYearsBeyondFourDigitsLikePrintf) {
  EXPECT_EQ(formatDate(2932897), "10000-01-01");
  EXPECT_EQ(formatDate(-719528), "0000-01-01");
  EXPECT_EQ(formatDate(-719529), "-001-12-31");
  EXPECT_EQ(formatRfc3339(2932897 * kDay + 61), "10000-01-01T00:01:01Z");
}

TEST(Dates, FormattedDatesAndTimesParseBack) {
  for (std::int64_t days = 0; days <= 2932896; days += 97) {  // what parsing accepts: 1970-01-01 to 9999-12-31
    const std::string date = formatDate(days);
    ASSERT_EQ(parseDate(date).value(), days) << date;
    const std::int64_t t = days * kDay + ((days * 7919) % kDay + kDay) % kDay;
    const std::string time = formatRfc3339(t);
    ASSERT_EQ(parseRfc3339(time).value(), t) << time;
  }
}

}  // namespace
}  // namespace titlecert::dates
