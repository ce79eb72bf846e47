// titlecert-verify --config: a terminal set up by a signed terminal
// configuration, with its state file (CONTRACT.md, "Terminals").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "titlecert/terminal_config.h"
#include "titlecert/terminal_state.h"
#include "titlecert/verifier.h"

namespace titlecert::cli {

struct TerminalRequest {
  std::string configPath;
  std::string statePath;
  std::string bundlePath;  // empty: the newest valid bundle in the configuration's bundle_dir
  std::int64_t now = 0;
};

struct Terminal {
  verifier::Verifier verifier;
  terminal::Config config;
  terminal::State state;    // as written once the configuration and bundle were accepted
  std::string bundlePath;   // the bundle in use
};

// Accepts the configuration (signed by a root the state trusts, or on a fresh
// terminal by one of its own roots; not below the accepted version:
// CONFIG_ROLLBACK), picks the bundle, records versions, roots and clock floor
// in the state, then refuses a bundle too far past its next-update
// (BUNDLE_TOO_OLD).
Result<Terminal> openTerminal(const TerminalRequest& request);

// --watch between lines: the newest valid bundle in config.bundleDir when
// its version is above state.bundleVersion (anti-rollback: never an equal or
// older one), with the state's bundle version and clock floor raised to it
// and written. nullopt when there is none (no bundle_dir, the folder is gone,
// nothing newer); an error only when the state cannot be written.
Result<std::optional<verifier::Verifier>> pickUpNewerBundle(const terminal::Config& config, const std::string& statePath,
                                                            terminal::State& state);

// BUNDLE_TOO_OLD when now is more than config.maxBundleAgeDays past the
// bundle's next-update.
Status checkBundleAge(const bundle::Contents& bundle, const terminal::Config& config, std::int64_t now);

// Raises the clock floor to signedTime (a verified credential's iat) and
// writes the state if it moved.
Status raiseClockFloor(const std::string& statePath, terminal::State& state, std::int64_t signedTime);

}  // namespace titlecert::cli
