// One HTTP exchange as the route handlers see it, whatever carried it: the
// request (method, target, headers, body, peer, TLS or not) and the reply.
// The connection side fills the request and writes the reply.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace titlecert::issuer::http {

struct Request {
  std::string method;
  std::string target;  // as sent: path and query, never decoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string peer;  // the client's address, for the log
  bool tls = false;

  // The first header of that name (case-insensitive), or `otherwise`.
  std::string header(std::string_view name, std::string otherwise = {}) const;
  bool has(std::string_view name) const;
  // True when the request announces a body (a Content-Length above 0, or
  // a transfer coding).
  bool announcesBody() const;
  // The target's path as sent, without the query: never decoded.
  std::string rawPath() const { return target.substr(0, target.find('?')); }
};

struct Reply {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace titlecert::issuer::http
