// What the issuer service answers when a request cannot be carried out: an
// HTTP status, a stable error code for the JSON body {"error", "message"},
// and where it applies the request field at fault or what is missing.
// The service returns these as values (Expected<T>); the HTTP layer only maps
// them to a response, and the command line prints them.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "titlecert/result.h"

namespace titlecert::issuer {

struct Problem {
  int status = 500;                   // the HTTP status of the answer
  std::string code;                   // "INVALID_ARGUMENT", "NOT_FOUND", ...
  std::string message;                // for people; never a key, token or full ID number
  std::string field;                  // the request field at fault ("" when none)
  std::vector<std::string> missing;   // ROUTE_NOT_ELIGIBLE: what the person lacks
};

// Constructors for the answers the service gives.
Problem badRequest(std::string field, std::string message, std::string code = "INVALID_ARGUMENT");
Problem unauthorized(std::string message);
Problem forbidden(std::string message);
Problem notFound(std::string message);
Problem conflict(std::string message);
Problem internalError(std::string message);
Problem unavailable(std::string message);
// A titlecert::Error from common/ (INVALID_ARGUMENT, BAD_ID_NUMBER ... -> 400;
// IO_ERROR, CRYPTO_ERROR, INTERNAL_ERROR ... -> 500). For a 400 the field is
// taken from the detail's "field: ..." prefix when `field` is empty.
Problem fromError(const Error& e, std::string field = {});

struct Done {};

// A value or a Problem: titlecert::Result with the HTTP edge's error type
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
