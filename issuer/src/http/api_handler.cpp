#include "http/api_handler.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/URI.h>

#include "titlecert/issuer/http_answers.h"

namespace titlecert::issuer::http {
namespace {

// For a log line: control characters, DEL and backslash as \xNN, so that
// a request cannot add or rewrite lines (a raw path is logged, never its
// percent-decoded form).
std::string escapedForLog(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}


std::string bearerToken(const Request& request) {
  const std::string header = request.header("Authorization");
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return {};
  return header.substr(prefix.size());
}

bool allowed(const std::vector<Role>& roles, Role r) {
  for (Role x : roles)
    if (x == r) return true;
  return false;
}

std::size_t bodyLimitOf(Endpoint e, const Config& config) {
  // A peer region's bundle is as large as ours: a batch's limit.
  return e == Endpoint::SubmitBatch || e == Endpoint::IssueBatch || e == Endpoint::ImportPeerBundle ? config.maxBatchBodyBytes
                                                                                                    : config.maxBodyBytes;
}

// The declared Content-Length above `limit` (a chunked body is checked as
// it is read).
bool declaresMoreThan(const Request& head, std::size_t limit) {
  const std::string length = head.header("Content-Length");
  if (length.empty() || length.size() > 19 || length.find_first_not_of("0123456789") != std::string::npos)
    return length.size() > 19;
  return std::stoull(length) > limit;
}

Reply internalFailure(const std::exception& e, Language language) {
  Poco::Logger::get("titlecert.issuer.http").error("request failed: " + escapedForLog(e.what()));
  return problemReply(internalError("the request could not be handled"), language);
}

}  // namespace

Reply inLanguage(Reply r, Language language) {
  r.headers.emplace_back("Content-Language", std::string(languageTag(language)));
  r.headers.emplace_back("Vary", "Accept-Language");
  return r;
}

Reply problemReply(const Problem& p, int status, Language language) {
  Reply r{status, "application/json", problemJson(p, language), {}};
  // A storage fault passes (the disk freed, the database back): retry soon.
  if (p.code == "STORAGE_UNAVAILABLE") r.headers.emplace_back("Retry-After", "5");
  return inLanguage(std::move(r), language);
}
Reply problemReply(const Problem& p, Language language) { return problemReply(p, httpStatus(p), language); }

Reply ApiHandler::overCapacity() {
  Reply r = problemReply(Problem{ProblemKind::Unavailable, "OVERLOADED", "the server is busy; retry shortly", {}, {}}, 503);
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

Reply ApiHandler::bodyTooLarge(Language language) {
  return problemReply(tooLarge("the request body is larger than this endpoint accepts"), language);
}

Reply ApiHandler::malformed() { return problemReply(badRequest("", "the request is not well-formed HTTP/1.1")); }

Admission ApiHandler::admit(const Request& head) {
  Admission a;
  a.language = chooseLanguage(head.header("Accept-Language"));
  const Language lang = a.language;
  try {
    const std::string path = Poco::URI(head.target).getPath();
    auto match = matchPath(path);
    if (!match) {
      a.refusal = problemReply(notFound("no such endpoint: " + path), lang);
      return a;
    }
    const Route* chosen = nullptr;
    std::string allow;
    for (const Route& r : match->routes) {
      allow += (allow.empty() ? "" : ", ") + r.method;
      if (r.method == head.method) chosen = &r;
    }
    if (!chosen) {
      a.refusal = problemReply(Problem{ProblemKind::Invalid, "METHOD_NOT_ALLOWED", head.method + " is not allowed here", {}, {}}, 405, lang);
      a.refusal->headers.emplace_back("Allow", allow);
      return a;
    }
    if (!chosen->roles.empty()) {
      auto who = service_.authenticate(bearerToken(head));
      if (!who) {
        a.refusal = problemReply(who.error(), lang);
        return a;
      }
      a.actor = *who;
      if (!allowed(chosen->roles, a.actor.role)) {
        a.refusal = problemReply(forbidden("the role " + std::string(roleName(a.actor.role)) + " may not use this endpoint"), lang);
        return a;
      }
    }
    a.endpoint = chosen->endpoint;
    a.param = match->param;
    a.bodyLimit = bodyLimitOf(a.endpoint, service_.config());
    if (declaresMoreThan(head, a.bodyLimit)) a.refusal = bodyTooLarge(lang);
  } catch (const Poco::SyntaxException&) {
    a.refusal = problemReply(badRequest("", "the request URI is malformed"), lang);
  } catch (const std::exception& e) {
    a.refusal = internalFailure(e, lang);
  }
  return a;
}

Reply ApiHandler::answer(const Request& request, const Admission& admission) {
  if (admission.refusal) return *admission.refusal;
  try {
    return dispatch(request, admission);
  } catch (const Poco::SyntaxException&) {
    return problemReply(badRequest("", "the request URI is malformed"), admission.language);
  } catch (const std::exception& e) {
    return internalFailure(e, admission.language);
  }
}

void ApiHandler::log(const Request& request, int status, std::chrono::milliseconds took, const Actor& actor) {
  Poco::Logger::get("titlecert.issuer.http")
      .information(escapedForLog(request.method) + " " + escapedForLog(request.rawPath()) + " " +
                   std::to_string(status) + " " + std::to_string(took.count()) + "ms" +
                   (actor.tokenId > 0 ? " token=" + std::to_string(actor.tokenId) : std::string()));
}

void ApiHandler::logMalformed(std::string_view firstLine, int status) {
  firstLine = firstLine.substr(0, std::min<std::size_t>(firstLine.find("\r\n"), 256));
  Poco::Logger::get("titlecert.issuer.http").information(escapedForLog(firstLine) + " " + std::to_string(status) + " malformed");
}

}  // namespace titlecert::issuer::http
