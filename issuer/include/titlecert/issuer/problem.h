// What the issuer service answers when a request cannot be carried out: the
// kind of failure, a stable error code, and where it applies the request
// field at fault or what is missing. The service returns these as values
// (Expected<T>) and knows nothing of HTTP; the HTTP layer maps the kind to a
// status (titlecert/issuer/http_answers.h), the command line prints them.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "titlecert/result.h"

namespace titlecert::issuer {

// What went wrong, as the caller must treat it: each kind is one way to
// answer (the HTTP layer gives each its own status).
enum class ProblemKind {
  Invalid,          // the request is wrong; the field says where
  Unauthenticated,  // no valid credential
  Forbidden,        // the actor's role may not do this
  NotFound,
  Conflict,         // the state does not allow it (in use, already done, rollback)
  NotEligible,      // the person does not meet the route's rules
  TooLarge,         // the request is larger than accepted
  Unavailable,      // a needed part is offline (e.g. the root key)
  Internal,
  NotImplemented,
};

struct Problem {
  ProblemKind kind = ProblemKind::Internal;
  std::string code;                   // "INVALID_ARGUMENT", "NOT_FOUND", ...
  std::string message;                // for people; never a key, token or full ID number
  std::string field;                  // the request field at fault ("" when none)
  std::vector<std::string> missing;   // ROUTE_NOT_ELIGIBLE: what the person lacks
  // The message in Chinese, for clerks whose Accept-Language asks for it
  // (the default); "" where only the English text has been written.
  std::string messageZh{};
  // `missing` in Chinese, item for item (ROUTE_NOT_ELIGIBLE).
  std::vector<std::string> missingZh{};
};

// Constructors for the answers the service gives.
Problem badRequest(std::string field, std::string message, std::string code = "INVALID_ARGUMENT");
// The same with its Chinese message written beside the English one.
Problem badRequest(std::string field, std::string message, std::string code, std::string messageZh);
Problem unauthorized(std::string message);
Problem forbidden(std::string message);
Problem notFound(std::string message);
Problem conflict(std::string message);
Problem internalError(std::string message);
Problem unavailable(std::string message);
Problem tooLarge(std::string message);
// A titlecert::Error from common/ (INVALID_ARGUMENT, BAD_ID_NUMBER ... ->
// Invalid; IO_ERROR, CRYPTO_ERROR, INTERNAL_ERROR ... -> Internal). For an
// Invalid one the field is taken from the detail's "field: ..." prefix when
// `field` is empty.
Problem fromError(const Error& e, std::string field = {});

struct Done {};

// A value or a Problem: titlecert::Result with the issuer's error type
// (TC_TRY / TC_ASSIGN work on it as on any Result).
template <class T>
using Expected = Result<T, Problem>;

// An action that returns nothing but may fail (not to be confused with a
// batch row's result, BatchRowResult, or the verifier's Outcome).
using Completion = Expected<Done>;
inline Completion success() { return Done{}; }

}  // namespace titlecert::issuer

// TC_TRY / TC_ASSIGN over a titlecert::Result / Status (common/) whose
// Error must become a Problem (through fromError).
#define ISS_TRY_TC(expr)                                                        \
  do {                                                                          \
    auto&& iss_trytc_r_ = (expr);                                               \
    if (!iss_trytc_r_.ok()) return ::titlecert::issuer::fromError(iss_trytc_r_.error()); \
  } while (0)
#define ISS_ASSIGN_TC(decl, expr) ISS_ASSIGN_TC_IMPL_(TC_CONCAT_(iss_assigntc_r_, __LINE__), decl, expr)
#define ISS_ASSIGN_TC_IMPL_(tmp, decl, expr)                                  \
  auto tmp = (expr);                                                          \
  if (!tmp.ok()) return ::titlecert::issuer::fromError(tmp.error());          \
  decl = std::move(tmp).value()
