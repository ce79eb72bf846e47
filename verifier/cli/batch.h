// Batch mode of titlecert-verify (`-`): payload strings on one file
// descriptor, one per line; one JSON object per line on another, in input order.
#pragma once

#include <cstdint>

#include "titlecert/verifier.h"

namespace titlecert::cli {

struct BatchOptions {
  std::int64_t now = 0;
  verifier::VerifyOptions verify;
  verifier::Lang lang = verifier::Lang::Zh;
  unsigned jobs = 1;  // threads verifying at once; the output order never depends on it
};

struct BatchSummary {
  bool anyInvalid = false;
  bool writeFailed = false;
  std::int64_t latestSignedTime = 0;  // the latest iat among verified credentials (the clock floor follows it)
};

// Reads until end of input. Output is written in large blocks, and always
// before a read that would wait for more input, so a producer that sends a
// line and waits for its answer still gets it at once.
BatchSummary runBatch(const verifier::Verifier& v, const BatchOptions& options, int inFd, int outFd);

// The number of threads `--jobs N` means: N, or every core for 0.
unsigned resolveJobs(unsigned requested);

}  // namespace titlecert::cli
