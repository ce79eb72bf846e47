// COSE_Sign1 (RFC 9052 §4.2, §4.4): the general structure used by the
// conformance tests, and signing with the ZC1 header layout (ZC1.md §2).
// The stricter ZC1 reading of a COSE_Sign1 lives in zc1.h.
#pragma once

#include <optional>

#include "titlecert/bytes.h"
#include "titlecert/cbor.h"
#include "titlecert/crypto.h"
#include "titlecert/result.h"

namespace titlecert::cose {

inline constexpr std::uint64_t kSign1Tag = 18;
inline constexpr std::int64_t kHeaderAlg = 1;
inline constexpr std::int64_t kHeaderCrit = 2;
inline constexpr std::int64_t kHeaderKid = 4;

// A COSE_Sign1 as it came off the wire.
struct Sign1 {
  bool tagged = false;
  Bytes protectedBytes;          // the protected bstr's content, as received
  cbor::Value protectedHeader;   // decoded map; an empty bstr reads as {}
  cbor::Value unprotectedHeader; // map
  std::optional<Bytes> payload;  // nullopt: detached (nil) payload
  Bytes signature;
};

// The same message read in place: the byte strings are views into the
// encoded message, which must outlive it (a bundle's 100 KB payload is then
// neither copied nor decoded into a tree before the signature is checked).
struct Sign1View {
  bool tagged = false;
  ByteView protectedBytes;
  cbor::Value protectedHeader;
  cbor::Value unprotectedHeader;
  std::optional<ByteView> payload;
  ByteView signature;
};

// Reads a COSE_Sign1, tagged 18 or untagged, through the general CBOR decoder
// (options pick the profile). BAD_CBOR for bad CBOR, BAD_COSE for any other
// tag or a shape that is not [bstr, map, bstr / nil, bstr] with a map in
// the protected bstr.
Result<Sign1> parseSign1(ByteView encoded, const cbor::DecodeOptions& options = {});
// The same checks and errors, without copying the byte strings.
Result<Sign1View> parseSign1View(ByteView encoded, const cbor::DecodeOptions& options = {});
// A view of a temporary would point at freed bytes.
Result<Sign1View> parseSign1View(Bytes&& encoded, const cbor::DecodeOptions& options = {}) = delete;

// ["Signature1", protected, external_aad, payload] (RFC 9052 §4.4).
Bytes sigStructure(ByteView protectedBytes, ByteView externalAad, ByteView payload);

// The algorithm named by a header map's label 1; UNSUPPORTED_ALG when it is
// text or not in ZC1.md §2, BAD_COSE when absent.
Result<crypto::Alg> headerAlg(const cbor::Value& header);
// The same for an alg label already found: its value when it is an integer
// that fits int64, nullopt for text or any other item.
Result<crypto::Alg> algFromHeaderValue(std::optional<std::int64_t> value);

// Verifies msg's signature with key; the alg (from the protected header, or
// from the unprotected one if the caller allows it, as the general RFC does)
// must match the key's type: otherwise UNSUPPORTED_ALG.
Status verify(const Sign1& msg, const crypto::PublicKey& key, ByteView externalAad = {},
              bool allowUnprotectedAlg = false);
Status verify(const Sign1View& msg, const crypto::PublicKey& key, ByteView externalAad = {},
              bool allowUnprotectedAlg = false);

// Signs payload as a tagged COSE_Sign1 with protected {1: alg, 4: kid} and an
// empty unprotected map (ZC1.md §2). kid is the key's derived kid.
Result<Bytes> sign(const crypto::PrivateKey& key, ByteView payload);

}  // namespace titlecert::cose
