// One reader for the fields of a map, over any node type (a CBOR value, a
// JSON value): read every field, remember the first error, check once at the
// end. After an error every further read does nothing, so a reader is a flat
// list of calls followed by one `status()`; the detail names the field
// ("series[3].code: not an unsigned integer") and the code is the caller's
// (BAD_CATALOGUE, BAD_BUNDLE, INVALID_ARGUMENT, ...).
//
// A node type N provides: isMap, isArray, isNull, isUint, asUint ->
// uint64_t, isText, asText -> something that converts to std::string_view
// (a view into a decoded input, or a node's own string), isBool, asBool, size,
// item(i) -> N, keys() -> std::vector<std::string>, find(key) ->
// std::optional<N>; optionally textIsCheckedUtf8() when its decoder has
// checked every text already. Nodes are cheap handles copied by value.
//
// Header-only so that a layer which owns a node type (trust: CBOR; authoring:
// JSON) instantiates it without linking anything above core.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/result.h"

namespace titlecert::fields {

// "a.b" and "a[3]"; members of the root path "" are named bare. Each is
// built in one allocation: every row of a catalogue gets one.
inline std::string member(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out;
  out.reserve(path.size() + 1 + key.size());
  out.append(path).append(1, '.').append(key);
  return out;
}
inline std::string indexed(const std::string& path, std::size_t i) {
  char digits[24];
  const char* end = std::to_chars(digits, digits + sizeof digits, i).ptr;
  std::string out;
  out.reserve(path.size() + 2 + static_cast<std::size_t>(end - digits));
  out.append(path).append(1, '[').append(digits, static_cast<std::size_t>(end - digits)).append(1, ']');
  return out;
}

// A path is given as text or as a function that makes the text: the checks
// below call it only to word an error, so reading a valid document builds no
// path strings (a third of a catalogue's read time went to them).
template <class P>
std::string pathText(const P& path) {
  if constexpr (std::is_invocable_v<const P&>)
    return path();
  else
    return std::string(path);
}

// How a reader words its complaints: formats differ ("not a list" in a
// request body, "not an array" in a catalogue) and their tests pin them.
struct Wording {
  std::string root = "(root)";  // the name of the path ""
  std::string missing = "missing";
  std::string notMap = "not an object";
  std::string notArray = "not an array";
  std::string notUint = "not an unsigned integer";
  std::string notText = "not a string";
  std::string notBool = "not true or false";
  std::string unknownKey = "unknown field";
  std::string items = "items";  // "more than 64 items"
  // Whether a required field given as null is "missing" (request bodies) or
  // a value of the wrong type (catalogues, bundles).
  bool nullIsMissing = false;
};

// What a text field must be.
struct TextRule {
  std::size_t maxBytes = 4096;
  bool allowEmpty = false;
  bool requireUtf8 = true;
  // nullopt: "longer than N bytes".
  std::optional<std::string> tooLong;
};

// The first error of one read, shared by the readers of nested maps.
class FieldErrors {
 public:
  explicit FieldErrors(Code code, Wording wording = {}) : code_(code), wording_(std::move(wording)) {}
  FieldErrors(const FieldErrors&) = delete;
  FieldErrors& operator=(const FieldErrors&) = delete;

  // Records "path: what" unless an error is already recorded.
  void fail(const std::string& path, std::string_view what) {
    if (error_) return;
    error_ = makeError(code_, (path.empty() ? wording_.root : path) + ": " + std::string(what));
  }
  // Records an error made elsewhere (a nested parse) unless one is recorded.
  void fail(Error e) {
    if (!error_) error_ = std::move(e);
  }
  bool ok() const { return !error_.has_value(); }
  Status status() const { return error_ ? Status(*error_) : Status::Ok(); }
  Code code() const { return code_; }
  const Wording& wording() const { return wording_; }

 private:
  Code code_;
  Wording wording_;
  std::optional<Error> error_;
};

// Checks of single nodes (list items, values found by hand); each records its
// error in `errors` and returns false when the node does not fit.
template <class N, class P>
bool readUint(FieldErrors& errors, const N& v, const P& path, std::uint64_t& out) {
  if (!errors.ok()) return false;
  if (!v.isUint()) return errors.fail(pathText(path), errors.wording().notUint), false;
  out = v.asUint();
  return true;
}

// A node may say its text was checked as UTF-8 already (a strictly decoded
// CBOR tape); others are checked here.
template <class N>
bool textIsCheckedUtf8(const N& v) {
  if constexpr (requires { v.textIsCheckedUtf8(); })
    return v.textIsCheckedUtf8();
  else
    return false;
}

template <class N, class P>
bool readText(FieldErrors& errors, const N& v, const P& path, std::string& out, const TextRule& rule) {
  if (!errors.ok()) return false;
  if (!v.isText()) return errors.fail(pathText(path), errors.wording().notText), false;
  const std::string_view s = v.asText();
  if (s.empty() && !rule.allowEmpty) return errors.fail(pathText(path), "empty"), false;
  if (s.size() > rule.maxBytes)
    return errors.fail(pathText(path),
                       rule.tooLong ? *rule.tooLong : "longer than " + std::to_string(rule.maxBytes) + " bytes"),
           false;
  if (rule.requireUtf8 && !textIsCheckedUtf8(v) && !isValidUtf8(s)) return errors.fail(pathText(path), "not valid UTF-8"), false;
  out.assign(s.data(), s.size());
  return true;
}

template <class N, class P>
bool readBool(FieldErrors& errors, const N& v, const P& path, bool& out) {
  if (!errors.ok()) return false;
  if (!v.isBool()) return errors.fail(pathText(path), errors.wording().notBool), false;
  out = v.asBool();
  return true;
}

template <class N, class P>
bool checkArray(FieldErrors& errors, const N& v, const P& path, std::size_t maxItems) {
  if (!errors.ok()) return false;
  if (!v.isArray()) return errors.fail(pathText(path), errors.wording().notArray), false;
  if (v.size() > maxItems)
    return errors.fail(pathText(path), "more than " + std::to_string(maxItems) + " " + errors.wording().items), false;
  return true;
}

// The fields of one map. A reader over a node that is not a map records
// notMap and reads nothing.
template <class N>
class FieldReader {
 public:
  FieldReader(FieldErrors& errors, const N& node, std::string path)
      : errors_(&errors), path_(std::move(path)) {
    if (!errors_->ok()) return;
    if (node.isMap())
      node_ = node;
    else
      errors_->fail(path_, errors_->wording().notMap);
  }

  FieldErrors& errors() const { return *errors_; }
  bool ok() const { return errors_->ok() && node_.has_value(); }
  Status status() const { return errors_->status(); }
  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return member(path_, key); }
  // at(key), made only if a check fails.
  auto lazyAt(std::string_view key) const {
    return [this, key] { return at(key); };
  }
  std::vector<std::string> keys() const { return node_ ? node_->keys() : std::vector<std::string>{}; }
  void fail(std::string_view key, std::string_view what) { errors_->fail(at(key), what); }

  // Every key must be one of `known` (a misspelt field is an error, not a
  // silently ignored one).
  void onlyKeys(std::initializer_list<std::string_view> known) {
    if (!ok()) return;
    for (const std::string& k : node_->keys())
      if (std::find(known.begin(), known.end(), k) == known.end()) return fail(k, errors_->wording().unknownKey);
  }

  // Absent and null are both "not given"; nothing is given after an error.
  std::optional<N> optional(std::string_view key) const {
    if (!ok()) return std::nullopt;
    auto m = node_->find(key);
    if (m && m->isNull()) return std::nullopt;
    return m;
  }
  // Absent is "missing"; null too when the wording says so, else the
  // value's own check rejects it.
  std::optional<N> required(std::string_view key) {
    if (!ok()) return std::nullopt;
    auto m = errors_->wording().nullIsMissing ? optional(key) : node_->find(key);
    if (!m) fail(key, errors_->wording().missing);
    return m;
  }

  void uint(std::string_view key, std::uint64_t& out) {
    if (auto v = required(key)) readUint(*errors_, *v, lazyAt(key), out);
  }
  void optionalUint(std::string_view key, std::optional<std::uint64_t>& out) {
    out.reset();
    auto v = optional(key);
    std::uint64_t u = 0;
    if (v && readUint(*errors_, *v, lazyAt(key), u)) out = u;
  }
  // A uint in lo..hi ("7 is not 1..5" otherwise).
  void uintIn(std::string_view key, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out) {
    std::uint64_t v = 0;
    uint(key, v);
    if (!ok()) return;
    if (v < lo || v > hi)
      return fail(key, std::to_string(v) + " is not " + std::to_string(lo) + ".." + std::to_string(hi));
    out = v;
  }
  void text(std::string_view key, std::string& out, const TextRule& rule) {
    if (auto v = required(key)) readText(*errors_, *v, lazyAt(key), out, rule);
  }
  // Absent or null leaves `out` empty.
  void optionalText(std::string_view key, std::string& out, const TextRule& rule) {
    out.clear();
    if (auto v = optional(key)) readText(*errors_, *v, lazyAt(key), out, rule);
  }
  void boolean(std::string_view key, bool& out) {
    if (auto v = required(key)) readBool(*errors_, *v, lazyAt(key), out);
  }
  // Absent or null leaves `out` as it is.
  void optionalBool(std::string_view key, bool& out) {
    if (auto v = optional(key)) readBool(*errors_, *v, lazyAt(key), out);
  }
  // A required array of at most maxItems; nullopt after an error.
  std::optional<N> array(std::string_view key, std::size_t maxItems) {
    auto v = required(key);
    if (!v || !checkArray(*errors_, *v, lazyAt(key), maxItems)) return std::nullopt;
    return v;
  }
  // An array that may be absent or null (then nullopt, without an error).
  std::optional<N> optionalArray(std::string_view key, std::size_t maxItems) {
    auto v = optional(key);
    if (!v || !checkArray(*errors_, *v, lazyAt(key), maxItems)) return std::nullopt;
    return v;
  }
  // Every item of an array found with array()/optionalArray(), read by
  // read(item, itemPath, T&) while no error is recorded.
  template <class T, class Read>
  void items(std::string_view key, const std::optional<N>& list, std::vector<T>& out, Read read) {
    out.clear();
    if (!list || !errors_->ok()) return;
    out.reserve(list->size());
    const std::string path = at(key);
    for (std::size_t i = 0; i < list->size() && errors_->ok(); ++i) {
      T value{};
      read(list->item(i), indexed(path, i), value);
      if (errors_->ok()) out.push_back(std::move(value));
    }
  }

  // items() for lists of plain values: read(item, path, T&) gets a function
  // that makes the item's path, so that a valid list builds none.
  template <class T, class Read>
  void valueItems(std::string_view key, const std::optional<N>& list, std::vector<T>& out, Read read) {
    out.clear();
    if (!list || !errors_->ok()) return;
    out.reserve(list->size());
    for (std::size_t i = 0; i < list->size() && errors_->ok(); ++i) {
      T value{};
      read(list->item(i), [this, key, i] { return indexed(at(key), i); }, value);
      if (errors_->ok()) out.push_back(std::move(value));
    }
  }

 private:
  FieldErrors* errors_;
  std::optional<N> node_;
  std::string path_;
};

}  // namespace titlecert::fields
