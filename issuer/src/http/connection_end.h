// How the server ends a connection: a listening socket that refuses a port
// already in use, and the close after a body refused unread.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <cstddef>
#include <memory>

namespace titlecert::issuer::http {

// Binds and listens with SO_REUSEADDR but never SO_REUSEPORT (Poco's
// ServerSocket(address) sets both): a second server on the same port
// fails here instead of sharing the port and taking half the requests.
// TLS when `context` is set. Throws Poco::Net::NetException (code
// EADDRINUSE when the port is taken).
std::unique_ptr<Poco::Net::ServerSocket> listenExclusively(const Poco::Net::SocketAddress& address, int backlog,
                                                           const Poco::Net::Context::Ptr& context);

// True when the request announces a body (a Content-Length above 0, or
// chunked transfer coding).
bool announcesBody(const Poco::Net::HTTPServerRequest& request);

// How long and how much the lingering close reads at most.
struct Linger {
  std::chrono::milliseconds time{2000};
  std::size_t bytes = 1 << 20;
};

// After the answer to a request whose body is refused unread went out (with
// Connection: close): stops sending, then reads and drops what the client
// still sends, for at most `linger`, so that the close does not reset the
// connection under an answer not yet read. A client trickling its body
// holds the connection for `linger.time`, not for the whole body.
void closeLingering(Poco::Net::HTTPServerRequest& request, Linger linger = {});

}  // namespace titlecert::issuer::http
