#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

Problem badRequest(std::string field, std::string message, std::string code) {
  return Problem{400, std::move(code), std::move(message), std::move(field), {}};
}
Problem unauthorized(std::string message) { return Problem{401, "UNAUTHORIZED", std::move(message), {}, {}}; }
Problem forbidden(std::string message) { return Problem{403, "FORBIDDEN", std::move(message), {}, {}}; }
Problem notFound(std::string message) { return Problem{404, "NOT_FOUND", std::move(message), {}, {}}; }
Problem conflict(std::string message) { return Problem{409, "CONFLICT", std::move(message), {}, {}}; }
Problem internalError(std::string message) { return Problem{500, "INTERNAL_ERROR", std::move(message), {}, {}}; }
Problem unavailable(std::string message) { return Problem{503, "UNAVAILABLE", std::move(message), {}, {}}; }

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
      return Problem{400, std::string(codeName(e.code)), e.detail, std::move(field), {}};
    }
    case Code::BAD_PASSPHRASE:
      return Problem{500, "BAD_PASSPHRASE", e.detail, {}, {}};
    case Code::NOT_IMPLEMENTED:
      return Problem{501, "NOT_IMPLEMENTED", e.detail, {}, {}};
    default:
      return Problem{500, std::string(codeName(e.code)), e.detail, {}, {}};
  }
}

}  // namespace titlecert::issuer
