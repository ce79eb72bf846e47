#include "connection_end.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

namespace titlecert::issuer::http {

std::unique_ptr<Poco::Net::ServerSocket> listenExclusively(const Poco::Net::SocketAddress& address, int backlog,
                                                           const Poco::Net::Context::Ptr& context) {
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  if (context)
    socket = std::make_unique<Poco::Net::SecureServerSocket>(context);
  else
    socket = std::make_unique<Poco::Net::ServerSocket>();
  socket->bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
  socket->listen(backlog);
  return socket;
}

bool announcesBody(const Poco::Net::HTTPServerRequest& request) {
  if (request.getChunkedTransferEncoding()) return true;
  return request.hasContentLength() && request.getContentLength64() > 0;
}

void closeLingering(Poco::Net::HTTPServerRequest& request, Linger linger) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (!impl) return;
  Poco::Net::StreamSocket& socket = impl->socket();
  const auto deadline = std::chrono::steady_clock::now() + linger.time;
  try {
    socket.shutdownSend();
    char buffer[8192];
    std::size_t dropped = 0;
    while (dropped < linger.bytes) {
      const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      socket.setReceiveTimeout(Poco::Timespan(left.count()));
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;  // the client closed its side
      dropped += static_cast<std::size_t>(n);
    }
  } catch (const Poco::Exception&) {
    // A timeout or a reset: the connection ends here either way.
  }
}

}  // namespace titlecert::issuer::http
