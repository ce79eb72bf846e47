// POST /v1/verify: a JSON text or an image in, the JSON of
// `titlecert-verify --json` out. Never logs or keeps the payload.
#pragma once

#include <cstdint>
#include <string>

#include "http_reply.h"
#include "titlecert/checkd/server.h"

namespace titlecert::checkd {

struct VerifyRequest {
  std::string mediaType;     // already checked to be JSON, PNG or JPEG
  std::string body;
  std::string idHeader;      // X-Titlecert-Id, the holder ID for an image
  verifier::Lang lang = verifier::Lang::Zh;
  std::int64_t now = 0;
};

bool isImageType(const std::string& mediaType);
bool isJsonType(const std::string& mediaType);

Reply verifyRequest(const LoadedBundle& trust, const ServerConfig& config, const VerifyRequest& request);

}  // namespace titlecert::checkd
