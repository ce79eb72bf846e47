// The verifier's tamper table: at least one input per result code (forged,
// altered, out of scope, expired, revoked, ...), each with the code the
// verifier must answer at kNow over world()'s bundle. verifier_test checks
// it natively; make_fixture writes it (tamper.json) for the WebAssembly
// verifier's run under node.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "titlecert/result.h"

namespace titlecert::testing {

struct TamperRow {
  std::string name;
  Code expected;
  std::string text;                 // the scanned text
  std::optional<std::string> id;    // the holder's ID number, when the row checks binding
};

std::vector<TamperRow> tamperRows();

// Every failure code the table must produce at least once.
inline constexpr Code kTamperCodes[] = {
    Code::NOT_ZC1,      Code::BAD_ENCODING, Code::BAD_CBOR,        Code::BAD_COSE,        Code::UNKNOWN_KID,
    Code::BAD_SIGNATURE, Code::BAD_CLAIMS,  Code::UNSUPPORTED_VERSION, Code::KEY_NOT_VALID, Code::OUT_OF_SCOPE,
    Code::NOT_YET_VALID, Code::EXPIRED,     Code::REVOKED,         Code::NOT_RECOGNIZED,  Code::HOLDER_MISMATCH};

}  // namespace titlecert::testing
