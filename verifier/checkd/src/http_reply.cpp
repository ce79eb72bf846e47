#include "http_reply.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace titlecert::checkd {

Reply errorReply(int status, const std::string& code, const std::string& message) {
  return Reply{status, "application/json", nlohmann::json{{"error", code}, {"message", message}}.dump(), {}};
}

namespace {

// One socket read: how many bytes it gave (0 at the end of the body, -1 on a
// broken or timed-out connection).
std::streamsize readSome(std::istream& in, char* buffer, std::streamsize size) {
  try {
    if (in.peek() == std::char_traits<char>::eof()) return in.bad() ? -1 : 0;
    return in.readsome(buffer, size);
  } catch (const Poco::Exception&) {
    return -1;
  }
}

}  // namespace

BodyRead readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit,
                  std::chrono::steady_clock::time_point deadline, std::string& out) {
  if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(limit))
    return BodyRead::TooLarge;
  std::istream& in = request.stream();
  char buffer[16384];
  for (;;) {
    if (std::chrono::steady_clock::now() > deadline) return BodyRead::TooSlow;
    const std::streamsize n = readSome(in, buffer, sizeof buffer);
    if (n < 0) return BodyRead::TooSlow;
    if (n == 0) return BodyRead::Ok;
    out.append(buffer, static_cast<std::size_t>(n));
    if (out.size() > limit) return BodyRead::TooLarge;
  }
}

bool drainBody(Poco::Net::HTTPServerRequest& request, std::size_t limit,
               std::chrono::steady_clock::time_point deadline) {
  if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(limit)) return false;
  std::istream& in = request.stream();
  char buffer[16384];
  std::size_t total = 0;
  while (total <= limit && std::chrono::steady_clock::now() <= deadline) {
    const std::streamsize n = readSome(in, buffer, sizeof buffer);
    if (n < 0) return false;
    if (n == 0) return true;
    total += static_cast<std::size_t>(n);
  }
  return false;
}

std::string mediaType(const std::string& contentType) {
  std::string type = contentType.substr(0, contentType.find(';'));
  std::erase_if(type, [](unsigned char c) { return std::isspace(c); });
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type;
}

}  // namespace titlecert::checkd
