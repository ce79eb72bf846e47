// CBOR: RFC 8949 Appendix A (decode, compare, round trip), Appendix F (not
// well-formed, rejected in both modes), and the strict ZC1 profile.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/cbor.h"

namespace {

using titlecert::Bytes;
using titlecert::Code;
using titlecert::cbor::decode;
using titlecert::cbor::DecodeOptions;
using titlecert::cbor::diagnostic;
using titlecert::cbor::encode;
using titlecert::cbor::Type;
using titlecert::cbor::Value;
using titlecert::cbor::zc1Profile;
using Json = nlohmann::ordered_json;  // keeps document order (see FloatTexts)

std::string readFile(const std::string& relative) {
  const std::string path = std::string(TITLECERT_SHARED_DIR) + "/testdata/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Bytes hex(std::string_view h) {
  auto b = titlecert::fromHex(h);
  EXPECT_TRUE(b.has_value()) << h;
  return b.value_or(Bytes{});
}

// The source text of every JSON number that nlohmann stores as a double, in
// document order. Appendix A's 2^64 and -2^64-1 do not fit a 64-bit integer
// and would lose their last digits as doubles; their exact text is compared
// instead.
class FloatTexts : public nlohmann::json_sax<Json> {
 public:
  std::vector<std::string> texts;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t& s) override {
    texts.push_back(s);
    return true;
  }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const Json::exception&) override { return false; }
};

// Decimal text of a big-endian unsigned magnitude.
std::string decimal(Bytes magnitude) {
  std::string digits;
  auto nonZero = [&] {
    for (auto b : magnitude)
      if (b) return true;
    return false;
  };
  while (nonZero()) {
    unsigned rem = 0;
    for (auto& b : magnitude) {
      const unsigned cur = rem << 8 | b;
      b = static_cast<std::uint8_t>(cur / 10);
      rem = cur % 10;
    }
    digits.insert(digits.begin(), static_cast<char>('0' + rem));
  }
  return digits.empty() ? "0" : digits;
}

Bytes plusOne(Bytes magnitude) {
  for (auto it = magnitude.rbegin(); it != magnitude.rend(); ++it)
    if (++*it != 0) return magnitude;
  magnitude.insert(magnitude.begin(), 1);
  return magnitude;
}

Bytes bigEndian(std::uint64_t v) {
  Bytes b(8);
  for (int i = 7; i >= 0; --i, v >>= 8) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
  return b;
}

// The exact integer an item stands for (major 0/1, or a bignum tag 2/3 over
// a byte string); empty when it is not an integer.
std::string integerText(const Value& v) {
  if (v.type() == Type::Unsigned) return std::to_string(v.raw());
  if (v.type() == Type::Negative) return "-" + decimal(plusOne(bigEndian(v.raw())));
  if (v.isTag() && (v.raw() == 2 || v.raw() == 3) && v.tagged().isBytes()) {
    const Bytes& m = v.tagged().asBytes();
    return v.raw() == 2 ? decimal(m) : "-" + decimal(plusOne(m));
  }
  return {};
}

// Compares a decoded item with Appendix A's JSON value; floatTexts is
// consumed in document order, in step with the walk.
::testing::AssertionResult matchesJson(const Value& v, const Json& j, const std::vector<std::string>& floatTexts,
                                       std::size_t& nextFloat) {
  using ::testing::AssertionFailure;
  using ::testing::AssertionSuccess;
  const std::string got = diagnostic(v);
  switch (j.type()) {
    case Json::value_t::null:
      return v.isNull() ? AssertionSuccess() : AssertionFailure() << got << " is not null";
    case Json::value_t::boolean:
      return v.isBool() && v.asBool() == j.get<bool>() ? AssertionSuccess() : AssertionFailure() << got << " != " << j;
    case Json::value_t::number_unsigned:
    case Json::value_t::number_integer:
      return integerText(v) == j.dump() ? AssertionSuccess() : AssertionFailure() << got << " != " << j;
    case Json::value_t::number_float: {
      if (nextFloat >= floatTexts.size()) return AssertionFailure() << "float texts out of step";
      const std::string& text = floatTexts[nextFloat++];
      if (text.find_first_of(".eE") == std::string::npos)  // an integer too big for int64/uint64
        return integerText(v) == text ? AssertionSuccess() : AssertionFailure() << got << " != " << text;
      const double d = j.get<double>();
      if (v.type() != Type::Float || v.asDouble() != d || std::signbit(v.asDouble()) != std::signbit(d))
        return AssertionFailure() << got << " != " << text;
      return AssertionSuccess();
    }
    case Json::value_t::string:
      return v.isText() && v.asText() == j.get<std::string>() ? AssertionSuccess()
                                                                : AssertionFailure() << got << " != " << j;
    case Json::value_t::array: {
      if (!v.isArray() || v.asArray().size() != j.size()) return AssertionFailure() << got << " != " << j;
      for (std::size_t i = 0; i < j.size(); ++i) {
        auto r = matchesJson(v.asArray()[i], j[i], floatTexts, nextFloat);
        if (!r) return r;
      }
      return AssertionSuccess();
    }
    case Json::value_t::object: {
      if (!v.isMap() || v.asMap().size() != j.size()) return AssertionFailure() << got << " != " << j;
      for (const auto& [key, value] : j.items()) {
        const Value* found = v.find(std::string_view(key));
        if (!found) return AssertionFailure() << got << " lacks key " << key;
        auto r = matchesJson(*found, value, floatTexts, nextFloat);
        if (!r) return r;
      }
      return AssertionSuccess();
    }
    default:
      return AssertionFailure() << "unexpected JSON type in " << j;
  }
}

// (_ h'0102', h'030405') -> the joined byte string, which is what decoding
// an indefinite-length byte string yields.
Value joinedChunks(const std::string& diag) {
  static const std::regex chunk("h'([0-9a-f]*)'");
  Bytes joined;
  for (std::sregex_iterator it(diag.begin(), diag.end(), chunk), end; it != end; ++it) {
    const Bytes part = hex((*it)[1].str());
    joined.insert(joined.end(), part.begin(), part.end());
  }
  return Value::bytes(std::move(joined));
}

// appendix_a.json transcribes RFC 7049, whose Appendix A lists simple(24)
// as f818. RFC 8949 §3.3 made the two-byte form of a simple value below 32
// not well-formed, and its Appendix F.1 (the other corpus here) lists f818
// among the items a decoder must reject; we follow RFC 8949.
bool supersededByRfc8949(const std::string& h) { return h == "f818"; }

struct AppendixA {
  Json doc;
  std::vector<std::string> floatTexts;
};

AppendixA loadAppendixA() {
  const std::string text = readFile("cbor-test-vectors/appendix_a.json");
  AppendixA a;
  a.doc = Json::parse(text);
  FloatTexts sax;
  EXPECT_TRUE(Json::sax_parse(text, &sax));
  a.floatTexts = std::move(sax.texts);
  return a;
}

TEST(CborAppendixA, DecodesAll) {
  const auto a = loadAppendixA();
  ASSERT_TRUE(a.doc.is_array());
  std::size_t nextFloat = 0, byValue = 0, byDiagnostic = 0, indefinite = 0, superseded = 0;
  for (const auto& e : a.doc) {
    const auto h = e["hex"].get<std::string>();
    SCOPED_TRACE("appendix A " + h);
    const auto v = decode(hex(h));
    if (supersededByRfc8949(h)) {
      EXPECT_EQ(v.code(), Code::BAD_CBOR);
      ++superseded;
      continue;
    }
    ASSERT_TRUE(v.ok()) << v.error().detail;
    if (e.contains("decoded")) {
      EXPECT_TRUE(matchesJson(*v, e["decoded"], a.floatTexts, nextFloat));
      ++byValue;
    } else if (const auto diag = e["diagnostic"].get<std::string>(); diag.rfind("(_", 0) == 0) {
      EXPECT_EQ(*v, joinedChunks(diag)) << diagnostic(*v);
      ++indefinite;
    } else {
      EXPECT_EQ(diagnostic(*v), diag);
      ++byDiagnostic;
    }
  }
  EXPECT_EQ(nextFloat, a.floatTexts.size());
  const std::size_t checked = byValue + byDiagnostic + indefinite + superseded;
  std::cout << "[corpus] cbor appendix A decode: " << checked << " vectors (" << byValue << " by JSON value, "
            << byDiagnostic << " by diagnostic, " << indefinite << " indefinite by joined value, " << superseded
            << " RFC 7049-only item rejected as RFC 8949 requires)\n";
  EXPECT_EQ(superseded, 1u);
  EXPECT_GT(checked, 0u);
  EXPECT_EQ(checked, a.doc.size());
}

TEST(CborAppendixA, RoundTrip) {
  const auto a = loadAppendixA();
  std::size_t checked = 0, expected = 0, marked = 0;
  for (const auto& e : a.doc) {
    const auto h = e["hex"].get<std::string>();
    if (!e["roundtrip"].get<bool>()) continue;
    ++marked;
    if (supersededByRfc8949(h)) continue;
    ++expected;
    const auto v = decode(hex(h));
    ASSERT_TRUE(v.ok()) << h << ": " << v.error().detail;
    EXPECT_EQ(titlecert::toHex(encode(*v)), h);
    ++checked;
  }
  std::cout << "[corpus] cbor appendix A round trip: " << checked << " vectors (" << marked
            << " marked roundtrip, less f818 which RFC 8949 rejects)\n";
  EXPECT_GT(checked, 0u);
  EXPECT_EQ(checked, expected);
  EXPECT_EQ(checked + 1, marked);
}

TEST(CborAppendixA, NonRoundTripItemsReencodeToPreferredForm) {
  // Not byte-identical, but the re-encoding decodes to the same value and is
  // itself stable.
  const auto a = loadAppendixA();
  for (const auto& e : a.doc) {
    const auto h = e["hex"].get<std::string>();
    if (supersededByRfc8949(h)) continue;
    const auto v = decode(hex(h));
    ASSERT_TRUE(v.ok()) << h;
    const Bytes once = encode(*v);
    const auto again = decode(once);
    ASSERT_TRUE(again.ok()) << h;
    EXPECT_EQ(*again, *v) << h;
    EXPECT_EQ(encode(*again), once) << h;
  }
  EXPECT_EQ(titlecert::toHex(encode(*decode(hex("fa7fc00000")))), "f97e00");
  EXPECT_EQ(titlecert::toHex(encode(*decode(hex("fb7ff0000000000000")))), "f97c00");
  EXPECT_EQ(titlecert::toHex(encode(*decode(hex("5f42010243030405ff")))), "450102030405");
  EXPECT_EQ(titlecert::toHex(encode(*decode(hex("bf6346756ef563416d7421ff")))), "a263416d74216346756ef5");
}

TEST(CborAppendixF, RejectsAllNotWellFormed) {
  const auto doc = Json::parse(readFile("cbor-test-vectors/rfc8949_appendix_f_not_well_formed.json"));
  ASSERT_TRUE(doc.contains("examples"));
  std::size_t checked = 0;
  for (const auto& e : doc["examples"]) {
    const auto h = e["hex"].get<std::string>();
    SCOPED_TRACE("appendix F " + h + " (" + e["category"].get<std::string>() + ")");
    const auto general = decode(hex(h));
    ASSERT_FALSE(general.ok()) << diagnostic(*general);
    EXPECT_EQ(general.code(), Code::BAD_CBOR);
    EXPECT_NE(general.error().detail.find("offset"), std::string::npos) << general.error().detail;
    const auto strict = decode(hex(h), zc1Profile());
    ASSERT_FALSE(strict.ok()) << diagnostic(*strict);
    EXPECT_EQ(strict.code(), Code::BAD_CBOR);
    ++checked;
  }
  std::cout << "[corpus] cbor appendix F not well-formed: " << checked << " vectors\n";
  EXPECT_GT(checked, 0u);
  EXPECT_EQ(checked, doc["examples"].size());
}

TEST(CborAppendixF, RejectsTooMuchData) {
  // Kind 1 of Appendix F: a valid item followed by more bytes.
  const auto a = loadAppendixA();
  std::size_t checked = 0;
  for (const auto& e : a.doc) {
    for (const char* extra : {"00", "ff", "f6"}) {
      const auto h = e["hex"].get<std::string>() + extra;
      const auto general = decode(hex(h));
      ASSERT_FALSE(general.ok()) << h;
      EXPECT_EQ(general.code(), Code::BAD_CBOR);
      EXPECT_FALSE(decode(hex(h), zc1Profile()).ok()) << h;
      ++checked;
    }
  }
  EXPECT_NE(decode(hex("0000")).error().detail.find("trailing bytes after the item at offset 1"), std::string::npos);
  std::cout << "[corpus] cbor appendix A items + trailing byte: " << checked << " vectors\n";
  EXPECT_EQ(checked, a.doc.size() * 3);
}

// ------------------------------------------------------------ strict -----

struct Case {
  const char* name;
  std::string hex;
};

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// bstr of total encoded size `total` (3-byte head 59 xxxx, total >= 259).
std::string bstrOfSize(std::size_t total) {
  const std::size_t len = total - 3;
  char head[8];
  std::snprintf(head, sizeof head, "59%04zx", len);
  return head + repeat("00", len);
}

TEST(CborStrict, RejectsMalformedTable) {
  const std::vector<Case> cases = {
      {"uint 23 in 1-byte form", "1817"},
      {"uint 255 in 2-byte form", "1900ff"},
      {"uint 65535 in 4-byte form", "1a0000ffff"},
      {"uint 2^32-1 in 8-byte form", "1b00000000ffffffff"},
      {"uint 0 in 8-byte form", "1b0000000000000000"},
      {"negative -24 in 1-byte form", "3817"},
      {"negative in 2-byte form", "390010"},
      {"bstr length in 1-byte form", "580100"},
      {"text length in 2-byte form", "79000161"},
      {"array count in 1-byte form", "980100"},
      {"map count in 1-byte form", "b8010000"},
      {"tag 18 in 1-byte form", "d81280"},
      {"non-shortest int inside array", "82011817"},
      {"non-shortest map key", "a1180a00"},
      {"indefinite bstr", "5f4100ff"},
      {"indefinite text", "7f6161ff"},
      {"indefinite empty array", "9fff"},
      {"indefinite array", "9f0102ff"},
      {"indefinite map", "bf0102ff"},
      {"indefinite array nested", "819f01ff"},
      {"unsorted int keys", "a202000100"},
      {"-1 before 10 (bytewise 0x20 > 0x0a)", "a220000a00"},
      {"text before int", "a2616100 0100"},
      {"\"b\" before \"a\"", "a2616200616100"},
      {"24 before 23 (longer encoding first)", "a218180017 00"},
      {"\"aa\" before \"b\" (length sorts first)", "a262616100616200"},
      {"duplicate int key", "a201000100"},
      {"duplicate text key", "a2616100616101"},
      {"duplicate key in nested map", "81a2050005 01"},
      {"half float", "f93c00"},
      {"single float", "fa47c35000"},
      {"double float", "fb3ff199999999999a"},
      {"float in array", "8101f90000"},
      {"float map value", "a101f97e00"},
      {"undefined", "f7"},
      {"simple(16)", "f0"},
      {"simple(0)", "e0"},
      {"simple(19)", "f3"},
      {"simple(32)", "f820"},
      {"simple(255)", "f8ff"},
      {"nested tag in array", "81c100"},
      {"nested tag in map value", "a101c074323031332d30332d32315432303a30343a30305a"},
      {"tagged map key", "a1c10000"},
      {"bignum inside", "81c249010000000000000000"},
      {"two stacked tags at top", "d2d280"},
      {"tag 0 over tag 1", "c0c100"},
      {"depth 9", repeat("81", 8) + "80"},
      {"depth 9 with maps", repeat("a100", 8) + "a0"},
      {"depth 9 under an outer tag", "d2" + repeat("81", 8) + "80"},
      {"2049 bytes", bstrOfSize(2049)},
      {"1025 items", "990401" + repeat("00", 1025)},
      {"map key bstr", "a14000"},
      {"map key array", "a18000"},
      {"map key map", "a1a000 00"},
      {"map key true", "a1f500"},
      {"map key null", "a1f600"},
      {"text 0xff", "61ff"},
      {"text lone continuation", "6180"},
      {"text overlong NUL", "62c080"},
      {"text overlong slash", "63e080af"},
      {"text surrogate", "63eda080"},
      {"text above U+10FFFF", "64f4908080"},
      {"text truncated sequence", "62e282"},
      {"text 5-byte form", "65f888808080"},
      {"map key invalid UTF-8", "a161ff00"},
      {"trailing byte", "0000"},
      {"trailing byte after array", "8000"},
      {"empty input", ""},
  };
  std::size_t checked = 0;
  for (const auto& c : cases) {
    std::string h = c.hex;
    h.erase(std::remove(h.begin(), h.end(), ' '), h.end());
    const auto r = decode(hex(h), zc1Profile());
    EXPECT_FALSE(r.ok()) << c.name << " accepted: " << diagnostic(*r);
    if (!r.ok()) {
      EXPECT_EQ(r.code(), Code::BAD_CBOR) << c.name;
      EXPECT_NE(r.error().detail.find("offset"), std::string::npos) << c.name << ": " << r.error().detail;
    }
    ++checked;
  }
  std::cout << "[corpus] cbor strict rejections: " << checked << " cases\n";
  EXPECT_EQ(checked, cases.size());
}

TEST(CborStrict, WellFormedButNotProfileIsAcceptedInGeneralMode) {
  // The same profile violations that are still well-formed CBOR decode fine
  // without strict: strictness is what rejects them.
  for (const char* h : {"1817", "9f0102ff", "a202000100", "a201000100", "f93c00", "f7", "f0", "81c100", "d2d280",
                        "a14000", "61ff", "63eda080"}) {
    const auto r = decode(hex(h));
    EXPECT_TRUE(r.ok()) << h << ": " << r.error().detail;
  }
}

TEST(CborStrict, ErrorDetailsNameWhatAndWhere) {
  auto detail = [](const std::string& h) { return decode(hex(h), zc1Profile()).error().detail; };
  EXPECT_EQ(detail("821817"), "CBOR: integer or length not in shortest form at offset 1");
  EXPECT_EQ(detail("a202000100"), "CBOR: map keys not sorted by their encoded bytes at offset 3");
  EXPECT_EQ(detail("a201000100"), "CBOR: duplicate map key at offset 3");
  EXPECT_EQ(detail("8201f7"), "CBOR: simple value other than false, true or null at offset 2");
  EXPECT_EQ(detail("82616162c080"), "CBOR: text string that is not valid UTF-8 at offset 4");
  EXPECT_EQ(detail("81c100"), "CBOR: tag other than one at the outermost position at offset 1");
}

TEST(CborStrict, DepthEightAcceptedNineRejected) {
  const auto eight = repeat("81", 7) + "80";
  EXPECT_TRUE(decode(hex(eight), zc1Profile()).ok());
  EXPECT_TRUE(decode(hex("d2" + eight), zc1Profile()).ok());  // the outer tag does not count
  EXPECT_TRUE(decode(hex(repeat("a100", 7) + "a0"), zc1Profile()).ok());
  const auto nine = decode(hex(repeat("81", 8) + "80"), zc1Profile());
  ASSERT_FALSE(nine.ok());
  EXPECT_EQ(nine.error().detail, "CBOR: arrays and maps nested deeper than 8 at offset 8");
  // Scalars do not count: eight arrays with an integer at the bottom.
  EXPECT_TRUE(decode(hex(repeat("81", 8) + "00"), zc1Profile()).ok());
}

TEST(CborStrict, SizeLimitIsInclusive) {
  const auto ok = decode(hex(bstrOfSize(2048)), zc1Profile());
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(ok->asBytes().size(), 2045u);
  const auto big = decode(hex(bstrOfSize(2049)), zc1Profile());
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().detail, "CBOR: input of 2049 bytes exceeds the limit of 2048 at offset 0");
}

TEST(CborStrict, ItemLimit) {
  EXPECT_TRUE(decode(hex("990400" + repeat("00", 1024)), zc1Profile()).ok());
  EXPECT_FALSE(decode(hex("990401" + repeat("00", 1025)), zc1Profile()).ok());
  // Elements of nested arrays and map pairs add up.
  DecodeOptions o = zc1Profile();
  o.maxItems = 4;
  EXPECT_TRUE(decode(hex("82a100008100"), o).ok());    // 2 + 1 + 1
  EXPECT_FALSE(decode(hex("82a10000820000"), o).ok());  // 2 + 1 + 2
}

TEST(CborStrict, AcceptsOneOuterTag) {
  const auto r = decode(hex("d28443a10126a0447465737440"), zc1Profile());
  ASSERT_TRUE(r.ok()) << r.error().detail;
  ASSERT_TRUE(r->isTag());
  EXPECT_EQ(r->raw(), 18u);
  EXPECT_TRUE(r->tagged().isArray());
  EXPECT_EQ(r->tagged().asArray().size(), 4u);
  // The CBOR layer accepts any one outer tag; the COSE layer rejects 61, 98 ...
  EXPECT_TRUE(decode(hex("d83d80"), zc1Profile()).ok());
  EXPECT_TRUE(decode(hex("c000"), zc1Profile()).ok());
  // Untagged is fine too.
  EXPECT_TRUE(decode(hex("8443a10126a0447465737440"), zc1Profile()).ok());
}

TEST(CborStrict, AcceptsSortedMapsAndAllowedItems) {
  // {10: h'', -1: "x", "a": [false, true, null]}: sorted by encoded bytes.
  const auto r = decode(hex("a30a40206178616183f4f5f6"), zc1Profile());
  ASSERT_TRUE(r.ok()) << r.error().detail;
  ASSERT_NE(r->find(10), nullptr);
  EXPECT_TRUE(r->find(10)->isBytes());
  ASSERT_NE(r->find(-1), nullptr);
  EXPECT_EQ(r->find(-1)->asText(), "x");
  ASSERT_NE(r->find("a"), nullptr);
  EXPECT_EQ(diagnostic(*r->find("a")), "[false, true, null]");
  EXPECT_EQ(r->find(11), nullptr);
  EXPECT_EQ(r->find("b"), nullptr);
  // Key -65537 (the zc map) sorts after small negative keys: 3a00010000.
  EXPECT_TRUE(decode(hex("a3010020003a00010000a0"), zc1Profile()).ok());
  // Valid UTF-8 of several lengths.
  EXPECT_TRUE(decode(hex("6ce8818ce7a7b0c3bcf09f9880"), zc1Profile()).ok());
}

TEST(CborEncode, SortsMapKeysByEncodedBytes) {
  const Value m = Value::map({
      {Value::text("a"), Value::uint(1)},
      {Value::integer(-1), Value::uint(2)},
      {Value::uint(10), Value::uint(3)},
      {Value::uint(100), Value::uint(4)},
      {Value::integer(-65537), Value::uint(5)},
  });
  // 0a < 1864 < 20 < 3a00010000 < 6161
  const Bytes enc = encode(m);
  EXPECT_EQ(titlecert::toHex(enc), "a50a0318640420023a0001000005616101");
  const auto back = decode(enc, zc1Profile());
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(*back, m);  // map equality ignores order
  EXPECT_EQ(encode(*back), enc);
}

TEST(CborEncode, IntegerBoundaries) {
  struct IntCase {
    std::int64_t value;
    const char* hex;
  };
  const std::vector<IntCase> cases = {
      {0, "00"},
      {23, "17"},
      {24, "1818"},
      {255, "18ff"},
      {256, "190100"},
      {65535, "19ffff"},
      {65536, "1a00010000"},
      {4294967295, "1affffffff"},
      {4294967296, "1b0000000100000000"},
      {std::numeric_limits<std::int64_t>::max(), "1b7fffffffffffffff"},
      {-1, "20"},
      {-24, "37"},
      {-25, "3818"},
      {-256, "38ff"},
      {-257, "390100"},
      {-65536, "39ffff"},
      {-65537, "3a00010000"},
      {-4294967296, "3affffffff"},
      {-4294967297, "3b0000000100000000"},
      {std::numeric_limits<std::int64_t>::min(), "3b7fffffffffffffff"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.value);
    const Value v = Value::integer(c.value);
    EXPECT_EQ(titlecert::toHex(encode(v)), c.hex);
    titlecert::cbor::Writer w;
    w.integer(c.value);
    EXPECT_EQ(titlecert::toHex(w.data()), c.hex);
    const auto d = decode(hex(c.hex), zc1Profile());
    ASSERT_TRUE(d.ok()) << d.error().detail;
    std::int64_t back = 0;
    ASSERT_TRUE(d->asInt64(back));
    EXPECT_EQ(back, c.value);
  }
  EXPECT_EQ(titlecert::toHex(encode(Value::uint(UINT64_MAX))), "1bffffffffffffffff");
  EXPECT_EQ(titlecert::toHex(encode(Value::negative(UINT64_MAX))), "3bffffffffffffffff");
  std::int64_t unused = 0;
  EXPECT_FALSE(Value::uint(UINT64_MAX).asInt64(unused));
  EXPECT_FALSE(Value::negative(UINT64_MAX).asInt64(unused));
  EXPECT_FALSE(Value::text("1").asInt64(unused));
}

TEST(CborEncode, WriterBuildsDeterministicItems) {
  titlecert::cbor::Writer w;
  w.tag(18);
  w.arrayHeader(4);
  w.bytes(hex("a10126"));
  w.mapHeader(0);
  w.text("test");
  w.raw(hex("40"));
  EXPECT_EQ(titlecert::toHex(w.data()), "d28443a10126a0647465737440");
  titlecert::cbor::Writer s;
  s.simple(20);
  s.simple(21);
  s.simple(22);
  s.uint(500);
  EXPECT_EQ(titlecert::toHex(s.take()), "f4f5f61901f4");
}

TEST(CborEncode, FloatsUseShortestExactForm) {
  auto f = [](double d) { return titlecert::toHex(encode(Value::floating(d))); };
  EXPECT_EQ(f(0.0), "f90000");
  EXPECT_EQ(f(-0.0), "f98000");
  EXPECT_EQ(f(1.0), "f93c00");
  EXPECT_EQ(f(65504.0), "f97bff");
  EXPECT_EQ(f(65505.0), "fa477fe100");
  EXPECT_EQ(f(5.960464477539063e-08), "f90001");
  EXPECT_EQ(f(6.103515625e-05), "f90400");
  EXPECT_EQ(f(100000.0), "fa47c35000");
  EXPECT_EQ(f(3.4028234663852886e+38), "fa7f7fffff");
  EXPECT_EQ(f(1.1), "fb3ff199999999999a");
  EXPECT_EQ(f(1e300), "fb7e37e43c8800759c");
  EXPECT_EQ(f(std::numeric_limits<double>::infinity()), "f97c00");
  EXPECT_EQ(f(-std::numeric_limits<double>::infinity()), "f9fc00");
  EXPECT_EQ(f(std::nan("")), "f97e00");
  EXPECT_EQ(f(std::numeric_limits<double>::denorm_min()), "fb0000000000000001");
}

TEST(CborDiagnostic, Notation) {
  EXPECT_EQ(diagnostic(*decode(hex("a26161016162820203"))), "{\"a\": 1, \"b\": [2, 3]}");
  EXPECT_EQ(diagnostic(*decode(hex("3bffffffffffffffff"))), "-18446744073709551616");
  EXPECT_EQ(diagnostic(*decode(hex("f93c00"))), "1.0");
  EXPECT_EQ(diagnostic(*decode(hex("fb7e37e43c8800759c"))), "1.0e+300");
  EXPECT_EQ(diagnostic(*decode(hex("f98000"))), "-0.0");
  EXPECT_EQ(diagnostic(*decode(hex("62225c"))), "\"\\\"\\\\\"");
  EXPECT_EQ(diagnostic(Value::text("a\nb")), "\"a\\u000ab\"");
  EXPECT_EQ(diagnostic(Value()), "null");
}

TEST(CborValue, EqualityAndLookup) {
  EXPECT_EQ(Value::floating(std::nan("")), Value::floating(std::nan("")));
  EXPECT_NE(Value::uint(1), Value::floating(1.0));
  EXPECT_NE(Value::uint(1), Value::integer(-2));
  EXPECT_EQ(Value::integer(-2), Value::negative(1));
  EXPECT_NE(Value::tag(1, Value::uint(0)), Value::tag(2, Value::uint(0)));
  // Maps compare as unordered collections, duplicates counted.
  const Value ab = Value::map({{Value::uint(1), Value::uint(2)}, {Value::uint(3), Value::uint(4)}});
  const Value ba = Value::map({{Value::uint(3), Value::uint(4)}, {Value::uint(1), Value::uint(2)}});
  const Value aa = Value::map({{Value::uint(1), Value::uint(2)}, {Value::uint(1), Value::uint(2)}});
  EXPECT_EQ(ab, ba);
  EXPECT_NE(ab, aa);
  EXPECT_NE(aa, ab);
  EXPECT_EQ(Value::integer(5).find(1), nullptr);
}

// ------------------------------------------------- untrusted-input safety --

TEST(CborSafety, HugeCountsDoNotAllocate) {
  for (const char* h : {"9bffffffffffffffff", "bbffffffffffffffff", "5bffffffffffffffff", "7bffffffffffffffff",
                        "9b7fffffffffffffff00", "9a7fffffff00", "5b7fffffffffffffff00"}) {
    const auto r = decode(hex(h));
    ASSERT_FALSE(r.ok()) << h;
    EXPECT_EQ(r.code(), Code::BAD_CBOR);
  }
}

TEST(CborSafety, DeepNestingIsBoundedInGeneralMode) {
  EXPECT_TRUE(decode(hex(repeat("81", 63) + "80")).ok());
  EXPECT_FALSE(decode(hex(repeat("81", 64) + "80")).ok());
  EXPECT_FALSE(decode(hex(repeat("9f", 100000))).ok());
  EXPECT_FALSE(decode(hex(repeat("c1", 100000) + "00")).ok());
  EXPECT_FALSE(decode(hex(repeat("a1c1", 50000) + "00")).ok());
  // A caller that asks for more still gets the hard limit, not a stack overflow.
  DecodeOptions o;
  o.maxDepth = SIZE_MAX;
  EXPECT_FALSE(decode(hex(repeat("81", 200000) + "00"), o).ok());
  EXPECT_FALSE(decode(hex(repeat("c1", 200000) + "00"), o).ok());
}

TEST(CborSafety, GeneralModeItemLimit) {
  DecodeOptions o;
  o.maxItems = 3;
  EXPECT_TRUE(decode(hex("83010203"), o).ok());
  EXPECT_FALSE(decode(hex("8401020304"), o).ok());
  EXPECT_FALSE(decode(hex("9f01020304ff"), o).ok());
  EXPECT_FALSE(decode(hex("bf0102030405060708ff"), o).ok());
}

}  // namespace
