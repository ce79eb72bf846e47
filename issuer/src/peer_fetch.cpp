// Fetching a peer region's bundle over http(s) (`peer import --url`,
// POST /v1/peers/import with a url). The bundle is checked against the
// pinned root whatever carried it, so plain http is allowed; https is
// checked against the system's CA certificates.
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <istream>
#include <memory>

#include "parts.h"

namespace titlecert::issuer {
namespace {

constexpr int kFetchTimeoutSeconds = 30;

std::unique_ptr<Poco::Net::HTTPClientSession> sessionFor(const Poco::URI& uri) {
  if (uri.getScheme() == "http") return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  Poco::Net::initializeSSL();
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
  return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
}

// The body of a 200 answer, at most the bundle limit (one byte more tells
// it was longer).
Expected<Bytes> fetch(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    return badRequest("url", "url: " + e.displayText());
  }
  if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
    return badRequest("url", "url: an http:// or https:// URL");
  try {
    auto session = sessionFor(uri);
    session->setTimeout(Poco::Timespan(kFetchTimeoutSeconds, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathEtc().empty() ? "/" : uri.getPathEtc(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept", "application/cbor");
    session->sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
      return unavailable("fetching " + url + ": HTTP " + std::to_string(static_cast<int>(response.getStatus())));
    Bytes body;
    char buffer[65536];
    while (in && body.size() <= bundle::kMaxBundleBytes) {
      in.read(buffer, sizeof buffer);
      body.insert(body.end(), buffer, buffer + in.gcount());
    }
    if (body.size() > bundle::kMaxBundleBytes) return badRequest("url", "the answer is larger than a bundle may be", "BAD_BUNDLE");
    return body;
  } catch (const Poco::Exception& e) {
    return unavailable("fetching " + url + ": " + e.displayText());
  }
}

}  // namespace

Expected<PeerImport> Service::importPeerBundleFromUrl(const std::string& url, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin}));
  TC_ASSIGN(Bytes bytes, fetch(url));
  return importPeerBundle(bytes, url, by);
}

}  // namespace titlecert::issuer
