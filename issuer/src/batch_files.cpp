// The normalising pre-pass before parseBatch (batch_files.h): encoding,
// separator and column labels, so that the CSV reader sees one form.
#include "batch_files.h"
#include "batch_xlsx.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <vector>

#include "titlecert/bytes.h"

namespace titlecert::issuer {
namespace {

// CONTRACT.md's Chinese column labels and the columns they stand for.
const std::map<std::string, std::string, std::less<>> kChineseLabels = {
    {"姓名", "holder_name"}, {"证件号码", "holder_id"},   {"系列", "series"},     {"专业", "specialty"},
    {"级别", "level"},       {"取得途径", "route"},       {"授予日期", "granted"}, {"批准文号", "approval_no"},
    {"评审委员会", "committee"}, {"工作单位", "employer"}, {"类型", "type"},       {"证书编号", "cert_no"}};

std::string_view withoutBom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

bool startsLikeJsonLines(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

bool isZip(std::string_view body) { return body.substr(0, 4) == std::string_view("PK\x03\x04", 4); }

// The header line's separator: the one of ',' and ';' it uses more often
// outside quotes (a comma when neither appears: a one-column file).
char separatorOf(std::string_view text) {
  std::size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char ch : text) {
    if (ch == '"') quoted = !quoted;
    else if (!quoted && (ch == '\n' || ch == '\r')) break;
    else if (!quoted && ch == ',') ++commas;
    else if (!quoted && ch == ';') ++semicolons;
  }
  return semicolons > commas ? ';' : ',';
}

std::string trimmed(std::string_view cell) {
  const std::size_t first = cell.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(cell.substr(first, cell.find_last_not_of(" \t") - first + 1));
}

std::string quotedCell(std::string_view cell) {
  std::string out = "\"";
  for (char ch : cell) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + '"';
}

// Rewrites a CSV with `separator` as one with commas, every cell quoted,
// line breaks kept where they were (so line numbers stay the file's), and
// the header's Chinese labels replaced by column names. A file without a
// type column (the Chinese labels have none) holds titles: the column is
// added. Quoting errors are left for the CSV reader to report.
class CommaRewriter {
 public:
  explicit CommaRewriter(char separator) : separator_(separator) {}

  std::string rewrite(std::string_view text) {
    out_.reserve(text.size() + text.size() / 4);
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
      const char ch = text[pos];
      const bool crlf = ch == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n';
      if (quoted_) {
        if (ch == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
          cell_ += '"';
          ++pos;
        } else if (ch == '"') {
          quoted_ = false;
        } else {
          cell_ += ch;
        }
      } else if (ch == '"' && cell_.empty()) {
        quoted_ = cellWasQuoted_ = true;
      } else if (ch == separator_) {
        endCell();
        out_ += ',';
      } else if (crlf || ch == '\n') {
        endRecord(crlf ? "\r\n" : "\n");
        if (crlf) ++pos;
      } else {
        cell_ += ch;
      }
    }
    if (quoted_) out_ += '"' + cell_;  // unterminated: the reader names it
    else if (!cell_.empty() || cellWasQuoted_ || recordHasContent_) endRecord("");
    return std::move(out_);
  }

 private:
  void endCell() {
    std::string value = cell_;
    if (inHeader_) {
      const auto label = kChineseLabels.find(trimmed(cell_));
      if (label != kChineseLabels.end()) value = label->second;
      header_.push_back(trimmed(value));
    }
    if (!trimmed(value).empty()) recordHasContent_ = true;
    if (cellWasQuoted_ || !value.empty()) out_ += quotedCell(value);
    cell_.clear();
    cellWasQuoted_ = false;
  }

  void endRecord(std::string_view lineEnd) {
    endCell();
    if (inHeader_) {
      addTypeColumn_ = recordHasContent_ && std::find(header_.begin(), header_.end(), "type") == header_.end();
      if (addTypeColumn_) out_ += ",\"type\"";
      inHeader_ = false;
    } else if (addTypeColumn_ && recordHasContent_) {
      out_ += ",\"title\"";
    }
    out_ += lineEnd;
    recordHasContent_ = false;
  }

  const char separator_;
  std::string out_, cell_;
  std::vector<std::string> header_;
  bool quoted_ = false, cellWasQuoted_ = false, inHeader_ = true, recordHasContent_ = false, addTypeColumn_ = false;
};

}  // namespace

std::optional<std::string> gb18030ToUtf8(std::string_view text) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(text.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(text.data());  // iconv's signature; it does not write
  std::size_t inLeft = text.size();
  std::size_t written = 0;
  bool ok = true;
  while (inLeft > 0) {
    char* outPtr = out.data() + written;
    std::size_t outLeft = out.size() - written;
    const std::size_t r = iconv(cd, &in, &inLeft, &outPtr, &outLeft);
    written = out.size() - outLeft;
    if (r != static_cast<std::size_t>(-1)) continue;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    ok = false;  // EILSEQ or EINVAL: not GB18030
    break;
  }
  iconv_close(cd);
  if (!ok) return std::nullopt;
  out.resize(written);
  return out;
}

Expected<NormalisedBatch> normaliseBatchFile(std::string_view body) {
  if (isZip(body)) {
    TC_ASSIGN(std::string sheet, xlsxFirstSheetAsCsv(body));
    return NormalisedBatch{BatchFormat::Csv, CommaRewriter(',').rewrite(sheet)};
  }
  std::string utf8;
  if (isValidUtf8(body)) {
    utf8 = std::string(withoutBom(body));
  } else {
    auto converted = gb18030ToUtf8(body);
    if (!converted) return badRequest("", "the batch is neither UTF-8 nor GB18030 text", "BAD_ENCODING");
    utf8 = std::move(*converted);
  }
  if (startsLikeJsonLines(utf8)) return NormalisedBatch{BatchFormat::JsonLines, std::move(utf8)};
  return NormalisedBatch{BatchFormat::Csv, CommaRewriter(separatorOf(utf8)).rewrite(utf8)};
}

}  // namespace titlecert::issuer
