// Result codes and the value-or-error type every titlecert API returns.
// Errors are values: nothing in common/ throws to report a failed check.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace titlecert {

enum class Code : int {
#define TC_RESULT_CODE(name, number, zh, en) name = number,
#include "titlecert/result_codes.def"
#undef TC_RESULT_CODE
};

// The stable name ("BAD_SIGNATURE"), and the Chinese and English explanations.
std::string_view codeName(Code code);
std::string_view codeZh(Code code);
std::string_view codeEn(Code code);

// A failed check: its stable code and a detail for logs and humans
// (never a key, never a full ID number).
struct Error {
  Code code = Code::INTERNAL_ERROR;
  std::string detail;
};

inline Error makeError(Code code, std::string detail = {}) { return Error{code, std::move(detail)}; }

// Either a value or an error, like absl::StatusOr. The error type is
// titlecert::Error everywhere but at the issuer's HTTP edge, which carries
// its own (issuer::Problem) through the same type.
template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(E error) : v_(std::move(error)) {}            // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const E& error() const { assert(!ok()); return std::get<1>(v_); }
  Code code() const { return ok() ? Code::OK : error().code; }

 private:
  std::variant<T, E> v_;
};

// A Result with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  static Status Ok() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  Code code() const { return ok_ ? Code::OK : error_.code; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

// Looks a code up by its stable name ("REVOKED"); INVALID_ARGUMENT when the
// name is unknown.
Result<Code> codeFromName(std::string_view name);

}  // namespace titlecert

// Returns the error of a Result/Status expression from the enclosing function.
#define TC_TRY(expr)                                   \
  do {                                                 \
    auto&& tc_try_r_ = (expr);                         \
    if (!tc_try_r_.ok()) return tc_try_r_.error();     \
  } while (0)

#define TC_CONCAT_INNER_(a, b) a##b
#define TC_CONCAT_(a, b) TC_CONCAT_INNER_(a, b)
// TC_ASSIGN(auto x, expr): x = expr's value, or return its error.
#define TC_ASSIGN(decl, expr) TC_ASSIGN_IMPL_(TC_CONCAT_(tc_assign_r_, __LINE__), decl, expr)
#define TC_ASSIGN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                     \
  if (!tmp.ok()) return tmp.error();     \
  decl = std::move(tmp).value()
