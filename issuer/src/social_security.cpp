#include "titlecert/issuer/social_security.h"

#include <map>

#include "requests.h"
#include "titlecert/idh.h"

namespace titlecert::issuer {
namespace {

Problem exportProblem(std::size_t line, const std::string& en, const std::string& zh) {
  Problem p = badRequest("line " + std::to_string(line), "line " + std::to_string(line) + ": " + en, "BAD_CSV");
  p.messageZh = "第 " + std::to_string(line) + " 行：" + zh;
  return p;
}

// One CSV record from `at`: fields split on commas outside quotes, "" an
// escaped quote. Advances `at` past the line end.
std::vector<std::string> nextRecord(std::string_view text, std::size_t& at) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (; at < text.size(); ++at) {
    const char ch = text[at];
    if (quoted) {
      if (ch == '"' && at + 1 < text.size() && text[at + 1] == '"') fields.back() += text[++at];
      else if (ch == '"') quoted = false;
      else fields.back() += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      fields.emplace_back();
    } else if (ch == '\n') {
      ++at;
      break;
    } else if (ch != '\r') {
      fields.back() += ch;
    }
  }
  return fields;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// The column of each field the importer needs, from the header.
struct Columns {
  int id = -1, employer = -1, months = -1;
};

Columns columnsOf(const std::vector<std::string>& header) {
  static const std::map<std::string, int Columns::*> kNames = {
      {"证件号码", &Columns::id},        {"id", &Columns::id},         {"单位名称", &Columns::employer},
      {"employer", &Columns::employer}, {"参保月数", &Columns::months}, {"months", &Columns::months}};
  Columns c;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (auto it = kNames.find(trimmed(header[i])); it != kNames.end()) c.*(it->second) = static_cast<int>(i);
  return c;
}

bool wholeNumber(const std::string& s, std::uint64_t& out) {
  if (s.empty() || s.size() > 6) return false;
  out = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(ch - '0');
  }
  return true;
}

// A bare 18-character resident ID is read as CN; others carry TYPE:VALUE.
std::string withType(const std::string& id) { return id.find(':') == std::string::npos ? "CN:" + id : id; }

}  // namespace

Expected<std::vector<BureauExportRow>> readBureauExport(std::string_view csv) {
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);
  std::size_t at = 0;
  const Columns c = columnsOf(nextRecord(csv, at));
  if (c.id < 0 || c.employer < 0 || c.months < 0)
    return exportProblem(1, "the header needs the columns 证件号码 (id), 单位名称 (employer) and 参保月数 (months)",
                         "表头须有 证件号码、单位名称、参保月数 三列");
  std::vector<BureauExportRow> rows;
  for (std::size_t line = 2; at < csv.size(); ++line) {
    const std::vector<std::string> f = nextRecord(csv, at);
    if (f.size() == 1 && trimmed(f[0]).empty()) continue;
    const auto field = [&](int column) { return column < static_cast<int>(f.size()) ? trimmed(f[column]) : std::string(); };
    BureauExportRow row{line, {}, toNfc(field(c.employer)), 0};
    auto id = idh::normalize(withType(field(c.id)));
    if (!id) return exportProblem(line, "not a valid ID number", "证件号码无效");
    row.normalizedId = *id;
    if (row.employer.empty()) return exportProblem(line, "the employer is empty", "单位名称为空");
    if (!wholeNumber(field(c.months), row.months))
      return exportProblem(line, "months: a whole number of insured months", "参保月数须为整数");
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace titlecert::issuer
