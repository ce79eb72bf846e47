#include "titlecert/checkd/bundle_source.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/URI.h>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>

#include "titlecert/result.h"

namespace titlecert::checkd {
namespace {

std::unique_ptr<Poco::Net::HTTPClientSession> sessionFor(const Poco::URI& uri) {
  if (uri.getScheme() == "https") {
    static std::once_flag sslReady;
    std::call_once(sslReady, [] { Poco::Net::initializeSSL(); });
    // Verify the server against the system's CA store.
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
    return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
  }
  return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
}

}  // namespace

Result<std::string> fetchUrl(const std::string& url, std::size_t maxBytes, int timeoutMs) {
  try {
    const Poco::URI uri(url);
    if (uri.getScheme() != "http" && uri.getScheme() != "https")
      return makeError(Code::INVALID_ARGUMENT, "only http:// and https:// URLs are fetched");
    auto session = sessionFor(uri);
    session->setTimeout(Poco::Timespan(timeoutMs / 1000, (timeoutMs % 1000) * 1000));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    session->sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
      return makeError(Code::IO_ERROR, "GET " + url + ": HTTP " + std::to_string(response.getStatus()));
    std::string body;
    char buffer[16384];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      body.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (body.size() > maxBytes) return makeError(Code::IO_ERROR, "GET " + url + ": body too large");
    }
    return body;
  } catch (const Poco::Exception& e) {
    return makeError(Code::IO_ERROR, "GET " + url + ": " + e.displayText());
  }
}

std::int64_t secondsUntilRefresh(const bundle::Contents& contents, std::int64_t now, std::int64_t minSeconds) {
  const std::int64_t margin = std::max<std::int64_t>(3600, (contents.nextUpdate - contents.issuedAt) / 10);
  return std::max(minSeconds, contents.nextUpdate - margin - now);
}

Result<std::uint64_t> BundleRefresher::refreshOnce() {
  TC_ASSIGN(auto bytes, fetchUrl(url_));
  return trust_.offer(asBytes(bytes));
}

void BundleRefresher::start(std::int64_t retrySeconds) {
  stopping_ = false;
  thread_ = std::thread([this, retrySeconds] { loop(retrySeconds); });
}

void BundleRefresher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BundleRefresher::loop(std::int64_t retrySeconds) {
  auto scheduled = [&] {
    const auto current = trust_.current();
    if (!current) return retrySeconds;
    return secondsUntilRefresh(current->verifier.contents(), static_cast<std::int64_t>(std::time(nullptr)));
  };
  std::int64_t wait = scheduled();
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::seconds(wait), [this] { return stopping_; })) return;
    }
    auto version = refreshOnce();
    if (version) {
      std::clog << "titlecert-checkd: bundle version " << *version << " in use\n";
      wait = scheduled();
    } else {
      std::clog << "titlecert-checkd: bundle refresh refused: " << codeName(version.code()) << ": "
                << version.error().detail << "\n";
      wait = retrySeconds;
    }
  }
}

}  // namespace titlecert::checkd
