// The check service's HTTP side (CONTRACT.md "titlecert-checkd"): the page,
// POST /v1/verify for a text or an image, the bundle and root key, and a
// health check. It holds no key and no state beyond the trust store, so any
// number of copies can run behind a load balancer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "titlecert/checkd/trust_store.h"

namespace titlecert::checkd {

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8090;  // 0: the OS picks one (see CheckServer::port)
  // Verification time; the system clock when unset.
  std::optional<std::int64_t> fixedNow;
  std::size_t maxTextBody = 16 * 1024;
  std::size_t maxImageBody = 8u << 20;
  long long maxImagePixels = 16LL * 1000 * 1000;
  double ratePerSecond = 4.0;  // per client address
  double rateBurst = 40.0;
  // Behind a load balancer every request comes from the balancer: the header
  // it sets with the client's address (the last entry of a list counts,
  // being the one the balancer itself added). Empty: the peer address.
  std::string clientAddressHeader;
  int httpThreads = 16;        // connections served at once (slow clients included)
  int maxQueued = 64;          // connections waiting for a thread
  int verifySlots = 4;         // verifications at once; beyond that a fast 503
  int readTimeoutMs = 5000;    // per socket read
  int bodyDeadlineMs = 15000;  // a whole body, however slowly it trickles
};

class CheckServer {
 public:
  CheckServer(std::shared_ptr<TrustStore> trust, ServerConfig config);
  ~CheckServer();
  CheckServer(const CheckServer&) = delete;
  CheckServer& operator=(const CheckServer&) = delete;

  void start();
  void stop();
  std::uint16_t port() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace titlecert::checkd
