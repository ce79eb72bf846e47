// Batch files as clerks save them (issuer/src/batch_files.h): GB18030 or
// UTF-8 with a BOM, semicolons, the Chinese column labels, XLSX, the format
// told by the content; and such a file issued through POST /v1/certificates:batch.
#include <gtest/gtest.h>
#include <iconv.h>

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <chrono>
#include <sstream>
#include <thread>
#include <string>
#include <utility>
#include <vector>

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

// A package holding the given parts.
std::string zipOf(const std::vector<std::pair<std::string, std::string>>& parts) {
  std::ostringstream zip;
  Poco::Zip::Compress compress(zip, true);
  for (const auto& [name, text] : parts) {
    std::istringstream in(text);
    compress.addFile(in, Poco::DateTime(2026, 11, 20), Poco::Path(name));
  }
  compress.close();
  return zip.str();
}

// A one-sheet workbook of inline strings, as LibreOffice may write it.
std::string inlineSheet(const std::vector<std::vector<std::string>>& rows);
std::string inlineWorkbook(const std::vector<std::vector<std::string>>& rows) {
  return zipOf({{"xl/worksheets/sheet1.xml", inlineSheet(rows)}});
}

// A workbook as Excel writes one: shared strings (one with two rich-text
// runs), a number, an inline string, a row that leaves out its trailing
// empty cells, a skipped row, and the grant date as a day serial.
std::string workbook() {
  const std::string strings =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<si><t>姓名</t></si><si><t>授予日期</t></si><si><t>系列</t></si><si><t>工作单位</t></si>"
      "<si><r><t>张</t></r><r><t>三</t></r></si></sst>";
  const std::string sheet =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>4</v></c><c r=\"B2\"><v>46346</v></c><c r=\"C2\"><v>4</v></c></row>"
      "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>李\"四</t></is></c>"
      "<c r=\"D4\" t=\"inlineStr\"><is><t>医院, 内科</t></is></c></row>"
      "</sheetData></worksheet>";
  return zipOf({{"xl/sharedStrings.xml", strings}, {"xl/worksheets/sheet1.xml", sheet}});
}

// A sheet of inline strings.
std::string inlineSheet(const std::vector<std::vector<std::string>>& rows) {
  std::string sheet =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
  for (const auto& row : rows) {
    sheet += "<row>";
    for (const auto& cell : row) sheet += "<c t=\"inlineStr\"><is><t>" + cell + "</t></is></c>";
    sheet += "</row>";
  }
  return sheet + "</sheetData></worksheet>";
}

// A workbook whose sheets were reordered in Excel: the first sheet (名单)
// is stored as sheet2.xml, the second (说明) as sheet1.xml, and the shared
// strings under another name, all found through the relationships.
std::string reorderedWorkbook() {
  const std::string workbookXml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets><sheet name=\"名单\" sheetId=\"2\" r:id=\"rId7\"/><sheet name=\"说明\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
      "</workbook>";
  const std::string rels =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"/xl/worksheets/sheet2.xml\"/>"
      "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
      "Target=\"strings.xml\"/>"
      "</Relationships>";
  const std::string strings =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>王五</t></si></sst>";
  const std::string firstSheet =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>姓名</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>"
      "</sheetData></worksheet>";
  return zipOf({{"xl/workbook.xml", workbookXml},
                {"xl/_rels/workbook.xml.rels", rels},
                {"xl/strings.xml", strings},
                {"xl/worksheets/sheet1.xml", inlineSheet({{"说明"}, {"本表为评审委员会通过名单"}})},
                {"xl/worksheets/sheet2.xml", firstSheet}});
}

TEST(BatchFiles, TheFirstSheetIsTheWorkbooksFirstWhateverItsPartIsNamed) {
  auto n = normaliseBatchFile(reorderedWorkbook());
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(n->format, BatchFormat::Csv);
  EXPECT_EQ(n->body, "\"holder_name\",\"type\"\n\"王五\",\"title\"\n");
}

TEST(BatchFiles, AWorkbookWhoseFirstSheetIsNotThereIsRefused) {
  const std::string workbookXml =
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets><sheet name=\"名单\" sheetId=\"1\" r:id=\"rId3\"/></sheets></workbook>";
  const std::string rels =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId3\" Type=\"worksheet\" Target=\"worksheets/gone.xml\"/></Relationships>";
  auto n = normaliseBatchFile(zipOf({{"xl/workbook.xml", workbookXml},
                                     {"xl/_rels/workbook.xml.rels", rels},
                                     {"xl/worksheets/sheet1.xml", inlineSheet({{"姓名"}, {"甲"}})}}));
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, "BAD_XLSX");
  EXPECT_NE(n.error().message.find("xl/worksheets/gone.xml"), std::string::npos) << n.error().message;
}

TEST(BatchFiles, AnXlsxWorkbooksFirstSheetIsReadAsCsv) {
  auto n = normaliseBatchFile(workbook());
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(n->format, BatchFormat::Csv);
  EXPECT_EQ(n->body,
            "\"holder_name\",\"granted\",\"series\",\"employer\",\"type\"\n"
            "\"张三\",\"2026-11-20\",\"4\",,\"title\"\n"
            "\n"
            "\"李\"\"四\",,,\"医院, 内科\",\"title\"\n");
}

TEST(BatchFiles, ABrokenWorkbookIsRefusedWithAnAnswerThatSaysSo) {
  auto n = normaliseBatchFile(std::string("PK\x03\x04\x14\x00", 6));
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, "BAD_XLSX");
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

TEST(BatchFiles, AnApprovedListInAWorkbookIsIssuedAsAnAsynchronousBatch) {
  IssuerWorld w;
  w.service->startBatchWorker();
  const std::string xlsx = inlineWorkbook({{"姓名", "证件号码", "系列", "专业", "级别", "取得途径", "授予日期"},
                                           {"古丽", cnId(41), "4", "401", "3", "review", "2026-11-20"}});
  const HttpReply posted = w.call("POST", "/v1/batches", xlsx, w.clerkToken,
                                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  ASSERT_EQ(posted.status, 202) << posted.body;
  json s = json::object();
  for (int i = 0; i < 600 && s.value("state", "running") == "running"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    s = w.get("/v1/batches/" + posted.json()["batch"].get<std::string>(), w.clerkToken).json();
  }
  ASSERT_EQ(s["state"], "done") << s.dump();
  ASSERT_EQ(s["results"][0]["status"], "issued") << s.dump();
  EXPECT_EQ(s["results"][0]["line"], 2);
  const json c = w.get("/v1/certificates/" + s["results"][0]["cert_no"].get<std::string>(), w.clerkToken).json();
  EXPECT_EQ(c["holder"]["name"], "古丽");
}

}  // namespace
}  // namespace titlecert::testing
