// The endpoints behind ApiHandler: each reads what it needs of the request,
// calls the Service and writes JSON (errors always as {"error", "message"}).
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

#include <nlohmann/json.hpp>

#include "batch_files.h"
#include "http/api_handler.h"
#include "http/console_answers.h"
#include "http/peer_endpoints.h"
#include "http/request_bodies.h"
#include "titlecert/crypto.h"
#include "titlecert/issuer/http_answers.h"
#include "titlecert/issuer/http_requests.h"

namespace titlecert::issuer::http {
namespace {

Reply jsonReply(int status, std::string body) { return Reply{status, "application/json", std::move(body), {}}; }

std::string queryValue(const Poco::URI& uri, const std::string& name) {
  for (const auto& [k, v] : uri.getQueryParameters())
    if (k == name) return v;
  return {};
}

// The endpoints of one request: the Service, the request and its actor.
class Endpoints {
 public:
  Endpoints(Service& service, const Request& request, const Actor& actor, Language language)
      : service_(service), request_(request), uri_(request.target), actor_(actor), language_(language) {}

  Reply run(Endpoint e, const std::string& param) {
    const std::string& body = request_.body;
    switch (e) {
      case Endpoint::CreateToken: return createToken(body);
      case Endpoint::RevokeToken: return revokeToken(param);
      case Endpoint::Issue: return issueOnce();
      case Endpoint::IssueBatch: return issueBatch();
      case Endpoint::GetCertificate:
        return answer(service_.certificate(param), [](const Certificate& c) { return jsonReply(200, toJson(c)); });
      case Endpoint::QrPng:
        return answer(service_.qrPng(param), [](const Bytes& png) {
          return Reply{200, "image/png", std::string(png.begin(), png.end()), {}};
        });
      case Endpoint::QrSvg:
        return answer(service_.qrSvg(param), [](const std::string& svg) { return Reply{200, "image/svg+xml", svg, {}}; });
      case Endpoint::CardSvg:
      case Endpoint::CardPdf: return card(e, param);
      case Endpoint::Revoke: return revoke(param, body);
      case Endpoint::Bundle: return bundle();
      case Endpoint::Eligibility: return eligibility(body);
      case Endpoint::ListIssuers:
        return answer(service_.issuers(), [](const std::vector<IssuerKey>& k) { return jsonReply(200, issuersJson(k)); });
      case Endpoint::ImportIssuer: return importIssuer(body);
      case Endpoint::RotateKey: return rotate(body);
      case Endpoint::KeyCompromised: return keyCompromised(param, body);
      case Endpoint::Audit: return audit();
      case Endpoint::AuditVerify:
        return answer(service_.verifyAudit(), [](const AuditCheck& c) { return jsonReply(200, toJson(c)); });
      case Endpoint::SubmitBatch:
        return answer(submitBatchJson(service_, body, actor_), [](const std::string& j) { return jsonReply(202, j); });
      case Endpoint::GetBatch:
        return answer(batchStatusJson(service_, param, language_),
                      [&](const std::string& j) { return inLanguage(jsonReply(200, j), language_); });
      case Endpoint::Catalogue: return jsonReply(200, catalogueJson(service_));
      case Endpoint::FindCertificates:
        return answer(searchJson(service_, queryValue(uri_, "q")), [](const std::string& j) { return jsonReply(200, j); });
      case Endpoint::Console: return consolePage(param);
      case Endpoint::Health:
        return jsonReply(200, nlohmann::json{{"status", "ok"}, {"root_key_online", service_.rootKeyOnline()}}.dump());
      case Endpoint::Ready: return ready();
      case Endpoint::ListPeers: return answer(peersJson(service_), [](const std::string& j) { return jsonReply(200, j); });
      case Endpoint::AddPeer:
        return answer(addPeerJson(service_, body, actor_), [](const std::string& j) { return jsonReply(201, j); });
      case Endpoint::ImportPeerBundle:
        return answer(importPeerJson(service_, request_.header("Content-Type"), body, actor_),
                      [](const std::string& j) { return jsonReply(200, j); });
    }
    return problemReply(notFound("no such endpoint"));
  }

 private:
  // Problems answered in the request's language.
  Reply problemReply(const Problem& p) const { return http::problemReply(p, language_); }

  template <class T, class F>
  Reply answer(const Expected<T>& r, F&& onSuccess) const {
    if (!r.ok()) return problemReply(r.error());
    return onSuccess(r.value());
  }

  // 200 when every check passes, else 503 with Retry-After; the checks
  // either way.
  Reply ready() {
    nlohmann::ordered_json checks = nlohmann::ordered_json::object();
    bool allOk = true;
    for (const Service::ReadyCheck& c : service_.readiness()) {
      checks[c.name] = c.detail;
      allOk = allOk && c.ok;
    }
    nlohmann::ordered_json j = {{"status", allOk ? "ready" : "not_ready"}, {"checks", checks}};
    Reply r = jsonReply(allOk ? 200 : 503, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!allOk) r.headers.emplace_back("Retry-After", "5");
    return r;
  }

  Reply createToken(const std::string& body) {
    auto role = readTokenRole(body);
    if (!role) return problemReply(role.error());
    return answer(service_.createToken(*role, actor_), [](const NewToken& t) { return jsonReply(201, toJson(t)); });
  }

  Reply eligibility(const std::string& body) {
    auto asked = readEligibilityRequest(body, service_.today());
    if (!asked) return problemReply(asked.error());
    return answer(service_.eligibility(*asked), [&](const eligibility::Answer& a) {
      return inLanguage(jsonReply(200, eligibility::answerToJson(a, service_.catalogue(), languageTag(language_))), language_);
    });
  }

  Reply keyCompromised(const std::string& kid, const std::string& body) {
    auto reason = readCompromiseReason(body);
    if (!reason) return problemReply(reason.error());
    return answer(service_.keyCompromised(kid, *reason, actor_), [](const KeyChange& k) { return jsonReply(200, toJson(k)); });
  }

  Reply revoke(const std::string& certNo, const std::string& body) {
    auto reason = readRevocationReason(body);
    if (!reason) return problemReply(reason.error());
    return answer(service_.revoke(certNo, *reason, actor_), [](const Certificate& c) { return jsonReply(200, toJson(c)); });
  }

  Reply revokeToken(const std::string& param) {
    Poco::Int64 id = 0;
    if (!Poco::NumberParser::tryParse64(param, id) || id <= 0) return problemReply(notFound("no token " + param));
    auto r = service_.revokeToken(id, actor_);
    if (!r) return problemReply(r.error());
    return jsonReply(200, nlohmann::json{{"id", id}, {"revoked", true}}.dump());
  }

  // With an Idempotency-Key the first answer (status and body) is stored
  // and given again for the same key and body (docs/issuer.md).
  Reply issueOnce() {
    const std::string& body = request_.body;
    auto issue = [&] {
      auto issueRequest = issuer::readIssueRequest(body);
      if (!issueRequest) return problemReply(issueRequest.error());
      return answer(service_.issue(*issueRequest, actor_), [](const Issued& i) { return jsonReply(201, toJson(i)); });
    };
    if (!request_.has("Idempotency-Key")) return issue();
    const std::string key = request_.header("Idempotency-Key");
    auto claimed = service_.claimIdempotencyKey(key, body, actor_);
    if (!claimed) return problemReply(claimed.error());
    if (*claimed) return jsonReply((*claimed)->status, (*claimed)->body);
    Reply reply = issue();
    service_.settleIdempotencyKey(key, actor_, reply.status, reply.body);
    return reply;
  }

  Reply importIssuer(const std::string& body) {
    auto importRequest = readImportIssuerRequest(body);
    if (!importRequest) return problemReply(importRequest.error());
    return answer(service_.importIssuer(*importRequest, actor_), [](const ImportedIssuer& i) { return jsonReply(201, toJson(i)); });
  }

  Reply issueBatch() {
    auto file = normaliseBatchFile(request_.body);
    if (!file) return problemReply(file.error());
    auto rows = parseBatch(file->body, file->format);
    if (!rows) return problemReply(rows.error());
    if (rows->size() > service_.config().maxBatchRows)
      return problemReply(tooLarge("at most " + std::to_string(service_.config().maxBatchRows) + " rows per batch"));
    const auto outcomes = service_.issueBatch(*rows, actor_);
    std::size_t issued = 0, exists = 0, failed = 0;
    std::string list;
    for (const BatchRowResult& o : outcomes) {
      if (!o.result.ok()) ++failed;
      else if (o.result->existed) ++exists;
      else ++issued;
      if (!list.empty()) list += ',';
      list += batchRowResultJson(o, language_);
    }
    return inLanguage(jsonReply(200, "{\"issued\":" + std::to_string(issued) + ",\"exists\":" + std::to_string(exists) +
                                         ",\"failed\":" + std::to_string(failed) + ",\"rows\":[" + list + "]}"),
                      language_);
  }

  Reply bundle() {
    auto bytes = service_.bundle();
    if (!bytes) return problemReply(bytes.error());
    const std::string etag = "\"" + toHex(crypto::sha256(*bytes)).substr(0, 32) + "\"";
    if (request_.header("If-None-Match") == etag) return Reply{304, "", "", {{"ETag", etag}}};
    return Reply{200, "application/cbor", std::string(bytes->begin(), bytes->end()), {{"ETag", etag}}};
  }

  Reply rotate(const std::string& body) {
    auto alg = readRotationAlg(body);
    if (!alg) return problemReply(alg.error());
    return answer(service_.rotateKey(*alg, actor_), [](const KeyChange& k) { return jsonReply(201, toJson(k)); });
  }

  // card.pdf and card.svg: ?paper=a4|a5 (a5 when absent).
  Reply card(Endpoint e, const std::string& certNo) {
    CardPaper paper = CardPaper::A5;
    for (const auto& [k, v] : uri_.getQueryParameters()) {
      if (k != "paper") continue;
      if (v == "a4") paper = CardPaper::A4;
      else if (v != "a5") return problemReply(badRequest("paper", "paper: a4 or a5"));
    }
    if (e == Endpoint::CardPdf)
      return answer(service_.cardPdf(certNo, paper), [](const std::string& pdf) { return Reply{200, "application/pdf", pdf, {}}; });
    return answer(service_.cardSvg(certNo, paper),
                  [](const std::string& svg) { return Reply{200, "image/svg+xml; charset=utf-8", svg, {}}; });
  }

  // The console's files; /console (no slash) goes to /console/.
  Reply consolePage(const std::string& path) const {
    if (path == "/console") return Reply{301, "text/plain", "", {{"Location", "/console/"}}};
    const console::Asset* asset = console::findAsset(path);
    if (!asset) return problemReply(notFound("no such page: " + path));
    return Reply{200, std::string(asset->contentType), std::string(asset->body),
                 {{"Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; frame-ancestors 'none'"}}};
  }

  Reply audit() {
    Poco::UInt64 after = 0, limit = 100;
    const std::string a = queryValue(uri_, "after"), l = queryValue(uri_, "limit");
    if ((!a.empty() && !Poco::NumberParser::tryParseUnsigned64(a, after)) ||
        (!l.empty() && (!Poco::NumberParser::tryParseUnsigned64(l, limit) || limit == 0 || limit > 1000)))
      return problemReply(badRequest("limit", "after: a sequence number; limit: 1..1000"));
    return answer(service_.auditPage(after, limit),
                  [](const std::vector<AuditEntry>& page) { return jsonReply(200, auditPageJson(page)); });
  }

  Service& service_;
  const Request& request_;
  const Poco::URI uri_;
  const Actor& actor_;
  const Language language_;
};

}  // namespace

Reply ApiHandler::dispatch(const Request& request, const Admission& admission) {
  return Endpoints(service_, request, admission.actor, admission.language).run(admission.endpoint, admission.param);
}

}  // namespace titlecert::issuer::http
