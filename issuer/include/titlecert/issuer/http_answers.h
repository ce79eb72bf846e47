// The issuer's answers as the HTTP API and the command line write them
// (CONTRACT.md): the JSON of the service's results, and the HTTP status of
// a Problem. The service itself knows neither JSON nor HTTP; this is the
// one place that maps its structs to the wire.
#pragma once

#include <string>
#include <vector>

#include "titlecert/issuer/problem.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer {

// 400 Invalid, 401, 403, 404, 409, 413, 422 NotEligible, 500, 501, 503.
int httpStatus(ProblemKind kind);
inline int httpStatus(const Problem& p) { return httpStatus(p.kind); }
// The language of an answer's texts (http/language.h chooses it from
// Accept-Language): Chinese unless the client prefers English.
enum class Language { Zh, En };

// {"error", "message"} (+ "field", "missing" where they apply), the texts
// in `language` (English by default, as the command line prints it).
std::string problemJson(const Problem& p, Language language = Language::En);
// The message in that language: for Chinese, messageZh when the maker
// wrote one, else one derived from the English text (http/problem_chinese.h).
std::string problemMessage(const Problem& p, Language language);
// `missing` in that language (the English items where no Chinese ones are).
std::vector<std::string> problemMissing(const Problem& p, Language language);

// {"admin_token", "root_public_key", "issuer": {"iss", "kid", "alg"}}.
std::string toJson(const InitResult& r);
// The 201 answer of POST /v1/certificates.
std::string toJson(const Issued& i);
// The 201 answer of POST /v1/issuers: {"iss", "kid", "alg", "region"}.
std::string toJson(const ImportedIssuer& i);
// {"kid", "alg", "retired_kid", "resigned"}.
std::string toJson(const KeyChange& k);
// {"issuers": [{"iss", "kid", "alg", "region", "name", "valid_from", "valid_to", "scope", "state", "public_key_pem"}]}.
std::string issuersJson(const std::vector<IssuerKey>& keys);
// {"intact", "entries", "head_hash"} or {..., "first_bad_seq", "reason"}.
std::string toJson(const AuditCheck& c);
// {"token", "id", "role"}.
std::string toJson(const NewToken& t);
// The issued fields plus cert_no, status_index, payload, kid, issued_at,
// revoked (null or {"at", "reason"}), resigned_at, links.
std::string toJson(const Certificate& c);
// {"entries": [...], "next_after"} (next_after only when there are entries).
std::string auditPageJson(const std::vector<AuditEntry>& entries);
// One JSON object per batch row: {"line", "status": "issued"|"exists"|"error", ...},
// an error's message and missing in `language`.
std::string batchRowResultJson(const BatchRowResult& r, Language language = Language::En);
// A batch row's result as it is stored, for answers in either language
// later: an error carries "message" and "missing" in English and
// "message_zh" and "missing_zh" beside them.
std::string storedBatchRowResultJson(const BatchRowResult& r);
// A stored row result (storedBatchRowResultJson, or one stored before the
// Chinese texts were kept) as batchRowResultJson writes it in `language`.
std::string localisedBatchRowResultJson(const std::string& stored, Language language);

}  // namespace titlecert::issuer
