// libFuzzer target for the CBOR decoder and encoder (common/format/src/cbor.cpp).
//
// Beyond "no crash, no leak, no UB" it checks the invariants that the rest of
// titlecert relies on:
//  * general decode succeeds => the deterministic re-encoding decodes to an
//    equal value, and encoding is idempotent;
//  * strict (ZC1 profile) decode succeeds => general decode succeeds with an
//    equal value, and encode(value) reproduces the input byte for byte (the
//    profile admits exactly one encoding per value);
//  * every failure is BAD_CBOR with a detail naming an offset;
//  * the tape (cbor_tape.h) fails exactly when decode does, with the same
//    detail, and its node answers every field-reader question as the Value
//    tree's node does (the bundle reader relies on the two agreeing).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "titlecert/cbor.h"
#include "titlecert/cbor_node.h"
#include "titlecert/cbor_tape.h"

namespace {

using titlecert::ByteView;
using titlecert::Bytes;
using titlecert::Code;
namespace cbor = titlecert::cbor;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

void checkFailure(const titlecert::Result<cbor::Value>& r) {
  check(r.code() == Code::BAD_CBOR, "failure code is BAD_CBOR");
  check(r.error().detail.find(" at offset ") != std::string::npos, "failure detail names an offset");
}

// Bounded by the decoder's nesting limit, as the tape is.
void sameNode(const cbor::TapeNode& t, const cbor::Node& v) {
  check(t.isMap() == v.isMap() && t.isArray() == v.isArray() && t.isNull() == v.isNull(), "tape node type");
  check(t.isBool() == v.isBool() && (!t.isBool() || t.asBool() == v.asBool()), "tape node bool");
  check(t.isUint() == v.isUint() && (!t.isUint() || t.asUint() == v.asUint()), "tape node uint");
  std::int64_t ti = 0, vi = 0;
  check(t.asInt64(ti) == v.asInt64(vi) && ti == vi, "tape node int64");
  check(t.isText() == v.isText() && (!t.isText() || t.asText() == v.asText()), "tape node text");
  check(t.isBytes() == v.isBytes() && (!t.isBytes() || std::equal(t.asBytes().begin(), t.asBytes().end(),
                                                                   v.asBytes().begin(), v.asBytes().end())),
        "tape node bytes");
  if (t.isArray()) {
    check(t.size() == v.size(), "tape node array size");
    for (std::size_t i = 0; i < t.size(); ++i) sameNode(t.item(i), v.item(i));
  }
  if (t.isMap()) {
    check(t.size() == v.size() && t.keys() == v.keys(), "tape node keys");
    for (const std::string& k : v.keys()) {
      const auto tv = t.find(k);
      check(tv.has_value(), "tape node finds every key");
      sameNode(*tv, *v.find(k));
    }
  }
}

void tape(ByteView input, const cbor::DecodeOptions& options) {
  const auto t = cbor::decodeTape(input, options);
  const auto v = cbor::decode(input, options);
  check(t.ok() == v.ok(), "tape decodes exactly when decode does");
  if (!t.ok()) {
    check(t.error().detail == v.error().detail, "tape fails with decode's detail");
    return;
  }
  for (const auto& it : t->items())
    if (it.ai == 31 && (it.type == cbor::Type::Bytes || it.type == cbor::Type::Text)) return;  // no single view
  sameNode(cbor::TapeNode(*t), cbor::Node(*v));
}

void general(ByteView input) {
  const auto v = cbor::decode(input);
  if (!v.ok()) return checkFailure(v);
  (void)cbor::diagnostic(*v);
  // The re-encoding is usually shorter (shortest heads, joined chunks) but
  // not always: an indefinite container of 256+ items (bf ... ff, 2 bytes of
  // framing) needs a 3-byte definite head. So no size invariant here.
  const Bytes once = cbor::encode(*v);
  const auto back = cbor::decode(once);
  check(back.ok(), "re-encoding decodes");
  check(*back == *v, "re-encoding decodes to an equal value");
  check(cbor::encode(*back) == once, "encoding is idempotent");
}

void strict(ByteView input) {
  const auto v = cbor::decode(input, cbor::zc1Profile());
  if (!v.ok()) return checkFailure(v);
  const Bytes again = cbor::encode(*v);
  check(again.size() == input.size() && std::equal(again.begin(), again.end(), input.begin()),
        "strict input is its own deterministic encoding");
  const auto loose = cbor::decode(input);
  check(loose.ok() && *loose == *v, "strict success implies general success with an equal value");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  general(input);
  strict(input);
  tape(input, {});
  tape(input, cbor::zc1Profile());
  return 0;
}
