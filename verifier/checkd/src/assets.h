// The check page's files, embedded at build time (embed_assets.cmake writes
// the definitions from web/), so the service is one file to deploy.
#pragma once

#include <string_view>

namespace titlecert::checkd {

struct Asset {
  std::string_view path;         // "/", "/check.js", ...
  std::string_view contentType;
  std::string_view body;
};

// Null when no page file has that path.
const Asset* findAsset(std::string_view path);

}  // namespace titlecert::checkd
