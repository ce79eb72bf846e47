// A small JSON writer (RFC 8259), output only: compact, UTF-8 text as is,
// keys in the order written. What a verifier needs to print its answer,
// without a JSON library on a terminal.
//
// Text that is not well-formed UTF-8 is written with U+FFFD in place of each
// ill-formed sequence (the same bytes nlohmann-json writes with its
// `replace` handler, so outputs stay byte-for-byte as before).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace titlecert::json {

// Appends s as a JSON string: quoted, with ", \ and control characters
// escaped (\b \f \n \r \t, else \u00xx).
void appendQuoted(std::string& out, std::string_view s);

// Builds one JSON value, into a string of its own or appended to the
// caller's (which then keeps its capacity from one value to the next).
// Inside an object, every value follows a key().
class Writer {
 public:
  Writer() : out_(&own_) {}
  explicit Writer(std::string& appendTo) : out_(&appendTo) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

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

  // What was written (all of the caller's string when appending to one).
  const std::string& str() const { return *out_; }

 private:
  void beforeValue();
  void afterValue() { memberWritten_ = true; }
  void open(char bracket);
  void close(char bracket);
  std::string own_;
  std::string* out_;
  // Open containers, and whether the innermost has a member yet (the next
  // one then needs a comma); a container's members are written before the
  // next sibling, so one flag for the innermost is enough.
  std::size_t depth_ = 0;
  bool memberWritten_ = false;
  bool afterKey_ = false;
};

}  // namespace titlecert::json
