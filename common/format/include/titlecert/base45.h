// Base45 (RFC 9285), strict: only the 45-character alphabet (upper case,
// space included), no length of the form 3n+1, no triplet above 65535 and no
// pair above 255. Any violation is Code::BAD_ENCODING.
#pragma once

#include <string>
#include <string_view>

#include "titlecert/bytes.h"
#include "titlecert/result.h"

namespace titlecert::base45 {

std::string encode(ByteView data);
Result<Bytes> decode(std::string_view text);
// Exact decoded size of a well-formed text of this length (for limits
// checked before decoding); SIZE_MAX when the length is impossible.
std::size_t decodedSize(std::size_t textLength);

}  // namespace titlecert::base45
