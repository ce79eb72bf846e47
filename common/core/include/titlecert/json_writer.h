// A small JSON writer (RFC 8259), output only: compact, UTF-8 text as is,
// keys in the order written. What a verifier needs to print its answer,
// without a JSON library on a terminal.
//
// Text that is not well-formed UTF-8 is written with U+FFFD in place of each
// ill-formed sequence (the same bytes nlohmann-json writes with its
// `replace` handler, so outputs stay byte-for-byte as before).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace titlecert::json {

// Appends s as a JSON string: quoted, with ", \ and control characters
// escaped (\b \f \n \r \t, else \u00xx).
void appendQuoted(std::string& out, std::string_view s);

// Builds one JSON value. Inside an object, every value follows a key().
class Writer {
 public:
  Writer& beginObject();
  Writer& endObject();
  Writer& beginArray();
  Writer& endArray();
  Writer& key(std::string_view name);
  Writer& text(std::string_view s);
  Writer& number(std::uint64_t n);
  Writer& number(std::int64_t n);
  Writer& boolean(bool b);
  Writer& null();

  // key(name) then the value, for the common case.
  Writer& field(std::string_view name, std::string_view s) { return key(name).text(s); }
  Writer& field(std::string_view name, const char* s) { return key(name).text(s); }
  Writer& field(std::string_view name, const std::string& s) { return key(name).text(s); }
  Writer& field(std::string_view name, std::uint64_t n) { return key(name).number(n); }
  Writer& field(std::string_view name, bool b) { return key(name).boolean(b); }

  const std::string& str() const { return out_; }

 private:
  void beforeValue();
  std::string out_;
  // Per open container: true until its first member is written.
  std::vector<bool> first_;
  bool afterKey_ = false;
};

}  // namespace titlecert::json
