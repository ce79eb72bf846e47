// The answers behind the clerk console's endpoints (CONTRACT.md, "The clerk
// console and batches"), as JSON text for the route table in
// http_server.cpp: asynchronous batches, the catalogue for the pickers,
// the certificate search, and the console page's files.
#pragma once

#include <string>
#include <string_view>

#include "titlecert/issuer/http_answers.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer::http {

// POST /v1/batches: the file (CSV, JSON lines; batch_files.h) stored as a
// batch; answers {"batch": ID}.
Expected<std::string> submitBatchJson(Service& service, std::string_view body, const Actor& by);
// GET /v1/batches/{ID}: {"batch", "state", "total", "done", "failed", "results"},
// each failed row's message and missing in `language`.
Expected<std::string> batchStatusJson(const Service& service, std::string_view id, Language language);
// GET /v1/catalogue: the catalogue's JSON form (titlecert-config catalogue show --json).
std::string catalogueJson(const Service& service);
// GET /v1/certificates?q=TEXT: {"certificates": [...]} of at most 50, each
// as GET /v1/certificates/{cert_no} answers it.
Expected<std::string> searchJson(const Service& service, std::string_view text);

}  // namespace titlecert::issuer::http

namespace titlecert::issuer::console {

// The console page's files, embedded at build time from issuer/console/
// (verifier/checkd/embed_assets.cmake writes the definitions).
struct Asset {
  std::string_view path;  // "/console/", "/console/console.js", ...
  std::string_view contentType;
  std::string_view body;
};
// Null when no page file has that path.
const Asset* findAsset(std::string_view path);

}  // namespace titlecert::issuer::console
