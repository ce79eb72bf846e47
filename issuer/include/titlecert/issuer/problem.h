// What the issuer service answers when a request cannot be carried out: an
// HTTP status, a stable error code for the JSON body {"error", "message"},
// and where it applies the request field at fault or what is missing.
// The core returns these as values (Expected<T>); the HTTP layer only maps
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

// A value or a Problem (the issuer's counterpart of titlecert::Result).
template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}    // NOLINT: implicit by design
  Expected(Problem p) : v_(std::move(p)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Problem& problem() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Problem> v_;
};

using Outcome = Expected<Done>;
inline Outcome success() { return Done{}; }

}  // namespace titlecert::issuer

// Return the Problem of an Expected expression from the enclosing function.
#define ISS_TRY(expr)                                   \
  do {                                                  \
    auto&& iss_try_r_ = (expr);                         \
    if (!iss_try_r_.ok()) return iss_try_r_.problem();  \
  } while (0)

#define ISS_CONCAT_INNER_(a, b) a##b
#define ISS_CONCAT_(a, b) ISS_CONCAT_INNER_(a, b)
// ISS_ASSIGN(auto x, expr): x = expr's value, or return its Problem.
#define ISS_ASSIGN(decl, expr) ISS_ASSIGN_IMPL_(ISS_CONCAT_(iss_assign_r_, __LINE__), decl, expr)
#define ISS_ASSIGN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                      \
  if (!tmp.ok()) return tmp.problem();    \
  decl = std::move(tmp).value()

// The same over a titlecert::Result / Status (common/): its Error becomes a
// Problem through fromError.
#define ISS_TRY_TC(expr)                                                        \
  do {                                                                          \
    auto&& iss_trytc_r_ = (expr);                                               \
    if (!iss_trytc_r_.ok()) return ::titlecert::issuer::fromError(iss_trytc_r_.error()); \
  } while (0)
#define ISS_ASSIGN_TC(decl, expr) ISS_ASSIGN_TC_IMPL_(ISS_CONCAT_(iss_assigntc_r_, __LINE__), decl, expr)
#define ISS_ASSIGN_TC_IMPL_(tmp, decl, expr)                                  \
  auto tmp = (expr);                                                          \
  if (!tmp.ok()) return ::titlecert::issuer::fromError(tmp.error());          \
  decl = std::move(tmp).value()
