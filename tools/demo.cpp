// titlecert-demo: the foundation end to end, in one process — generate an
// issuer key, issue a title certificate, print its ZC1 text, and open it
// again against a trust list holding that key (ZC1.md).
#include <cstdio>
#include <ctime>
#include <iostream>

#include "titlecert/crypto.h"
#include "titlecert/idh.h"
#include "titlecert/zc1.h"

using namespace titlecert;

namespace {

int fail(const Error& e) {
  std::cerr << "titlecert-demo: " << codeName(e.code) << ": " << e.detail << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  crypto::Alg alg = crypto::Alg::SM2_SM3;  // the issuer default (ZC1.md §2)
  if (argc > 1 && !crypto::algFromName(argv[1], alg)) {
    std::cerr << "usage: titlecert-demo [SM2-SM3|EdDSA|ES256]\n";
    return 2;
  }
  const std::uint64_t now = static_cast<std::uint64_t>(std::time(nullptr));

  auto key = crypto::PrivateKey::generate(alg);
  if (!key) return fail(key.error());

  zc1::Credential c;
  c.iss = "CN-65-GXQ";
  c.iat = now;
  c.certNo = "650100-2026-000001";
  c.holderName = "张三";
  c.catalogueVersion = 1;
  zc1::TitleBody title;
  title.series = 5;       // 工程技术
  title.specialty = 501;  // 化工（含制药）
  title.level = 4;        // 副高级: 高级工程师
  title.route = 1;        // 评审
  title.grantDate = now / 86400;
  c.body = title;

  const std::string idNumber = "CN:650102199001011239";
  auto normalized = idh::normalize(idNumber);
  if (!normalized) return fail(normalized.error());
  auto binding = idh::derive(*normalized, c.certNo);
  if (!binding) return fail(binding.error());
  c.idh = *binding;

  auto text = zc1::issue(c, *key);
  if (!text) return fail(text.error());
  std::cout << "issuer key: " << crypto::algName(alg) << ", kid " << toHex(key->publicKey().kid()) << "\n"
            << "certificate " << c.certNo << " (" << text->size() << " characters):\n"
            << *text << "\n";

  zc1::KeyList trust;
  trust.add(zc1::TrustedKey{c.iss, key->publicKey(), static_cast<std::int64_t>(now - 60),
                            static_cast<std::int64_t>(now + 86400), 0});
  auto opened = zc1::open(*text, trust);
  if (!opened) return fail(opened.error());
  const auto& got = opened->credential();
  const bool holderMatches = got.idh == *binding;
  std::cout << "verified: " << codeName(Code::OK) << " — " << codeZh(Code::OK) << "\n"
            << "  holder " << got.holderName << " (ID " << idh::masked(*normalized)
            << (holderMatches ? " matches" : " does NOT match") << ")\n"
            << "  series " << got.title()->series << ", specialty " << got.title()->specialty << ", level "
            << got.title()->level << ", issuer " << got.iss << "\n";
  return holderMatches ? 0 : 1;
}
