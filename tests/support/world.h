// A small trust world for tests, benches and fuzz seeds: a root key, issuer
// keys for every algorithm, an enterprise with autonomous review rights
// scoped to 工程/化工（含制药）up to 中级, an issuer from another accepted
// region and one from a region not accepted — and a signed bundle over them.
// Fixed times: nothing here reads the clock.
#pragma once

#include <string>

#include "titlecert/bundle.h"
#include "titlecert/crypto.h"
#include "titlecert/zc1.h"

namespace titlecert::testing {

// 2026-11-27T00:00:00Z, the bundle's issued_at; next_update a month later.
inline constexpr std::int64_t kBundleIssuedAt = 1795737600;
inline constexpr std::int64_t kBundleNextUpdate = kBundleIssuedAt + 30 * 86400;
inline constexpr std::int64_t kNow = kBundleIssuedAt + 3600;
// Issuer keys are valid 2026-01-01 .. 2031-01-01.
inline constexpr std::int64_t kKeyValidFrom = 1767225600;
inline constexpr std::int64_t kKeyValidTo = 1924992000;

inline const std::string kHomeIss = "CN-65-GXQ";
// The status indices the world's bundle covers for kHomeIss; 13 is revoked.
inline constexpr std::uint64_t kHomeStatusIssued = 100000;
inline const std::string kEnterpriseIss = "CN-65-GXQ-E0001";
inline const std::string kGuangdongIss = "CN-44-RSJ";
inline const std::string kAbroadIss = "CN-99-XX";
inline const std::string kHolderId = "CN:650102199001011239";

struct World {
  crypto::PrivateKey root;
  crypto::PrivateKey home;        // SM2, iss kHomeIss, everything in scope
  crypto::PrivateKey homeEd;      // Ed25519, same iss
  crypto::PrivateKey homeEs;      // ES256, same iss
  crypto::PrivateKey enterprise;  // Ed25519: titles, series 5, specialty 501, max level 3
  crypto::PrivateKey guangdong;   // region 440100, accepted by "44*"
  crypto::PrivateKey abroad;      // region 990000, not accepted
  bundle::Contents contents;      // version 7, catalogue = the shipped default

  Bytes signedBundle() const;     // contents signed by root
};

// Keys are generated once per process (they are slow for SM2) and shared.
const World& world();

// A valid 高级工程师 (series 5, specialty 501, level 4, route review) title
// for 张三 with idh bound to kHolderId, iat = kNow - 1 day.
zc1::Credential sampleTitle(const std::string& iss = kHomeIss);
// A skill credential: qualification 201 at level 3 (高级工), obtained 2023-06-30.
zc1::Credential sampleQualification(const std::string& iss = kHomeIss);

std::string issueText(const zc1::Credential& c, const crypto::PrivateKey& key);

}  // namespace titlecert::testing
