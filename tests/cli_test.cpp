// titlecert-verify and titlecert-config driven as a terminal would: files in,
// exit codes and JSON lines out (CONTRACT.md).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kFixture = TITLECERT_FIXTURE_DIR;
// TITLECERT_TARGET_RUNNER is the emulator command (with a trailing space) in
// a cross build, empty otherwise.
const std::string kVerify = std::string(TITLECERT_TARGET_RUNNER) + TITLECERT_VERIFY_BIN;
const std::string kConfig = std::string(TITLECERT_TARGET_RUNNER) + TITLECERT_CONFIG_BIN;
constexpr bool kScan = TITLECERT_TEST_SCAN != 0;
const std::string kNow = "2026-11-27T01:00:00Z";

struct Run {
  int exit = -1;
  std::string out;
};

Run run(const std::string& cmd) {
  Run r;
  FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

std::string verifyCmd(const std::string& rest) {
  return kVerify + " --bundle " + q(kFixture / "bundle.cbor") + " --root " + q(kFixture / "root.pub.pem") + " --now " +
         kNow + " " + rest;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<json> lines(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) v.push_back(json::parse(line));
  return v;
}

}  // namespace

TEST(VerifyCli, ValidImageExitsZeroWithContractJson) {
  if (!kScan) GTEST_SKIP() << "text-only build (TITLECERT_SCAN=OFF)";
  auto r = run(verifyCmd("--json --id CN:650102199001011239 " + q(kFixture / "valid.png")));
  ASSERT_EQ(r.exit, 0) << r.out;
  auto v = lines(r.out);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["input"], (kFixture / "valid.png").string());
  EXPECT_EQ(v[0]["valid"], true);
  EXPECT_EQ(v[0]["code"], "OK");
  EXPECT_EQ(v[0]["holder_match"], true);
  EXPECT_EQ(v[0]["title_name"]["zh"], "高级工程师");
}

TEST(VerifyCli, TextOnlyBuildRefusesImagesWithExitTwo) {
  if (kScan) GTEST_SKIP() << "this build reads images";
  auto r = run(verifyCmd("--json " + q(kFixture / "valid.png")));
  EXPECT_EQ(r.exit, 2);
  EXPECT_EQ(r.out, "");  // no verdict line: the input was refused, not judged
  EXPECT_EQ(run(verifyCmd("--json --text " + q(slurp(kFixture / "valid.txt")))).exit, 0);
}

TEST(VerifyCli, HumanOutputNamesHolderTitleIssuerAndSaysNoRollbackCheck) {
  auto r = run(verifyCmd("--text " + q(slurp(kFixture / "valid.txt"))));
  ASSERT_EQ(r.exit, 0) << r.out;
  for (const char* part : {"张三", "高级工程师", "化工（含制药）", "乌鲁木齐高新区人力资源和社会保障局", "--state"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  auto en = run(verifyCmd("--lang en --text " + q(slurp(kFixture / "forged.txt"))));
  EXPECT_EQ(en.exit, 1);
  EXPECT_NE(en.out.find("invalid signature"), std::string::npos) << en.out;
}

TEST(VerifyCli, InvalidInputsExitOne) {
  if (!kScan) GTEST_SKIP() << "text-only build (TITLECERT_SCAN=OFF)";
  for (const char* name : {"forged.png", "revoked.png", "out_of_scope.png", "no_code.png"}) {
    auto r = run(verifyCmd("--json " + q(kFixture / name)));
    EXPECT_EQ(r.exit, 1) << name << "\n" << r.out;
    auto v = lines(r.out);
    ASSERT_EQ(v.size(), 1u) << name;
    EXPECT_EQ(v[0]["valid"], false);
  }
  EXPECT_EQ(lines(run(verifyCmd("--json " + q(kFixture / "no_code.png"))).out)[0]["code"], "NO_CODE_FOUND");
}

TEST(VerifyCli, BatchModeWritesOneJsonLinePerInputLine) {
  const fs::path input = fs::temp_directory_path() / "titlecert_batch.txt";
  {
    std::ofstream out(input);
    out << slurp(kFixture / "valid.txt") << "\r\n"   // CRLF is stripped
        << slurp(kFixture / "revoked.txt") << "\n"
        << "hello\n"
        << slurp(kFixture / "qualification.txt") << "\n";
  }
  auto r = run(verifyCmd("- < " + q(input)));
  EXPECT_EQ(r.exit, 1);
  auto v = lines(r.out);
  ASSERT_EQ(v.size(), 4u) << r.out;
  EXPECT_EQ(v[0]["input"], "1");
  EXPECT_EQ(v[0]["code"], "OK");
  EXPECT_EQ(v[1]["code"], "REVOKED");
  EXPECT_EQ(v[2]["code"], "NOT_ZC1");
  EXPECT_EQ(v[3]["type"], "qualification");
  EXPECT_FALSE(v[3]["equivalences"].empty());
}

TEST(VerifyCli, UsageAndBundleErrorsExitTwo) {
  EXPECT_EQ(run(kVerify).exit, 2);
  EXPECT_EQ(run(verifyCmd("")).exit, 2);                                  // no input
  EXPECT_EQ(run(verifyCmd("--id CN:123 --text x")).exit, 2);              // bad ID
  EXPECT_EQ(run(verifyCmd("--now yesterday --text x")).exit, 2);          // bad time
  EXPECT_EQ(run(kVerify + " --bundle " + q(kFixture / "valid.png") + " --root " + q(kFixture / "root.pub.pem") +
                " --text x").exit, 2);                                    // not a bundle
}

TEST(VerifyCli, StateFileRefusesRollback) {
  const fs::path state = fs::temp_directory_path() / "titlecert_cli_state";
  fs::remove(state);
  const std::string text = "--text " + q(slurp(kFixture / "valid.txt"));
  EXPECT_EQ(run(verifyCmd("--state " + q(state) + " " + text)).exit, 0);
  EXPECT_EQ(slurp(state), "7\n");
  auto older = run(kVerify + " --bundle " + q(kFixture / "bundle-v6.cbor") + " --root " + q(kFixture / "root.pub.pem") +
                   " --now " + kNow + " --state " + q(state) + " " + text);
  EXPECT_EQ(older.exit, 2);
  fs::remove(state);
}

TEST(ConfigCli, InspectJsonListsIssuersAndRevocations) {
  auto r = run(kConfig + " bundle inspect " + q(kFixture / "bundle.cbor") + " --root " + q(kFixture / "root.pub.pem") + " --json");
  ASSERT_EQ(r.exit, 0) << r.out;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["version"], 7);
  EXPECT_EQ(j["signature_verified"], true);
  EXPECT_EQ(j["catalogue_version"], 1);
  ASSERT_GE(j["issuers"].size(), 4u);
  EXPECT_EQ(j["issuers"][0]["iss"], "CN-65-GXQ");
  EXPECT_EQ(j["issuers"][0]["alg"], "SM2-SM3");
  EXPECT_EQ(j["issuers"][0]["kid"].get<std::string>().size(), 16u);
  EXPECT_NE(j["issuers"][0]["public_key_pem"].get<std::string>().find("BEGIN PUBLIC KEY"), std::string::npos);
  EXPECT_EQ(j["issuers"][3]["scope"]["specialties"], json::array({501}));
  EXPECT_EQ(j["revoked"][0]["status_index"], 13);
}

TEST(ConfigCli, CatalogueShowJsonHasEverySeries) {
  auto r = run(kConfig + " catalogue show --json");
  ASSERT_EQ(r.exit, 0);
  auto j = json::parse(r.out);
  EXPECT_EQ(j["series"].size(), 27u);
  EXPECT_EQ(j["routes"].size(), 10u);
  EXPECT_FALSE(j["equivalences"].empty());
}

TEST(ConfigCli, BuildFromManifestAndNameTheBadField) {
  const fs::path dir = fs::temp_directory_path() / "titlecert_manifest_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Keys made with openssl(1): an encrypted SM2 root, an Ed25519 issuer.
  ASSERT_EQ(std::system(("openssl genpkey -algorithm ed25519 -out " + q(dir / "issuer.pem") +
                         " && openssl pkey -in " + q(dir / "issuer.pem") + " -pubout -out " + q(dir / "issuer.pub.pem") +
                         " && openssl genpkey -algorithm SM2 -aes-256-cbc -pass pass:s3cret -out " + q(dir / "root.pem") +
                         " && openssl pkey -in " + q(dir / "root.pem") + " -passin pass:s3cret -pubout -out " +
                         q(dir / "root.pub.pem")).c_str()),
            0);
  json manifest = {
      {"version", 9},
      {"issued_at", "2026-11-27T00:00:00Z"},
      {"next_update", "2026-12-27T00:00:00Z"},
      {"catalogue", "default"},
      {"issuers", {{{"iss", "CN-65-GXQ"}, {"name", {{"zh", "高新区人社局"}, {"en", "HRSS"}}}, {"region", "650100"},
                    {"alg", "EdDSA"}, {"public_key_file", "issuer.pub.pem"}, {"valid_from", "2026-01-01T00:00:00Z"},
                    {"valid_to", "2031-01-01T00:00:00Z"},
                    {"scope", {{"types", {"title", "qualification"}}, {"series", "*"}, {"specialties", "*"}, {"max_level", 5}}}}}},
      {"recognition", {{"home_region", "650100"}, {"accept_regions", {"65*", "44*"}}}},
      {"revoked", {{{"iss", "CN-65-GXQ"}, {"status_index", 0}, {"cert_no", "650100-2026-000001"}}}}};
  std::ofstream(dir / "manifest.json") << manifest.dump(2);
  const std::string build = "TITLECERT_PASSPHRASE=s3cret " + kConfig + " bundle build --manifest " + q(dir / "manifest.json") +
                            " --root-key " + q(dir / "root.pem") + " --out " + q(dir / "bundle.cbor");
  ASSERT_EQ(run(build).exit, 0);
  auto j = json::parse(run(kConfig + " bundle inspect " + q(dir / "bundle.cbor") + " --root " + q(dir / "root.pub.pem") + " --json").out);
  EXPECT_EQ(j["version"], 9);
  EXPECT_EQ(j["revoked"][0]["cert_no"], "650100-2026-000001");
  // The wrong passphrase, then a bad field: refused, with the field named.
  EXPECT_EQ(run("TITLECERT_PASSPHRASE=wrong " + build.substr(build.find(kConfig))).exit, 1);
  manifest["issuers"][0]["valid_to"] = "2031-01-01";
  std::ofstream(dir / "manifest.json") << manifest.dump(2);
  FILE* p = popen((build + " 2>&1").c_str(), "r");
  std::string err(4096, '\0');
  err.resize(fread(err.data(), 1, err.size(), p));
  EXPECT_NE(pclose(p), 0);
  EXPECT_NE(err.find("issuers[0].valid_to"), std::string::npos) << err;
  fs::remove_all(dir);
}

TEST(ConfigCli, CatalogueCheckRefusesAnUnchangedVersion) {
  const std::string shipped = std::string(TITLECERT_SOURCE_DIR) + "/data/catalogue/default.json";
  auto r = run(kConfig + " catalogue check --previous " + q(shipped) + " --catalogue " + q(shipped));
  EXPECT_EQ(r.exit, 1);
}
