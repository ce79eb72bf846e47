// The HTTP status and body of a Problem: the only place that knows which
// status each kind of failure gets.
#include <nlohmann/json.hpp>

#include "problem_chinese.h"
#include "titlecert/issuer/http_answers.h"

namespace titlecert::issuer {

int httpStatus(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::Invalid: return 400;
    case ProblemKind::Unauthenticated: return 401;
    case ProblemKind::Forbidden: return 403;
    case ProblemKind::NotFound: return 404;
    case ProblemKind::Conflict: return 409;
    case ProblemKind::TooLarge: return 413;
    case ProblemKind::NotEligible: return 422;
    case ProblemKind::Internal: return 500;
    case ProblemKind::NotImplemented: return 501;
    case ProblemKind::Unavailable: return 503;
  }
  return 500;
}

std::string problemMessage(const Problem& p, Language language) {
  return language == Language::En ? p.message : http::chineseMessage(p);
}

std::vector<std::string> problemMissing(const Problem& p, Language language) {
  if (language == Language::Zh && p.missingZh.size() == p.missing.size()) return p.missingZh;
  return p.missing;
}

std::string problemJson(const Problem& p, Language language) {
  nlohmann::ordered_json j = {{"error", p.code}, {"message", problemMessage(p, language)}};
  if (!p.field.empty()) j["field"] = p.field;
  if (!p.missing.empty() || p.kind == ProblemKind::NotEligible) j["missing"] = problemMissing(p, language);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace titlecert::issuer
