// The verifier over a signed bundle: a tamper table with at least one input
// per result code, bundle-level refusals, warnings, holder binding,
// equivalence and recognition, display names, and thread sharing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "support/tamper_table.h"
#include "support/world.h"
#include "titlecert/base45.h"
#include "titlecert/cose.h"
#include "titlecert/verifier.h"

using namespace titlecert;
using namespace titlecert::testing;
using verifier::Verifier;

namespace {

const Verifier& sharedVerifier() {
  static const Verifier v = *Verifier::create(world().signedBundle(), world().root.publicKey());
  return v;
}

std::string forged(const std::string& text) {
  auto cose = *base45::decode(std::string_view(text).substr(4));
  cose[cose.size() - 5] ^= 0x40;  // inside the signature
  return "ZC1:" + base45::encode(cose);
}

}  // namespace

TEST(VerifierTamper, EveryResultCodeHasAnInputThatProducesExactlyIt) {
  const auto& v = sharedVerifier();
  const auto rows = tamperRows();
  std::set<Code> seen;
  for (const auto& row : rows) {
    verifier::VerifyOptions opts;
    opts.idNumber = row.id;
    const auto o = v.verify(row.text, kNow, opts);
    EXPECT_EQ(codeName(o.code), codeName(row.expected)) << row.name << ": " << o.detail;
    if (row.expected != Code::OK) {
      EXPECT_FALSE(o.valid()) << row.name;  // zero false accepts
    }
    seen.insert(o.code);
  }
  std::cout << "[table] verifier tamper rows: " << rows.size() << "\n";
  for (Code c : kTamperCodes) EXPECT_TRUE(seen.count(c)) << codeName(c) << " never produced";
}

TEST(VerifierTamper, AlgorithmSwapIsUnsupportedAlg) {
  // An ES256 header over the Ed25519 issuer key's kid (zc1_test covers
  // the same at the ZC1 layer; here through the bundle's keys).
  const auto& w = world();
  auto claims = *zc1::encodeClaims(sampleTitle());
  cbor::Writer h;
  h.mapHeader(2);
  h.uint(1);
  h.integer(-7);
  h.uint(4);
  h.bytes(w.homeEd.publicKey().kid());
  const Bytes protectedBytes = h.take();
  cbor::Writer m;
  m.tag(18);
  m.arrayHeader(4);
  m.bytes(protectedBytes);
  m.mapHeader(0);
  m.bytes(claims);
  m.bytes(*w.homeEd.sign(cose::sigStructure(protectedBytes, {}, claims)));
  EXPECT_EQ(sharedVerifier().verify("ZC1:" + base45::encode(m.data()), kNow).code, Code::UNSUPPORTED_ALG);
}

TEST(VerifierBundle, SignedByAnotherRootIsRefused) {
  auto other = *crypto::PrivateKey::generate(crypto::Alg::EdDSA);
  auto bytes = *bundle::sign(world().contents, other);
  auto v = Verifier::create(bytes, world().root.publicKey());
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.code(), Code::BAD_BUNDLE);
}

TEST(VerifierBundle, TamperedBundleIsRefused) {
  auto bytes = world().signedBundle();
  bytes[bytes.size() / 2] ^= 1;
  EXPECT_EQ(Verifier::create(bytes, world().root.publicKey()).code(), Code::BAD_BUNDLE);
}

// The world's bundle with one status list {"iss", "issued", "set"} in place
// of its own, signed by the root: only the contents reader can refuse it.
Result<Verifier> withStatusList(std::uint64_t issued, Bytes set) {
  cbor::Map top = bundle::toCbor(world().contents).asMap();
  for (auto& [key, value] : top)
    if (key.isText() && key.asText() == "revoked")
      value = cbor::Value::array({cbor::Value::map({{cbor::Value::text("iss"), cbor::Value::text(kHomeIss)},
                                                    {cbor::Value::text("issued"), cbor::Value::uint(issued)},
                                                    {cbor::Value::text("set"), cbor::Value::bytes(std::move(set))}})});
  return Verifier::create(*cose::sign(world().root, cbor::encode(cbor::Value::map(std::move(top)))),
                          world().root.publicKey());
}

TEST(VerifierBundle, StatusListCodecErrorsAreBadBundleNamingTheSet) {
  const Bytes good = bundle::makeStatusList(kHomeIss, 1000, {13})->revoked.encode();
  ASSERT_TRUE(withStatusList(1000, good).ok());
  Bytes trailing = good;
  trailing.push_back(0);
  for (const auto& [issued, set] : std::vector<std::pair<std::uint64_t, Bytes>>{
           {1000, trailing}, {1000, Bytes{}}, {1000, Bytes(good.begin(), good.end() - 1)}, {10, good},
           {bundle::kMaxStatusIssued + 1, good}}) {
    auto v = withStatusList(issued, set);
    ASSERT_FALSE(v.ok()) << "issued " << issued << ", " << set.size() << " bytes";
    EXPECT_EQ(v.code(), Code::BAD_BUNDLE);
    EXPECT_NE(v.error().detail.find("revoked[0]"), std::string::npos) << v.error().detail;
  }
}

TEST(VerifierBundle, LowerVersionThanSeenIsRollback) {
  EXPECT_EQ(Verifier::create(world().signedBundle(), world().root.publicKey(), 8).code(), Code::BUNDLE_ROLLBACK);
  EXPECT_TRUE(Verifier::create(world().signedBundle(), world().root.publicKey(), 7).ok());
}

TEST(VerifierBundle, RoundTripKeepsContents) {
  auto v = Verifier::create(world().signedBundle(), world().root.publicKey());
  ASSERT_TRUE(v.ok()) << v.error().detail;
  const auto& c = v->contents();
  EXPECT_EQ(c.version, 7u);
  EXPECT_EQ(c.issuers.size(), world().contents.issuers.size());
  EXPECT_EQ(c.issuers[3].scope.specialties, std::optional<std::vector<std::uint64_t>>(std::vector<std::uint64_t>{501}));
  ASSERT_NE(c.statusListFor(kHomeIss), nullptr);
  EXPECT_EQ(c.statusListFor(kHomeIss)->issued(), kHomeStatusIssued);
  EXPECT_EQ(c.statusListFor(kHomeIss)->status(13), revocation::Status::kRevoked);
  EXPECT_EQ(c.statusListFor(kHomeIss)->status(12), revocation::Status::kNotRevoked);
  EXPECT_EQ(c.statusListFor(kHomeIss)->revoked.revokedIndices(), std::vector<std::uint64_t>{13});
  EXPECT_EQ(c.catalogue.series.size(), 27u);
}

// The optional audit head: absent from the world's bundle, kept when
// present, and a malformed one is BAD_BUNDLE naming it.
TEST(VerifierBundle, AuditHeadIsOptionalAndKeptWhenPresent) {
  auto plain = Verifier::create(world().signedBundle(), world().root.publicKey());
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->contents().auditHead.has_value());
  bundle::Contents withHead = world().contents;
  withHead.auditHead = bundle::AuditHead{42, Bytes(32, 0xab)};
  auto v = Verifier::create(*bundle::sign(withHead, world().root), world().root.publicKey());
  ASSERT_TRUE(v.ok()) << v.error().detail;
  ASSERT_TRUE(v->contents().auditHead.has_value());
  EXPECT_EQ(*v->contents().auditHead, *withHead.auditHead);
  EXPECT_EQ(v->contents().issuers.size(), plain->contents().issuers.size());
}

Result<Verifier> withAuditHead(cbor::Value head) {
  cbor::Map top = bundle::toCbor(world().contents).asMap();
  top.emplace_back(cbor::Value::text("audit_head"), std::move(head));
  return Verifier::create(*cose::sign(world().root, cbor::encode(cbor::Value::map(std::move(top)))),
                          world().root.publicKey());
}

TEST(VerifierBundle, AMalformedAuditHeadIsBadBundleNamingIt) {
  auto text = [](const char* t) { return cbor::Value::text(t); };
  ASSERT_TRUE(withAuditHead(cbor::Value::map({{text("seq"), cbor::Value::uint(1)}, {text("hash"), cbor::Value::bytes(Bytes(32, 1))}})).ok());
  for (const cbor::Value& head : {cbor::Value::map({{text("seq"), cbor::Value::uint(1)}, {text("hash"), cbor::Value::bytes(Bytes(31, 1))}}),
                                  cbor::Value::map({{text("seq"), text("1")}, {text("hash"), cbor::Value::bytes(Bytes(32, 1))}}),
                                  cbor::Value::map({{text("seq"), cbor::Value::uint(1)}}),
                                  cbor::Value::map({{text("seq"), cbor::Value::uint(1)}, {text("hash"), cbor::Value::bytes(Bytes(32, 1))},
                                                    {text("extra"), cbor::Value::uint(0)}}),
                                  cbor::Value::uint(7)}) {
    auto v = withAuditHead(head);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.code(), Code::BAD_BUNDLE);
    EXPECT_NE(v.error().detail.find("audit_head"), std::string::npos) << v.error().detail;
  }
}

TEST(VerifierWarnings, StaleBundleWarnsButStillVerifies) {
  const auto o = sharedVerifier().verify(issueText(sampleTitle(), world().homeEd), kBundleNextUpdate + 1);
  EXPECT_EQ(o.code, Code::OK);
  EXPECT_EQ(o.warnings, std::vector<Code>{Code::BUNDLE_STALE});
}

TEST(VerifierWarnings, ClockBehindUsesTheBundleTime) {
  // A certificate with nbf just after the bundle was issued: a clock that
  // claims an earlier time is raised to the bundle's issued-at.
  auto c = sampleTitle();
  c.nbf = static_cast<std::uint64_t>(kBundleIssuedAt);
  const auto o = sharedVerifier().verify(issueText(c, world().homeEd), kBundleIssuedAt - 86400 * 365);
  EXPECT_EQ(o.code, Code::OK);
  EXPECT_EQ(o.warnings, std::vector<Code>{Code::CLOCK_BEHIND});
  EXPECT_EQ(o.effectiveNow, kBundleIssuedAt);
}

TEST(VerifierHolder, NoIdMeansNullAndBadIdIsInvalidArgument) {
  const auto text = issueText(sampleTitle(), world().homeEd);
  EXPECT_FALSE(sharedVerifier().verify(text, kNow).holderMatch.has_value());
  verifier::VerifyOptions bad;
  bad.idNumber = "CN:123";
  EXPECT_EQ(sharedVerifier().verify(text, kNow, bad).code, Code::INVALID_ARGUMENT);
}

TEST(VerifierDisplay, JsonCarriesContractFieldsWithNames) {
  const auto& v = sharedVerifier();
  verifier::VerifyOptions opts;
  opts.idNumber = kHolderId;
  const auto o = v.verify(issueText(sampleTitle(), world().home), kNow, opts);
  const auto j = nlohmann::json::parse(v.toJson(o, "text"));
  EXPECT_EQ(j["input"], "text");
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["code"], "OK");
  EXPECT_EQ(j["type"], "title");
  EXPECT_EQ(j["iss"], kHomeIss);
  EXPECT_EQ(j["cert_no"], "650100-2026-000001");
  EXPECT_EQ(j["holder_name"], "张三");
  EXPECT_EQ(j["holder_match"], true);
  EXPECT_EQ(j["series"]["code"], 5);
  EXPECT_EQ(j["specialty"]["zh"], "化工（含制药）");
  EXPECT_EQ(j["level"]["code"], 4);
  EXPECT_EQ(j["route"]["id"], "review");
  EXPECT_EQ(j["title_name"]["zh"], "高级工程师");
  EXPECT_EQ(j["title_name"]["en"], "Senior Engineer");
  EXPECT_EQ(j["grant_date"], "2026-11-20");
  EXPECT_TRUE(j["recognition"].is_null());
  EXPECT_TRUE(j["warnings"].empty());
  const std::string human = v.toHuman(o, verifier::Lang::Zh);
  for (const char* part : {"张三", "高级工程师", "工程", "化工（含制药）", "乌鲁木齐高新区人力资源和社会保障局", "2026-11-20"})
    EXPECT_NE(human.find(part), std::string::npos) << part << "\n" << human;
}

TEST(VerifierDisplay, FailedSignatureShowsNoFields) {
  const auto& v = sharedVerifier();
  const auto o = v.verify(forged(issueText(sampleTitle(), world().homeEd)), kNow);
  const auto j = nlohmann::json::parse(v.toJson(o, "3", verifier::Lang::En));
  EXPECT_EQ(j["code"], "BAD_SIGNATURE");
  EXPECT_TRUE(j["holder_name"].is_null());
  EXPECT_TRUE(j["cert_no"].is_null());
  EXPECT_NE(v.toHuman(o, verifier::Lang::En).find("invalid signature"), std::string::npos);
}

// A batch renders into strings it reuses: appendJson adds the same object
// toJson returns after whatever the string holds, and nothing else.
TEST(VerifierDisplay, AppendJsonAddsTheSameObjectAfterWhatIsThere) {
  const auto& v = sharedVerifier();
  const auto title = v.verify(issueText(sampleTitle(), world().home), kNow);
  const auto qualification = v.verify(issueText(sampleQualification(), world().homeEd), kNow);
  const auto forgedTitle = v.verify(forged(issueText(sampleTitle(), world().homeEd)), kNow);
  std::string out = "kept\n";
  for (const auto* o : {&title, &qualification, &forgedTitle}) {
    v.appendJson(out, *o, "7", verifier::Lang::En);
    out += '\n';
  }
  EXPECT_EQ(out, "kept\n" + v.toJson(title, "7", verifier::Lang::En) + "\n" +
                     v.toJson(qualification, "7", verifier::Lang::En) + "\n" +
                     v.toJson(forgedTitle, "7", verifier::Lang::En) + "\n");
}

TEST(VerifierEquivalence, SkillLevelYieldsItsCatalogueRowsOnly) {
  const auto& v = sharedVerifier();
  const auto o = v.verify(issueText(sampleQualification(), world().homeEd), kNow);
  ASSERT_EQ(o.code, Code::OK) << o.detail;
  ASSERT_FALSE(o.equivalences.empty());
  for (const auto& e : o.equivalences) {
    ASSERT_NE(e.row, nullptr);
    EXPECT_EQ(e.row->qualification, 201u);
    EXPECT_EQ(e.row->level, 3u);
  }
  const auto j = nlohmann::json::parse(v.toJson(o, "text"));
  EXPECT_EQ(j["equivalences"][0]["kind"], "eligible_to_apply");
  EXPECT_EQ(j["equivalences"][0]["level"], 2);
  EXPECT_EQ(j["equivalences"][0]["from_date"], "2025-06-30");  // 高级工 + 2 years
  EXPECT_EQ(j["equivalences"][0]["catalogue_row"], "bridge.electrician.senior_worker.assistant");

  auto none = sampleQualification();
  std::get<zc1::QualificationBody>(none.body).level = 5;  // 初级工: no row in the catalogue
  const auto o2 = v.verify(issueText(none, world().homeEd), kNow);
  EXPECT_EQ(o2.code, Code::OK);
  EXPECT_TRUE(o2.equivalences.empty());
}

TEST(VerifierRecognition, OtherRegionSaysWhichEntryAccepts) {
  const auto& v = sharedVerifier();
  const auto o = v.verify(issueText(sampleTitle(kGuangdongIss), world().guangdong), kNow);
  ASSERT_TRUE(o.recognition.has_value());
  EXPECT_TRUE(o.recognition->accepted);
  EXPECT_EQ(o.recognition->policyEntry, "44*");
  const auto bad = v.verify(issueText(sampleTitle(kAbroadIss), world().abroad), kNow);
  EXPECT_EQ(bad.code, Code::NOT_RECOGNIZED);
  ASSERT_TRUE(bad.credential.has_value());  // authentic: the fields are shown
  const auto j = nlohmann::json::parse(v.toJson(bad, "text"));
  EXPECT_EQ(j["recognition"]["accepted"], false);
  EXPECT_EQ(j["recognition"]["region"], "990000");
  EXPECT_EQ(j["holder_name"], "张三");
}

TEST(VerifierThreads, OneVerifierSharedByEightThreads) {
  const auto& v = sharedVerifier();
  const auto good = issueText(sampleTitle(), world().homeEd);
  const auto bad = forged(good);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (v.verify(good, kNow).code != Code::OK) ++wrong;
        if (v.verify(bad, kNow).code != Code::BAD_SIGNATURE) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}
