// Batch bodies: JSON lines, or CSV with a header line (RFC 4180 quoting),
// both UTF-8. CSV columns map onto the JSON request's fields
// (docs/issuer.md, "Batch issuance"); every row is then read by the one
// request reader (issue_request_json.cpp).
#include <map>
#include <nlohmann/json.hpp>

#include "request_bodies.h"
#include "titlecert/issuer/http_requests.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;

// Columns whose cells are numbers (kept as text when they are not, so that
// the request's validation names the field).
const std::map<std::string, std::string> kNumericColumns = {
    {"series", "series"}, {"specialty", "specialty"}, {"level", "level"}, {"committee", "committee"}, {"qualification", "qualification"}};
const std::map<std::string, std::string> kTextColumns = {
    {"type", "type"},       {"route", "route"},           {"granted", "granted"},   {"approval_no", "approval_no"},
    {"employer", "employer"}, {"obtained", "obtained"},   {"qualification_no", "qualification_no"},
    {"cert_no", "cert_no"}, {"expires", "expires"},       {"not_before", "not_before"}};

std::string_view stripBom(std::string_view body) {
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  return body;
}

// One CSV record starting at pos; advances pos past its line ending.
// false: an unterminated quote.
bool readRecord(std::string_view text, std::size_t& pos, std::vector<std::string>& cells, std::size_t& line) {
  cells.assign(1, std::string());
  bool quoted = false;
  while (pos < text.size()) {
    const char ch = text[pos];
    if (quoted) {
      if (ch == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
        cells.back() += '"';
        pos += 2;
        continue;
      }
      if (ch == '"') quoted = false;
      else {
        if (ch == '\n') ++line;
        cells.back() += ch;
      }
      ++pos;
      continue;
    }
    if (ch == '"' && cells.back().empty()) quoted = true;
    else if (ch == ',') cells.emplace_back();
    else if (ch == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') {
      pos += 2;
      return true;
    } else if (ch == '\n') {
      ++pos;
      return true;
    } else cells.back() += ch;
    ++pos;
  }
  return !quoted;
}

bool blank(const std::vector<std::string>& cells) {
  for (const auto& c : cells)
    if (c.find_first_not_of(" \t") != std::string::npos) return false;
  return true;
}

Expected<json> rowObject(const std::vector<std::string>& header, const std::vector<std::string>& cells) {
  if (cells.size() != header.size())
    return badRequest("", "the row has " + std::to_string(cells.size()) + " cells, the header " + std::to_string(header.size()),
                      "BAD_CSV");
  json row = json::object();
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& column = header[i];
    const std::string& cell = cells[i];
    if (cell.empty()) continue;
    if (column == "holder_name") row["holder"]["name"] = cell;
    else if (column == "holder_id") row["holder"]["id"] = cell;
    else if (kNumericColumns.count(column)) {
      const bool digits = cell.size() <= 18 && cell.find_first_not_of("0123456789") == std::string::npos;
      row[column] = digits ? json(std::stoull(cell)) : json(cell);
    } else row[kTextColumns.at(column)] = cell;
  }
  return row;
}

Expected<std::vector<BatchRow>> parseCsv(std::string_view text) {
  std::size_t pos = 0, line = 1;
  std::vector<std::string> header;
  if (!readRecord(text, pos, header, line) || blank(header)) return badRequest("", "the CSV has no header line", "BAD_CSV");
  for (auto& h : header) {
    h.erase(0, h.find_first_not_of(" \t"));
    h.erase(h.find_last_not_of(" \t") + 1);
    if (h != "holder_name" && h != "holder_id" && !kNumericColumns.count(h) && !kTextColumns.count(h))
      return badRequest(h, "CSV column \"" + h + "\" is not known (docs/issuer.md, \"Batch issuance\")", "BAD_CSV");
  }
  std::vector<BatchRow> rows;
  std::vector<std::string> cells;
  while (pos < text.size()) {
    const std::size_t startLine = ++line;
    if (!readRecord(text, pos, cells, line)) {
      rows.push_back({startLine, badRequest("", "unterminated quoted cell", "BAD_CSV")});
      break;
    }
    if (blank(cells)) continue;
    auto row = rowObject(header, cells);
    rows.push_back({startLine, row ? http::readIssueRequest(*row) : Expected<IssueRequest>(row.error())});
  }
  return rows;
}

std::vector<BatchRow> parseJsonLines(std::string_view text) {
  std::vector<BatchRow> rows;
  std::size_t line = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    ++line;
    pos = end + 1;
    if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
    rows.push_back({line, readIssueRequest(l)});
  }
  return rows;
}

}  // namespace

Expected<std::vector<BatchRow>> parseBatch(std::string_view body, BatchFormat format) {
  if (!isValidUtf8(body)) return badRequest("", "the batch is not valid UTF-8", "BAD_ENCODING");
  body = stripBom(body);
  return format == BatchFormat::Csv ? parseCsv(body) : Expected<std::vector<BatchRow>>(parseJsonLines(body));
}

}  // namespace titlecert::issuer
