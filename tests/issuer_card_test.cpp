// The printable certificate over HTTP: card.pdf and card.svg are drawn by
// titlecert_card from the stored certificate, their QR reads back to the
// stored payload, a revoked certificate's card says so, and the paper and
// the roles are checked. The pages are kept in
// ${CMAKE_BINARY_DIR}/screenshots/issuer-card-*.png for a person to look at.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/command.h"
#include "support/issuer_fixture.h"
#include "titlecert/scan.h"

namespace titlecert::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

CommandRun run(const std::string& command) { return runCommand(command); }

fs::path screenshot(const std::string& name) {
  const fs::path dir = TITLECERT_CARD_SCREENSHOTS;
  fs::create_directories(dir);
  return dir / ("issuer-card-" + name);
}

void writeFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// `count` copies of a 3-byte CJK character.
std::string cjk(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += "职";
  return out;
}

// A title with every printed field at the longest ZC1 allows (holder name
// 128 bytes, approval number 64, employer 96, cert_no 32) and a committee
// (issued by an admin's override: series 5 by review has route rules).
json longestTitle() {
  json body = titleBody(cjk(42) + "AB");
  body["series"] = 5;
  body["specialty"] = 501;
  body["level"] = 3;
  body["committee"] = 6501;
  const std::string approvalHead = "新高人社职〔2026〕";
  body["approval_no"] = approvalHead + std::string(64 - approvalHead.size() - 3, '7') + "号";
  body["employer"] = cjk(32);
  body["cert_no"] = "650100-2026-" + std::string(20, '8');
  body["override"] = {{"reason", "评审委员会决定"}};
  return body;
}

// The PDF as a PNG at 150 dpi, and the QR texts read from it.
std::vector<std::string> qrTextsOfPdf(const std::string& pdf, const std::string& name) {
  const fs::path base = screenshot(name);
  writeFile(base.string() + ".pdf", pdf);
  const CommandRun r = run(std::string(TITLECERT_PDFTOPPM) + " -r 150 -png -singlefile '" + base.string() + ".pdf' '" +
                        base.string() + "'");
  EXPECT_EQ(r.exit, 0) << r.out;
  auto image = scan::loadImageFile(base.string() + ".png");
  if (!image) return {};
  return scan::readQrTexts(scan::viewOf(*image));
}

std::string textOfPdf(const std::string& pdf, const std::string& name) {
  const fs::path file = screenshot(name + ".pdf");
  writeFile(file, pdf);
  const CommandRun r = run(std::string(TITLECERT_PDFTOTEXT) + " '" + file.string() + "' -");
  EXPECT_EQ(r.exit, 0) << r.out;
  return r.out;
}

TEST(IssuerCard, PdfOfTheLongestTitleIsAPdfWhoseQrIsThePayload) {
  IssuerWorld w;
  const HttpReply issued = w.post("/v1/certificates", longestTitle(), w.adminToken);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string base = "/v1/certificates/" + issued.json()["cert_no"].get<std::string>();
  for (const std::string paper : {"a5", "a4"}) {
    const HttpReply pdf = w.get(base + "/card.pdf?paper=" + paper, w.clerkToken);
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    EXPECT_EQ(pdf.contentType, "application/pdf");
    ASSERT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
    const auto texts = qrTextsOfPdf(pdf.body, "longest-" + paper);
    ASSERT_EQ(texts.size(), 1u) << paper;
    EXPECT_EQ(texts[0], issued.json()["payload"].get<std::string>()) << paper;
  }
}

TEST(IssuerCard, PdfPrintsTheStoredFieldsWithTheMaskedId) {
  IssuerWorld w;
  const json issued = w.post("/v1/certificates", titleBody(), w.clerkToken).json();
  const std::string certNo = issued["cert_no"];
  const HttpReply pdf = w.get("/v1/certificates/" + certNo + "/card.pdf", w.clerkToken);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  const std::string text = textOfPdf(pdf.body, "typical");
  for (const std::string& expected : {std::string("专业技术职务任职资格证书"), std::string("张三"), std::string("主治医师"),
                                      std::string("卫生技术"), std::string("新疆某医院"), certNo,
                                      std::string("乌鲁木齐高新区人力资源和社会保障局"), std::string("2026-11-27")})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  EXPECT_EQ(text.find("199001011239"), std::string::npos) << text;
  EXPECT_NE(text.find("CN:*****************9"), std::string::npos) << text;
  EXPECT_EQ(text.find("已撤销"), std::string::npos) << text;
}

TEST(IssuerCard, SvgIsTheLibrarysPageAndItsQrReadsBack) {
  IssuerWorld w;
  const json issued = w.post("/v1/certificates", qualificationBody(), w.clerkToken).json();
  const HttpReply svg = w.get("/v1/certificates/" + issued["cert_no"].get<std::string>() + "/card.svg", w.auditorToken);
  ASSERT_EQ(svg.status, 200) << svg.body;
  EXPECT_EQ(svg.contentType, "image/svg+xml; charset=utf-8");
  EXPECT_NE(svg.body.find("<svg"), std::string::npos);
  // The old hand-written page: text elements in a 840 x 592 viewBox and a
  // nested QR drawing; cairo draws glyphs as paths.
  for (const char* old : {"viewBox=\"0 0 840 592\"", "<text", "<tspan", "font-family", "扫码核验"})
    EXPECT_EQ(svg.body.find(old), std::string::npos) << old;
  const fs::path base = screenshot("qualification-svg");
  writeFile(base.string() + ".svg", svg.body);
  const CommandRun r = run(std::string(TITLECERT_RSVG_CONVERT) + " --dpi-x 150 --dpi-y 150 -f png -o '" + base.string() +
                        ".png' '" + base.string() + ".svg'");
  ASSERT_EQ(r.exit, 0) << r.out;
  auto image = scan::loadImageFile(base.string() + ".png");
  ASSERT_TRUE(image.ok());
  // A5 landscape, 210 mm wide, at 150 dpi.
  EXPECT_NEAR(image->width, 210 / 25.4 * 150, 3);
  const auto texts = scan::readQrTexts(scan::viewOf(*image));
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], issued["payload"].get<std::string>());
}

TEST(IssuerCard, ARevokedCertificatesCardSaysSo) {
  IssuerWorld w;
  const std::string certNo = w.post("/v1/certificates", titleBody(), w.clerkToken).json()["cert_no"];
  const std::string base = "/v1/certificates/" + certNo;
  ASSERT_EQ(w.post(base + "/revoke", {{"reason", "issued in error"}}, w.clerkToken).status, 200);
  const HttpReply pdf = w.get(base + "/card.pdf?paper=a4", w.clerkToken);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  const std::string text = textOfPdf(pdf.body, "revoked");
  EXPECT_NE(text.find("已撤销"), std::string::npos) << text;
  EXPECT_NE(text.find("REVOKED"), std::string::npos) << text;
  qrTextsOfPdf(pdf.body, "revoked");  // kept as a picture
}

TEST(IssuerCard, PaperIsA4OrA5AndA5WhenAbsent) {
  IssuerWorld w;
  const std::string base =
      "/v1/certificates/" + w.post("/v1/certificates", titleBody(), w.clerkToken).json()["cert_no"].get<std::string>();
  const HttpReply a5 = w.get(base + "/card.pdf", w.clerkToken);
  ASSERT_EQ(a5.status, 200);
  EXPECT_EQ(w.get(base + "/card.pdf?paper=a5", w.clerkToken).body, a5.body);  // same page, no clock in it
  const HttpReply a4 = w.get(base + "/card.pdf?paper=a4", w.clerkToken);
  ASSERT_EQ(a4.status, 200);
  EXPECT_NE(a4.body, a5.body);
  // The MediaBox in points: A4 landscape 842 x 595, A5 landscape 595 x 420.
  EXPECT_NE(a4.body.find("/MediaBox [ 0 0 841.89 595.28 ]"), std::string::npos);
  EXPECT_NE(a5.body.find("/MediaBox [ 0 0 595.28 419.53 ]"), std::string::npos);
  for (const char* bad : {"letter", "A4", "", "a3"}) {
    for (const char* file : {"/card.pdf", "/card.svg"}) {
      const HttpReply r = w.get(base + file + "?paper=" + bad, w.clerkToken);
      EXPECT_EQ(r.status, 400) << file << " " << bad;
      EXPECT_EQ(r.json()["field"], "paper") << r.body;
    }
  }
}

TEST(IssuerCard, UnknownNumberIs404AndOnlyReadersMayFetch) {
  IssuerWorld w;
  const std::string base =
      "/v1/certificates/" + w.post("/v1/certificates", titleBody(), w.clerkToken).json()["cert_no"].get<std::string>();
  EXPECT_EQ(w.get("/v1/certificates/650100-2026-999999/card.pdf", w.clerkToken).status, 404);
  EXPECT_EQ(w.get("/v1/certificates/650100-2026-999999/card.svg", w.clerkToken).status, 404);
  for (const std::string& token : {w.auditorToken, w.clerkToken, w.adminToken})
    EXPECT_EQ(w.get(base + "/card.pdf", token).status, 200);
  const HttpReply anonymous = w.get(base + "/card.pdf");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.json()["error"], "UNAUTHORIZED");
}

}  // namespace
}  // namespace titlecert::testing
