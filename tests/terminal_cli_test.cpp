// A terminal driven through titlecert-config terminal build/inspect and
// titlecert-verify --config: root rotation, configuration rollback, bundle
// age, the clock floor and bundle pick-up from bundle_dir (CONTRACT.md,
// "Terminals").
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/command.h"
#include "support/world.h"
#include "titlecert/files.h"

using namespace titlecert;
using namespace titlecert::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// TITLECERT_TARGET_RUNNER is the emulator command (with a trailing space) in
// a cross build, empty otherwise.
const std::string kVerify = std::string(TITLECERT_TARGET_RUNNER) + TITLECERT_VERIFY_BIN;
const std::string kConfig = std::string(TITLECERT_TARGET_RUNNER) + TITLECERT_CONFIG_BIN;
constexpr std::int64_t kDay = 86400;

using CliRun = CommandRun;

CliRun run(const std::string& cmd) { return runCommand(cmd); }

std::string q(const fs::path& p) { return shellQuote(p); }

void put(const fs::path& p, const std::string& text) {
  ASSERT_TRUE(files::writeAtomically(p.string(), asBytes(text)).ok()) << p;
}

const crypto::PrivateKey& secondRoot() {
  static const auto key = *crypto::PrivateKey::generate(crypto::Alg::EdDSA);
  return key;
}
const crypto::PrivateKey& strangerKey() {
  static const auto key = *crypto::PrivateKey::generate(crypto::Alg::EdDSA);
  return key;
}

class TerminalCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("titlecert_terminal_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(usb());
    saveKey("root", world().root);
    saveKey("root2", secondRoot());
    saveKey("stranger", strangerKey());
  }

  fs::path usb() const { return dir_ / "usb"; }
  fs::path state() const { return dir_ / "state"; }

  void saveKey(const std::string& name, const crypto::PrivateKey& k) {
    put(dir_ / (name + ".pem"), k.toPlainPemForTests(crypto::testAccess()));
    put(dir_ / (name + ".pub.pem"), k.publicKey().pem());
  }

  // Builds a configuration with titlecert-config; roots and signer name saved keys.
  fs::path config(std::uint64_t version, const std::vector<std::string>& roots, const std::string& signer,
                  std::uint64_t maxAgeDays = 45, const std::string& lang = "zh") {
    json m = {{"version", version}, {"roots", json::array()}, {"max_bundle_age_days", maxAgeDays}, {"lang", lang},
              {"bundle_dir", usb().string()}};
    for (const auto& r : roots) m["roots"].push_back(r + ".pub.pem");
    const auto manifest = dir_ / ("terminal-" + std::to_string(version) + "-" + signer + ".json");
    put(manifest, m.dump());
    const auto out = dir_ / ("terminal-" + std::to_string(version) + "-" + signer + ".cbor");
    auto r = run(kConfig + " terminal build --manifest " + q(manifest) + " --root-key " + q(dir_ / (signer + ".pem")) +
                 " --out " + q(out));
    EXPECT_EQ(r.exit, 0) << r.out;
    return out;
  }

  // A bundle of the test world at a version, signed by key.
  static Bytes bundleBytes(std::uint64_t version, const crypto::PrivateKey& key, std::int64_t issuedAt = kBundleIssuedAt) {
    auto c = world().contents;
    c.version = version;
    c.issuedAt = issuedAt;
    c.nextUpdate = issuedAt + 30 * kDay;
    return *bundle::sign(c, key);
  }
  fs::path bundleFile(const std::string& name, std::uint64_t version, const crypto::PrivateKey& key,
                      std::int64_t issuedAt = kBundleIssuedAt) {
    const auto p = dir_ / name;
    EXPECT_TRUE(files::writeAtomically(p.string(), bundleBytes(version, key, issuedAt)).ok());
    return p;
  }

  CliRun verify(const fs::path& configFile, const std::string& rest, std::int64_t now = kNow) {
    return run(kVerify + " --config " + q(configFile) + " --state " + q(state()) + " --now " + rfc3339(now) + " " + rest);
  }
  static std::string text(const zc1::Credential& c) { return " --json --text " + q(issueText(c, world().home)); }

  static json firstLine(const std::string& out) {
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] == '{') return json::parse(line);
    return json();
  }

  fs::path dir_;
};

}  // namespace

TEST_F(TerminalCli, BuildThenInspectShowsTheSignedFields) {
  const auto c = config(3, {"root", "root2"}, "root", 45, "en");
  auto r = run(kConfig + " terminal inspect " + q(c) + " --root " + q(dir_ / "root.pub.pem") + " --json");
  ASSERT_EQ(r.exit, 0) << r.out;
  const auto j = json::parse(r.out);
  EXPECT_EQ(j["version"], 3);
  EXPECT_EQ(j["max_bundle_age_days"], 45);
  EXPECT_EQ(j["lang"], "en");
  EXPECT_EQ(j["bundle_dir"], usb().string());
  ASSERT_EQ(j["roots"].size(), 2u);
  EXPECT_EQ(j["roots"][0]["kid"], toHex(world().root.publicKey().kid()));
  EXPECT_EQ(j["roots"][1]["kid"], toHex(secondRoot().publicKey().kid()));
  EXPECT_EQ(j["signer_kid"], toHex(world().root.publicKey().kid()));
  // Another root's public key does not open it.
  auto wrong = run(kConfig + " terminal inspect " + q(c) + " --root " + q(dir_ / "root2.pub.pem"));
  EXPECT_EQ(wrong.exit, 1) << wrong.out;
  EXPECT_NE(wrong.out.find("BAD_CONFIG"), std::string::npos) << wrong.out;
}

TEST_F(TerminalCli, FirstConfigurationMustBeSignedByOneOfItsOwnRoots) {
  const auto bundle = bundleFile("bundle.cbor", 7, world().root);
  auto r = verify(config(1, {"root"}, "stranger"), "--bundle " + q(bundle) + text(sampleTitle()));
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_NE(r.out.find("BAD_CONFIG"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(state()));
  auto ok = verify(config(1, {"root"}, "root"), "--bundle " + q(bundle) + " " + text(sampleTitle()));
  EXPECT_EQ(ok.exit, 0) << ok.out;
  EXPECT_EQ(firstLine(ok.out)["code"], "OK");
  EXPECT_NE(readWholeFile(state()).find("config_version 1\n"), std::string::npos) << readWholeFile(state());
}

TEST_F(TerminalCli, RootRotationComesOnlyFromACurrentRoot) {
  const auto oldRootBundle = bundleFile("bundle-root1.cbor", 7, world().root);
  const auto newRootBundle = bundleFile("bundle-root2.cbor", 8, secondRoot());
  ASSERT_EQ(verify(config(1, {"root"}, "root"), "--bundle " + q(oldRootBundle) + " " + text(sampleTitle())).exit, 0);

  // A new root set signed by a key the terminal does not trust is refused.
  auto forged = verify(config(2, {"root2"}, "stranger"), "--bundle " + q(newRootBundle) + " " + text(sampleTitle()));
  EXPECT_EQ(forged.exit, 2) << forged.out;
  EXPECT_NE(forged.out.find("BAD_CONFIG"), std::string::npos) << forged.out;

  // Signed by the current root, it rotates the trust to root2: its bundles verify, root1's no longer do.
  const auto rotated = config(2, {"root2"}, "root");
  auto r = verify(rotated, "--bundle " + q(newRootBundle) + " " + text(sampleTitle()));
  EXPECT_EQ(r.exit, 0) << r.out;
  auto oldBundle = verify(rotated, "--bundle " + q(oldRootBundle) + " " + text(sampleTitle()));
  EXPECT_EQ(oldBundle.exit, 2) << oldBundle.out;

  // The retired root can no longer sign a configuration, even a newer one.
  auto retired = verify(config(3, {"root"}, "root"), "--bundle " + q(newRootBundle) + " " + text(sampleTitle()));
  EXPECT_EQ(retired.exit, 2) << retired.out;
  EXPECT_NE(retired.out.find("BAD_CONFIG"), std::string::npos) << retired.out;
  // The new root can.
  auto next = verify(config(3, {"root2", "root"}, "root2"), "--bundle " + q(newRootBundle) + " " + text(sampleTitle()));
  EXPECT_EQ(next.exit, 0) << next.out;
}

TEST_F(TerminalCli, LowerConfigurationVersionIsConfigRollback) {
  const auto bundle = bundleFile("bundle.cbor", 7, world().root);
  const auto v1 = config(1, {"root"}, "root");
  const auto v2 = config(2, {"root"}, "root", 30);
  ASSERT_EQ(verify(v2, "--bundle " + q(bundle) + " " + text(sampleTitle())).exit, 0);
  auto r = verify(v1, "--bundle " + q(bundle) + " " + text(sampleTitle()));
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_NE(r.out.find("CONFIG_ROLLBACK"), std::string::npos) << r.out;
  EXPECT_EQ(verify(v2, "--bundle " + q(bundle) + " " + text(sampleTitle())).exit, 0);  // the same version again is fine
}

TEST_F(TerminalCli, BundleTooFarPastNextUpdateVerifiesNothing) {
  const auto bundle = bundleFile("bundle.cbor", 7, world().root);
  const auto c = config(1, {"root"}, "root", 45);
  auto stale = verify(c, "--bundle " + q(bundle) + " " + text(sampleTitle()), kBundleNextUpdate + 44 * kDay);
  EXPECT_EQ(stale.exit, 0) << stale.out;  // past next-update but within the allowance: verified, with a warning
  const auto line = firstLine(stale.out);
  EXPECT_NE(line["warnings"].dump().find("BUNDLE_STALE"), std::string::npos) << stale.out;
  auto old = verify(c, "--bundle " + q(bundle) + " " + text(sampleTitle()), kBundleNextUpdate + 46 * kDay);
  EXPECT_EQ(old.exit, 2) << old.out;
  EXPECT_NE(old.out.find("BUNDLE_TOO_OLD"), std::string::npos) << old.out;
  EXPECT_TRUE(firstLine(old.out).is_null()) << old.out;
}

TEST_F(TerminalCli, ClockFloorKeepsAnExpiredCredentialExpired) {
  const auto bundle = bundleFile("bundle.cbor", 7, world().root);
  const auto c = config(1, {"root"}, "root");
  auto expiring = sampleTitle();
  expiring.exp = static_cast<std::uint64_t>(kNow + 10 * kDay);
  ASSERT_EQ(firstLine(verify(c, "--bundle " + q(bundle) + " " + text(expiring)).out)["code"], "OK");

  // A credential signed later moves the floor past the first one's expiry...
  auto later = sampleTitle();
  later.iat = static_cast<std::uint64_t>(kNow + 20 * kDay);
  ASSERT_EQ(firstLine(verify(c, "--bundle " + q(bundle) + " " + text(later), kNow + 20 * kDay).out)["code"], "OK");
  // ...so a clock reset to before it cannot make the expired one valid again.
  auto reset = verify(c, "--bundle " + q(bundle) + " " + text(expiring), kNow);
  EXPECT_EQ(reset.exit, 1) << reset.out;
  const auto line = firstLine(reset.out);
  EXPECT_EQ(line["code"], "EXPIRED") << reset.out;
  EXPECT_NE(line["warnings"].dump().find("CLOCK_BEHIND"), std::string::npos) << reset.out;
}

TEST_F(TerminalCli, RevokedStaysRevokedAfterAClockResetAndAnOlderBundle) {
  auto unrevoked = world().contents;
  unrevoked.version = 6;
  unrevoked.revocation.clear();
  const auto older = dir_ / "bundle-v6.cbor";
  ASSERT_TRUE(files::writeAtomically(older.string(), *bundle::sign(unrevoked, world().root)).ok());
  const auto current = bundleFile("bundle.cbor", 7, world().root, kBundleIssuedAt + 5 * kDay);
  const auto c = config(1, {"root"}, "root");
  auto revoked = sampleTitle();
  revoked.statusIndex = 13;
  const std::string revokedText = "--json --text " + q(issueText(revoked, world().homeEd));
  ASSERT_EQ(firstLine(verify(c, "--bundle " + q(current) + " " + revokedText, kNow + 6 * kDay).out)["code"], "REVOKED");
  auto reset = verify(c, "--bundle " + q(current) + " " + revokedText, kNow - 30 * kDay);
  EXPECT_EQ(firstLine(reset.out)["code"], "REVOKED") << reset.out;
  EXPECT_NE(firstLine(reset.out)["warnings"].dump().find("CLOCK_BEHIND"), std::string::npos) << reset.out;
  auto rolledBack = verify(c, "--bundle " + q(older) + " " + revokedText, kNow - 30 * kDay);
  EXPECT_EQ(rolledBack.exit, 2) << rolledBack.out;
  EXPECT_NE(rolledBack.out.find("BUNDLE_ROLLBACK"), std::string::npos) << rolledBack.out;
}

TEST_F(TerminalCli, BundleDirNewestValidBundleWinsForgedAndOlderIgnored) {
  const auto c = config(1, {"root"}, "root");
  ASSERT_TRUE(files::writeAtomically((usb() / "a-v7.cbor").string(), bundleBytes(7, world().root)).ok());
  ASSERT_TRUE(files::writeAtomically((usb() / "b-v8.cbor").string(), bundleBytes(8, world().root)).ok());
  ASSERT_TRUE(files::writeAtomically((usb() / "c-v9-forged.cbor").string(), bundleBytes(9, strangerKey())).ok());
  put(usb() / "notes.txt", "not a bundle");
  auto r = verify(c, text(sampleTitle()));
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(readWholeFile(state()).find("bundle_version 8\n"), std::string::npos) << readWholeFile(state());

  // With only older bundles left on the stick, nothing is taken.
  fs::remove(usb() / "b-v8.cbor");
  auto rolledBack = verify(c, text(sampleTitle()));
  EXPECT_EQ(rolledBack.exit, 2) << rolledBack.out;
  EXPECT_NE(readWholeFile(state()).find("bundle_version 8\n"), std::string::npos) << readWholeFile(state());
}

TEST_F(TerminalCli, LanguageComesFromTheConfigurationUnlessGiven) {
  const auto bundle = bundleFile("bundle.cbor", 7, world().root);
  const auto c = config(1, {"root"}, "root", 45, "en");
  const std::string t = "--text " + q(issueText(sampleTitle(), world().home));
  auto en = verify(c, "--bundle " + q(bundle) + " " + t);
  EXPECT_NE(en.out.find("Senior Engineer"), std::string::npos) << en.out;
  auto zh = verify(c, "--bundle " + q(bundle) + " --lang zh " + t);
  EXPECT_NE(zh.out.find("高级工程师"), std::string::npos) << zh.out;
}

TEST_F(TerminalCli, ConfigNeedsStateAndRefusesRoot) {
  const auto c = config(1, {"root"}, "root");
  EXPECT_EQ(run(kVerify + " --config " + q(c) + " --text x").exit, 2);
  EXPECT_EQ(run(kVerify + " --config " + q(c) + " --state " + q(state()) + " --root " + q(dir_ / "root.pub.pem") +
                " --text x").exit, 2);
}

TEST_F(TerminalCli, CorruptStateIsAnErrorNotAFreshTerminal) {
  const auto bundle = bundleFile("bundle.cbor", 7, world().root);
  put(state(), "titlecert-terminal-state 1\nbundle_version 99999999999999999999\nconfig_version 1\nclock_floor 0\nend\n");
  auto r = verify(config(1, {"root"}, "root"), "--bundle " + q(bundle) + " " + text(sampleTitle()));
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_NE(r.out.find("BAD_STATE"), std::string::npos) << r.out;
}
