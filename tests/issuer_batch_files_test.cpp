// Batch files as clerks save them (issuer/src/batch_files.h): GB18030 or
// UTF-8 with a BOM, semicolons, the Chinese column labels, the format told
// by the content; and such a file issued through POST /v1/certificates:batch.
#include <gtest/gtest.h>
#include <iconv.h>

#include <string>

#include "batch_files.h"
#include "support/issuer_fixture.h"

namespace titlecert::testing {
namespace {

using issuer::BatchFormat;
using issuer::normaliseBatchFile;
using nlohmann::json;

// UTF-8 text as Excel on a Chinese Windows saves it.
std::string toGb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string out(utf8.size() * 2, '\0');
  char* in = const_cast<char*>(utf8.data());
  char* o = out.data();
  std::size_t inLeft = utf8.size(), outLeft = out.size();
  const std::size_t r = iconv(cd, &in, &inLeft, &o, &outLeft);
  iconv_close(cd);
  EXPECT_NE(r, static_cast<std::size_t>(-1));
  out.resize(out.size() - outLeft);
  return out;
}

TEST(BatchFiles, Gb18030WithSemicolonsAndChineseLabelsBecomesCommaCsvOfTitles) {
  const std::string gb = toGb18030("姓名;证件号码;系列;工作单位\r\n张三;CN:1;4;\"医院;内科\"\r\n\r\n李四;CN:2;4;\r\n");
  ASSERT_FALSE(isValidUtf8(gb));
  auto n = normaliseBatchFile(gb);
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(n->format, BatchFormat::Csv);
  EXPECT_EQ(n->body,
            "\"holder_name\",\"holder_id\",\"series\",\"employer\",\"type\"\r\n"
            "\"张三\",\"CN:1\",\"4\",\"医院;内科\",\"title\"\r\n"
            "\r\n"
            "\"李四\",\"CN:2\",\"4\",,\"title\"\r\n");
}

TEST(BatchFiles, Utf8BomAndCommasKeepTheirTypeColumnAndQuotes) {
  auto n = normaliseBatchFile("\xEF\xBB\xBFtype,holder_name\nqualification,\"李\"\"四, 乙\"");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->format, BatchFormat::Csv);
  EXPECT_EQ(n->body, "\"type\",\"holder_name\"\n\"qualification\",\"李\"\"四, 乙\"");
}

TEST(BatchFiles, JsonLinesAreToldByTheirContentNotTheirName) {
  auto n = normaliseBatchFile("\xEF\xBB\xBF\n  {\"type\":\"title\"}\n");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->format, BatchFormat::JsonLines);
  EXPECT_EQ(n->body, "\n  {\"type\":\"title\"}\n");
}

TEST(BatchFiles, TextThatIsNeitherUtf8NorGb18030IsRefused) {
  auto n = normaliseBatchFile("type\n\xff\xfe\n");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, "BAD_ENCODING");
}

TEST(BatchFiles, AnXlsxWorkbookIsRefusedWithAnAnswerThatSaysSo) {
  auto n = normaliseBatchFile(std::string("PK\x03\x04\x14\x00", 6));
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, "UNSUPPORTED_FORMAT");
}

TEST(BatchFiles, AnExcelCsvIsIssuedWhateverItsContentType) {
  IssuerWorld w;
  const std::string csv = toGb18030(
      "姓名;证件号码;系列;专业;级别;取得途径;授予日期;批准文号;工作单位\r\n"
      "张三;" + cnId(11) + ";4;401;3;review;2026-11-20;新高人社职〔2026〕12号;新疆某医院;内科\r\n");
  // The employer's semicolon is unquoted: one cell too many, a BAD_CSV row.
  const HttpReply bad = w.call("POST", "/v1/certificates:batch", csv, w.clerkToken, "application/octet-stream");
  ASSERT_EQ(bad.status, 200) << bad.body;
  EXPECT_EQ(bad.json()["rows"][0]["error"], "BAD_CSV");

  const std::string good = toGb18030(
      "姓名;证件号码;系列;专业;级别;取得途径;授予日期;批准文号;工作单位\r\n"
      "张三;" + cnId(11) + ";4;401;3;review;2026-11-20;新高人社职〔2026〕12号;\"新疆某医院;内科\"\r\n");
  const HttpReply r = w.call("POST", "/v1/certificates:batch", good, w.clerkToken, "application/octet-stream");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json()["rows"][0]["status"], "issued") << r.body;
  const json c = w.get("/v1/certificates/" + r.json()["rows"][0]["cert_no"].get<std::string>(), w.clerkToken).json();
  EXPECT_EQ(c["holder"]["name"], "张三");
  EXPECT_EQ(c["employer"], "新疆某医院;内科") << c.dump();
}

}  // namespace
}  // namespace titlecert::testing
