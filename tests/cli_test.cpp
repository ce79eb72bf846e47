// titlecert-verify and titlecert-config driven as a terminal would: files in,
// exit codes and JSON lines out (CONTRACT.md).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/command.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Test runs of several build trees share /tmp: every path carries the pid,
// so one run never reads another's input (written with other keys).
fs::path ownTempPath(const std::string& name) {
  return fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
}

const fs::path kFixture = TITLECERT_FIXTURE_DIR;
// TITLECERT_TARGET_RUNNER is the emulator command (with a trailing space) in
// a cross build, empty otherwise.
const std::string kVerify = std::string(TITLECERT_TARGET_RUNNER) + TITLECERT_VERIFY_BIN;
const std::string kConfig = std::string(TITLECERT_TARGET_RUNNER) + TITLECERT_CONFIG_BIN;
constexpr bool kScan = TITLECERT_TEST_SCAN != 0;
const std::string kNow = "2026-11-27T01:00:00Z";

using titlecert::testing::CommandRun;
using titlecert::testing::readWholeFile;

CommandRun run(const std::string& cmd) { return titlecert::testing::runCommand(cmd, titlecert::testing::StandardError::Discarded); }

std::string q(const fs::path& p) { return titlecert::testing::shellQuote(p); }

std::string verifyCmd(const std::string& rest) {
  return kVerify + " --bundle " + q(kFixture / "bundle.cbor") + " --root " + q(kFixture / "root.pub.pem") + " --now " +
         kNow + " " + rest;
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
  EXPECT_EQ(run(verifyCmd("--json --text " + q(readWholeFile(kFixture / "valid.txt")))).exit, 0);
}

TEST(VerifyCli, HumanOutputNamesHolderTitleIssuerAndSaysNoRollbackCheck) {
  auto r = run(verifyCmd("--text " + q(readWholeFile(kFixture / "valid.txt"))));
  ASSERT_EQ(r.exit, 0) << r.out;
  for (const char* part : {"张三", "高级工程师", "化工（含制药）", "乌鲁木齐高新区人力资源和社会保障局", "--state"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  auto en = run(verifyCmd("--lang en --text " + q(readWholeFile(kFixture / "forged.txt"))));
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
  const fs::path input = ownTempPath("titlecert_batch.txt");
  {
    std::ofstream out(input);
    out << readWholeFile(kFixture / "valid.txt") << "\r\n"   // CRLF is stripped
        << readWholeFile(kFixture / "revoked.txt") << "\n"
        << "hello\n"
        << readWholeFile(kFixture / "qualification.txt") << "\n";
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

// Several threads verify, yet the output is the one thread's, byte for
// byte: the same verdicts, numbered and ordered as the input lines.
TEST(VerifyCli, BatchJobsKeepInputOrderAndOutput) {
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {readWholeFile(kFixture / "valid.txt"), "OK"},
      {readWholeFile(kFixture / "revoked.txt"), "REVOKED"},
      {"garbage", "NOT_ZC1"},
      {readWholeFile(kFixture / "forged.txt"), "BAD_SIGNATURE"},
      {readWholeFile(kFixture / "qualification.txt"), "OK"},
  };
  const fs::path input = ownTempPath("titlecert_batch_jobs.txt");
  const std::size_t count = 1200;  // more than one chunk of lines
  {
    std::ofstream out(input);
    for (std::size_t i = 0; i < count; ++i) out << kinds[(i * 7) % kinds.size()].first << "\n";
  }
  const auto one = run(verifyCmd("--jobs 1 - < " + q(input)));
  const auto four = run(verifyCmd("--jobs 4 - < " + q(input)));
  const auto all = run(verifyCmd("--jobs 0 - < " + q(input)));
  EXPECT_EQ(one.exit, 1);
  EXPECT_EQ(four.exit, 1);
  EXPECT_EQ(four.out, one.out);
  EXPECT_EQ(all.out, one.out);
  const auto v = lines(four.out);
  ASSERT_EQ(v.size(), count);
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(v[i]["input"], std::to_string(i + 1));
    EXPECT_EQ(v[i]["code"], kinds[(i * 7) % kinds.size()].second) << "line " << i + 1;
  }
}

// Reads from `fd` until a newline arrives or `timeoutMs` passes without data.
std::string readLineWithin(int fd, int timeoutMs) {
  std::string got;
  char ch = 0;
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, timeoutMs) == 1 && read(fd, &ch, 1) == 1) {
    if (ch == '\n') return got;
    got.push_back(ch);
  }
  return got + "<timeout>";
}

// A producer that sends one line and waits for its answer before the next
// gets it at once: the output is written before any read that would wait.
TEST(VerifyCli, BatchAnswersEachLineBeforeWaitingForTheNext) {
  int toChild[2], fromChild[2];
  ASSERT_EQ(pipe(toChild), 0);
  ASSERT_EQ(pipe(fromChild), 0);
  const std::string bundle = (kFixture / "bundle.cbor").string(), root = (kFixture / "root.pub.pem").string();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(toChild[0], 0);
    dup2(fromChild[1], 1);
    close(toChild[1]);
    close(fromChild[0]);
    // Through the emulator in a cross build: kVerify is its command line.
    std::vector<std::string> words = titlecert::testing::commandWords(kVerify);
    for (const std::string& arg : {std::string("--bundle"), bundle, std::string("--root"), root, std::string("--now"), kNow,
                                   std::string("-")})
      words.push_back(arg);
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(toChild[0]);
  close(fromChild[1]);
  for (const char* name : {"valid.txt", "revoked.txt"}) {
    const std::string line = readWholeFile(kFixture / name) + "\n";
    ASSERT_EQ(write(toChild[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));
    const std::string answer = readLineWithin(fromChild[0], 10000);  // the child stays alive, waiting for input
    ASSERT_EQ(answer.find("<timeout>"), std::string::npos) << name;
    EXPECT_EQ(json::parse(answer)["code"], std::string(name) == "valid.txt" ? "OK" : "REVOKED");
  }
  close(toChild[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  close(fromChild[0]);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

// A line longer than any code (here across two 64 KiB reads) is consumed
// whole and refused, the next line is read from where it ends, and a last
// line without a newline still counts.
TEST(VerifyCli, BatchRefusesAnOverlongLineAndReadsOn) {
  const fs::path input = ownTempPath("titlecert_batch_long.txt");
  {
    std::ofstream out(input);
    out << "ZC1:" << std::string(100000, 'A') << "\n" << readWholeFile(kFixture / "valid.txt") << "\n" << "abc";
  }
  const auto v = lines(run(verifyCmd("- < " + q(input))).out);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0]["code"], "BAD_CBOR");
  EXPECT_EQ(v[1]["code"], "OK");
  EXPECT_EQ(v[2]["code"], "NOT_ZC1");
  EXPECT_EQ(v[2]["input"], "3");
}

TEST(VerifyCli, BatchRefusesABadJobsCount) {
  EXPECT_EQ(run(verifyCmd("--jobs many - < /dev/null")).exit, 2);
  EXPECT_EQ(run(verifyCmd("--jobs -1 - < /dev/null")).exit, 2);
  EXPECT_EQ(run(verifyCmd("--jobs 2 - < /dev/null")).exit, 0);  // no lines: nothing invalid
}

// A terminal holding version 6 verifies against version 7 rebuilt from the
// fixture's delta; the rebuilt file is version 7 byte for byte; a delta for
// another base, or an altered one, is refused like a bad bundle (exit 2).
TEST(VerifyCli, DeltaRebuildsTheNewBundleAndIsRefusedOnAnotherBase) {
  const std::string root = " --root " + q(kFixture / "root.pub.pem") + " --now " + kNow;
  const std::string text = " --json --text " + q(readWholeFile(kFixture / "valid.txt"));
  const std::string delta = " --delta " + q(kFixture / "delta-v6-v7.cbor");
  EXPECT_EQ(run(kVerify + " --bundle " + q(kFixture / "bundle-v6.cbor") + delta + root + text).exit, 0);
  EXPECT_EQ(run(kVerify + " --bundle " + q(kFixture / "bundle.cbor") + delta + root + text).exit, 2);

  const fs::path dir = fs::temp_directory_path() / ("tc-delta-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string forged = readWholeFile(kFixture / "delta-v6-v7.cbor");
  forged[forged.size() / 2] = static_cast<char>(forged[forged.size() / 2] ^ 0x01);
  { std::ofstream(dir / "forged.cbor", std::ios::binary) << forged; }
  EXPECT_EQ(run(kVerify + " --bundle " + q(kFixture / "bundle-v6.cbor") + " --delta " + q(dir / "forged.cbor") + root + text).exit, 2);

  const auto applied = run(kConfig + " bundle apply-delta --from " + q(kFixture / "bundle-v6.cbor") + delta +
                           " --root " + q(kFixture / "root.pub.pem") + " --out " + q(dir / "v7.cbor"));
  EXPECT_EQ(applied.exit, 0);
  EXPECT_EQ(readWholeFile(dir / "v7.cbor"), readWholeFile(kFixture / "bundle.cbor"));
  fs::remove_all(dir);
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
  const fs::path state = ownTempPath("titlecert_cli_state");
  fs::remove(state);
  const std::string text = "--text " + q(readWholeFile(kFixture / "valid.txt"));
  EXPECT_EQ(run(verifyCmd("--state " + q(state) + " " + text)).exit, 0);
  EXPECT_EQ(readWholeFile(state), "7\n");
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
  EXPECT_EQ(j["catalogue_version"], 3);  // the shipped catalogue's version
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
  const fs::path dir = ownTempPath("titlecert_manifest_test");
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
  // Without "issued" the list covers the first step; the certificate number
  // is only in the unsigned side file, never in the signed bundle.
  EXPECT_EQ(j["status_lists"][0]["issued"], 65536);
  EXPECT_EQ(j["status_lists"][0]["revoked_count"], 1);
  EXPECT_EQ(readWholeFile(dir / "bundle.cbor").find("650100-2026-000001"), std::string::npos);
  EXPECT_NE(readWholeFile(dir / "bundle.cbor.notes.json").find("650100-2026-000001"), std::string::npos);
  // An explicit count, and a revoked index it does not cover: refused.
  manifest["issued"] = {{"CN-65-GXQ", 1}};
  std::ofstream(dir / "manifest.json") << manifest.dump(2);
  ASSERT_EQ(run(build).exit, 0);
  j = json::parse(run(kConfig + " bundle inspect " + q(dir / "bundle.cbor") + " --json").out);
  EXPECT_EQ(j["status_lists"][0]["issued"], 1);
  manifest["revoked"].push_back({{"iss", "CN-65-GXQ"}, {"status_index", 1}});
  std::ofstream(dir / "manifest.json") << manifest.dump(2);
  EXPECT_EQ(run(build).exit, 1);
  manifest.erase("issued");
  manifest["revoked"].erase(1);
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
