// The output-only JSON writer must write what nlohmann-json writes (the
// verifier's answers were written by it before), bytes and all.
#include "titlecert/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace titlecert::json {
namespace {

std::string ourQuoted(std::string_view s) {
  std::string out;
  appendQuoted(out, s);
  return out;
}

std::string nlohmannQuoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(JsonWriter, EscapesTextLikeNlohmannIncludingIllFormedUtf8) {
  const std::vector<std::string> samples = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      std::string("controls \x01\x08\x09\x0a\x0b\x0c\x0d\x1f\x7f", 15),
      std::string("nul \0 inside", 12),
      "中文 名字 ✔ 😀",
      "\x80 lone continuation",
      "truncated \xe4\xb8",
      "truncated then ascii \xe4\xb8" "A",
      "overlong \xc0\xaf and \xe0\x80\x80",
      "surrogate \xed\xa0\x80",
      "above U+10FFFF \xf4\x90\x80\x80 and \xf5\x80",
      "four-byte truncated \xf0\x9f\x98",
      "\xff\xfe",
  };
  for (const std::string& s : samples) EXPECT_EQ(ourQuoted(s), nlohmannQuoted(s)) << s;
}

// Runs of plain bytes are copied whole: every boundary between a run and an
// escape or an ill-formed sequence, at random, must still match.
TEST(JsonWriter, RandomMixturesEscapeLikeNlohmann) {
  const std::vector<std::string> pieces = {"a", "Zq 9", "\"", "\\", "\n", std::string(1, '\0'), "\x1f", "中",
                                           "😀", "\xe4\xb8", "\x80", "\xff", "\xed\xa0\x80", "\xf0\x9f\x98", "/"};
  std::mt19937 random(20261203);
  for (int sample = 0; sample < 2000; ++sample) {
    std::string s;
    const auto length = random() % 12;
    for (std::size_t i = 0; i < length; ++i) s += pieces[random() % pieces.size()];
    ASSERT_EQ(ourQuoted(s), nlohmannQuoted(s)) << "sample " << sample;
  }
}

TEST(JsonWriter, WritesNestedValuesInOrderLikeAnOrderedJsonDump) {
  Writer w;
  w.beginObject();
  w.field("b", "x").field("a", std::uint64_t{18446744073709551615u}).key("n").number(std::int64_t{-3});
  w.key("list").beginArray().boolean(true).null().beginObject().endObject().beginArray().endArray().endArray();
  w.key("inner").beginObject().field("ok", false).endObject();
  w.endObject();

  nlohmann::ordered_json j;
  j["b"] = "x";
  j["a"] = std::uint64_t{18446744073709551615u};
  j["n"] = -3;
  j["list"] = nlohmann::ordered_json::array({true, nullptr, nlohmann::ordered_json::object(), nlohmann::ordered_json::array()});
  j["inner"] = {{"ok", false}};
  EXPECT_EQ(w.str(), j.dump());
}

}  // namespace
}  // namespace titlecert::json
