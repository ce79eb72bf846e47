// Base45 (RFC 9285): the shared corpus (../shared/testdata/base45) and a few
// unit tests of the strict rules.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "titlecert/base45.h"
#include "titlecert/bytes.h"

namespace {

using titlecert::Code;
namespace base45 = titlecert::base45;

nlohmann::json loadVectors() {
  const std::string path = std::string(TITLECERT_SHARED_DIR) + "/testdata/base45/base45_vectors.json";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  return in ? nlohmann::json::parse(in) : nlohmann::json::object();
}

TEST(Base45Vectors, Valid) {
  const auto doc = loadVectors();
  ASSERT_TRUE(doc.contains("valid"));
  std::size_t checked = 0;
  for (const auto& v : doc["valid"]) {
    const auto encoded = v["encoded"].get<std::string>();
    const auto hex = v["decodedHex"].get<std::string>();
    SCOPED_TRACE("valid id " + std::to_string(v["id"].get<int>()) + ": \"" + encoded + "\"");
    const auto expected = titlecert::fromHex(hex);
    ASSERT_TRUE(expected.has_value());
    const auto decoded = base45::decode(encoded);
    ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
    EXPECT_EQ(titlecert::toHex(*decoded), hex);
    EXPECT_EQ(base45::encode(*expected), encoded);
    EXPECT_EQ(base45::decodedSize(encoded.size()), expected->size());
    ++checked;
  }
  std::cout << "[corpus] base45 valid: " << checked << " vectors\n";
  EXPECT_GT(checked, 0u);
  EXPECT_EQ(checked, doc["valid"].size());
}

TEST(Base45Vectors, Invalid) {
  const auto doc = loadVectors();
  ASSERT_TRUE(doc.contains("invalid"));
  std::size_t checked = 0;
  for (const auto& v : doc["invalid"]) {
    const auto encoded = v["encoded"].get<std::string>();
    SCOPED_TRACE("invalid id " + std::to_string(v["id"].get<int>()) + " (" + v["reason"].get<std::string>() + ")");
    const auto decoded = base45::decode(encoded);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.code(), Code::BAD_ENCODING);
    EXPECT_FALSE(decoded.error().detail.empty());
    ++checked;
  }
  std::cout << "[corpus] base45 invalid: " << checked << " vectors\n";
  EXPECT_GT(checked, 0u);
  EXPECT_EQ(checked, doc["invalid"].size());
}

TEST(Base45, LowerCaseRejected) {
  ASSERT_TRUE(base45::decode("BB8").ok());
  EXPECT_EQ(base45::decode("bB8").code(), Code::BAD_ENCODING);
  EXPECT_EQ(base45::decode("%69 vD92EX0").code(), Code::BAD_ENCODING);
}

TEST(Base45, LengthThreeNPlusOneRejected) {
  for (const char* text : {"0", "BB80", "BB8BB80", "QED8WEX000"}) {
    const auto r = base45::decode(text);
    EXPECT_EQ(r.code(), Code::BAD_ENCODING) << text;
    if (!r.ok()) {
      EXPECT_NE(r.error().detail.find("3n+1"), std::string::npos) << r.error().detail;
    }
  }
}

TEST(Base45, DecodedSize) {
  EXPECT_EQ(base45::decodedSize(0), 0u);
  EXPECT_EQ(base45::decodedSize(1), SIZE_MAX);
  EXPECT_EQ(base45::decodedSize(2), 1u);
  EXPECT_EQ(base45::decodedSize(3), 2u);
  EXPECT_EQ(base45::decodedSize(4), SIZE_MAX);
  EXPECT_EQ(base45::decodedSize(5), 3u);
  EXPECT_EQ(base45::decodedSize(3072), 2048u);
  EXPECT_EQ(base45::decodedSize(3073), SIZE_MAX);
}

TEST(Base45, BoundaryValues) {
  // 65535 is the largest triplet and 255 the largest pair; one more is an error.
  EXPECT_EQ(titlecert::toHex(*base45::decode("FGW")), "ffff");
  EXPECT_EQ(base45::decode("GGW").code(), Code::BAD_ENCODING);
  EXPECT_EQ(titlecert::toHex(*base45::decode("U5")), "ff");
  EXPECT_EQ(base45::decode("V5").code(), Code::BAD_ENCODING);
}

TEST(Base45, RoundTripsEveryLengthUpTo64) {
  titlecert::Bytes data;
  for (int n = 0; n <= 64; ++n) {
    const auto text = base45::encode(data);
    EXPECT_EQ(text.size() % 3 == 1, false);
    EXPECT_EQ(base45::decodedSize(text.size()), data.size());
    const auto back = base45::decode(text);
    ASSERT_TRUE(back.ok()) << back.error().detail;
    EXPECT_EQ(*back, data);
    data.push_back(static_cast<std::uint8_t>(n * 37 + 200));
  }
}

}  // namespace
