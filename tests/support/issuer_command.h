// Runs the titlecert-issuer binary the test was built with (the test target
// defines TITLECERT_ISSUER_BIN) with the world's passphrase, at most 60 s.
#pragma once

#include <string>

#include "support/command.h"
#include "support/issuer_fixture.h"

namespace titlecert::testing {

inline CommandRun issuerCommand(const IssuerWorld& w, const std::string& arguments) {
  return runCommand("TITLECERT_PASSPHRASE=" + shellQuote(w.passphrase) + " timeout 60 " + shellQuote(TITLECERT_ISSUER_BIN) +
                    " " + arguments);
}

}  // namespace titlecert::testing
