#include "terminal.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>

#include "titlecert/files.h"

namespace titlecert::cli {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
// A bundle_dir may hold other files (the configuration, notes): only files up
// to a bundle's size are tried.
constexpr std::uintmax_t kMaxCandidateBytes = 16u << 20;

Result<std::vector<crypto::PublicKey>> trustedRoots(const terminal::State& s) {
  std::vector<crypto::PublicKey> roots;
  for (const auto& der : s.roots) {
    auto key = crypto::PublicKey::fromSpkiDer(der);
    if (!key) return makeError(Code::BAD_STATE, "terminal state: a root key does not load: " + key.error().detail);
    roots.push_back(std::move(*key));
  }
  return roots;
}

std::vector<Bytes> spkisOf(const std::vector<crypto::PublicKey>& roots) {
  std::vector<Bytes> out;
  for (const auto& r : roots) out.push_back(r.spkiDer());
  return out;
}

// A fresh terminal takes its first configuration as provisioned: it must be
// signed by one of the roots it names. Later ones must be signed by a root
// the state trusts, which is how a new root set arrives.
Result<terminal::Config> acceptConfig(ByteView bytes, const terminal::State& state) {
  std::vector<crypto::PublicKey> roots;
  if (state.fresh()) {
    crypto::Kid kid{};
    TC_ASSIGN(auto claimed, terminal::decodeUnverified(bytes, kid));
    roots = claimed.roots;
  } else {
    TC_ASSIGN(roots, trustedRoots(state));
  }
  TC_ASSIGN(auto config, terminal::open(bytes, roots));
  if (config.version < state.configVersion)
    return makeError(Code::CONFIG_ROLLBACK, "terminal configuration version " + std::to_string(config.version) +
                                                " is below the accepted version " + std::to_string(state.configVersion));
  if (config.version == state.configVersion && spkisOf(config.roots) != state.roots)
    return makeError(Code::BAD_CONFIG, "terminal configuration version " + std::to_string(config.version) +
                                           " was accepted before with other roots");
  return config;
}

// The bundle signed by one of roots, not below minVersion.
Result<verifier::Verifier> openBundle(const std::string& path, const std::vector<crypto::PublicKey>& roots,
                                      std::uint64_t minVersion) {
  TC_ASSIGN(auto bytes, files::read(path, kMaxCandidateBytes));
  Error last = makeError(Code::BAD_BUNDLE, "no root");
  for (const auto& root : roots) {
    auto v = verifier::Verifier::create(asBytes(bytes), root, minVersion);
    if (v) return v;
    last = v.error();
    if (last.code == Code::BUNDLE_ROLLBACK) break;  // the signature checked: no other root can help
  }
  last.detail = path + ": " + last.detail;
  return last;
}

// The newest valid bundle among the folder's files; forged, unreadable and
// older ones are skipped.
Result<std::pair<verifier::Verifier, std::string>> newestIn(const std::string& dir, const std::vector<crypto::PublicKey>& roots,
                                                            std::uint64_t minVersion) {
  std::error_code ec;
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file(ec) && entry.file_size(ec) <= kMaxCandidateBytes) paths.push_back(entry.path().string());
  if (ec) return makeError(Code::IO_ERROR, "bundle_dir " + dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::optional<std::pair<verifier::Verifier, std::string>> best;
  for (const auto& p : paths) {
    auto v = openBundle(p, roots, minVersion);
    if (!v) continue;
    if (!best || v->contents().version > best->first.contents().version) best.emplace(std::move(*v), p);
  }
  if (!best) return makeError(Code::BAD_BUNDLE, "no valid bundle in bundle_dir " + dir);
  return std::move(*best);
}

Result<std::pair<verifier::Verifier, std::string>> chooseBundle(const TerminalRequest& r, const terminal::Config& c,
                                                                std::uint64_t minVersion) {
  if (!r.bundlePath.empty()) {
    TC_ASSIGN(auto v, openBundle(r.bundlePath, c.roots, minVersion));
    return std::pair{std::move(v), r.bundlePath};
  }
  if (c.bundleDir.empty()) return makeError(Code::BAD_CONFIG, "no --bundle given and the configuration names no bundle_dir");
  return newestIn(c.bundleDir, c.roots, minVersion);
}

}  // namespace

Result<Terminal> openTerminal(const TerminalRequest& r) {
  TC_ASSIGN(auto state, terminal::readState(r.statePath));
  TC_ASSIGN(auto configBytes, files::read(r.configPath, terminal::kMaxConfigBytes));
  TC_ASSIGN(auto config, acceptConfig(asBytes(configBytes), state));
  TC_ASSIGN(auto chosen, chooseBundle(r, config, state.bundleVersion));
  const auto& b = chosen.first.contents();

  terminal::State next = state;
  next.configVersion = config.version;
  next.roots = spkisOf(config.roots);
  next.bundleVersion = std::max(state.bundleVersion, b.version);
  next.clockFloor = std::max(state.clockFloor, b.issuedAt);
  if (next != state) TC_TRY(terminal::writeState(r.statePath, next));

  TC_TRY(checkBundleAge(b, config, std::max(r.now, next.clockFloor)));
  return Terminal{std::move(chosen.first), std::move(config), std::move(next), std::move(chosen.second)};
}

Status checkBundleAge(const bundle::Contents& b, const terminal::Config& c, std::int64_t now) {
  // Saturating: a signed configuration may allow any u64 number of days, and
  // next-update may be near the end of time; neither may overflow.
  constexpr auto kMaxDays = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / kSecondsPerDay);
  const std::int64_t grace = c.maxBundleAgeDays > kMaxDays ? std::numeric_limits<std::int64_t>::max()
                                                             : static_cast<std::int64_t>(c.maxBundleAgeDays) * kSecondsPerDay;
  std::int64_t limit = 0;
  if (__builtin_add_overflow(b.nextUpdate, grace, &limit)) limit = std::numeric_limits<std::int64_t>::max();
  if (now > limit)
    return makeError(Code::BUNDLE_TOO_OLD, "bundle version " + std::to_string(b.version) + " is more than " +
                                               std::to_string(c.maxBundleAgeDays) + " days past its next-update");
  return Status::Ok();
}

Result<std::optional<verifier::Verifier>> pickUpNewerBundle(const terminal::Config& config, const std::string& statePath,
                                                            terminal::State& state) {
  if (config.bundleDir.empty()) return std::optional<verifier::Verifier>();
  auto newer = newestIn(config.bundleDir, config.roots, state.bundleVersion + 1);
  if (!newer) return std::optional<verifier::Verifier>();  // nothing newer, or the stick was pulled out
  const auto& b = newer->first.contents();
  terminal::State next = state;
  next.bundleVersion = b.version;
  next.clockFloor = std::max(state.clockFloor, b.issuedAt);
  TC_TRY(terminal::writeState(statePath, next));
  state = next;
  return std::optional<verifier::Verifier>(std::move(newer->first));
}

Status raiseClockFloor(const std::string& statePath, terminal::State& state, std::int64_t signedTime) {
  if (signedTime <= state.clockFloor) return Status::Ok();
  terminal::State next = state;
  next.clockFloor = signedTime;
  TC_TRY(terminal::writeState(statePath, next));
  state = next;
  return Status::Ok();
}

}  // namespace titlecert::cli
