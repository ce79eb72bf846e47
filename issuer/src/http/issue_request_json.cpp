// POST /v1/certificates bodies and batch rows -> IssueRequest, read with the
// field reader (titlecert/field_reader.h): every field typed, the first
// error named ("holder.id: ..."), checked once. Lookups, limits and the
// ID's check digit are the Service's (issuer/src/requests.cpp).
#include <cstdint>
#include <set>
#include <string>

#include "../requests.h"
#include "request_bodies.h"
#include "titlecert/idh.h"
#include "titlecert/dates.h"
#include "titlecert/field_reader.h"
#include "titlecert/issuer/http_requests.h"
#include "titlecert/json_node.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;
using Node = titlecert::json::Node;
using Reader = fields::FieldReader<Node>;

const std::set<std::string> kCommonFields = {"type", "holder", "cert_no", "expires", "not_before"};
const std::set<std::string> kTitleFields = {"series", "specialty", "level", "route", "granted", "approval_no",
                                            "committee", "employer", "person", "override",
                                            "qualification_no", "commitments", "employment"};
const std::set<std::string> kQualificationFields = {"qualification", "level", "obtained", "qualification_no"};

// Any string: the service checks emptiness, length and control characters.
const fields::TextRule kAnyText{SIZE_MAX, /*allowEmpty=*/true, /*requireUtf8=*/false, std::nullopt};

const fields::Wording kRequestWording{.notMap = "expected an object",
                                      .notUint = "expected a non-negative integer",
                                      .notText = "expected a string",
                                      .nullIsMissing = true};

// A present text field of a fixed complaint when it is not a string.
void readTextOr(Reader& r, std::string_view key, std::string& out, std::string_view complaint) {
  if (auto v = r.required(key)) {
    if (v->isText()) out = v->asText();
    else r.fail(key, complaint);
  }
}

void readOptionalText(Reader& r, std::string_view key, std::optional<std::string>& out) {
  out.reset();
  if (auto v = r.optional(key)) {
    std::string text;
    if (fields::readText(r.errors(), *v, r.at(key), text, kAnyText)) out = std::move(text);
  }
}

void readDay(Reader& r, std::string_view key, std::optional<std::int64_t>& out, bool required) {
  out.reset();
  auto v = required ? r.required(key) : r.optional(key);
  if (!v) return;
  auto day = v->isText() ? dates::parseDate(v->asText()) : Result<std::int64_t>(makeError(Code::INVALID_ARGUMENT, ""));
  if (!day || *day < 0) return r.fail(key, "expected a YYYY-MM-DD date");
  out = *day;
}

void rejectUnknownFields(Reader& r, bool title) {
  for (const std::string& k : r.keys()) {
    if (kCommonFields.count(k) || (title ? kTitleFields.count(k) : kQualificationFields.count(k))) continue;
    return r.fail(k, "not a field of a " + std::string(title ? "title" : "qualification") + " request");
  }
}

void readHolder(Reader& top, HolderInput& out) {
  auto v = top.required("holder");
  if (!v) return;
  if (!v->isMap()) return top.fail("holder", "expected {\"name\", \"id\"}");
  Reader r(top.errors(), *v, "holder");
  for (const std::string& k : r.keys())
    if (k != "name" && k != "id") return r.fail(k, "not a field of holder");
  r.text("name", out.name, kAnyText);
  readTextOr(r, "id", out.id, "expected \"TYPE:VALUE\", e.g. CN:650102199001011239");
}

void readPerson(Reader& r, TitleInput& t) {
  auto v = r.optional("person");
  if (!v) return;
  if (!v->isMap()) return r.fail("person", "expected an object");
  auto person = eligibility::personFromJson(v->json().dump());
  if (!person) return r.errors().fail(person.error());
  t.person = std::move(person).value();
}

void readOverride(Reader& r, TitleInput& t) {
  auto v = r.optional("override");
  if (!v) return;
  auto reason = v->find("reason");
  if (!v->isMap() || !reason || !reason->isText()) return r.errors().fail("override.reason", "a non-empty text is required");
  Reader o(r.errors(), *v, "override");
  for (const std::string& k : o.keys())
    if (k != "reason") return o.fail(k, "not a field of override");
  t.overrideReason = reason->asText();
}

std::optional<CommitmentInput> readCommitment(Reader& r, std::string_view key, bool employer) {
  auto v = r.optional(key);
  if (!v) return std::nullopt;
  if (!v->isMap()) {
    r.fail(key, "expected {\"signed\", \"text_version\"}");
    return std::nullopt;
  }
  Reader c(r.errors(), *v, r.at(key));
  for (const std::string& k : c.keys())
    if (k != "signed" && k != "text_version" && !(employer && k == "by")) {
      c.fail(k, "not a field of a commitment");
      return std::nullopt;
    }
  CommitmentInput out;
  std::optional<std::int64_t> signedOn;
  readDay(c, "signed", signedOn, true);
  out.signedOn = signedOn.value_or(0);
  readTextOr(c, "text_version", out.textVersion, "expected the version of the commitment text signed");
  if (employer) readOptionalText(c, "by", out.by);
  return out;
}

void readCommitments(Reader& r, TitleInput& t) {
  auto v = r.optional("commitments");
  if (!v) return;
  if (!v->isMap()) return r.fail("commitments", "expected {\"applicant\", \"employer\"}");
  Reader c(r.errors(), *v, "commitments");
  for (const std::string& k : c.keys())
    if (k != "applicant" && k != "employer") return c.fail(k, "not a field of commitments");
  CommitmentsInput out;
  out.applicant = readCommitment(c, "applicant", false);
  out.employer = readCommitment(c, "employer", true);
  t.commitments = std::move(out);
}

void readEmployment(Reader& r, TitleInput& t) {
  auto v = r.optional("employment");
  if (!v) return;
  if (!v->isMap()) return r.fail("employment", "expected {\"employer\", \"years\"}");
  Reader e(r.errors(), *v, "employment");
  for (const std::string& k : e.keys())
    if (k != "employer" && k != "years") return e.fail(k, "not a field of employment");
  EmploymentInput out;
  readOptionalText(e, "employer", out.employer);
  e.uint("years", out.years);
  t.employment = std::move(out);
}

TitleInput readTitle(Reader& r) {
  TitleInput t;
  r.uint("series", t.series);
  r.uint("specialty", t.specialty);
  r.uint("level", t.level);
  readTextOr(r, "route", t.route, "expected a route name (e.g. \"review\")");
  std::optional<std::int64_t> granted;
  readDay(r, "granted", granted, true);
  t.granted = granted.value_or(0);
  readOptionalText(r, "approval_no", t.approvalNo);
  r.optionalUint("committee", t.committee);
  readOptionalText(r, "employer", t.employer);
  readOptionalText(r, "qualification_no", t.qualificationNo);
  readOverride(r, t);
  readPerson(r, t);
  readCommitments(r, t);
  readEmployment(r, t);
  return t;
}

QualificationInput readQualification(Reader& r) {
  QualificationInput q;
  r.uint("qualification", q.qualification);
  r.uint("level", q.level);
  std::optional<std::int64_t> obtained;
  readDay(r, "obtained", obtained, true);
  q.obtained = obtained.value_or(0);
  readOptionalText(r, "qualification_no", q.qualificationNo);
  return q;
}

// The body with the holder as the service will take it (the ID normalised
// when it can be, the name in NFC); nlohmann's object keeps keys sorted.
std::string canonicalText(const json& body, const HolderInput& holder) {
  json canonical = body;
  auto id = idh::normalize(holder.id);
  canonical["holder"]["id"] = id ? *id : holder.id;
  canonical["holder"]["name"] = toNfc(holder.name);
  return canonical.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

namespace http {

Expected<IssueRequest> readIssueRequest(const json& body) {
  if (!body.is_object()) return badRequest("", "the request is not a JSON object", "BAD_JSON");
  fields::FieldErrors errors(Code::INVALID_ARGUMENT, kRequestWording);
  Reader r(errors, Node(body), "");
  std::string type;
  readTextOr(r, "type", type, "\"title\" or \"qualification\"");
  if (r.ok() && type != "title" && type != "qualification") r.fail("type", "\"title\" or \"qualification\"");
  const bool title = type == "title";
  rejectUnknownFields(r, title);
  IssueRequest request;
  readHolder(r, request.holder);
  if (auto v = r.optional("cert_no")) {
    if (v->isText()) request.certNo = v->asText();
    else r.fail("cert_no", "1..32 characters of A-Z a-z 0-9 - _ .");
  }
  readDay(r, "expires", request.expires, false);
  readDay(r, "not_before", request.notBefore, false);
  if (title) request.body = readTitle(r);
  else request.body = readQualification(r);
  if (!errors.ok()) return fromError(errors.status().error());
  request.canonicalText = canonicalText(body, request.holder);
  return request;
}

}  // namespace http

Expected<IssueRequest> readIssueRequest(std::string_view jsonBody) {
  TC_ASSIGN(json body, http::readJsonObject(jsonBody));
  return http::readIssueRequest(body);
}

}  // namespace titlecert::issuer
