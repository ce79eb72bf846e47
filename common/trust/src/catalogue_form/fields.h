// Field access for the catalogue's rows, over a node type N (CborNode,
// JsonNode): the one field reader (titlecert/field_reader.h) with the
// catalogue's wording, plus the fields every row kind shares. The
// form-specific parts are in Form<N>.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalogue_form/common.h"
#include "titlecert/field_reader.h"

namespace titlecert::catalogue::reading {

// What differs between the forms: map checks, title keys and the sources
// table (JSON only). Specialised next to each node type; each records its
// first error in the FieldErrors it is given.
template <class N>
struct Form;

// One object (a row) of the catalogue, with its path for error details.
template <class N>
using Row = fields::FieldReader<N>;

// The catalogue's words for what a field is not; its tests pin them.
inline fields::Wording catalogueWording() {
  fields::Wording w;
  w.root = "(catalogue)";
  w.notBool = "not a boolean";
  return w;
}

// Every text field: non-empty UTF-8 of at most kMaxText bytes.
inline const fields::TextRule kTextRule = [] {
  fields::TextRule rule;
  rule.maxBytes = kMaxText;
  return rule;
}();

// A row at `path`: a map, which the form checks further (CBOR: text keys,
// each once).
template <class N>
Row<N> rowAt(fields::FieldErrors& errors, const N& node, const std::string& path) {
  Row<N> row(errors, node, path);
  if (row.ok()) Form<N>::checkRowMap(errors, node, path);
  return row;
}

template <class N>
void readTextItems(Row<N>& row, std::string_view key, const std::optional<N>& list, std::vector<std::string>& out) {
  row.valueItems(key, list, out, [&](const N& v, const auto& path, std::string& text) {
    fields::readText(row.errors(), v, path, text, kTextRule);
  });
}

template <class N>
void readUintItems(Row<N>& row, std::string_view key, const std::optional<N>& list, std::vector<std::uint64_t>& out) {
  row.valueItems(key, list, out,
                 [&](const N& v, const auto& path, std::uint64_t& code) { fields::readUint(row.errors(), v, path, code); });
}

template <class N>
void readNames(Row<N>& row, Names& out) {
  row.text("zh", out.zh, kTextRule);
  row.text("en", out.en, kTextRule);
}

template <class N>
void readProvenance(Row<N>& row, Provenance& out) {
  auto list = row.array("source", kMaxSourceIds);
  if (list && list->size() == 0) row.fail("source", "no source ids");
  readTextItems(row, "source", list, out.source);
  row.text("confidence", out.confidence, kTextRule);
  if (row.ok() && !oneOf(kConfidences, out.confidence))
    row.fail("confidence", "\"" + out.confidence + "\" is not confirmed, inferred or unconfirmed");
}

// A table: a required array of rows, each read by read(Row<N>&, T&).
template <class N, class T, class Read>
void readTable(Row<N>& parent, std::string_view key, std::size_t maxItems, std::vector<T>& out, Read read) {
  auto list = parent.array(key, maxItems);
  parent.items(key, list, out, [&](const N& v, const std::string& path, T& value) {
    Row<N> row = rowAt(parent.errors(), v, path);
    if (row.ok()) read(row, value);
  });
}

}  // namespace titlecert::catalogue::reading
