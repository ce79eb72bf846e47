// The HTTP API (CONTRACT.md, "titlecert-issuer"; docs/issuer-api.yaml) over
// a Service: an event loop owns the connections, a worker pool runs the
// requests (docs/issuer.md, "Connection model"). TLS (OpenSSL) when
// http.tls.certificate is set. Neither Poco nor Boost in this header.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "titlecert/issuer/problem.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer {

class HttpServer {
 public:
  // Binds `listen` ("HOST:PORT"; port 0 takes a free one) and starts serving.
  // The service must outlive the server.
  static Expected<std::unique_ptr<HttpServer>> start(Service& service, const std::string& listen);
  ~HttpServer();  // stops, waiting for requests in progress
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;
  bool tls() const;
  void stop();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace titlecert::issuer
