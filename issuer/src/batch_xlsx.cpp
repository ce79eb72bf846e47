#include "batch_xlsx.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>
#include <Poco/SAX/XMLReader.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

namespace titlecert::issuer {
namespace {

using Poco::XML::Element;
using Poco::XML::Node;

constexpr Poco::UInt64 kMaxPartBytes = 64u << 20;  // a zip bomb stops here

const std::set<std::string> kDateColumns = {"granted", "obtained", "expires", "not_before", "授予日期"};

std::optional<std::string> readPart(const std::string& package, const std::string& name) {
  std::istringstream in(package);
  Poco::Zip::ZipArchive archive(in);
  const auto header = archive.findHeader(name);
  if (header == archive.headerEnd()) return std::nullopt;
  if (header->second.getUncompressedSize() > kMaxPartBytes) throw Poco::DataFormatException(name + " is too large");
  in.clear();
  Poco::Zip::ZipInputStream part(in, header->second, true);
  std::string text;
  char buffer[8192];
  while (part) {
    part.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(part.gcount()));
    if (text.size() > kMaxPartBytes) throw Poco::DataFormatException(name + " is too large");
  }
  return text;
}

Poco::AutoPtr<Poco::XML::Document> parseXml(const std::string& text) {
  Poco::XML::DOMParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  return parser.parseString(text);
}

// Every <t> under the node, in order (a rich-text string has several runs).
std::string textOf(Node* node) {
  std::string out;
  Poco::AutoPtr<Poco::XML::NodeList> runs = static_cast<Element*>(node)->getElementsByTagName("t");
  for (unsigned long i = 0; i < runs->length(); ++i) out += runs->item(i)->innerText();
  return out;
}

Element* child(Node* node, const std::string& name) { return static_cast<Element*>(node)->getChildElement(name); }

constexpr const char* kRelationshipsNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// The parts xl/workbook.xml names through its relationships
// (xl/_rels/workbook.xml.rels): the first sheet in the workbook's order and
// the shared strings, as package paths.
struct WorkbookParts {
  std::string firstSheet;
  std::string sharedStrings = "xl/sharedStrings.xml";
};

// A relationship's target is relative to xl/ unless it starts with "/".
std::string partPath(const std::string& target) { return target.starts_with('/') ? target.substr(1) : "xl/" + target; }

std::optional<WorkbookParts> workbookParts(const std::string& package) {
  const auto workbookXml = readPart(package, "xl/workbook.xml");
  if (!workbookXml) return std::nullopt;
  auto workbook = parseXml(*workbookXml);
  Poco::AutoPtr<Poco::XML::NodeList> sheets = workbook->getElementsByTagNameNS("*", "sheet");
  if (sheets->length() == 0) throw Poco::DataFormatException("xl/workbook.xml lists no sheet");
  auto* first = static_cast<Element*>(sheets->item(0));
  std::string sheetId = first->getAttributeNS(kRelationshipsNs, "id");
  if (sheetId.empty()) sheetId = first->getAttribute("r:id");
  const auto relsXml = readPart(package, "xl/_rels/workbook.xml.rels");
  if (!relsXml) throw Poco::DataFormatException("the workbook has no xl/_rels/workbook.xml.rels");
  auto rels = parseXml(*relsXml);
  Poco::AutoPtr<Poco::XML::NodeList> links = rels->getElementsByTagNameNS("*", "Relationship");
  WorkbookParts parts;
  for (unsigned long i = 0; i < links->length(); ++i) {
    auto* link = static_cast<Element*>(links->item(i));
    const std::string target = link->getAttribute("Target");
    if (link->getAttribute("Id") == sheetId) parts.firstSheet = partPath(target);
    if (link->getAttribute("Type").ends_with("/sharedStrings")) parts.sharedStrings = partPath(target);
  }
  if (parts.firstSheet.empty()) throw Poco::DataFormatException("the first sheet's relationship " + sheetId + " is not there");
  return parts;
}

std::vector<std::string> sharedStrings(const std::string& package, const std::string& partName) {
  std::vector<std::string> strings;
  const auto xml = readPart(package, partName);
  if (!xml) return strings;
  auto doc = parseXml(*xml);
  Poco::AutoPtr<Poco::XML::NodeList> items = doc->getElementsByTagName("si");
  for (unsigned long i = 0; i < items->length(); ++i) strings.push_back(textOf(items->item(i)));
  return strings;
}

// "BC12" → 54 (0-based column); -1 when the reference has no letters.
long columnOf(const std::string& ref) {
  long column = 0;
  std::size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) column = column * 26 + (ref[i] - 'A' + 1);
  return i == 0 ? -1 : column - 1;
}

// An Excel day serial (1900 date system) as YYYY-MM-DD; the text itself
// when it is not a whole positive number.
std::string fromDaySerial(const std::string& text) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return text;
  using namespace std::chrono;
  const sys_days day = sys_days(year{1899} / December / 30) + days(std::stol(text));
  const year_month_day ymd(day);
  char out[32];  // room for any int year the compiler can imagine
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

std::string cellValue(Node* cell, const std::vector<std::string>& strings) {
  const std::string type = static_cast<Element*>(cell)->getAttribute("t");
  if (type == "inlineStr") {
    Element* is = child(cell, "is");
    return is ? textOf(is) : std::string();
  }
  Element* v = child(cell, "v");
  const std::string value = v ? v->innerText() : std::string();
  if (type == "s") {
    const std::size_t index = value.empty() ? strings.size() : std::stoul(value);
    if (index >= strings.size()) throw Poco::DataFormatException("a cell names a shared string that is not there");
    return strings[index];
  }
  return value;
}

std::string quoted(const std::string& cell) {
  std::string out = "\"";
  for (char ch : cell) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + '"';
}

}  // namespace

Expected<std::string> xlsxFirstSheetAsCsv(std::string_view workbook) {
  try {
    const std::string package(workbook);
    // A package without xl/workbook.xml (some generators write only the
    // sheet) is read from the usual name of the first sheet.
    const WorkbookParts parts = workbookParts(package).value_or(WorkbookParts{"xl/worksheets/sheet1.xml"});
    const auto sheet = readPart(package, parts.firstSheet);
    if (!sheet) return badRequest("", "the workbook has no first sheet (" + parts.firstSheet + ")", "BAD_XLSX");
    const std::vector<std::string> strings = sharedStrings(package, parts.sharedStrings);
    auto doc = parseXml(*sheet);
    Poco::AutoPtr<Poco::XML::NodeList> rows = doc->getElementsByTagName("row");
    std::string csv;
    std::set<long> dateColumns;
    long linesWritten = 0, headerWidth = 0;
    for (unsigned long r = 0; r < rows->length(); ++r) {
      auto* row = static_cast<Element*>(rows->item(r));
      const std::string number = row->getAttribute("r");
      const long rowNumber = number.empty() ? linesWritten + 1 : std::stol(number);
      if (rowNumber <= linesWritten || rowNumber > 1048576) throw Poco::DataFormatException("rows out of order");
      for (; linesWritten < rowNumber - 1; ++linesWritten) csv += '\n';
      std::map<long, std::string> cells;
      long next = 0;
      for (Node* c = row->firstChild(); c; c = c->nextSibling()) {
        if (c->nodeType() != Node::ELEMENT_NODE || c->localName() != "c") continue;
        const long column = columnOf(static_cast<Element*>(c)->getAttribute("r"));
        const long at = column < 0 ? next : column;
        if (at > 16383) throw Poco::DataFormatException("a cell beyond column XFD");
        cells[at] = cellValue(c, strings);
        next = at + 1;
      }
      const bool header = headerWidth == 0;
      const long used = cells.empty() ? 0 : cells.rbegin()->first + 1;
      if (header) {
        headerWidth = used;
        for (const auto& [column, name] : cells)
          if (kDateColumns.count(name)) dateColumns.insert(column);
      }
      // Excel leaves out a row's trailing empty cells: the row is as wide as the header.
      const long width = cells.empty() ? 0 : std::max(used, headerWidth);
      for (long column = 0; column < width; ++column) {
        if (column > 0) csv += ',';
        auto found = cells.find(column);
        if (found == cells.end()) continue;
        csv += quoted(!header && dateColumns.count(column) ? fromDaySerial(found->second) : found->second);
      }
      csv += '\n';
      ++linesWritten;
    }
    return csv;
  } catch (const Poco::Exception& e) {
    return badRequest("", "the XLSX workbook cannot be read: " + e.displayText(), "BAD_XLSX");
  } catch (const std::exception& e) {
    return badRequest("", std::string("the XLSX workbook cannot be read: ") + e.what(), "BAD_XLSX");
  }
}

}  // namespace titlecert::issuer
