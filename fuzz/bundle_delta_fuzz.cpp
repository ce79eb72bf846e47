// libFuzzer target: bundle deltas. A terminal reads deltas from files and
// networks, so the COSE parse must refuse anything the fuzzer makes (it
// cannot sign with the root). The header and edit reader behind the
// signature are reached by signing the input as a delta's payload with the
// test world's root: whatever it says, the result must be refused unless it
// rebuilds exactly the bundle it names.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "support/world.h"
#include "titlecert/bundle.h"
#include "titlecert/bundle_delta.h"
#include "titlecert/cose.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace titlecert;
  const auto& w = testing::world();
  static const Bytes base = w.signedBundle();
  const ByteView bytes(data, size);
  if (bundle::applyDelta(base, bytes, w.root.publicKey()).ok()) {
    std::fprintf(stderr, "a delta the fuzzer made was accepted\n");
    std::abort();
  }
  if (size > 64 * 1024) return 0;
  auto signedDelta = cose::sign(w.root, bytes);
  if (!signedDelta) return 0;
  if (auto rebuilt = bundle::applyDelta(base, *signedDelta, w.root.publicKey())) {
    // Only possible when the input names the digest of what it rebuilds.
    if (rebuilt->size() > bundle::kMaxBundleBytes) std::abort();
  }
  return 0;
}
