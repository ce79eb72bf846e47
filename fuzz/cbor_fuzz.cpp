// libFuzzer target for the CBOR decoder and encoder (common/format/src/cbor.cpp).
//
// Beyond "no crash, no leak, no UB" it checks the invariants that the rest of
// titlecert relies on:
//  * general decode succeeds => the deterministic re-encoding decodes to an
//    equal value, and encoding is idempotent;
//  * strict (ZC1 profile) decode succeeds => general decode succeeds with an
//    equal value, and encode(value) reproduces the input byte for byte (the
//    profile admits exactly one encoding per value);
//  * every failure is BAD_CBOR with a detail naming an offset.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "titlecert/cbor.h"

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
  return 0;
}
