// Request bodies read on the HTTP side: JSON in, the Service's arguments
// out. Each complaint names the field (400, INVALID_ARGUMENT or BAD_JSON).
// The public readers are in titlecert/issuer/http_requests.h.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "titlecert/crypto.h"
#include "titlecert/eligibility.h"
#include "titlecert/issuer/service.h"
#include "titlecert/issuer/issue_request.h"
#include "titlecert/issuer/problem.h"

namespace titlecert::issuer::http {

// The body as a JSON object, or BAD_JSON (not JSON, not an object, or a key
// repeated in one object).
Expected<nlohmann::json> readJsonObject(std::string_view body);

// A parsed POST /v1/certificates body or batch row.
Expected<IssueRequest> readIssueRequest(const nlohmann::json& body);

// POST /v1/tokens: {"role": "admin" | "clerk" | "auditor"}.
Expected<Role> readTokenRole(std::string_view body);

// POST /v1/keys/rotate: an empty body, or {"alg": name}; nullopt keeps the
// active key's algorithm.
Expected<std::optional<crypto::Alg>> readRotationAlg(std::string_view body);

// POST /v1/certificates/{cert_no}/revoke: {"reason": text}, nothing else.
// The reason's own limits are the Service's.
Expected<std::string> readRevocationReason(std::string_view body);

// POST /v1/keys/{kid}/compromised: an empty body, or {"reason": text}.
Expected<std::optional<std::string>> readCompromiseReason(std::string_view body);

// POST /v1/eligibility: {"on", "person", "target"}; "on" defaults to `today`.
Expected<eligibility::Request> readEligibilityRequest(std::string_view body, std::int64_t today);

}  // namespace titlecert::issuer::http
