// libFuzzer target: trust-bundle loading. A terminal reads bundles from
// files and networks before it knows whether they are genuine, so the COSE
// parse, the strict CBOR decode and the contents reader (issuers, catalogue,
// status lists) must survive anything. open() must refuse everything the
// fuzzer makes (it cannot sign with the root).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "support/world.h"
#include "titlecert/bundle.h"
#include "titlecert/catalogue.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const titlecert::ByteView bytes(data, size);
  titlecert::crypto::Kid kid{};
  (void)titlecert::bundle::decodeUnverified(bytes, kid);
  if (auto value = titlecert::cbor::decode(bytes)) (void)titlecert::catalogue::fromCbor(*value);
  if (titlecert::bundle::open(bytes, titlecert::testing::world().root.publicKey()).ok()) {
    std::fprintf(stderr, "a bundle the fuzzer made was accepted\n");
    std::abort();
  }
  return 0;
}
