#include "verify_endpoint.h"

#include <nlohmann/json.hpp>

#include "titlecert/checkd/limits.h"
#include "titlecert/idh.h"
#include "titlecert/scan.h"

namespace titlecert::checkd {
namespace {

using Json = nlohmann::json;

bool holderIdIsWellFormed(const std::string& id) { return idh::normalize(id).ok(); }

Reply verifyText(const LoadedBundle& trust, const VerifyRequest& request) {
  const Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return errorReply(400, "BAD_JSON", "the body is not a JSON object");
  if (!body.contains("text") || !body["text"].is_string())
    return errorReply(400, "BAD_JSON", "\"text\" must be a string");
  verifier::VerifyOptions options;
  if (body.contains("id") && !body["id"].is_null()) {
    if (!body["id"].is_string()) return errorReply(400, "BAD_JSON", "\"id\" must be a string");
    const auto id = body["id"].get<std::string>();
    if (!id.empty()) {
      if (!holderIdIsWellFormed(id)) return errorReply(400, "BAD_ID_NUMBER", "the ID number is malformed");
      options.idNumber = id;
    }
  }
  const auto outcome = trust.verifier.verify(body["text"].get<std::string>(), request.now, options);
  return Reply{200, "application/json", trust.verifier.toJson(outcome, "text", request.lang), {}};
}

Reply verifyImage(const LoadedBundle& trust, const ServerConfig& config, const VerifyRequest& request) {
  const ByteView bytes = asBytes(request.body);
  const auto size = readImageSize(bytes);
  if (!size) return errorReply(400, "BAD_IMAGE", "the body is not a readable PNG or JPEG image");
  if (static_cast<long long>(size->width) * size->height > config.maxImagePixels)
    return errorReply(413, "IMAGE_TOO_LARGE",
                      "the image has more than " + std::to_string(config.maxImagePixels) + " pixels");
  verifier::VerifyOptions options;
  if (!request.idHeader.empty()) {
    if (!holderIdIsWellFormed(request.idHeader)) return errorReply(400, "BAD_ID_NUMBER", "the ID number is malformed");
    options.idNumber = request.idHeader;
  }
  auto image = scan::loadImage(bytes);
  if (!image) return errorReply(400, "BAD_IMAGE", "the image could not be decoded");
  const auto texts = scan::readQrTexts(scan::viewOf(*image));
  Json results = Json::array();
  auto add = [&](const verifier::Outcome& o) {
    results.push_back(Json::parse(trust.verifier.toJson(o, "image", request.lang)));
  };
  if (texts.empty()) add(trust.verifier.noCodeFound(request.now));
  for (const auto& text : texts) add(trust.verifier.verify(text, request.now, options));
  return Reply{200, "application/json", Json{{"results", results}}.dump(-1, ' ', false, Json::error_handler_t::replace), {}};
}

}  // namespace

bool isImageType(const std::string& mediaType) { return mediaType == "image/png" || mediaType == "image/jpeg"; }
bool isJsonType(const std::string& mediaType) { return mediaType == "application/json"; }

Reply verifyRequest(const LoadedBundle& trust, const ServerConfig& config, const VerifyRequest& request) {
  return isImageType(request.mediaType) ? verifyImage(trust, config, request) : verifyText(trust, request);
}

}  // namespace titlecert::checkd
