// One client connection on the event loop: it reads a request's head and
// body under their timeouts, hands the work to the worker pool, and writes
// the answer; between requests it costs no thread. Over capacity (the
// connection caps or a full worker pool) it answers 503 by itself and
// closes gracefully: stop sending, read and drop for a bounded time, close,
// so the client reads the answer instead of a reset.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <string>

#include "http/api_handler.h"
#include "http/connection_limits.h"
#include "http/worker_pool.h"

namespace titlecert::issuer::http {

struct ConnectionTimeouts {
  std::chrono::milliseconds header{10000}, body{30000}, idle{10000}, write{30000}, linger{2000};
};

// What every connection shares; outlives them all.
struct ServerParts {
  ApiHandler& handler;
  WorkerPool& workers;
  ConnectionTimeouts timeouts;
  boost::asio::ssl::context* tls = nullptr;  // null: plain HTTP
};

// Serves the accepted socket (its executor a strand) until it closes.
void serveConnection(boost::asio::ip::tcp::socket socket, ServerParts& parts, ConnectionLimits::Slot slot,
                     std::string peer);

}  // namespace titlecert::issuer::http
