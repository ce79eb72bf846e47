// Bundle deltas: the rebuilt bundle equals the new one byte for byte, the
// delta is a small part of it, and a delta for another base, a forged one
// or one going back in version is refused.
#include <gtest/gtest.h>

#include "support/world.h"
#include "titlecert/bundle.h"
#include "titlecert/bundle_delta.h"
#include "titlecert/cbor.h"
#include "titlecert/cose.h"
#include "titlecert/verifier.h"

namespace titlecert::bundle {
namespace {

using titlecert::testing::world;

Bytes signedWith(const Contents& c) { return sign(c, world().root).value(); }

// The next version of the world's bundle: new revocations for every listed
// issuer and an issuer key replaced.
Contents nextVersion() {
  Contents c = world().contents;
  c.version += 1;
  c.issuedAt += 86400;
  c.nextUpdate += 86400;
  for (auto& list : c.revocation) {
    std::vector<std::uint64_t> revoked;
    for (std::uint64_t i = 0; i < list.issued(); ++i)
      if (list.status(i) == revocation::Status::kRevoked) revoked.push_back(i);
    revoked.push_back(list.issued() - 1);
    revoked.push_back(list.issued() / 2 + 1);
    list = makeStatusList(list.iss, list.issued(), revoked).value();
  }
  c.issuers.back().key = crypto::PrivateKey::generate(crypto::Alg::EdDSA).value().publicKey();
  return c;
}

TEST(BundleDelta, RebuildsTheNewBundleByteForByteFromASmallDelta) {
  const Bytes oldBundle = world().signedBundle();
  const Bytes newBundle = signedWith(nextVersion());
  auto delta = makeDelta(oldBundle, newBundle, world().root);
  ASSERT_TRUE(delta.ok()) << delta.error().detail;
  auto rebuilt = applyDelta(oldBundle, *delta, world().root.publicKey());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().detail;
  EXPECT_EQ(*rebuilt, newBundle);
  EXPECT_LT(delta->size() * 10, newBundle.size()) << delta->size() << " of " << newBundle.size();
  RecordProperty("delta_bytes", static_cast<int>(delta->size()));
  RecordProperty("bundle_bytes", static_cast<int>(newBundle.size()));
  auto verifier = verifier::Verifier::create(*rebuilt, world().root.publicKey());
  ASSERT_TRUE(verifier.ok());
  EXPECT_EQ(verifier->contents().version, world().contents.version + 1);
}

TEST(BundleDelta, AnUnchangedCatalogueCostsNothingButTheChanges) {
  const Bytes oldBundle = world().signedBundle();
  Contents next = world().contents;
  next.version += 1;
  const Bytes newBundle = signedWith(next);
  auto delta = makeDelta(oldBundle, newBundle, world().root).value();
  EXPECT_LT(delta.size(), 400u);
  EXPECT_EQ(applyDelta(oldBundle, delta, world().root.publicKey()).value(), newBundle);
}

TEST(BundleDelta, ADeltaForAnotherBaseIsRefused) {
  const Bytes oldBundle = world().signedBundle();
  const Bytes newBundle = signedWith(nextVersion());
  const Bytes delta = makeDelta(oldBundle, newBundle, world().root).value();
  Contents other = world().contents;
  other.nextUpdate += 1;  // same version, other bytes
  auto rebuilt = applyDelta(signedWith(other), delta, world().root.publicKey());
  EXPECT_EQ(rebuilt.code(), Code::BAD_BUNDLE);
  EXPECT_NE(rebuilt.error().detail.find("another bundle"), std::string::npos) << rebuilt.error().detail;
}

TEST(BundleDelta, AForgedDeltaIsRefused) {
  const Bytes oldBundle = world().signedBundle();
  const Bytes newBundle = signedWith(nextVersion());
  Bytes delta = makeDelta(oldBundle, newBundle, world().root).value();
  for (std::size_t at : {delta.size() / 2, delta.size() - 3}) {  // an edit, the signature
    Bytes forged = delta;
    forged[at] ^= 0x01;
    EXPECT_EQ(applyDelta(oldBundle, forged, world().root.publicKey()).code(), Code::BAD_BUNDLE) << at;
  }
  // Signed by another key that is not the pinned root.
  auto other = crypto::PrivateKey::generate(world().root.alg()).value();
  const Bytes byOther = makeDelta(oldBundle, newBundle, other).value();
  EXPECT_EQ(applyDelta(oldBundle, byOther, world().root.publicKey()).code(), Code::BAD_BUNDLE);
  EXPECT_EQ(applyDelta(oldBundle, Bytes{0x01, 0x02}, world().root.publicKey()).code(), Code::BAD_BUNDLE);
}

TEST(BundleDelta, RollbackIsRefused) {
  const Bytes current = world().signedBundle();
  Contents older = world().contents;
  older.version -= 1;
  const Bytes olderBundle = signedWith(older);
  EXPECT_EQ(makeDelta(current, olderBundle, world().root).code(), Code::BUNDLE_ROLLBACK);
  EXPECT_EQ(makeDelta(current, current, world().root).code(), Code::BUNDLE_ROLLBACK);
  // A root-signed delta that goes back (never made by makeDelta) is refused
  // before it is applied.
  auto key = [](const char* k) { return cbor::Value::text(k); };
  const auto payload = cbor::Value::map({
      {key("format"), cbor::Value::text("titlecert-bundle-delta/1")},
      {key("from_sha256"), cbor::Value::bytes(crypto::sha256(current))},
      {key("from_version"), cbor::Value::uint(world().contents.version)},
      {key("to_sha256"), cbor::Value::bytes(crypto::sha256(olderBundle))},
      {key("to_version"), cbor::Value::uint(older.version)},
      {key("to_size"), cbor::Value::uint(olderBundle.size())},
      {key("ops"), cbor::Value::array({cbor::Value::bytes(olderBundle)})},
  });
  const Bytes back = cose::sign(world().root, cbor::encode(payload)).value();
  EXPECT_EQ(applyDelta(current, back, world().root.publicKey()).code(), Code::BUNDLE_ROLLBACK);
}

}  // namespace
}  // namespace titlecert::bundle
