// The first sheet of an XLSX workbook as CSV text, for the batch pre-pass
// (batch_files.h). Poco's Zip and XML (expat) read the package.
#pragma once

#include <string>
#include <string_view>

#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

// The workbook's first sheet (the first <sheet> of xl/workbook.xml, found
// through xl/_rels/workbook.xml.rels, whatever its part is named; a package
// without xl/workbook.xml is read from xl/worksheets/sheet1.xml) with its
// shared strings, as comma-separated quoted
// cells, one line per spreadsheet row (a missing row is a blank line, so
// line numbers are the sheet's row numbers). Numbers in the date columns
// (granted, obtained, expires, not_before and their Chinese labels) are
// Excel day serials and become YYYY-MM-DD. 400 BAD_XLSX when the package
// cannot be read.
Expected<std::string> xlsxFirstSheetAsCsv(std::string_view workbook);

}  // namespace titlecert::issuer
