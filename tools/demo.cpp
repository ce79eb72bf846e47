// titlecert-demo — a stand-in issuer for the README's demo, which needs no
// running service: it makes keys and a manifest, and issues one certificate
// as text and QR PNG. The bundle is built by the real
// titlecert-config and the certificate is checked by the real
// titlecert-verify (scripts/demo.sh).
//
//   titlecert-demo keys DIR [SM2-SM3|EdDSA|ES256]   root + issuer keys, manifest.json
//   titlecert-demo issue DIR                         cert.txt and cert.png
//
// Private keys are written encrypted with TITLECERT_PASSPHRASE.
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "titlecert/dates.h"
#include "titlecert/files.h"
#include "titlecert/idh.h"
#include "titlecert/passphrase.h"
#include "titlecert/qr.h"
#include "titlecert/zc1.h"

using namespace titlecert;

namespace {

const std::string kIss = "CN-65-GXQ";
const std::string kHolderId = "CN:650102199001011239";

int fail(const Error& e) {
  std::cerr << "titlecert-demo: " << codeName(e.code) << ": " << e.detail << "\n";
  return 1;
}

Result<std::string> passphrase() {
  TC_ASSIGN(auto p, readPassphrase(""));
  if (!p) return makeError(Code::INVALID_ARGUMENT, std::string("set ") + kPassphraseEnv + " to encrypt the keys");
  return *p;
}

Status writeKeyPair(const std::string& dir, const std::string& name, const crypto::PrivateKey& key, const std::string& pass) {
  TC_ASSIGN(auto pem, key.toEncryptedPem(pass));
  TC_TRY(files::writeAtomically(dir + "/" + name + ".pem", asBytes(pem), 0600));
  return files::writeAtomically(dir + "/" + name + ".pub.pem", asBytes(key.publicKey().pem()));
}

std::string manifest(const crypto::PrivateKey& issuer, std::int64_t now) {
  const std::int64_t day = 86400;
  nlohmann::ordered_json m = {
      {"version", 1},
      {"issued_at", dates::formatRfc3339(now - 60)},
      {"next_update", dates::formatRfc3339(now + 30 * day)},
      {"catalogue", "default"},
      {"issuers",
       {{{"iss", kIss},
         {"name", {{"zh", "乌鲁木齐高新区人力资源和社会保障局"}, {"en", "Urumqi High-tech Zone HRSS Bureau"}}},
         {"region", "650100"},
         {"alg", std::string(crypto::algName(issuer.alg()))},
         {"public_key_file", "issuer.pub.pem"},
         {"valid_from", dates::formatRfc3339(now - day)},
         {"valid_to", dates::formatRfc3339(now + 5 * 365 * day)},
         {"scope", {{"types", {"title", "qualification"}}, {"series", "*"}, {"specialties", "*"}, {"max_level", 5}}}}}},
      {"recognition", {{"home_region", "650100"}, {"accept_regions", {"65*", "44*"}}}},
      {"revoked", nlohmann::json::array()}};
  return m.dump(2) + "\n";
}

int keys(const std::string& dir, crypto::Alg alg, std::int64_t now) {
  auto pass = passphrase();
  if (!pass) return fail(pass.error());
  auto root = crypto::PrivateKey::generate(crypto::Alg::EdDSA);
  auto issuer = crypto::PrivateKey::generate(alg);
  if (!root) return fail(root.error());
  if (!issuer) return fail(issuer.error());
  if (auto s = writeKeyPair(dir, "root", *root, *pass); !s) return fail(s.error());
  if (auto s = writeKeyPair(dir, "issuer", *issuer, *pass); !s) return fail(s.error());
  if (auto s = files::writeAtomically(dir + "/manifest.json", asBytes(manifest(*issuer, now))); !s) return fail(s.error());
  std::cout << "keys: root " << toHex(root->publicKey().kid()) << " (EdDSA), issuer " << toHex(issuer->publicKey().kid())
            << " (" << crypto::algName(alg) << "), encrypted at rest; manifest " << dir << "/manifest.json\n";
  return 0;
}

int issue(const std::string& dir, std::int64_t now) {
  auto pass = passphrase();
  if (!pass) return fail(pass.error());
  auto pem = files::read(dir + "/issuer.pem");
  if (!pem) return fail(pem.error());
  auto key = crypto::PrivateKey::fromPem(*pem, *pass);
  if (!key) return fail(key.error());

  zc1::Credential c;
  c.iss = kIss;
  c.iat = static_cast<std::uint64_t>(now);
  c.certNo = "650100-2026-000001";
  c.holderName = "张三";
  c.catalogueVersion = 1;
  zc1::TitleBody title;
  title.series = 5;       // 工程技术
  title.specialty = 501;  // 化工（含制药）
  title.level = 4;        // 副高级: 高级工程师
  title.route = 1;        // 评审
  title.grantDate = static_cast<std::uint64_t>(now / 86400);
  title.approvalNo = "新高人社职〔2026〕12号";
  c.body = title;
  auto binding = idh::derive(*idh::normalize(kHolderId), c.certNo);
  if (!binding) return fail(binding.error());
  c.idh = *binding;

  auto text = zc1::issue(c, *key);
  if (!text) return fail(text.error());
  auto matrix = qr::encode(*text);
  if (!matrix) return fail(matrix.error());
  if (auto s = files::writeAtomically(dir + "/cert.txt", asBytes(*text + "\n")); !s) return fail(s.error());
  if (auto s = files::writeAtomically(dir + "/cert.png", qr::toPng(*matrix)); !s) return fail(s.error());
  std::cout << "issued " << c.certNo << " to " << c.holderName << " (ID " << idh::masked(*idh::normalize(kHolderId))
            << "): " << text->size() << " characters, QR version " << matrix->version << "-M\n"
            << *text << "\n"
            << "QR image: " << dir << "/cert.png\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));  // the demo's edge: the real clock
  const std::string verb = argc > 1 ? argv[1] : "";
  // The issuer default (ZC1.md §2) unless named.
  const auto alg = argc > 3 ? crypto::algFromName(argv[3]) : Result<crypto::Alg>(crypto::Alg::SM2_SM3);
  if (verb == "keys" && argc >= 3 && alg) return keys(argv[2], *alg, now);
  if (verb == "issue" && argc == 3) return issue(argv[2], now);
  std::cerr << "usage: titlecert-demo keys DIR [SM2-SM3|EdDSA|ES256]\n       titlecert-demo issue DIR\n";
  return 2;
}
