// issuer.properties through Poco::Util::PropertyFileConfiguration.
#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <sstream>

#include "titlecert/bytes.h"
#include "titlecert/issuer/config.h"
#include "titlecert/zc1.h"

namespace titlecert::issuer {
namespace {

using Props = Poco::Util::PropertyFileConfiguration;

Expected<long long> readInt(const Props& p, const std::string& key, long long def, long long lo, long long hi) {
  if (!p.hasProperty(key)) return def;
  Poco::Int64 v = 0;
  if (!Poco::NumberParser::tryParse64(Poco::trim(p.getString(key)), v) || v < lo || v > hi)
    return badRequest(key, key + ": expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

std::string readText(const Props& p, const std::string& key, const std::string& def) {
  return p.hasProperty(key) ? Poco::trim(p.getString(key)) : def;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  Poco::StringTokenizer t(text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& item : t) out.push_back(item);
  return out;
}

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

Expected<Config> fromProperties(const Props& p) {
  Config c;
  c.listen = readText(p, "http.listen", c.listen);
  TC_ASSIGN(auto threads, readInt(p, "http.max_threads", c.maxThreads, 1, 256));
  TC_ASSIGN(auto queued, readInt(p, "http.max_queued", c.maxQueued, 1, 4096));
  TC_ASSIGN(auto body, readInt(p, "http.max_body_bytes", static_cast<long long>(c.maxBodyBytes), 1024, 1 << 24));
  TC_ASSIGN(auto batchBody, readInt(p, "http.max_batch_body_bytes", static_cast<long long>(c.maxBatchBodyBytes), 1024, 1LL << 30));
  TC_ASSIGN(auto batchRows, readInt(p, "http.max_batch_rows", static_cast<long long>(c.maxBatchRows), 1, 1000000));
  c.maxThreads = static_cast<int>(threads);
  TC_ASSIGN(auto ioThreads, readInt(p, "http.io_threads", c.ioThreads, 1, 64));
  TC_ASSIGN(auto connections, readInt(p, "http.max_connections", c.maxConnections, 1, 1000000));
  TC_ASSIGN(auto perClient, readInt(p, "http.max_connections_per_client", c.maxConnectionsPerClient, 1, 1000000));
  TC_ASSIGN(auto headerMs, readInt(p, "http.header_timeout_ms", c.headerTimeoutMs, 10, 3600000));
  TC_ASSIGN(auto bodyMs, readInt(p, "http.body_timeout_ms", c.bodyTimeoutMs, 10, 3600000));
  TC_ASSIGN(auto idleMs, readInt(p, "http.idle_timeout_ms", c.idleTimeoutMs, 10, 3600000));
  TC_ASSIGN(auto writeMs, readInt(p, "http.write_timeout_ms", c.writeTimeoutMs, 10, 3600000));
  TC_ASSIGN(auto lingerMs, readInt(p, "http.linger_ms", c.lingerMs, 0, 60000));
  c.ioThreads = static_cast<int>(ioThreads);
  c.maxConnections = static_cast<int>(connections);
  c.maxConnectionsPerClient = static_cast<int>(perClient);
  c.headerTimeoutMs = static_cast<int>(headerMs);
  c.bodyTimeoutMs = static_cast<int>(bodyMs);
  c.idleTimeoutMs = static_cast<int>(idleMs);
  c.writeTimeoutMs = static_cast<int>(writeMs);
  c.lingerMs = static_cast<int>(lingerMs);
  c.maxQueued = static_cast<int>(queued);
  c.maxBodyBytes = static_cast<std::size_t>(body);
  c.maxBatchBodyBytes = static_cast<std::size_t>(batchBody);
  c.maxBatchRows = static_cast<std::size_t>(batchRows);
  c.tlsCertificate = readText(p, "http.tls.certificate", "");
  c.tlsPrivateKey = readText(p, "http.tls.private_key", "");
  c.iss = readText(p, "issuer.iss", c.iss);
  c.region = readText(p, "issuer.region", c.region);
  c.nameZh = readText(p, "issuer.name.zh", c.nameZh);
  c.nameEn = readText(p, "issuer.name.en", c.nameEn);
  TC_ASSIGN(auto validity, readInt(p, "issuer.key_validity_days", c.keyValidityDays, 1, 36500));
  c.keyValidityDays = static_cast<int>(validity);
  c.certNoFormat = readText(p, "certificate.number_format", c.certNoFormat);
  TC_ASSIGN(auto qrVersion, readInt(p, "certificate.max_qr_version", c.maxQrVersion, 1, 40));
  c.maxQrVersion = static_cast<int>(qrVersion);
  TC_ASSIGN(auto nextUpdate, readInt(p, "bundle.next_update_days", c.bundleNextUpdateDays, 1, 3650));
  TC_ASSIGN(auto refresh, readInt(p, "bundle.refresh_before_hours", c.bundleRefreshHours, 0, 24 * 3650));
  c.bundleNextUpdateDays = static_cast<int>(nextUpdate);
  c.bundleRefreshHours = static_cast<int>(refresh);
  c.homeRegion = readText(p, "bundle.home_region", "");
  if (p.hasProperty("bundle.accept_regions")) c.acceptRegions = splitList(p.getString("bundle.accept_regions"));
  c.cataloguePath = readText(p, "catalogue.path", c.cataloguePath);
  TC_ASSIGN(auto cache, readInt(p, "qr.cache_entries", static_cast<long long>(c.qrCacheEntries), 1, 1000000));
  TC_ASSIGN(auto module, readInt(p, "qr.module_pixels", c.qrModulePixels, 1, 64));
  c.qrCacheEntries = static_cast<std::size_t>(cache);
  c.qrModulePixels = static_cast<int>(module);
  TC_ASSIGN(auto commitRows, readInt(p, "batch.commit_rows", static_cast<long long>(c.batchCommitRows), 1, 10000));
  TC_ASSIGN(auto derive, readInt(p, "batch.derive_threads", c.deriveThreads, 0, 256));
  c.batchCommitRows = static_cast<std::size_t>(commitRows);
  c.deriveThreads = static_cast<int>(derive);
  c.dbConnector = readText(p, "db.connector", c.dbConnector);
  c.dbConnection = readText(p, "db.connection", "");
  TC_ASSIGN(auto pool, readInt(p, "db.pool_size", c.dbPoolSize, 1, 1024));
  c.dbPoolSize = static_cast<int>(pool);
  TC_TRY(validateConfig(c));
  return c;
}

}  // namespace

Completion validateConfig(const Config& c) {
  if (c.iss.empty() || c.iss.size() > zc1::limit::kIss || !isPrintableAscii(c.iss))
    return badRequest("issuer.iss", "issuer.iss: 1..32 printable ASCII characters");
  if (c.region.empty() || c.region.find_first_not_of("0123456789") != std::string::npos)
    return badRequest("issuer.region", "issuer.region: an administrative division code (digits)");
  if (c.certNoFormat.find("{seq") == std::string::npos)
    return badRequest("certificate.number_format", "certificate.number_format: must contain {seq} or {seq:N}");
  if (c.dbConnector != "sqlite" && c.dbConnector != "postgresql")
    return badRequest("db.connector", "db.connector: sqlite or postgresql");
  if (c.tlsCertificate.empty() != c.tlsPrivateKey.empty())
    return badRequest("http.tls.certificate", "http.tls.certificate and http.tls.private_key go together");
  return success();
}

Expected<Config> loadConfig(const std::string& path) {
  try {
    Poco::AutoPtr<Props> p(new Props(path));
    return fromProperties(*p);
  } catch (const Poco::Exception& e) {
    return badRequest("config", "cannot read " + path + ": " + e.displayText(), "BAD_CONFIG");
  }
}

std::string renderConfig(const Config& c) {
  std::ostringstream o;
  o << "# titlecert-issuer configuration (docs/issuer.md, \"Configuration\").\n"
       "# A key left out takes its default; the values below are the defaults\n"
       "# unless `init` was given other ones.\n\n"
       "# HTTP: address and port to listen on (127.0.0.1 only by default).\n"
    << "http.listen = " << c.listen << "\n"
    << "# Worker threads that run requests, and requests waiting for one (503 beyond).\n"
    << "http.max_threads = " << c.maxThreads << "\n"
    << "http.max_queued = " << c.maxQueued << "\n"
    << "# Event-loop threads owning the sockets; idle connections cost no worker.\n"
    << "http.io_threads = " << c.ioThreads << "\n"
    << "# Open connections at once, in total and per client address (503 beyond).\n"
    << "http.max_connections = " << c.maxConnections << "\n"
    << "http.max_connections_per_client = " << c.maxConnectionsPerClient << "\n"
    << "# Timeouts (ms): a request's head, its body, keep-alive idle, an answer's write,\n"
    << "# and the lingering read after a refused body before the close.\n"
    << "http.header_timeout_ms = " << c.headerTimeoutMs << "\n"
    << "http.body_timeout_ms = " << c.bodyTimeoutMs << "\n"
    << "http.idle_timeout_ms = " << c.idleTimeoutMs << "\n"
    << "http.write_timeout_ms = " << c.writeTimeoutMs << "\n"
    << "http.linger_ms = " << c.lingerMs << "\n"
    << "# Largest request body: one JSON request, and a batch (413 beyond).\n"
    << "http.max_body_bytes = " << c.maxBodyBytes << "\n"
    << "http.max_batch_body_bytes = " << c.maxBatchBodyBytes << "\n"
    << "http.max_batch_rows = " << c.maxBatchRows << "\n"
    << "# TLS (OpenSSL through Boost.Asio): PEM certificate chain and private key. Empty:\n"
    << "# plain HTTP (terminate TLS at a reverse proxy in front of the service).\n"
    << "http.tls.certificate = " << c.tlsCertificate << "\n"
    << "http.tls.private_key = " << c.tlsPrivateKey << "\n\n"
    << "# The issuer: its code (ZC1 iss), region code and names in the bundle.\n"
    << "issuer.iss = " << c.iss << "\n"
    << "issuer.region = " << c.region << "\n"
    << "issuer.name.zh = " << c.nameZh << "\n"
    << "issuer.name.en = " << c.nameEn << "\n"
    << "# How long a new signing key may sign (days) unless rotated before.\n"
    << "issuer.key_validity_days = " << c.keyValidityDays << "\n\n"
    << "# Certificate numbers the service assigns: {region}, {iss}, {year} (UTC\n"
    << "# year of issuance) and {seq} or {seq:N} (the sequence, zero-padded to N\n"
    << "# digits; one sequence per distinct prefix, so it restarts each year).\n"
    << "certificate.number_format = " << c.certNoFormat << "\n"
    << "# Refuse a payload that needs a QR code larger than this version at level M.\n"
    << "certificate.max_qr_version = " << c.maxQrVersion << "\n\n"
    << "# Trust bundle: next_update = issued_at + next_update_days; a new version\n"
    << "# is signed when the content changes or next_update is closer than\n"
    << "# refresh_before_hours.\n"
    << "bundle.next_update_days = " << c.bundleNextUpdateDays << "\n"
    << "bundle.refresh_before_hours = " << c.bundleRefreshHours << "\n"
    << "# Recognition policy: the home region (empty: issuer.region) and the\n"
    << "# accepted regions (whole codes or prefixes ending in *, comma separated).\n"
    << "bundle.home_region = " << c.homeRegion << "\n"
    << "bundle.accept_regions = " << joinList(c.acceptRegions) << "\n"
    << "# The catalogue: \"default\" (the shipped one) or a catalogue JSON file.\n"
    << "catalogue.path = " << c.cataloguePath << "\n\n"
    << "# QR images are rendered on request and kept in an LRU cache of this many.\n"
    << "qr.cache_entries = " << c.qrCacheEntries << "\n"
    << "qr.module_pixels = " << c.qrModulePixels << "\n\n"
    << "# Batch issuance: rows committed per transaction (each row stays atomic),\n"
    << "# and threads deriving holder bindings (scrypt; 0 = one per core).\n"
    << "batch.commit_rows = " << c.batchCommitRows << "\n"
    << "batch.derive_threads = " << c.deriveThreads << "\n\n"
    << "# Storage: sqlite (DIR/issuer.db unless db.connection names another file)\n"
    << "# or postgresql (a libpq connection string; untested, see docs/issuer.md).\n"
    << "db.connector = " << c.dbConnector << "\n"
    << "db.connection = " << c.dbConnection << "\n"
    << "db.pool_size = " << c.dbPoolSize << "\n\n"
    << "# Logging through Poco (never keys, tokens or full ID numbers), e.g.\n"
    << "# logging.loggers.root.level = information\n";
  return o.str();
}

}  // namespace titlecert::issuer
