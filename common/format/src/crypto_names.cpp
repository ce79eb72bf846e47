// The COSE algorithm identifiers and their names (ZC1.md §2): plain C++,
// shared by the OpenSSL build and the WebAssembly build (src/wasm/).
#include "titlecert/crypto.h"

#include <string>

namespace titlecert::crypto {

bool algFromCose(std::int64_t value, Alg& out) {
  switch (value) {
    case static_cast<std::int64_t>(Alg::EdDSA): out = Alg::EdDSA; return true;
    case static_cast<std::int64_t>(Alg::ES256): out = Alg::ES256; return true;
    case static_cast<std::int64_t>(Alg::SM2_SM3): out = Alg::SM2_SM3; return true;
    default: return false;
  }
}

std::string_view algName(Alg alg) {
  switch (alg) {
    case Alg::EdDSA: return "EdDSA";
    case Alg::ES256: return "ES256";
    case Alg::SM2_SM3: return "SM2-SM3";
  }
  return "";
}

Result<Alg> algFromName(std::string_view name) {
  for (Alg a : {Alg::EdDSA, Alg::ES256, Alg::SM2_SM3})
    if (algName(a) == name) return a;
  return makeError(Code::INVALID_ARGUMENT, "\"" + std::string(name.substr(0, 40)) + "\" is not EdDSA, ES256 or SM2-SM3");
}

bool algFromName(std::string_view name, Alg& out) {
  auto a = algFromName(name);
  if (a) out = *a;
  return a.ok();
}

}  // namespace titlecert::crypto
