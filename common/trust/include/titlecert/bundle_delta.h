// Bundle deltas (docs/bundle-delta.md): what a terminal holding bundle
// version N needs to rebuild version N+k byte for byte, signed by the same
// root key as the bundles. The delta edits the old bundle's bytes (copies of
// old ranges and new bytes), names both bundles by their SHA-256 and
// versions, and is checked before anything is applied; the rebuilt bundle is
// then opened like any other (bundle::open), so its own root signature is
// checked too.
#pragma once

#include <cstddef>
#include <cstdint>

#include "titlecert/bytes.h"
#include "titlecert/crypto.h"
#include "titlecert/result.h"

namespace titlecert::bundle {

// A delta is never larger than this (a delta bigger than a bundle is
// pointless: the bundle itself is sent).
inline constexpr std::size_t kMaxDeltaBytes = 4 << 20;
inline constexpr std::size_t kMaxDeltaOps = 1 << 16;

// The delta from `from` to `to` (two bundles signed by `root`, `to` of a
// higher version), signed by `root`. BAD_BUNDLE when either bundle does not
// read, BUNDLE_ROLLBACK when `to` is not newer than `from`. The bundles'
// signatures are not checked here: the verifier checks the result.
Result<Bytes> makeDelta(ByteView from, ByteView to, const crypto::PrivateKey& root);

// The bundle `delta` rebuilds from `from`, whose bytes are checked to be the
// ones the delta starts from. BAD_BUNDLE for a delta not signed by `root`
// (kid and signature), malformed, made for another bundle, or whose result
// differs from what it promises; BUNDLE_ROLLBACK for a delta that does not
// move to a higher version.
Result<Bytes> applyDelta(ByteView from, ByteView delta, const crypto::PublicKey& root);

}  // namespace titlecert::bundle
