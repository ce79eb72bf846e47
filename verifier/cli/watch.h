// titlecert-verify --watch: the scanner-terminal mode (CONTRACT.md,
// "Terminals"). Payload lines from a file descriptor (standard input: a pipe,
// or a tty with a USB HID or serial scanner), one verdict line each, written
// and flushed before the next line is read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "terminal.h"
#include "titlecert/verifier.h"

namespace titlecert::cli {

struct WatchOptions {
  std::optional<std::int64_t> fixedNow;  // --now; otherwise the clock is read for each line
  verifier::VerifyOptions verify;
  verifier::Lang lang = verifier::Lang::Zh;
  bool json = false;                      // one JSON object per line instead of a text line
};

// With a terminal (--config): its configuration and state, and where the
// state is kept. Between lines a newer bundle in bundle_dir is taken up, the
// bundle's age is checked (BUNDLE_TOO_OLD verdicts while it is too old), and
// the clock floor follows the signed times seen.
struct WatchTerminal {
  terminal::Config config;
  terminal::State state;
  std::string statePath;
};

struct WatchSummary {
  bool anyInvalid = false;
  std::optional<Error> stateError;  // the state could not be written: the watch stopped
};

WatchSummary runWatch(verifier::Verifier verifier, std::optional<WatchTerminal> terminal, const WatchOptions& options,
                      int inFd);

// The clock's now, the one place --watch reads it.
std::int64_t clockNow();

}  // namespace titlecert::cli
