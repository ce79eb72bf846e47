// The JSON of the service's results (CONTRACT.md), for the HTTP answers
// and the command line's output.
#include <nlohmann/json.hpp>

#include "titlecert/dates.h"
#include "titlecert/issuer/http_answers.h"

namespace titlecert::issuer {

using nlohmann::json;

std::string toJson(const InitResult& r) {
  nlohmann::ordered_json j = {{"admin_token", r.adminToken},
                              {"root_public_key", r.rootPublicKeyPath},
                              {"issuer", {{"iss", r.iss}, {"kid", r.kid}, {"alg", r.alg}}}};
  return j.dump();
}

std::string toJson(const Issued& i) {
  const std::string base = "/v1/certificates/" + i.certNo;
  nlohmann::ordered_json j = {{"cert_no", i.certNo},
                              {"status_index", i.statusIndex},
                              {"payload", i.payload},
                              {"kid", i.kid},
                              {"issued_at", dates::formatRfc3339(i.issuedAt)},
                              {"links", {{"qr_png", base + "/qr.png"}, {"qr_svg", base + "/qr.svg"}, {"card_svg", base + "/card.svg"}, {"card_pdf", base + "/card.pdf"}, {"self", base}}}};
  return j.dump();
}

std::string toJson(const NewToken& t) {
  nlohmann::ordered_json j = {{"token", t.token}, {"id", t.id}, {"role", std::string(roleName(t.role))}};
  return j.dump();
}

std::string toJson(const Certificate& c) {
  json j = json::parse(c.issuedFields, nullptr, false);
  j["cert_no"] = c.certNo;
  j["status_index"] = c.statusIndex;
  j["payload"] = c.payload;
  j["kid"] = c.kid;
  j["issued_at"] = dates::formatRfc3339(c.issuedAt);
  j["revoked"] = c.revokedAt ? json{{"at", dates::formatRfc3339(*c.revokedAt)}, {"reason", c.revokeReason}} : json(nullptr);
  if (c.resignedAt) j["resigned_at"] = dates::formatRfc3339(*c.resignedAt);
  const std::string base = "/v1/certificates/" + c.certNo;
  j["links"] = {{"qr_png", base + "/qr.png"}, {"qr_svg", base + "/qr.svg"}, {"card_svg", base + "/card.svg"}, {"card_pdf", base + "/card.pdf"}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string auditPageJson(const std::vector<AuditEntry>& page) {
  json entries = json::array();
  for (const AuditEntry& e : page)
    entries.push_back({{"seq", e.seq},
                       {"at", e.at},
                       {"time", dates::formatRfc3339(e.at)},
                       {"actor", e.actor > 0 ? json(e.actor) : json(nullptr)},
                       {"action", e.action},
                       {"details", json::parse(e.details, nullptr, false)},
                       {"prev_hash", e.prevHash},
                       {"hash", e.hash}});
  json out = {{"entries", entries}};
  if (!entries.empty()) out["next_after"] = entries.back()["seq"];
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string issuersJson(const std::vector<IssuerKey>& keys) {
  json out = json::array();
  for (const IssuerKey& k : keys)
    out.push_back({{"iss", k.iss},
                   {"kid", k.kid},
                   {"alg", k.alg},
                   {"region", k.region},
                   {"name", {{"zh", k.nameZh}, {"en", k.nameEn}}},
                   {"valid_from", dates::formatRfc3339(k.validFrom)},
                   {"valid_to", dates::formatRfc3339(k.validTo)},
                   {"scope", json::parse(k.scope, nullptr, false)},
                   {"state", k.state},
                   {"public_key_pem", k.publicKeyPem}});
  return json{{"issuers", out}}.dump();
}

std::string toJson(const ImportedIssuer& i) {
  return json{{"iss", i.iss}, {"kid", i.kid}, {"alg", i.alg}, {"region", i.region}}.dump();
}

std::string toJson(const KeyChange& k) {
  nlohmann::ordered_json j = {{"kid", k.kid}, {"alg", k.alg}, {"retired_kid", k.retiredKid.empty() ? json(nullptr) : json(k.retiredKid)}};
  j["resigned"] = k.resigned;
  return j.dump();
}

std::string toJson(const AuditCheck& c) {
  nlohmann::ordered_json j = {{"intact", c.intact}, {"entries", c.entries}};
  if (c.intact) j["head_hash"] = c.headHash;
  else {
    j["first_bad_seq"] = c.firstBadSeq;
    j["reason"] = c.reason;
    if (!c.differences.empty()) j["differences"] = c.differences;
  }
  return j.dump();
}

namespace {

// A row's outcome; an error's texts in one language, or (stored) in both.
nlohmann::ordered_json rowResult(const BatchRowResult& r, Language language, bool bothLanguages) {
  nlohmann::ordered_json j = {{"line", r.line}};
  if (r.result.ok()) {
    j["status"] = r.result->existed ? "exists" : "issued";
    j["cert_no"] = r.result->certNo;
    j["status_index"] = r.result->statusIndex;
    j["payload"] = r.result->payload;
    return j;
  }
  const Problem& p = r.result.error();
  j["status"] = "error";
  j["http_status"] = httpStatus(p);
  j["error"] = p.code;
  j["message"] = problemMessage(p, bothLanguages ? Language::En : language);
  if (bothLanguages) j["message_zh"] = problemMessage(p, Language::Zh);
  if (!p.field.empty()) j["field"] = p.field;
  if (!p.missing.empty()) {
    j["missing"] = problemMissing(p, bothLanguages ? Language::En : language);
    if (bothLanguages) j["missing_zh"] = problemMissing(p, Language::Zh);
  }
  return j;
}

std::string dumped(const nlohmann::ordered_json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::vector<std::string> texts(const nlohmann::ordered_json& j, const char* key) {
  std::vector<std::string> out;
  if (auto it = j.find(key); it != j.end() && it->is_array())
    for (const auto& item : *it)
      if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

std::string text(const nlohmann::ordered_json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string batchRowResultJson(const BatchRowResult& r, Language language) { return dumped(rowResult(r, language, false)); }

std::string storedBatchRowResultJson(const BatchRowResult& r) { return dumped(rowResult(r, Language::En, true)); }

std::string localisedBatchRowResultJson(const std::string& stored, Language language) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(stored, nullptr, false);
  if (!j.is_object() || text(j, "status") != "error") return stored;
  Problem p;
  p.code = text(j, "error");
  p.message = text(j, "message");
  p.field = text(j, "field");
  p.messageZh = text(j, "message_zh");
  p.missing = texts(j, "missing");
  p.missingZh = texts(j, "missing_zh");
  j["message"] = problemMessage(p, language);
  if (!p.missing.empty()) j["missing"] = problemMissing(p, language);
  j.erase("message_zh");
  j.erase("missing_zh");
  return dumped(j);
}

}  // namespace titlecert::issuer
