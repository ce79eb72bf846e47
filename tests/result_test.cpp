#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "titlecert/result.h"

using titlecert::Code;

TEST(ResultCodes, NamesRoundTripAndNumbersAreStable) {
  EXPECT_EQ(static_cast<int>(Code::OK), 0);
  EXPECT_EQ(static_cast<int>(Code::BAD_SIGNATURE), 8);
  EXPECT_EQ(static_cast<int>(Code::HOLDER_MISMATCH), 17);
  EXPECT_EQ(titlecert::codeName(Code::NOT_RECOGNIZED), "NOT_RECOGNIZED");
  auto c = titlecert::codeFromName("REVOKED");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, Code::REVOKED);
  EXPECT_EQ(titlecert::codeFromName("revoked").code(), Code::INVALID_ARGUMENT);
}

TEST(ResultCodes, EveryCodeHasDistinctNumberAndBothLanguages) {
  std::set<int> numbers;
#define TC_RESULT_CODE(name, number, zh, en)                          \
  EXPECT_TRUE(numbers.insert(number).second) << #name;                \
  EXPECT_FALSE(titlecert::codeZh(Code::name).empty()) << #name;       \
  EXPECT_FALSE(titlecert::codeEn(Code::name).empty()) << #name;
#include "titlecert/result_codes.def"
#undef TC_RESULT_CODE
  EXPECT_GE(numbers.size(), 18u);
}

TEST(ResultCodes, DocsErrorsMdMentionsEveryCode) {
  std::ifstream in(std::string(TITLECERT_SOURCE_DIR) + "/docs/errors.md");
  ASSERT_TRUE(in) << "docs/errors.md missing: run scripts/gen-docs.sh";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
#define TC_RESULT_CODE(name, number, zh, en) \
  EXPECT_NE(doc.find("| " #number " | `" #name "` | " zh " | " en " |"), std::string::npos) << #name;
#include "titlecert/result_codes.def"
#undef TC_RESULT_CODE
}

TEST(ResultType, CarriesValueOrError) {
  titlecert::Result<int> good(5);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 5);
  titlecert::Result<int> bad(titlecert::makeError(Code::BAD_CBOR, "x"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), Code::BAD_CBOR);
  EXPECT_EQ(bad.error().detail, "x");
}
