// The SM2/SM3 corpus (../shared/testdata/sm2-sm3): its loader and the Z
// value of GB/T 32918.2, shared by the OpenSSL-only SM2 tests and the
// vector tests that also run in the WebAssembly build.
#pragma once

#include <nlohmann/json.hpp>

#include "support/corpus.h"
#include "titlecert/bytes.h"
#include "titlecert/crypto.h"

namespace titlecert::testing {

inline nlohmann::json loadSm2Vectors() { return loadCorpus("sm2-sm3/sm2_sm3_vectors.json"); }

inline Bytes hex(const nlohmann::json& value) { return corpusHex(value); }

// Z = SM3(ENTL || ID || a || b || Gx || Gy || xA || yA), GB/T 32918.2 §5.5.
inline Bytes computeZ(const nlohmann::json& curve, ByteView uid, const nlohmann::json& publicKey) {
  Bytes in;
  const std::size_t bits = uid.size() * 8;
  in.push_back(static_cast<std::uint8_t>(bits >> 8));
  in.push_back(static_cast<std::uint8_t>(bits & 0xff));
  in.insert(in.end(), uid.begin(), uid.end());
  for (const char* f : {"a", "b", "gx", "gy"}) {
    Bytes v = hex(curve[f]);
    in.insert(in.end(), v.begin(), v.end());
  }
  for (const char* f : {"wx", "wy"}) {
    Bytes v = hex(publicKey[f]);
    in.insert(in.end(), v.begin(), v.end());
  }
  return crypto::sm3(in);
}

}  // namespace titlecert::testing
