#include "request_bodies.h"

namespace titlecert::issuer::http {

using nlohmann::json;

Expected<json> readJsonObject(std::string_view body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return badRequest("", "the body is not valid JSON", "BAD_JSON");
  if (!j.is_object()) return badRequest("", "the body is not a JSON object", "BAD_JSON");
  return j;
}

Expected<std::string> readRevocationReason(std::string_view text) {
  TC_ASSIGN(json body, readJsonObject(text));
  for (const auto& [key, value] : body.items())
    if (key != "reason") return badRequest(key, key + ": not a field of a revocation");
  const auto reason = body.find("reason");
  if (reason == body.end() || !reason->is_string()) return badRequest("reason", "reason: a text is required");
  return reason->get<std::string>();
}

Expected<std::optional<std::string>> readCompromiseReason(std::string_view text) {
  if (text.empty()) return std::optional<std::string>{};
  TC_ASSIGN(json body, readJsonObject(text));
  const auto reason = body.find("reason");
  if (reason == body.end()) return std::optional<std::string>{};
  if (!reason->is_string()) return badRequest("reason", "reason: a text of at most 500 bytes");
  return std::optional<std::string>(reason->get<std::string>());
}

Expected<eligibility::Request> readEligibilityRequest(std::string_view text, std::int64_t today) {
  TC_TRY(readJsonObject(text));
  auto request = eligibility::requestFromJson(text, today);
  if (!request) return fromError(request.error());
  return std::move(request).value();
}

}  // namespace titlecert::issuer::http
