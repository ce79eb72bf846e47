#include "request_bodies.h"

#include <set>
#include <vector>

#include "titlecert/bundle_manifest.h"
#include "titlecert/dates.h"
#include "titlecert/field_reader.h"
#include "titlecert/issuer/http_requests.h"
#include "titlecert/json_node.h"
#include "titlecert/zc1.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;
using Node = titlecert::json::Node;
using Reader = fields::FieldReader<Node>;

// nlohmann keeps the last of repeated keys silently: a body that says two
// things at once (one to a reviewer's tool, another to us) is refused.
json parseJsonRefusingDuplicates(std::string_view text, bool& duplicate) {
  std::vector<std::set<std::string>> open;
  duplicate = false;
  const json::parser_callback_t check = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start)
      open.emplace_back();
    else if (event == json::parse_event_t::object_end && !open.empty())
      open.pop_back();
    else if (event == json::parse_event_t::key && !open.empty() && !open.back().insert(parsed.get<std::string>()).second)
      duplicate = true;
    return true;
  };
  return json::parse(text, check, /*allow_exceptions=*/false);
}

// A required text field, one complaint for every way it is not.
void readTextOr(Reader& r, std::string_view key, const std::string& complaint, std::string& out) {
  auto v = r.optional(key);
  if (!r.ok()) return;
  if (!v || !v->isText()) return r.fail(key, complaint);
  out = v->asText();
}

// A text field of 1..max bytes, one complaint for every way it is not.
void readBoundedText(Reader& r, std::string_view key, std::size_t max, std::string& out) {
  const std::string complaint = "a text of 1.." + std::to_string(max) + " bytes is required";
  auto v = r.optional(key);
  if (!r.ok()) return;
  if (!v || !v->isText() || v->asText().empty() || v->asText().size() > max) return r.fail(key, complaint);
  out = v->asText();
}

void readImportName(Reader& r, std::optional<catalogue::Names>& out) {
  auto v = r.optional("name");
  if (!v) return;
  auto zh = v->find("zh"), en = v->find("en");
  if (!v->isMap() || !zh || !en || !zh->isText() || !en->isText()) return r.fail("name", "{\"zh\", \"en\"}");
  out = catalogue::Names{zh->asText(), en->asText()};
}

void readAlg(Reader& r, std::optional<crypto::Alg>& out) {
  auto v = r.optional("alg");
  if (!v) return;
  crypto::Alg alg{};
  if (!v->isText() || !crypto::algFromName(v->asText(), alg)) return r.fail("alg", "EdDSA, ES256 or SM2-SM3");
  out = alg;
}

void readTime(Reader& r, std::string_view key, std::string_view complaint, std::int64_t& out) {
  std::string text;
  readBoundedText(r, key, 20, text);
  if (!r.ok()) return;
  auto t = dates::parseRfc3339(text);
  if (!t) return r.fail(key, complaint);
  out = *t;
}

void readImportScope(Reader& r, bundle::Scope& out) {
  auto v = r.required("scope");
  if (!v) return;
  auto scope = bundle::scopeFromJson(v->json().dump(), "scope", Code::INVALID_ARGUMENT);
  if (!scope) return r.errors().fail(scope.error());
  out = std::move(scope).value();
}

}  // namespace

namespace http {

Expected<json> readJsonObject(std::string_view body) {
  bool duplicate = false;
  json j = parseJsonRefusingDuplicates(body, duplicate);
  if (j.is_discarded()) return badRequest("", "the body is not valid JSON", "BAD_JSON");
  if (duplicate) return badRequest("", "the body repeats a key in one object", "BAD_JSON");
  if (!j.is_object()) return badRequest("", "the body is not a JSON object", "BAD_JSON");
  return j;
}

Expected<Role> readTokenRole(std::string_view text) {
  TC_ASSIGN(json body, readJsonObject(text));
  fields::FieldErrors errors(Code::INVALID_ARGUMENT);
  Reader r(errors, Node(body), "");
  std::string name;
  readTextOr(r, "role", "\"admin\", \"clerk\" or \"auditor\"", name);
  Role role{};
  if (r.ok() && !roleFromName(name, role)) r.fail("role", "\"admin\", \"clerk\" or \"auditor\"");
  if (!errors.ok()) return fromError(errors.status().error());
  return role;
}

Expected<std::optional<crypto::Alg>> readRotationAlg(std::string_view text) {
  if (text.empty()) return std::optional<crypto::Alg>{};
  TC_ASSIGN(json body, readJsonObject(text));
  fields::FieldErrors errors(Code::INVALID_ARGUMENT);
  Reader r(errors, Node(body), "");
  std::optional<crypto::Alg> alg;
  readAlg(r, alg);
  if (!errors.ok()) return fromError(errors.status().error());
  return alg;
}

Expected<std::string> readRevocationReason(std::string_view text) {
  TC_ASSIGN(json body, readJsonObject(text));
  fields::FieldErrors errors(Code::INVALID_ARGUMENT);
  Reader r(errors, Node(body), "");
  for (const std::string& key : r.keys())
    if (key != "reason") {
      r.fail(key, "not a field of a revocation");
      break;
    }
  std::string reason;
  readTextOr(r, "reason", "a text is required", reason);
  if (!errors.ok()) return fromError(errors.status().error());
  return reason;
}

Expected<std::optional<std::string>> readCompromiseReason(std::string_view text) {
  if (text.empty()) return std::optional<std::string>{};
  TC_ASSIGN(json body, readJsonObject(text));
  fields::FieldErrors errors(Code::INVALID_ARGUMENT);
  Reader r(errors, Node(body), "");
  std::optional<std::string> reason;
  if (auto v = r.optional("reason")) {
    if (v->isText()) reason = v->asText();
    else r.fail("reason", "a text of at most 500 bytes");
  }
  if (!errors.ok()) return fromError(errors.status().error());
  return reason;
}

Expected<eligibility::Request> readEligibilityRequest(std::string_view text, std::int64_t today) {
  TC_TRY(readJsonObject(text));
  auto request = eligibility::requestFromJson(text, today);
  if (!request) return fromError(request.error());
  return std::move(request).value();
}

}  // namespace http

Expected<ImportIssuerRequest> readImportIssuerRequest(std::string_view text) {
  TC_ASSIGN(json body, http::readJsonObject(text));
  fields::FieldErrors errors(Code::INVALID_ARGUMENT);
  Reader r(errors, Node(body), "");
  for (const std::string& k : r.keys())
    if (k != "iss" && k != "name" && k != "region" && k != "alg" && k != "public_key_pem" && k != "valid_from" &&
        k != "valid_to" && k != "scope") {
      r.fail(k, "not a field of an issuer");
      break;
    }
  ImportIssuerRequest request;
  readBoundedText(r, "iss", zc1::limit::kIss, request.iss);
  readBoundedText(r, "region", 12, request.region);
  readBoundedText(r, "public_key_pem", 4096, request.publicKeyPem);
  readAlg(r, request.alg);
  readImportName(r, request.name);
  readTime(r, "valid_from", "an RFC 3339 UTC time", request.validFrom);
  readTime(r, "valid_to", "an RFC 3339 UTC time after valid_from", request.validTo);
  readImportScope(r, request.scope);
  if (!errors.ok()) return fromError(errors.status().error());
  return request;
}

}  // namespace titlecert::issuer
