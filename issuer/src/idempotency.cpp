// Idempotency-Key on POST /v1/certificates: a client that retries after a
// lost answer gets the first answer again instead of a second certificate.
// Keys are per token (one clerk cannot read another's answer) and kept in
// the database, so a restart or another instance answers the same.
#include <Poco/Logger.h>

#include <algorithm>

#include "parts.h"
#include "store/records.h"
#include "titlecert/crypto.h"

namespace titlecert::issuer {
namespace {

constexpr std::size_t kMaxKeyLength = 255;

std::string keyHash(std::string_view key, const Actor& by) {
  return toHex(crypto::sha256(asBytes(std::to_string(by.tokenId) + "|" + std::string(key))));
}

}  // namespace

Expected<std::optional<Service::StoredAnswer>> Service::claimIdempotencyKey(std::string_view key, std::string_view body,
                                                                          const Actor& by) {
  if (key.empty() || key.size() > kMaxKeyLength ||
      !std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
    return badRequest("Idempotency-Key", "Idempotency-Key: 1..255 visible ASCII characters");
  const std::string hash = keyHash(key, by);
  const std::string requestHash = toHex(crypto::sha256(asBytes(body)));
  const std::int64_t at = parts_->clock.now();
  return parts_->storage->write<std::optional<StoredAnswer>>(
      [&](store::Tx& tx) -> Expected<std::optional<StoredAnswer>> {
        std::optional<store::IdempotentAnswer> found = store::idempotentAnswer(tx, hash);
        if (!found) {
          store::claimIdempotencyKey(tx, hash, requestHash, at);
          return std::optional<StoredAnswer>{};
        }
        if (found->requestHash != requestHash)
          return conflict("this Idempotency-Key was used with another request body");
        if (found->status == 0) return conflict("the first request with this Idempotency-Key is still running");
        return std::optional<StoredAnswer>(StoredAnswer{found->status, found->body});
      });
}

// A server-side failure (5xx) is not an answer to keep: the key is released
// so that the client's retry is carried out.
void Service::settleIdempotencyKey(std::string_view key, const Actor& by, int status, const std::string& body) {
  const std::string hash = keyHash(key, by);
  auto settled = parts_->storage->write<Done>([&](store::Tx& tx) -> Completion {
    if (status >= 500)
      store::releaseIdempotencyKey(tx, hash);
    else
      store::settleIdempotencyKey(tx, hash, status, body);
    return success();
  });
  if (!settled) Poco::Logger::get("titlecert.issuer").error("an Idempotency-Key answer was not stored: " + settled.error().message);
}

}  // namespace titlecert::issuer
