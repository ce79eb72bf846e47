// Field access for one catalogue row, over a node type N (CborNode,
// JsonNode); the form-specific parts are in Form<N>.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalogue_form/common.h"
#include "titlecert/bytes.h"

namespace titlecert::catalogue::reading {

// What differs between the forms: map checks, title keys and the sources
// table (JSON only). Specialised next to each node type.
template <class N>
struct Form;

// ---- Field access ----------------------------------------------------------

// One object (a row), with its path for error details.
template <class N>
class Obj {
 public:
  Obj(N node, std::string path) : n_(node), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return member(path_, key); }
  std::vector<std::string> keys() const { return n_.keys(); }

  // Absent and null are both "not given".
  std::optional<N> opt(std::string_view key) const {
    auto m = n_.find(key);
    if (m && m->isNull()) return std::nullopt;
    return m;
  }
  Result<N> required(std::string_view key) const {
    auto m = n_.find(key);
    if (!m) return bad(at(key), "missing");
    return *m;
  }

  Status uint(std::string_view key, std::uint64_t& out) const {
    TC_ASSIGN(N v, required(key));
    return readUint(v, at(key), out);
  }
  Status optionalUint(std::string_view key, std::optional<std::uint64_t>& out) const {
    out.reset();
    auto v = opt(key);
    if (!v) return Status::Ok();
    std::uint64_t u = 0;
    TC_TRY(readUint(*v, at(key), u));
    out = u;
    return Status::Ok();
  }
  Status text(std::string_view key, std::string& out) const {
    TC_ASSIGN(N v, required(key));
    return readText(v, at(key), out);
  }
  Status optionalText(std::string_view key, std::string& out) const {
    out.clear();
    auto v = opt(key);
    if (!v) return Status::Ok();
    return readText(*v, at(key), out);
  }
  Status names(Names& out) const {
    TC_TRY(text("zh", out.zh));
    return text("en", out.en);
  }
  Result<N> array(std::string_view key, std::size_t maxItems) const {
    TC_ASSIGN(N v, required(key));
    return checkArray(v, at(key), maxItems);
  }
  Status provenance(Provenance& out) const {
    TC_ASSIGN(N list, array("source", kMaxSourceIds));
    if (list.size() == 0) return bad(at("source"), "no source ids");
    out.source.clear();
    out.source.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string id;
      TC_TRY(readText(list.item(i), indexed(at("source"), i), id));
      out.source.push_back(std::move(id));
    }
    TC_TRY(text("confidence", out.confidence));
    if (!oneOf(kConfidences, out.confidence))
      return bad(at("confidence"), "\"" + out.confidence + "\" is not confirmed, inferred or unconfirmed");
    return Status::Ok();
  }

  static Status readUint(const N& v, const std::string& path, std::uint64_t& out) {
    if (!v.isUint()) return bad(path, "not an unsigned integer");
    out = v.asUint();
    return Status::Ok();
  }
  static Status readText(const N& v, const std::string& path, std::string& out) {
    if (!v.isText()) return bad(path, "not a string");
    const std::string& s = v.asText();
    if (s.empty()) return bad(path, "empty");
    if (s.size() > kMaxText) return bad(path, "longer than " + std::to_string(kMaxText) + " bytes");
    if (!isValidUtf8(s)) return bad(path, "not valid UTF-8");
    out = s;
    return Status::Ok();
  }
  static Result<N> checkArray(const N& v, const std::string& path, std::size_t maxItems) {
    if (!v.isArray()) return bad(path, "not an array");
    if (v.size() > maxItems) return bad(path, "more than " + std::to_string(maxItems) + " items");
    return v;
  }

 private:
  N n_;
  std::string path_;
};

template <class N>
Result<Obj<N>> object(const N& n, const std::string& path) {
  if (!n.isMap()) return bad(path, "not an object");
  TC_TRY(Form<N>::checkRowMap(n, path));
  return Obj<N>(n, path);
}

// A table: a required array of objects, each read by `read`.
template <class N, class T, class Read>
Status readTable(const Obj<N>& parent, std::string_view key, std::size_t maxItems, std::vector<T>& out, Read read) {
  TC_ASSIGN(N list, parent.array(key, maxItems));
  out.clear();
  out.reserve(list.size());
  const std::string path = parent.at(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    TC_ASSIGN(Obj<N> row, object(list.item(i), indexed(path, i)));
    T value;
    TC_TRY(read(row, value));
    out.push_back(std::move(value));
  }
  return Status::Ok();
}

}  // namespace titlecert::catalogue::reading
