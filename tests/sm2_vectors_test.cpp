// SM2 and SM3 vectors (../shared/testdata/sm2-sm3) through titlecert::crypto
// alone: the SM2 standard-curve verify cases, both signature encodings, and
// the SM3 digests. Built natively (test_sm2) and for WebAssembly (label
// wasm), where the same asserts check the JavaScript backend.
#include <gtest/gtest.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/sm2_corpus.h"
#include "titlecert/bytes.h"
#include "titlecert/crypto.h"

namespace {

using nlohmann::json;
using titlecert::asText;
using titlecert::Bytes;
using titlecert::toHex;
using titlecert::testing::computeZ;
using titlecert::testing::hex;
using namespace titlecert::crypto;

json loadVectors() { return titlecert::testing::loadSm2Vectors(); }

}  // namespace

TEST(SM2Vectors, StandardCurve) {
  json doc = loadVectors();
  ASSERT_TRUE(doc.contains("testGroups"));
  std::size_t vectors = 0, pathsChecked = 0, totalInFile = 0;
  for (const json& group : doc["testGroups"]) {
    totalInFile += group["tests"].size();
    if (group["type"] != "Sm2Verify" || group["curve"] != "sm2p256v1") continue;
    auto key = PublicKey::fromRaw(Alg::SM2_SM3, hex(group["publicKey"]["uncompressed"]));
    ASSERT_TRUE(key.ok()) << key.error().detail;
    const Bytes groupUid = hex(group["uid"]);
    // Our SM3 reproduces the standard's Z for this key and ID.
    EXPECT_EQ(toHex(computeZ(doc["curves"]["sm2p256v1"], groupUid, group["publicKey"])),
              group["Z"].get<std::string>());

    for (const json& test : group["tests"]) {
      ++vectors;
      const int tcId = test["tcId"];
      const bool expectValid = test["result"] == "valid";
      const Bytes msg = hex(test["msg"]);
      const Bytes uid = test.contains("uidOverride") ? hex(test["uidOverride"]) : groupUid;
      const std::string_view id = asText(uid);
      if (test.contains("e")) {  // e = SM3(Z || M), where given
        Bytes zm = hex(group["Z"]);
        zm.insert(zm.end(), msg.begin(), msg.end());
        EXPECT_EQ(toHex(sm3(zm)), test["e"].get<std::string>()) << "tcId " << tcId;
      }

      if (test.contains("sigRaw")) {
        ++pathsChecked;
        EXPECT_EQ(key->verifySm2WithId(msg, hex(test["sigRaw"]), id).ok(), expectValid)
            << "tcId " << tcId << " r||s: " << test["comment"];
        if (id == kSm2DefaultId) {
          EXPECT_EQ(key->verify(msg, hex(test["sigRaw"])).ok(), expectValid) << "tcId " << tcId;
        }
      }
      if (test.contains("sig")) {
        ++pathsChecked;
        // DER path: a DER that the strict parser refuses counts as invalid.
        auto raw = derToRaw(hex(test["sig"]));
        const bool viaDer = raw.ok() && key->verifySm2WithId(msg, *raw, id).ok();
        EXPECT_EQ(viaDer, expectValid) << "tcId " << tcId << " DER: " << test["comment"];
        if (id == kSm2DefaultId) {
          EXPECT_EQ(key->verifyDer(msg, hex(test["sig"])).ok(), expectValid) << "tcId " << tcId;
        }
      }
    }
  }
  EXPECT_EQ(totalInFile, doc["numberOfTests"].get<std::size_t>());
  EXPECT_EQ(vectors, 16u);
  std::cout << "[corpus] sm2 standard curve: " << vectors << " vectors, " << pathsChecked
            << " signature encodings (r||s and DER) checked\n";
}

TEST(SM3Vectors, Digest) {
  json doc = loadVectors();
  ASSERT_TRUE(doc.contains("sm3"));
  std::size_t vectors = 0;
  for (const json& test : doc["sm3"]["tests"]) {
    ++vectors;
    EXPECT_EQ(toHex(sm3(hex(test["msg"]))), test["digest"].get<std::string>()) << "tcId " << test["tcId"];
  }
  EXPECT_EQ(vectors, doc["sm3"]["tests"].size());
  EXPECT_GE(vectors, 4u);
  std::cout << "[corpus] sm3: " << vectors << " vectors\n";
}

