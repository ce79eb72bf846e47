// titlecert-checkd — the public check service (CONTRACT.md).
//
//   titlecert-checkd --root FILE (--bundle FILE | --bundle-url URL)
//                    [--listen 127.0.0.1:8090] [--now RFC3339]
//                    [--rate PER_SECOND] [--burst N] [--client-address-header NAME]
//
// Prints "listening on HOST:PORT" once it serves, then runs until SIGINT or
// SIGTERM. Exit status 2 on a usage error or a bundle that cannot be used.
#include <csignal>
#include <iostream>
#include <optional>
#include <pthread.h>
#include <string>

#include "titlecert/checkd/bundle_source.h"
#include "titlecert/checkd/server.h"
#include "titlecert/dates.h"
#include "titlecert/files.h"
#include "titlecert/version.h"

using namespace titlecert;
using namespace titlecert::checkd;

namespace {

const char* kUsage =
    "usage: titlecert-checkd --root FILE (--bundle FILE | --bundle-url URL)\n"
    "                        [--listen HOST:PORT] [--now RFC3339] [--rate PER_SECOND] [--burst N]\n"
    "                        [--client-address-header NAME]\n"
    "  --root        the PEM public key the bundle must be signed by\n"
    "  --bundle      a signed trust bundle file\n"
    "  --bundle-url  an issuer's /v1/bundle, fetched at start and before next-update\n"
    "  --listen      address to serve on (default 127.0.0.1:8090; port 0 picks one)\n"
    "  --now         verification time, for tests (default: the system clock)\n"
    "  --rate/--burst  per-client rate limit of POST /v1/verify (default 4/s, burst 40)\n"
    "  --client-address-header  behind a load balancer: the header naming the client\n"
    "                (e.g. X-Forwarded-For; its last address is used for the rate limit)\n"
    "  --help, --version\n";

enum class Action { Serve, Help, Version };

struct Args {
  Action action = Action::Serve;
  std::string root, bundle, bundleUrl, listen = "127.0.0.1:8090";
  ServerConfig config;
};

struct UsageError {
  std::string message;
};

std::string valueOf(int& i, int argc, char** argv) {
  if (i + 1 >= argc) throw UsageError{std::string(argv[i]) + " needs a value"};
  return argv[++i];
}

double positiveNumber(const std::string& flag, const std::string& text) {
  try {
    const double v = std::stod(text);
    if (v > 0) return v;
  } catch (const std::exception&) {
  }
  throw UsageError{flag + " takes a positive number"};
}

void parseListen(const std::string& listen, ServerConfig& config) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) throw UsageError{"--listen takes HOST:PORT"};
  config.host = listen.substr(0, colon);
  try {
    const int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    config.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    throw UsageError{"--listen: bad port"};
  }
}

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--root") a.root = valueOf(i, argc, argv);
    else if (arg == "--bundle") a.bundle = valueOf(i, argc, argv);
    else if (arg == "--bundle-url") a.bundleUrl = valueOf(i, argc, argv);
    else if (arg == "--listen") a.listen = valueOf(i, argc, argv);
    else if (arg == "--now") {
      auto now = dates::parseRfc3339(valueOf(i, argc, argv));
      if (!now) throw UsageError{"--now: " + now.error().detail};
      a.config.fixedNow = *now;
    } else if (arg == "--rate") a.config.ratePerSecond = positiveNumber(arg, valueOf(i, argc, argv));
    else if (arg == "--burst") a.config.rateBurst = positiveNumber(arg, valueOf(i, argc, argv));
    else if (arg == "--client-address-header") a.config.clientAddressHeader = valueOf(i, argc, argv);
    else if (arg == "-h" || arg == "--help") a.action = Action::Help;
    else if (arg == "--version") a.action = Action::Version;
    else throw UsageError{"unknown argument " + arg};
  }
  if (a.action != Action::Serve) return a;
  if (a.root.empty()) throw UsageError{"--root is required"};
  if (a.bundle.empty() == a.bundleUrl.empty()) throw UsageError{"give exactly one of --bundle FILE and --bundle-url URL"};
  parseListen(a.listen, a.config);
  return a;
}

int fail(const std::string& what, const Error& e) {
  std::cerr << "titlecert-checkd: " << what << ": " << codeName(e.code) << ": " << e.detail << "\n";
  return 2;
}

int run(const Args& a) {
  auto rootPem = files::read(a.root);
  if (!rootPem) return fail(a.root, rootPem.error());
  auto trust = TrustStore::fromRootPem(*rootPem);
  if (!trust) return fail(a.root, trust.error());
  std::shared_ptr<TrustStore> store = std::move(*trust);
  std::optional<BundleRefresher> refresher;
  if (!a.bundle.empty()) {
    auto bytes = files::read(a.bundle);
    if (!bytes) return fail(a.bundle, bytes.error());
    if (auto v = store->offer(asBytes(*bytes)); !v) return fail(a.bundle, v.error());
  } else {
    refresher.emplace(*store, a.bundleUrl);
    if (auto v = refresher->refreshOnce(); !v) return fail(a.bundleUrl, v.error());
  }
  // Block the signals before any thread starts so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  CheckServer server(store, a.config);
  server.start();
  if (refresher) refresher->start();
  std::cout << "listening on " << a.config.host << ":" << server.port() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  if (refresher) refresher->stop();
  server.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args args = parseArgs(argc, argv);
    switch (args.action) {
      case Action::Help: std::cout << kUsage; return 0;
      case Action::Version: std::cout << "titlecert-checkd " << TITLECERT_VERSION_STRING << "\n"; return 0;
      case Action::Serve: return run(args);
    }
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "titlecert-checkd: " << e.message << "\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "titlecert-checkd: " << e.what() << "\n";
    return 2;
  }
}
