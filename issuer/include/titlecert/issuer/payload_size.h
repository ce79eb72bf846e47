// How long a credential's "ZC1:" text will be, computed without signing
// (every signature is 64 bytes), and how long a text a QR code of a given
// version holds at level M: the issuer refuses a payload too large to scan
// before it allocates a number.
#pragma once

#include <cstddef>

#include "titlecert/crypto.h"
#include "titlecert/zc1.h"

namespace titlecert::issuer {

// Exact length of the "ZC1:" text for a credential signed with alg
// (SIZE_MAX when the credential does not encode).
std::size_t payloadTextLength(const zc1::Credential& c, crypto::Alg alg);
// The longest text a QR of `maxVersion` at level M holds (alphanumeric).
std::size_t maxTextForVersion(int maxVersion);

}  // namespace titlecert::issuer
