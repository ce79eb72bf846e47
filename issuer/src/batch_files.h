// Batch files as clerks save them, turned into what parseBatch reads:
// UTF-8 JSON lines, or UTF-8 CSV with commas and the English column names.
#pragma once

#include <string>
#include <string_view>

#include "titlecert/issuer/problem.h"
#include "titlecert/issuer/http_requests.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer {

struct NormalisedBatch {
  BatchFormat format = BatchFormat::JsonLines;
  std::string body;  // UTF-8, without a byte-order mark
};

// The format comes from the content: a first non-blank character `{` is
// JSON lines, a ZIP signature is an XLSX workbook (its first sheet is read
// as CSV; batch_xlsx.h), anything else CSV. The content type is only a hint
// that is never needed. Text that is not UTF-8 is read as GB18030 (what
// Excel on a Chinese Windows saves); text that is neither is BAD_ENCODING.
// A CSV's separator is a comma or a semicolon (the one the header line
// uses outside quotes); its column names may be the Chinese labels of
// CONTRACT.md ("The clerk console and batches").
Expected<NormalisedBatch> normaliseBatchFile(std::string_view body);

// Text in GB18030 as UTF-8; nullopt when it is not GB18030.
std::optional<std::string> gb18030ToUtf8(std::string_view text);

}  // namespace titlecert::issuer
