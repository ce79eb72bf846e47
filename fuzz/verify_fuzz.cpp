// libFuzzer target: the verifier over untrusted scanned text. The first byte
// picks how the rest is used: as the whole text (prefix and Base45 parsing),
// or as COSE bytes behind a correct "ZC1:" + Base45 (to reach the CBOR, COSE
// and claims layers). Invariants: never valid without a trusted signature
// (the fuzzer cannot forge one), and a result code from the table.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "support/world.h"
#include "titlecert/base45.h"
#include "titlecert/verifier.h"

namespace {

const titlecert::verifier::Verifier& verifier() {
  using namespace titlecert::testing;
  static const auto v = *titlecert::verifier::Verifier::create(world().signedBundle(), world().root.publicKey());
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string text = data[0] & 1 ? "ZC1:" + titlecert::base45::encode(titlecert::asBytes(rest)) : std::string(rest);
  const auto outcome = verifier().verify(text, titlecert::testing::kNow);
  if (outcome.valid() || static_cast<int>(outcome.code) > static_cast<int>(titlecert::Code::HOLDER_MISMATCH)) {
    std::fprintf(stderr, "unexpected verdict %s\n", std::string(titlecert::codeName(outcome.code)).c_str());
    std::abort();
  }
  return 0;
}
