#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

Problem badRequest(std::string field, std::string message, std::string code) {
  return Problem{ProblemKind::Invalid, std::move(code), std::move(message), std::move(field), {}};
}
Problem badRequest(std::string field, std::string message, std::string code, std::string messageZh) {
  Problem p = badRequest(std::move(field), std::move(message), std::move(code));
  p.messageZh = std::move(messageZh);
  return p;
}
Problem unauthorized(std::string message) { return Problem{ProblemKind::Unauthenticated, "UNAUTHORIZED", std::move(message), {}, {}}; }
Problem forbidden(std::string message) { return Problem{ProblemKind::Forbidden, "FORBIDDEN", std::move(message), {}, {}}; }
Problem notFound(std::string message) { return Problem{ProblemKind::NotFound, "NOT_FOUND", std::move(message), {}, {}}; }
Problem conflict(std::string message) { return Problem{ProblemKind::Conflict, "CONFLICT", std::move(message), {}, {}}; }
Problem internalError(std::string message) { return Problem{ProblemKind::Internal, "INTERNAL_ERROR", std::move(message), {}, {}}; }
Problem unavailable(std::string message) { return Problem{ProblemKind::Unavailable, "UNAVAILABLE", std::move(message), {}, {}}; }
Problem tooLarge(std::string message) { return Problem{ProblemKind::TooLarge, "BODY_TOO_LARGE", std::move(message), {}, {}}; }

Problem fromError(const Error& e, std::string field) {
  switch (e.code) {
    case Code::INVALID_ARGUMENT:
    case Code::BAD_ID_NUMBER:
    case Code::BAD_CLAIMS:
    case Code::PAYLOAD_TOO_LARGE:
    case Code::BAD_MANIFEST:
    case Code::BAD_BUNDLE:
    case Code::BUNDLE_ROLLBACK:
    case Code::BAD_KEY: {
      // common/ details start with the field: "holder.name: not valid UTF-8".
      if (field.empty()) {
        const auto colon = e.detail.find(": ");
        if (colon != std::string::npos && colon < 40 && e.detail.find(' ') >= colon) field = e.detail.substr(0, colon);
      }
      return Problem{ProblemKind::Invalid, std::string(codeName(e.code)), e.detail, std::move(field), {}};
    }
    case Code::BAD_PASSPHRASE:
      return Problem{ProblemKind::Internal, "BAD_PASSPHRASE", e.detail, {}, {}};
    case Code::NOT_IMPLEMENTED:
      return Problem{ProblemKind::NotImplemented, "NOT_IMPLEMENTED", e.detail, {}, {}};
    default:
      return Problem{ProblemKind::Internal, std::string(codeName(e.code)), e.detail, {}, {}};
  }
}

}  // namespace titlecert::issuer
