// The printable certificate (issuer/card): the layout keeps every text in
// its own box away from the QR, for the longest fields ZC1 allows on A4 and
// A5; the PDF and the SVG render, their QR reads back with the verifier's
// scanner, and the PDF embeds a CJK font. The pictures are kept in
// ${CMAKE_BINARY_DIR}/screenshots for a person to look at.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/command.h"
#include "titlecert/card.h"
#include "titlecert/qr.h"
#include "titlecert/scan.h"
#include "titlecert/zc1.h"

namespace titlecert::testing {
namespace {

namespace fs = std::filesystem;

enum class Fill { Typical, LongCjk, LongAscii };

// `bytes` bytes of UTF-8: 3-byte CJK characters, or ASCII without spaces.
std::string filled(std::size_t bytes, Fill fill) {
  std::string out;
  if (fill == Fill::LongCjk) {
    const char* glyphs[] = {"职", "称", "评", "审", "委", "员", "会", "办", "公", "室"};
    for (std::size_t i = 0; out.size() + 3 <= bytes; ++i) out += glyphs[i % 10];
  } else {
    for (std::size_t i = 0; out.size() < bytes; ++i) out += static_cast<char>('A' + (i * 7) % 26);
  }
  return out;
}

// A catalogue name (no ZC1 byte limit): long, as the longest names in use.
std::string catalogueName(std::size_t bytes, Fill fill, const char* typical) {
  return fill == Fill::Typical ? typical : filled(bytes, fill);
}

card::Fields fieldsFor(Fill fill, card::Kind kind) {
  namespace lim = zc1::limit;
  card::Fields f;
  f.kind = kind;
  const bool typical = fill == Fill::Typical;
  f.holderName = typical ? "张伟" : filled(lim::kHolderName, fill);
  f.maskedId = "CN:*****************X";  // as the issuer masks it: the check digit only
  f.series = catalogueName(60, fill, "工程技术");
  f.specialty = catalogueName(60, fill, "电子信息");
  f.titleName = catalogueName(60, fill, "高级工程师");
  f.route = catalogueName(60, fill, "正常评审");
  f.grantDate = "2026-06-30";
  f.approvalNo = typical ? "京职改办〔2026〕12号" : filled(lim::kApprovalNo, fill);
  f.committee = catalogueName(120, fill, "北京市工程技术系列电子信息专业高级专业技术资格评审委员会");
  f.employer = typical ? "北京某某电子科技有限公司" : filled(lim::kEmployer, fill);
  f.qualificationName = catalogueName(60, fill, "注册安全工程师");
  f.level = catalogueName(30, fill, "中级");
  f.obtainedDate = "2025-11-02";
  f.qualificationNo = typical ? "0012345678" : filled(lim::kQualCertNo, fill);
  f.expires = "2031-06-30";
  f.issuerName = catalogueName(lim::kIss * 2, fill, "北京市人力资源和社会保障局");
  f.issueDate = "2026-07-01";
  f.certNo = typical ? "BJ-2026-000123" : filled(lim::kCti, Fill::LongAscii);
  return f;
}

// The largest symbol the issuer prints by default (certificate.max_qr_version
// 20 at level M): the QR gets the smallest modules it ever has.
const std::string& largestPayload() {
  static const std::string text = [] {
    const char* alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    std::string all = "ZC1:";
    for (std::size_t i = 0; all.size() < 4000; ++i) all += alphabet[(i * 31 + i / 7) % 45];
    // The longest prefix that still fits version 20.
    std::size_t fits = 4, tooLong = all.size();
    while (tooLong - fits > 1) {
      const std::size_t mid = (fits + tooLong) / 2;
      (qr::encode(all.substr(0, mid), qr::EcLevel::M, 20).ok() ? fits : tooLong) = mid;
    }
    return all.substr(0, fits);
  }();
  return text;
}

struct Case {
  card::Paper paper;
  Fill fill;
  card::Kind kind;
  bool revoked;
};

std::string nameOf(const Case& c) {
  std::string n = c.paper == card::Paper::A4 ? "A4" : "A5";
  n += c.fill == Fill::Typical ? "_typical" : c.fill == Fill::LongCjk ? "_long_cjk" : "_long_ascii";
  n += c.kind == card::Kind::Title ? "_title" : "_qualification";
  if (c.revoked) n += "_revoked";
  return n;
}

void PrintTo(const Case& c, std::ostream* os) { *os << nameOf(c); }

CommandRun run(const std::string& command) { return runCommand(command); }

fs::path screenshots() {
  fs::path dir = TITLECERT_CARD_SCREENSHOTS;
  fs::create_directories(dir);
  return dir;
}

void writeFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::vector<std::string> qrTextsIn(const fs::path& png) {
  auto image = scan::loadImageFile(png.string());
  if (!image) return {};
  return scan::readQrTexts(scan::viewOf(*image));
}

bool overlaps(const card::Box& a, const card::Box& b) {
  constexpr double eps = 0.01;
  return a.x + a.width > b.x + eps && b.x + b.width > a.x + eps && a.y + a.height > b.y + eps &&
         b.y + b.height > a.y + eps;
}

bool inside(const card::Box& inner, const card::Box& outer) {
  constexpr double eps = 0.01;
  return inner.x >= outer.x - eps && inner.y >= outer.y - eps &&
         inner.x + inner.width <= outer.x + outer.width + eps && inner.y + inner.height <= outer.y + outer.height + eps;
}

class CardPage : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    auto m = qr::encode(largestPayload(), qr::EcLevel::M, 40);
    ASSERT_TRUE(m.ok());
    ASSERT_EQ(m->version, 20);
    matrix_ = *m;
    fields_ = fieldsFor(GetParam().fill, GetParam().kind);
    fields_.revoked = GetParam().revoked;
  }
  qr::Matrix matrix_;
  card::Fields fields_;
};

TEST_P(CardPage, EveryTextBoxIsOnThePageApartFromTheQrAndTheOthers) {
  auto page = card::layout(fields_, matrix_, GetParam().paper);
  ASSERT_TRUE(page.ok()) << page.error().detail;
  const card::Box sheet{0, 0, page->width, page->height};
  ASSERT_TRUE(inside(page->qr, sheet));
  ASSERT_TRUE(inside(page->seal, sheet));
  EXPECT_FALSE(overlaps(page->seal, page->qr));
  EXPECT_GE(page->quietZone, 4);
  EXPECT_NEAR(page->moduleSize * (matrix_.size + 2 * page->quietZone), page->qr.width, 1e-6);
  std::size_t values = 0;
  for (std::size_t i = 0; i < page->texts.size(); ++i) {
    const card::TextBlock& t = page->texts[i];
    SCOPED_TRACE(t.role + ": " + t.text);
    EXPECT_GT(t.box.width, 0);
    EXPECT_GT(t.box.height, 0);
    EXPECT_TRUE(inside(t.box, sheet));
    EXPECT_TRUE(inside(t.box, page->frame));
    EXPECT_FALSE(overlaps(t.box, page->qr));
    if (t.role == "seal") {
      EXPECT_TRUE(inside(t.box, page->seal));
    } else {
      EXPECT_FALSE(overlaps(t.box, page->seal));
    }
    // The longest fields ZC1 allows fit by wrapping and shrinking alone.
    EXPECT_FALSE(t.ellipsized);
    if (t.role == "value") {
      ++values;
      EXPECT_LT(t.box.x + t.box.width, page->qr.x);
    }
    for (std::size_t j = i + 1; j < page->texts.size(); ++j)
      EXPECT_FALSE(overlaps(t.box, page->texts[j].box)) << "and " << page->texts[j].role << ": " << page->texts[j].text;
  }
  EXPECT_GE(values, 9u);
}

TEST_P(CardPage, PdfQrReadsBackWithTheVerifiersScanner) {
  auto pdf = card::renderPdf(fields_, matrix_, GetParam().paper);
  ASSERT_TRUE(pdf.ok()) << pdf.error().detail;
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const fs::path base = screenshots() / ("card_" + nameOf(GetParam()));
  writeFile(base.string() + ".pdf", *pdf);
  const CommandRun r = run(std::string(TITLECERT_PDFTOPPM) + " -r 150 -png -singlefile '" + base.string() + ".pdf' '" +
                    base.string() + "'");
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto texts = qrTextsIn(base.string() + ".png");
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], largestPayload());
}

TEST_P(CardPage, SvgRendersAndItsQrReadsBack) {
  auto svg = card::renderSvg(fields_, matrix_, GetParam().paper);
  ASSERT_TRUE(svg.ok()) << svg.error().detail;
  EXPECT_NE(svg->find("<svg"), std::string::npos);
  const fs::path base = screenshots() / ("card_" + nameOf(GetParam()) + "_svg");
  writeFile(base.string() + ".svg", *svg);
  const CommandRun r = run(std::string(TITLECERT_RSVG_CONVERT) + " --dpi-x 150 --dpi-y 150 -f png -o '" + base.string() +
                    ".png' '" + base.string() + ".svg'");
  ASSERT_EQ(r.exit, 0) << r.out;
  auto image = scan::loadImageFile(base.string() + ".png");
  ASSERT_TRUE(image.ok());
  // Points at 150 dpi: the SVG's size is the paper's.
  auto page = card::layout(fields_, matrix_, GetParam().paper);
  ASSERT_TRUE(page.ok());
  EXPECT_NEAR(image->width, page->width * 150 / 72, 2);
  const auto texts = qrTextsIn(base.string() + ".png");
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], largestPayload());
}

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (card::Paper paper : {card::Paper::A4, card::Paper::A5})
    for (Fill fill : {Fill::Typical, Fill::LongCjk, Fill::LongAscii})
      for (card::Kind kind : {card::Kind::Title, card::Kind::Qualification})
        cases.push_back({paper, fill, kind, fill != Fill::Typical && kind == card::Kind::Title});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Card, CardPage, ::testing::ValuesIn(allCases()),
                         [](const ::testing::TestParamInfo<Case>& param) { return nameOf(param.param); });

// ---- single cases ------------------------------------------------------

qr::Matrix smallMatrix() {
  auto m = qr::encode("ZC1:HELLO", qr::EcLevel::M, 40);
  return m.ok() ? *m : qr::Matrix{};
}

const card::TextBlock* valueBlock(const card::Layout& page, const std::string& text) {
  for (const auto& t : page.texts)
    if (t.role == "value" && t.text == text) return &t;
  return nullptr;
}

TEST(Card, PdfEmbedsANotoCjkFont) {
  auto pdf = card::renderPdf(fieldsFor(Fill::Typical, card::Kind::Title), smallMatrix(), card::Paper::A4);
  ASSERT_TRUE(pdf.ok()) << pdf.error().detail;
  const fs::path file = screenshots() / "card_fonts.pdf";
  writeFile(file, *pdf);
  const CommandRun r = run(std::string(TITLECERT_PDFFONTS) + " '" + file.string() + "'");
  ASSERT_EQ(r.exit, 0) << r.out;
  // pdffonts: name type encoding emb sub uni object-id generation.
  bool embeddedCjk = false;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("CJK") == std::string::npos) continue;
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string word; words >> word;) w.push_back(word);
    if (w.size() >= 6 && w[w.size() - 5] == "yes") embeddedCjk = true;
  }
  EXPECT_TRUE(embeddedCjk) << r.out;
}

TEST(Card, MarkupInAFieldIsPrintedAsText) {
  card::Fields f = fieldsFor(Fill::Typical, card::Kind::Title);
  f.employer = "<b>某某</b> &amp; <span foreground=\"red\">公司</span>";
  auto page = card::layout(f, smallMatrix(), card::Paper::A4);
  ASSERT_TRUE(page.ok());
  EXPECT_NE(valueBlock(*page, f.employer), nullptr);
  auto pdf = card::renderPdf(f, smallMatrix(), card::Paper::A4);
  ASSERT_TRUE(pdf.ok());
  const fs::path file = screenshots() / "card_markup.pdf";
  writeFile(file, *pdf);
  const CommandRun r = run(std::string(TITLECERT_PDFTOTEXT) + " '" + file.string() + "' -");
  ASSERT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("<b>某某</b>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("&amp;"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<span"), std::string::npos) << r.out;
}

// Rasterizes a PDF at 72 dpi (one pixel per point) into an image.
scan::Image pixelsOf(const std::string& pdf, const std::string& name) {
  const fs::path base = screenshots() / name;
  writeFile(base.string() + ".pdf", pdf);
  const CommandRun r = run(std::string(TITLECERT_PDFTOPPM) + " -r 72 -gray -png -singlefile '" + base.string() +
                        ".pdf' '" + base.string() + "'");
  EXPECT_EQ(r.exit, 0) << r.out;
  auto image = scan::loadImageFile(base.string() + ".png");
  return image.ok() ? *image : scan::Image{};
}

TEST(Card, AHostileValueInksNothingOutsideItsBox) {
  card::Fields plain = fieldsFor(Fill::Typical, card::Kind::Title);
  plain.employer = "某";
  card::Fields hostile = plain;
  // A right-to-left override, then one base letter under tall stacks of
  // combining marks above and below: ink far outside the line's height.
  hostile.employer = "\u202EA";
  for (int i = 0; i < 40; ++i) hostile.employer += "\u0301\u0316";
  auto page = card::layout(hostile, smallMatrix(), card::Paper::A4);
  ASSERT_TRUE(page.ok());
  const card::TextBlock* value = valueBlock(*page, hostile.employer);
  ASSERT_NE(value, nullptr);
  auto a = card::renderPdf(plain, smallMatrix(), card::Paper::A4);
  auto b = card::renderPdf(hostile, smallMatrix(), card::Paper::A4);
  ASSERT_TRUE(a.ok() && b.ok());
  const scan::Image pa = pixelsOf(*a, "card_hostile_plain"), pb = pixelsOf(*b, "card_hostile");
  ASSERT_EQ(pa.width, pb.width);
  ASSERT_EQ(pa.height, pb.height);
  ASSERT_GT(pa.width, 0);
  // The box, widened by a pixel for antialiasing at its edges.
  const int x0 = static_cast<int>(value->box.x) - 1, y0 = static_cast<int>(value->box.y) - 1;
  const int x1 = static_cast<int>(value->box.x + value->box.width) + 2;
  const int y1 = static_cast<int>(value->box.y + value->box.height) + 2;
  int differentInside = 0, differentOutside = 0;
  for (int y = 0; y < pa.height; ++y) {
    for (int x = 0; x < pa.width; ++x) {
      const std::size_t i = (static_cast<std::size_t>(y) * pa.width + x) * pa.channels;
      if (pa.pixels[i] == pb.pixels[i]) continue;
      (x >= x0 && x < x1 && y >= y0 && y < y1 ? differentInside : differentOutside)++;
    }
  }
  EXPECT_GT(differentInside, 0);  // the marks are drawn ...
  EXPECT_EQ(differentOutside, 0);  // ... and clipped to the box
}

TEST(Card, TheSameCertificateGivesTheSameBytes) {
  const card::Fields f = fieldsFor(Fill::Typical, card::Kind::Title);
  auto a = card::renderPdf(f, smallMatrix(), card::Paper::A5);
  auto b = card::renderPdf(f, smallMatrix(), card::Paper::A5);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(*a == *b);
  EXPECT_NE(a->find("/CreationDate (20260701000000Z)"), std::string::npos);  // the issue date, not the clock's
}

TEST(Card, SeveralThreadsRenderAtOnce) {
  // PDFs, since cairo numbers SVG surfaces with a process-wide counter.
  const card::Fields f = fieldsFor(Fill::LongCjk, card::Kind::Title);
  auto expected = card::renderPdf(f, smallMatrix(), card::Paper::A5);
  ASSERT_TRUE(expected.ok());
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&got, &f, i] {
      auto svg = card::renderSvg(f, smallMatrix(), card::Paper::A4);
      auto pdf = card::renderPdf(f, smallMatrix(), card::Paper::A5);
      if (svg.ok() && pdf.ok()) got[i] = *pdf;
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string& pdf : got) EXPECT_TRUE(pdf == *expected);
}

TEST(Card, InvalidUtf8IsShownAsReplacementCharacters) {
  card::Fields f = fieldsFor(Fill::Typical, card::Kind::Title);
  f.holderName = std::string("张\xff\xfe伟");
  auto page = card::layout(f, smallMatrix(), card::Paper::A5);
  ASSERT_TRUE(page.ok());
  EXPECT_NE(valueBlock(*page, "张\xEF\xBF\xBD\xEF\xBF\xBD伟"), nullptr);
}

TEST(Card, AValueTooLongForTheTableIsEllipsizedInsideItsBox) {
  card::Fields f = fieldsFor(Fill::LongCjk, card::Kind::Title);
  f.committee = filled(6000, Fill::LongCjk);  // far beyond any catalogue name
  auto page = card::layout(f, smallMatrix(), card::Paper::A5);
  ASSERT_TRUE(page.ok());
  const card::TextBlock* committee = valueBlock(*page, f.committee);
  ASSERT_NE(committee, nullptr);
  EXPECT_TRUE(committee->ellipsized);
  for (const auto& t : page->texts) {
    if (&t == committee) continue;
    EXPECT_FALSE(overlaps(committee->box, t.box)) << t.role << ": " << t.text;
  }
  EXPECT_FALSE(overlaps(committee->box, page->qr));
  // It is cut at three lines; the other fields keep the size they have
  // without it.
  EXPECT_LT(committee->box.height, 4 * 1.5 * committee->fontSize);
  card::Fields without = f;
  without.committee = "某委员会";
  auto reference = card::layout(without, smallMatrix(), card::Paper::A5);
  ASSERT_TRUE(reference.ok());
  EXPECT_EQ(valueBlock(*page, f.holderName)->fontSize, valueBlock(*reference, f.holderName)->fontSize);
  EXPECT_TRUE(card::renderPdf(f, smallMatrix(), card::Paper::A5).ok());
}

TEST(Card, ALongFieldShrinksTheTableRatherThanRunningUnderTheQr) {
  card::Fields typical = fieldsFor(Fill::Typical, card::Kind::Title);
  card::Fields longer = typical;
  longer.employer = filled(zc1::limit::kEmployer, Fill::LongCjk);
  longer.holderName = filled(zc1::limit::kHolderName, Fill::LongCjk);
  auto a = card::layout(typical, smallMatrix(), card::Paper::A5);
  auto b = card::layout(longer, smallMatrix(), card::Paper::A5);
  ASSERT_TRUE(a.ok() && b.ok());
  const card::TextBlock* employer = valueBlock(*b, longer.employer);
  ASSERT_NE(employer, nullptr);
  EXPECT_LT(employer->box.x + employer->box.width, b->qr.x);
  EXPECT_FALSE(employer->ellipsized);
  EXPECT_LE(employer->fontSize, valueBlock(*a, typical.employer)->fontSize);
}

TEST(Card, AMalformedMatrixIsRefused) {
  qr::Matrix broken;
  broken.size = 21;
  broken.dark.assign(20, 1);
  EXPECT_EQ(card::layout(fieldsFor(Fill::Typical, card::Kind::Title), broken, card::Paper::A4).code(),
            Code::INVALID_ARGUMENT);
  EXPECT_EQ(card::renderPdf(fieldsFor(Fill::Typical, card::Kind::Title), qr::Matrix{}, card::Paper::A4).code(),
            Code::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace titlecert::testing
