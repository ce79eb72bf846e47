// Wycheproof conformance (C2SP/wycheproof testvectors_v1, see
// testdata/wycheproof/PROVENANCE.md): every test of every group must get its
// verdict from titlecert::crypto.
//
// "acceptable" vectors (legal but dubious encodings) are treated as
// must-reject: titlecert's verify is strict by contract (fixed-size r||s,
// strict DER). The snapshot holds none; the count is printed either way, so
// a future snapshot that adds some fails here visibly rather than silently.
#include <gtest/gtest.h>

#include "support/corpus.h"

#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "titlecert/bytes.h"
#include "titlecert/crypto.h"

namespace {

using nlohmann::json;
using titlecert::Bytes;
using titlecert::ByteView;
using namespace titlecert::crypto;

json loadVectors(const std::string& file) { return titlecert::testing::loadCorpus("wycheproof/testvectors_v1/" + file); }

Bytes hex(const json& value) { return titlecert::testing::corpusHex(value); }

struct Tally {
  std::size_t checked = 0, valid = 0, invalid = 0, acceptable = 0;
};

// Verifies one signature with the group's key; true when it verifies.
using VerifyFn = std::function<bool(const PublicKey&, ByteView msg, ByteView sig, const json& test)>;

// Loads the group's key from its SPKI DER and checks that the raw form gives
// the same key (our SPKI must equal Wycheproof's: named curve, uncompressed).
PublicKey groupKey(const json& group, Alg alg) {
  auto fromDer = PublicKey::fromSpkiDer(hex(group["publicKeyDer"]));
  EXPECT_TRUE(fromDer.ok()) << "publicKeyDer rejected";
  const json& pk = group["publicKey"];
  auto fromRaw = PublicKey::fromRaw(alg, hex(alg == Alg::EdDSA ? pk["pk"] : pk["uncompressed"]));
  EXPECT_TRUE(fromRaw.ok()) << "raw public key rejected";
  if (fromDer.ok() && fromRaw.ok()) {
    EXPECT_EQ(fromDer->spkiDer(), hex(group["publicKeyDer"]));
    EXPECT_EQ(fromDer->kid(), fromRaw->kid());
    EXPECT_EQ(fromDer->alg(), alg);
  }
  return std::move(fromDer).value();
}

Tally runCorpus(const std::string& file, Alg alg, const VerifyFn& verify) {
  Tally tally;
  json doc = loadVectors(file);
  if (!doc.contains("testGroups")) return tally;
  for (const json& group : doc["testGroups"]) {
    auto key = groupKey(group, alg);
    for (const json& test : group["tests"]) {
      const std::string result = test["result"];
      const int tcId = test["tcId"];
      const bool verified = verify(key, hex(test["msg"]), hex(test["sig"]), test);
      ++tally.checked;
      if (result == "valid") {
        ++tally.valid;
        EXPECT_TRUE(verified) << file << " tcId " << tcId << " (valid) rejected: " << test["comment"];
      } else if (result == "invalid") {
        ++tally.invalid;
        EXPECT_FALSE(verified) << file << " tcId " << tcId << " (invalid) accepted: " << test["comment"];
      } else {
        EXPECT_EQ(result, "acceptable") << "unknown result in tcId " << tcId;
        ++tally.acceptable;
        EXPECT_FALSE(verified) << file << " tcId " << tcId << " (acceptable, strict: must reject) accepted, flags "
                               << test["flags"];
      }
    }
  }
  EXPECT_EQ(tally.checked, doc["numberOfTests"].get<std::size_t>()) << file << ": not every vector was run";
  return tally;
}

void report(const char* name, const Tally& t) {
  std::cout << "[corpus] wycheproof " << name << ": " << t.checked << " vectors (" << t.valid << " valid, "
            << t.invalid << " invalid, " << t.acceptable << " acceptable -> treated as must-reject)\n";
}

TEST(Wycheproof, Ed25519) {
  auto tally = runCorpus("ed25519_test.json", Alg::EdDSA,
                         [](const PublicKey& key, ByteView msg, ByteView sig, const json&) {
                           return key.verify(msg, sig).ok();
                         });
  report("ed25519", tally);
  EXPECT_EQ(tally.checked, 151u);
}

TEST(Wycheproof, EcdsaP256Sha256P1363) {
  auto tally = runCorpus("ecdsa_secp256r1_sha256_p1363_test.json", Alg::ES256,
                         [](const PublicKey& key, ByteView msg, ByteView sig, const json& test) {
                           auto status = key.verify(msg, sig);
                           // Any r||s that is not exactly 64 bytes is malformed
                           // by construction: Wycheproof must call it invalid
                           // and we must say BAD_SIGNATURE.
                           if (sig.size() != kSignatureSize) {
                             EXPECT_EQ(test["result"], "invalid") << "tcId " << test["tcId"];
                             EXPECT_EQ(status.code(), titlecert::Code::BAD_SIGNATURE);
                           }
                           return status.ok();
                         });
  report("ecdsa p256 sha256 p1363", tally);
  EXPECT_EQ(tally.checked, 262u);
}

TEST(Wycheproof, EcdsaP256Sha256Der) {
  std::size_t rejectedByStrictDer = 0;
  auto tally = runCorpus("ecdsa_secp256r1_sha256_test.json", Alg::ES256,
                         [&](const PublicKey& key, ByteView msg, ByteView sig, const json&) {
                           auto viaDer = key.verifyDer(msg, sig);
                           // The other path, derToRaw + verify, must agree.
                           auto raw = derToRaw(sig);
                           if (!raw.ok()) ++rejectedByStrictDer;
                           bool viaRaw = raw.ok() && key.verify(msg, *raw).ok();
                           EXPECT_EQ(viaDer.ok(), viaRaw);
                           return viaDer.ok();
                         });
  report("ecdsa p256 sha256 der", tally);
  std::cout << "[corpus]   of which " << rejectedByStrictDer << " rejected already by the strict DER parser\n";
  EXPECT_EQ(tally.checked, 484u);
}

}  // namespace
