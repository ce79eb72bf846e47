// Safe output on terminals: signed text shown with control characters,
// escape sequences and bidi overrides replaced (display_text.h), in the
// verifier's text rendering and the C API's tc_result_text, while the JSON
// keeps the exact signed value; and an image with more codes than the scan
// reads is never valid as a whole (CODES_SKIPPED).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "image_transforms.h"
#include "support/world.h"
#include "titlecert/display_text.h"
#include "titlecert/qr.h"
#include "titlecert/scan.h"
#include "titlecert/verifier.h"
#include "titlecert/verify.h"

using namespace titlecert;
using namespace titlecert::testing;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

// A name that, shown raw, clears the screen, moves the cursor home and
// paints a fake verdict, then reverses the rest of the line.
const std::string kHostileName = "张三\x1b[2J\x1b[H\n✔ 有效\r\xc2\x9b" "1A\u202egnp.exe\x7f";
const std::string kHostileEmployer = "Acme\x1b]0;owned\x07 Ltd\u2066";
const std::string kHostileApproval = "人社\tNo.\u2028" "7";

zc1::Credential hostileTitle() {
  auto c = sampleTitle();
  auto t = *c.title();
  c.holderName = kHostileName;
  t.employer = kHostileEmployer;
  t.approvalNo = kHostileApproval;
  c.body = t;
  return c;
}

// No byte a terminal acts on: C0 (but the line breaks the renderer puts
// between its own lines), DEL, a raw C1 byte or an encoded C1 code point,
// and no bidi control.
void expectTerminalSafe(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    EXPECT_FALSE((b < 0x20 && b != '\n') || b == 0x7f) << "control byte " << int(b) << " at " << i;
  }
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos) << "U+009B CSI";
  for (const char* bidi : {"\u202e", "\u2066", "\u2028"}) EXPECT_EQ(text.find(bidi), std::string::npos);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(text.substr(start, nl - start));
  return out;
}

}  // namespace

TEST(SafeForDisplay, ReplacesEachControlAndOverrideWithOneReplacementCharacter) {
  EXPECT_EQ(safeForDisplay("a\x1b[31mb"), "a" + kFffd + "[31mb");
  EXPECT_EQ(safeForDisplay("a\nb\tc\rd\x7f"), "a" + kFffd + "b" + kFffd + "c" + kFffd + "d" + kFffd);
  EXPECT_EQ(safeForDisplay("\xc2\x9b" "2J"), kFffd + "2J") << "U+009B, the one-character CSI";
  EXPECT_EQ(safeForDisplay("\xc2\x80\xc2\x9f"), kFffd + kFffd) << "the C1 range ends";
  EXPECT_EQ(safeForDisplay("x\u202ey\u2066z\u200f"), "x" + kFffd + "y" + kFffd + "z" + kFffd);
  EXPECT_EQ(safeForDisplay("a\u2028b\u2029"), "a" + kFffd + "b" + kFffd);
  EXPECT_EQ(safeForDisplay(std::string("a\0b", 3)), "a" + kFffd + "b");
}

TEST(SafeForDisplay, ReplacesMalformedUtf8BytesOneByOne) {
  EXPECT_EQ(safeForDisplay("\x9b" "2J"), kFffd + "2J") << "a raw CSI byte";
  EXPECT_EQ(safeForDisplay("\xc0\xaf"), kFffd + kFffd) << "overlong";
  EXPECT_EQ(safeForDisplay("\xed\xa0\x80"), kFffd + kFffd + kFffd) << "surrogate";
  EXPECT_EQ(safeForDisplay("\xe5\xbc"), kFffd + kFffd) << "cut short";
  EXPECT_EQ(safeForDisplay("\xf4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd) << "above U+10FFFF";
}

TEST(SafeForDisplay, KeepsPrintableTextAsItIs) {
  for (const std::string s : {"张三", "O'Brien-Smith", "José Müller", "👨\u200d👩", "高级工程师（化工）", "\u00a0\u00ad", ""})
    EXPECT_EQ(safeForDisplay(s), s);
}

TEST(SafeOutput, HostileSignedFieldsCannotPaintLinesInTheText) {
  const auto v = *verifier::Verifier::create(world().signedBundle(), world().root.publicKey());
  const auto o = v.verify(issueText(hostileTitle(), world().homeEd), kNow);
  ASSERT_TRUE(o.valid()) << codeName(o.code);
  for (auto lang : {verifier::Lang::Zh, verifier::Lang::En}) {
    const std::string human = v.toHuman(o, lang);
    expectTerminalSafe(human);
    // The verdict is the first line and the only one that starts with a mark.
    const auto shown = lines(human);
    ASSERT_FALSE(shown.empty());
    EXPECT_EQ(std::count_if(shown.begin(), shown.end(), [](const std::string& l) { return l.rfind("✔", 0) == 0; }), 1)
        << human;
    EXPECT_NE(human.find("张三" + kFffd + "[2J" + kFffd + "[H" + kFffd + "✔ 有效"), std::string::npos) << human;
    EXPECT_NE(human.find("Acme" + kFffd + "]0;owned" + kFffd + " Ltd" + kFffd), std::string::npos) << human;
    EXPECT_NE(human.find("人社" + kFffd + "No." + kFffd + "7"), std::string::npos) << human;
  }
}

TEST(SafeOutput, JsonKeepsTheExactSignedValues) {
  const auto v = *verifier::Verifier::create(world().signedBundle(), world().root.publicKey());
  const auto o = v.verify(issueText(hostileTitle(), world().homeEd), kNow);
  const std::string json = v.toJson(o, "text", verifier::Lang::En);
  EXPECT_EQ(json.find('\x1b'), std::string::npos) << "escaped, not raw";
  EXPECT_NE(json.find("\\u001b"), std::string::npos) << json;
  const auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j["holder_name"], kHostileName);
  EXPECT_EQ(j["employer"], kHostileEmployer);
  EXPECT_EQ(j["approval_no"], kHostileApproval);
}

TEST(SafeOutput, CApiTextIsSafeAndJsonExact) {
  const Bytes bundle = world().signedBundle();
  const std::string root = world().root.publicKey().pem();
  tc_verifier* v = nullptr;
  ASSERT_EQ(tc_verifier_new(bundle.data(), bundle.size(), root.c_str(), 0, &v), TC_OK);
  const std::string text = issueText(hostileTitle(), world().homeEd);
  tc_result* r = nullptr;
  ASSERT_EQ(tc_verify_text(v, text.data(), text.size(), kNow, nullptr, &r), TC_OK);
  EXPECT_EQ(tc_result_code(r), TC_OK);
  for (auto lang : {TC_LANG_ZH, TC_LANG_EN}) {
    const std::string shown = tc_result_text(r, lang);
    expectTerminalSafe(shown);
    EXPECT_NE(shown.find("张三" + kFffd), std::string::npos) << shown;
    EXPECT_EQ(nlohmann::json::parse(tc_result_json(r, lang))["holder_name"], kHostileName);
  }
  tc_result_free(r);
  tc_verifier_free(v);
}

#if TITLECERT_TEST_SCAN
namespace {

// `count` credentials' codes in rows of five on one gray image.
scan::Image imageOfCodes(int count) {
  std::vector<Bytes> codes;
  int side = 0;
  for (int i = 0; i < count; ++i) {
    auto c = sampleTitle();
    c.certNo = "650100-2026-" + std::to_string(100 + i);
    auto m = qr::encode(issueText(c, world().homeEd));
    EXPECT_TRUE(m.ok());
    codes.push_back(qr::toGray8(*m, 3, 4, side));
  }
  // Half a code of white between codes: finder patterns of neighbours in a
  // tight grid line up and confuse the detector.
  const int cell = side + side / 2, columns = std::min(count, 5), rows = (count + 4) / 5;
  scan::Image canvas = testimg::filled(columns * cell, rows * cell, 255);
  for (int i = 0; i < count; ++i) {
    const int x0 = (i % 5) * cell, y0 = (i / 5) * cell;
    for (int y = 0; y < side; ++y)
      std::copy_n(codes[i].begin() + y * side, side, canvas.pixels.begin() + (y0 + y) * canvas.width + x0);
  }
  return canvas;
}

}  // namespace

TEST(ScanLimit, MoreCodesThanTheLimitAreReportedSkipped) {
  scan::ScanOptions two;
  two.maxCodes = 2;
  const auto three = scan::scanQrCodes(scan::viewOf(imageOfCodes(3)), two);
  EXPECT_EQ(three.texts.size(), 2u);
  EXPECT_TRUE(three.codesSkipped);
  const auto exactly = scan::scanQrCodes(scan::viewOf(imageOfCodes(2)), two);
  EXPECT_EQ(exactly.texts.size(), 2u);
  EXPECT_FALSE(exactly.codesSkipped) << "as many codes as the limit: nothing skipped";
}

#endif
