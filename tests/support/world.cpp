#include "support/world.h"

#include <cstdlib>
#include <map>
#include <mutex>

#include "titlecert/catalogue_json.h"
#include "titlecert/idh.h"

namespace titlecert::testing {
namespace {

crypto::PrivateKey must(Result<crypto::PrivateKey> r) {
  if (!r) std::abort();
  return std::move(r).value();
}

bundle::Scope everything() {
  bundle::Scope s;
  s.titles = true;
  s.qualifications = true;
  return s;
}

bundle::IssuerEntry entry(const std::string& iss, const std::string& region, const crypto::PrivateKey& key,
                          bundle::Scope scope, const char* zh, const char* en) {
  return bundle::IssuerEntry{iss, {zh, en}, region, key.publicKey(), kKeyValidFrom, kKeyValidTo, std::move(scope)};
}

World build() {
  World w{must(crypto::PrivateKey::generate(crypto::Alg::EdDSA)),
          must(crypto::PrivateKey::generate(crypto::Alg::SM2_SM3)),
          must(crypto::PrivateKey::generate(crypto::Alg::EdDSA)),
          must(crypto::PrivateKey::generate(crypto::Alg::ES256)),
          must(crypto::PrivateKey::generate(crypto::Alg::EdDSA)),
          must(crypto::PrivateKey::generate(crypto::Alg::ES256)),
          must(crypto::PrivateKey::generate(crypto::Alg::EdDSA)),
          {}};
  auto& c = w.contents;
  c.version = 7;
  c.issuedAt = kBundleIssuedAt;
  c.nextUpdate = kBundleNextUpdate;
  auto cat = catalogue::loadDefault();
  if (!cat) std::abort();
  c.catalogue = std::move(cat).value();
  const char* bureauZh = "乌鲁木齐高新区人力资源和社会保障局";
  const char* bureauEn = "Urumqi High-tech Zone HRSS Bureau";
  c.issuers.push_back(entry(kHomeIss, "650100", w.home, everything(), bureauZh, bureauEn));
  c.issuers.push_back(entry(kHomeIss, "650100", w.homeEd, everything(), bureauZh, bureauEn));
  c.issuers.push_back(entry(kHomeIss, "650100", w.homeEs, everything(), bureauZh, bureauEn));
  bundle::Scope autonomous;  // measure 1: enterprise autonomous review, 化工（含制药）
  autonomous.titles = true;
  autonomous.series = std::vector<std::uint64_t>{5};
  autonomous.specialties = std::vector<std::uint64_t>{501};
  autonomous.maxLevel = 3;
  c.issuers.push_back(entry(kEnterpriseIss, "650100", w.enterprise, autonomous, "新疆某生物医药有限公司（自主评审）",
                            "Xinjiang Biomedical Co. (autonomous review)"));
  c.issuers.push_back(entry(kGuangdongIss, "440100", w.guangdong, everything(), "广州市人力资源和社会保障局", "Guangzhou HRSS Bureau"));
  c.issuers.push_back(entry(kAbroadIss, "990000", w.abroad, everything(), "某地人社局", "Some other region's bureau"));
  c.recognition.homeRegion = "650100";
  c.recognition.acceptRegions = {"65*", "44*"};
  c.revocation.push_back(bundle::makeStatusList(kHomeIss, kHomeStatusIssued, {13}).value());
  return w;
}

// scrypt costs ~60 ms by design: derive each binding once per process.
idh::Idh bindingFor(const std::string& certNo) {
  static std::map<std::string, idh::Idh> cache;
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(certNo);
  if (it == cache.end()) it = cache.emplace(certNo, *idh::derive(*idh::normalize(kHolderId), certNo)).first;
  return it->second;
}

}  // namespace

Bytes World::signedBundle() const {
  auto b = bundle::sign(contents, root);
  if (!b) std::abort();
  return *b;
}

const World& world() {
  static const World w = build();
  return w;
}

zc1::Credential sampleTitle(const std::string& iss) {
  zc1::Credential c;
  c.iss = iss;
  c.iat = static_cast<std::uint64_t>(kNow - 86400);
  c.certNo = "650100-2026-000001";
  c.holderName = "张三";
  c.catalogueVersion = 1;
  c.statusIndex = 0;
  zc1::TitleBody t;
  t.series = 5;
  t.specialty = 501;
  t.level = 4;
  t.route = 1;
  t.grantDate = 20777;  // 2026-11-20
  c.body = t;
  c.idh = bindingFor(c.certNo);
  return c;
}

zc1::Credential sampleQualification(const std::string& iss) {
  zc1::Credential c = sampleTitle(iss);
  c.certNo = "650100-2026-Q00001";
  zc1::QualificationBody q;
  q.qualification = 201;  // 电工
  q.level = 3;            // 高级工
  q.dateObtained = 19538; // 2023-06-30
  c.body = q;
  c.idh = bindingFor(c.certNo);
  return c;
}

std::string issueText(const zc1::Credential& c, const crypto::PrivateKey& key) {
  auto text = zc1::issue(c, key);
  if (!text) std::abort();
  return *text;
}

}  // namespace titlecert::testing
