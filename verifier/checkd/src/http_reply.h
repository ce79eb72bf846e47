// What a handler answers, and the helpers that read a request body within
// its limits. Kept apart from the routes so each stays short.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace titlecert::checkd {

struct Reply {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// {"error": CODE, "message": ...}: the one shape of every error answer.
Reply errorReply(int status, const std::string& code, const std::string& message);

enum class BodyRead { Ok, TooLarge, TooSlow };

// Reads the body, at most `limit` bytes, one socket read at a time so a
// client trickling bytes is cut off at `deadline` however slowly it sends.
BodyRead readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit,
                  std::chrono::steady_clock::time_point deadline, std::string& out);

// Reads and drops what remains of a body, up to `limit` bytes: a client told
// 413 then reads its answer instead of a connection reset. False when more
// remained (the connection must then be closed).
bool drainBody(Poco::Net::HTTPServerRequest& request, std::size_t limit,
               std::chrono::steady_clock::time_point deadline);

// The media type without parameters, in lower case.
std::string mediaType(const std::string& contentType);

}  // namespace titlecert::checkd
