// DIR/issuer.properties: the service's settings, each with a documented
// default (docs/issuer.md, "Configuration"). `init` writes the file with
// every key and its default; a key left out of the file takes its default.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

struct Config {
  // http.*
  std::string listen = "127.0.0.1:8080";         // http.listen
  int maxThreads = 16;                           // http.max_threads
  int maxQueued = 64;                            // http.max_queued (requests waiting for a worker)
  int ioThreads = 1;                             // http.io_threads (event loops owning the sockets)
  int maxConnections = 4096;                     // http.max_connections (open at once, all clients)
  int maxConnectionsPerClient = 256;             // http.max_connections_per_client (per peer address)
  int headerTimeoutMs = 10000;                   // http.header_timeout_ms (a request's whole head)
  int bodyTimeoutMs = 30000;                     // http.body_timeout_ms (a request's whole body)
  int idleTimeoutMs = 10000;                     // http.idle_timeout_ms (keep-alive between requests)
  int writeTimeoutMs = 30000;                    // http.write_timeout_ms (an answer's whole write)
  int lingerMs = 2000;                           // http.linger_ms (reading what a closed client still sends)
  std::size_t maxBodyBytes = 64 * 1024;          // http.max_body_bytes (one JSON request)
  std::size_t maxBatchBodyBytes = 8u << 20;      // http.max_batch_body_bytes (a batch)
  std::size_t maxBatchRows = 5000;               // http.max_batch_rows
  std::string tlsCertificate;                    // http.tls.certificate (PEM file; empty: plain HTTP)
  std::string tlsPrivateKey;                     // http.tls.private_key (PEM file)
  // issuer.*
  std::string iss = "CN-65-GXQ";                 // issuer.iss
  std::string region = "650100";                 // issuer.region
  std::string nameZh = "乌鲁木齐高新区人力资源和社会保障局";  // issuer.name.zh
  std::string nameEn = "Urumqi High-tech Zone HRSS Bureau";    // issuer.name.en
  int keyValidityDays = 1826;                    // issuer.key_validity_days
  // certificate.*
  std::string certNoFormat = "{region}-{year}-{seq:6}";  // certificate.number_format
  int maxQrVersion = 20;                         // certificate.max_qr_version (at level M)
  // bundle.*
  int bundleNextUpdateDays = 30;                 // bundle.next_update_days
  int bundleRefreshHours = 72;                   // bundle.refresh_before_hours
  std::string homeRegion;                        // bundle.home_region (empty: issuer.region)
  std::vector<std::string> acceptRegions{"65*"}; // bundle.accept_regions (comma separated)
  std::string cataloguePath = "default";         // catalogue.path ("default": the shipped one)
  // qr.*
  std::size_t qrCacheEntries = 256;              // qr.cache_entries
  int qrModulePixels = 8;                        // qr.module_pixels
  // batch.*
  std::size_t batchCommitRows = 256;             // batch.commit_rows
  int deriveThreads = 0;                         // batch.derive_threads (0: one per core)
  // db.*
  std::string dbConnector = "sqlite";            // db.connector (sqlite | postgresql, the latter untested)
  std::string dbConnection;                      // db.connection (empty: DIR/issuer.db)
  int dbPoolSize = 8;                            // db.pool_size

  const std::string& effectiveHomeRegion() const { return homeRegion.empty() ? region : homeRegion; }
};

// Reads DIR/issuer.properties over the defaults. 400-class Problem naming
// the key when a value does not parse or is out of range.
Expected<Config> loadConfig(const std::string& path);

// The file `init` writes: every key, its value, and a comment saying what it
// is for. Values are taken from `c`.
std::string renderConfig(const Config& c);

// Checks the values a Config may hold (ranges, the number format's {seq}).
Completion validateConfig(const Config& c);

}  // namespace titlecert::issuer
