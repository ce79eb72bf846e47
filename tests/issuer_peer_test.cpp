// Another region's bundle imported and republished in ours: its issuers
// are trusted with their region and its revocations reach our terminals
// (titlecert-verify on our GET /v1/bundle); a bundle of another root or an
// older version is refused (docs/issuer.md, "Other regions' bundles").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/issuer_command.h"
#include "titlecert/bundle.h"
#include "titlecert/files.h"

namespace titlecert::testing {
namespace {

const std::string kPeerIss = "CN-44-GZ";
const std::string kPeerRegion = "440100";

IssuerWorldOptions peerRegionOptions() {
  IssuerWorldOptions o;
  o.iss = kPeerIss;
  o.region = kPeerRegion;
  return o;
}

// Our region, recognising the peer's credentials.
IssuerWorldOptions homeRegionOptions(bool startServer = true) {
  IssuerWorldOptions o;
  o.extraProperties = {"bundle.accept_regions = 65*,44*"};
  o.startServer = startServer;
  return o;
}

std::string rootPem(const IssuerWorld& w) {
  auto pem = files::read(w.dir + "/root.pub.pem");
  if (!pem) throw std::runtime_error("no root.pub.pem in " + w.dir);
  return *pem;
}

// Two credentials issued by the peer region, the first revoked there.
struct PeerCredentials {
  std::string revoked, valid;
};

PeerCredentials issueAndRevokeOne(IssuerWorld& peer) {
  auto a = peer.service->issue(requestOf(titleBody("王五", cnId(1))), issuer::localOperator());
  auto b = peer.service->issue(requestOf(titleBody("赵六", cnId(2))), issuer::localOperator());
  if (!a || !b) throw std::runtime_error("the peer region could not issue");
  if (!peer.service->revoke(a->certNo, "wrong", issuer::localOperator()))
    throw std::runtime_error("the peer region could not revoke");
  return {a->payload, b->payload};
}

nlohmann::json verifyJson(const std::string& bundleFile, const std::string& rootFile, const std::string& payload,
                          int& exit) {
  CommandRun r = runCommand(shellQuote(TITLECERT_VERIFY_BIN) + " --json --bundle " + shellQuote(bundleFile) +
                                " --root " + shellQuote(rootFile) + " --now " + rfc3339(kIssuerNow + 3600) +
                                " --text " + shellQuote(payload),
                            StandardError::Discarded);
  exit = r.exit;
  return nlohmann::json::parse(r.out, nullptr, false);
}

TEST(PeerRegion, AForeignRevocationIsRevokedOnOurTerminalsAndItsOtherCredentialsValid) {
  IssuerWorld peer(peerRegionOptions());
  const PeerCredentials issued = issueAndRevokeOne(peer);
  IssuerWorld home(homeRegionOptions());
  ASSERT_TRUE(home.service->addPeer({kPeerRegion, rootPem(peer)}, issuer::localOperator()).ok());

  const std::string url = "http://127.0.0.1:" + std::to_string(peer.server->port()) + "/v1/bundle";
  auto imported = home.service->importPeerBundleFromUrl(url, issuer::localOperator());
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->issuers, 1u);
  EXPECT_EQ(imported->statusLists, 1u);

  HttpReply ours = home.get("/v1/bundle");
  ASSERT_EQ(ours.status, 200);
  const std::string bundleFile = home.dir + "/served-bundle.cbor";
  ASSERT_TRUE(files::writeAtomically(bundleFile, asBytes(ours.body)).ok());
  int exit = -1;
  nlohmann::json revoked = verifyJson(bundleFile, home.dir + "/root.pub.pem", issued.revoked, exit);
  EXPECT_EQ(exit, 1);
  EXPECT_EQ(revoked.value("code", ""), "REVOKED") << revoked.dump();
  EXPECT_EQ(revoked.value("iss", ""), kPeerIss);
  nlohmann::json valid = verifyJson(bundleFile, home.dir + "/root.pub.pem", issued.valid, exit);
  EXPECT_EQ(exit, 0);
  EXPECT_EQ(valid.value("code", ""), "OK") << valid.dump();
  EXPECT_EQ(valid.value("valid", false), true);
  ASSERT_TRUE(valid["recognition"].is_object()) << valid.dump();
  EXPECT_EQ(valid["recognition"]["region"], kPeerRegion);
  EXPECT_EQ(valid["recognition"]["accepted"], true);
}

TEST(PeerRegion, OurBundleCarriesThePeerEntryWithItsRegionAndAuditsTheImport) {
  IssuerWorld peer(peerRegionOptions());
  issueAndRevokeOne(peer);
  IssuerWorld home(homeRegionOptions(false));
  ASSERT_TRUE(home.service->addPeer({kPeerRegion, rootPem(peer)}, issuer::localOperator()).ok());
  auto peerBundle = peer.service->bundle();
  ASSERT_TRUE(peerBundle.ok());
  ASSERT_TRUE(home.service->importPeerBundle(*peerBundle, "peer.cbor", issuer::localOperator()).ok());

  auto ours = home.service->bundle();
  ASSERT_TRUE(ours.ok());
  auto root = crypto::PublicKey::fromPem(rootPem(home));
  ASSERT_TRUE(root.ok());
  auto opened = bundle::open(*ours, *root);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  const bundle::Contents& c = opened->contents();
  bool peerEntry = false;
  for (const bundle::IssuerEntry& e : c.issuers) peerEntry = peerEntry || (e.iss == kPeerIss && e.region == kPeerRegion);
  EXPECT_TRUE(peerEntry);
  const bundle::StatusList* list = c.statusListFor(kPeerIss);
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->status(0), revocation::Status::kRevoked);
  EXPECT_EQ(list->status(1), revocation::Status::kNotRevoked);
  // The peer's catalogue and recognition are not taken: ours stay.
  EXPECT_EQ(c.recognition.homeRegion, "650100");
  EXPECT_EQ(std::stoi(home.queryText("SELECT count(*) FROM audit WHERE action = 'peer.import'")), 1);
  EXPECT_EQ(std::stoi(home.queryText("SELECT count(*) FROM audit WHERE action = 'peer.add'")), 1);
}

// With the root key offline the bundle is built from the manifest: the
// peer's entries and revoked indices must be in it as well.
TEST(PeerRegion, TheExportedManifestCarriesThePeerEntriesAndRevocations) {
  IssuerWorld peer(peerRegionOptions());
  issueAndRevokeOne(peer);
  IssuerWorld home(homeRegionOptions(false));
  ASSERT_TRUE(home.service->addPeer({kPeerRegion, rootPem(peer)}, issuer::localOperator()).ok());
  ASSERT_TRUE(home.service->importPeerBundle(*peer.service->bundle(), "peer.cbor", issuer::localOperator()).ok());
  const std::string out = home.dir + "/manifest-out";
  ASSERT_TRUE(home.service->exportManifest(out).ok());
  const auto manifest = nlohmann::json::parse(readWholeFile(out + "/manifest.json"), nullptr, false);
  ASSERT_TRUE(manifest.is_object());
  bool entry = false;
  for (const auto& i : manifest["issuers"])
    if (i["iss"] == kPeerIss && i["region"] == kPeerRegion)
      entry = !readWholeFile(out + "/" + i["public_key_file"].get<std::string>()).empty();
  EXPECT_TRUE(entry) << manifest.dump();
  EXPECT_EQ(manifest["issued"][kPeerIss], bundle::kIssuedStep);
  bool revoked = false;
  for (const auto& r : manifest["revoked"]) revoked = revoked || (r["iss"] == kPeerIss && r["status_index"] == 0);
  EXPECT_TRUE(revoked) << manifest.dump();
}

TEST(PeerRegion, ABundleSignedByAnotherRootThanThePinnedOneIsRefused) {
  IssuerWorld peer(peerRegionOptions());
  issueAndRevokeOne(peer);
  IssuerWorldOptions impostorOptions = peerRegionOptions();
  impostorOptions.startServer = false;
  IssuerWorld impostor(impostorOptions);
  IssuerWorld home(homeRegionOptions(false));
  // The root pinned for 440100 is the real peer's; the impostor signs its own bundle for 440100.
  ASSERT_TRUE(home.service->addPeer({kPeerRegion, rootPem(peer)}, issuer::localOperator()).ok());
  auto forged = impostor.service->bundle();
  ASSERT_TRUE(forged.ok());
  auto refused = home.service->importPeerBundle(*forged, "forged.cbor", issuer::localOperator());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "BAD_BUNDLE");
  auto peers = home.service->peers();
  ASSERT_TRUE(peers.ok());
  ASSERT_EQ(peers->size(), 1u);
  EXPECT_FALSE((*peers)[0].bundleVersion.has_value());
}

TEST(PeerRegion, AnOlderPeerBundleIsRefusedAndALaterRevocationArrivesByReimport) {
  IssuerWorld peer(peerRegionOptions());
  auto a = peer.service->issue(requestOf(titleBody("王五", cnId(1))), issuer::localOperator());
  auto b = peer.service->issue(requestOf(titleBody("赵六", cnId(2))), issuer::localOperator());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(peer.service->revoke(a->certNo, "wrong", issuer::localOperator()).ok());
  auto older = peer.service->bundle();
  ASSERT_TRUE(peer.service->revoke(b->certNo, "wrong", issuer::localOperator()).ok());
  auto newer = peer.service->bundle();
  ASSERT_TRUE(older.ok() && newer.ok());
  ASSERT_NE(*older, *newer);

  IssuerWorld home(homeRegionOptions(false));
  ASSERT_TRUE(home.service->addPeer({kPeerRegion, rootPem(peer)}, issuer::localOperator()).ok());
  auto first = home.service->importPeerBundle(*newer, "newer.cbor", issuer::localOperator());
  ASSERT_TRUE(first.ok());
  auto rolledBack = home.service->importPeerBundle(*older, "older.cbor", issuer::localOperator());
  ASSERT_FALSE(rolledBack.ok());
  EXPECT_EQ(rolledBack.error().code, "BUNDLE_ROLLBACK");
  auto again = home.service->importPeerBundle(*newer, "newer.cbor", issuer::localOperator());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->unchanged);

  auto ours = home.service->bundle();
  ASSERT_TRUE(ours.ok());
  auto root = crypto::PublicKey::fromPem(rootPem(home));
  auto opened = bundle::open(*ours, *root);
  ASSERT_TRUE(opened.ok());
  const bundle::StatusList* list = opened->contents().statusListFor(kPeerIss);
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->status(b->statusIndex), revocation::Status::kRevoked);
}

TEST(PeerRegion, PinningRefusesOurOwnRegionABadCodeAndASecondPin) {
  IssuerWorld peer(peerRegionOptions());
  IssuerWorld home(homeRegionOptions(false));
  auto own = home.service->addPeer({"65*", rootPem(peer)}, issuer::localOperator());
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().field, "region");
  auto bad = home.service->addPeer({"44x", rootPem(peer)}, issuer::localOperator());
  ASSERT_FALSE(bad.ok());
  ASSERT_TRUE(home.service->addPeer({"44*", rootPem(peer)}, issuer::localOperator()).ok());
  auto twice = home.service->addPeer({"44*", rootPem(peer)}, issuer::localOperator());
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().kind, issuer::ProblemKind::Conflict);
  auto unpinned = peer.service->importPeerBundle(*home.service->bundle(), "home.cbor", issuer::localOperator());
  ASSERT_FALSE(unpinned.ok());
  EXPECT_EQ(unpinned.error().kind, issuer::ProblemKind::NotFound);
}

TEST(PeerRegionHttp, AnAdminPinsAndImportsByUrlAClerkMayNot) {
  IssuerWorld peer(peerRegionOptions());
  issueAndRevokeOne(peer);
  IssuerWorld home(homeRegionOptions());
  const nlohmann::json pin = {{"region", kPeerRegion}, {"root_public_key_pem", rootPem(peer)}};
  EXPECT_EQ(home.post("/v1/peers", pin, home.clerkToken).status, 403);
  HttpReply added = home.post("/v1/peers", pin, home.adminToken);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()["region"], kPeerRegion);
  EXPECT_EQ(home.post("/v1/peers", {{"region", kPeerRegion}, {"root", "x"}}, home.adminToken).status, 400);

  const std::string url = "http://127.0.0.1:" + std::to_string(peer.server->port()) + "/v1/bundle";
  EXPECT_EQ(home.post("/v1/peers/import", {{"url", url}}, home.clerkToken).status, 403);
  HttpReply imported = home.post("/v1/peers/import", {{"url", url}}, home.adminToken);
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json()["status_lists"], 1);
  HttpReply listed = home.get("/v1/peers", home.adminToken);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["peers"][0]["bundle"]["source"], url);
  HttpReply unreachable = home.post("/v1/peers/import", {{"url", "http://127.0.0.1:1/v1/bundle"}}, home.adminToken);
  EXPECT_EQ(unreachable.status, 503) << unreachable.body;
}

TEST(PeerRegionCli, PeerAddImportAndListThroughTheCommandLine) {
  if (testsOnPostgresql()) GTEST_SKIP() << "the command line test runs on SQLite";
  IssuerWorld peer(peerRegionOptions());
  issueAndRevokeOne(peer);
  auto peerBundle = peer.service->bundle();
  ASSERT_TRUE(peerBundle.ok());
  const std::string bundleFile = peer.dir + "/peer-bundle.cbor";
  ASSERT_TRUE(files::writeAtomically(bundleFile, *peerBundle).ok());
  IssuerWorld home(homeRegionOptions(false));
  const std::string data = "--data " + shellQuote(home.dir);

  CommandRun add = issuerCommand(home, "peer add " + data + " --region " + kPeerRegion + " --root " +
                                           shellQuote(peer.dir + "/root.pub.pem"));
  ASSERT_EQ(add.exit, 0) << add.out;
  CommandRun import = issuerCommand(home, "peer import " + data + " --file " + shellQuote(bundleFile));
  ASSERT_EQ(import.exit, 0) << import.out;
  EXPECT_NE(import.out.find("\"status_lists\":1"), std::string::npos) << import.out;
  CommandRun older = issuerCommand(home, "peer import " + data + " --file " + shellQuote(bundleFile));
  EXPECT_EQ(older.exit, 0) << older.out;
  EXPECT_NE(older.out.find("\"unchanged\":true"), std::string::npos) << older.out;
  CommandRun forged = issuerCommand(home, "peer import " + data + " --file " + shellQuote(home.dir + "/root.pub.pem"));
  EXPECT_EQ(forged.exit, 1) << forged.out;
  EXPECT_NE(forged.out.find("BAD_BUNDLE"), std::string::npos) << forged.out;
  CommandRun list = issuerCommand(home, "peer list " + data);
  ASSERT_EQ(list.exit, 0) << list.out;
  EXPECT_NE(list.out.find("\"region\":\"440100\""), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"source\":"), std::string::npos) << list.out;
  CommandRun both = issuerCommand(home, "peer import " + data + " --file x --url http://127.0.0.1:1/");
  EXPECT_EQ(both.exit, 2) << both.out;
}

}  // namespace
}  // namespace titlecert::testing
