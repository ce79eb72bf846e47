// The issuer's request bodies as the HTTP API and the command line read
// them (CONTRACT.md): JSON or CSV text in, the Service's request structs
// out. The service itself reads no JSON; this is the one place that maps
// the wire to its structs. Every complaint names the field (a Problem of
// kind Invalid: INVALID_ARGUMENT, BAD_JSON, BAD_CSV, BAD_ENCODING).
#pragma once

#include <string_view>
#include <vector>

#include "titlecert/issuer/issue_request.h"
#include "titlecert/issuer/problem.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer {

// A POST /v1/certificates body: the fields typed and every one of them
// known for the request's type. The Service checks the values.
Expected<IssueRequest> readIssueRequest(std::string_view jsonBody);

// POST /v1/issuers: another issuer's key with its window and scope.
Expected<ImportIssuerRequest> readImportIssuerRequest(std::string_view jsonBody);

enum class BatchFormat { JsonLines, Csv };
// Splits a UTF-8 body into rows, each read as an IssueRequest. CSV: a header
// line naming the columns (docs/issuer.md, "Batch issuance"), RFC 4180
// quoting. A body that is not UTF-8 or has no usable header is a Problem; a
// row that cannot be read is a BatchRow holding its Problem.
Expected<std::vector<BatchRow>> parseBatch(std::string_view body, BatchFormat format);

}  // namespace titlecert::issuer
