// The signed terminal configuration (CONTRACT.md, "Terminals"): which roots a
// terminal trusts, how old a bundle it may still use, its language and where
// it picks up bundle updates. A COSE_Sign1 over deterministic CBOR, signed
// by a root key, like the trust bundle.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/crypto.h"
#include "titlecert/result.h"

namespace titlecert::terminal {

// A bound on max_bundle_age_days (ten years) so that day arithmetic never overflows.
inline constexpr std::uint64_t kMaxBundleAgeDaysLimit = 3650;
inline constexpr std::size_t kMaxConfigBytes = 64 * 1024;

struct Config {
  std::uint64_t version = 0;                // monotonic, from 1
  std::vector<crypto::PublicKey> roots;     // at least one
  std::uint64_t maxBundleAgeDays = 0;
  std::string lang = "zh";                  // "zh" | "en"
  std::string bundleDir;                    // may be empty: no update folder
};

// BAD_CONFIG when a field is out of its range (no root, version 0, lang not
// zh/en, max_bundle_age_days over the limit).
Status validate(const Config& c);

// Signs the configuration's deterministic CBOR map with root.
Result<Bytes> sign(const Config& c, const crypto::PrivateKey& root);

// Opens a configuration signed by one of trustedRoots (matched by kid, then
// the signature checked). BAD_CONFIG for anything else. signerKid receives
// the kid of the root that signed it.
Result<Config> open(ByteView bytes, const std::vector<crypto::PublicKey>& trustedRoots, crypto::Kid* signerKid = nullptr);

// Decodes WITHOUT checking the signature (a terminal's first configuration is
// then checked against its own roots). Nothing read this way may be trusted.
Result<Config> decodeUnverified(ByteView bytes, crypto::Kid& signerKid);

}  // namespace titlecert::terminal
