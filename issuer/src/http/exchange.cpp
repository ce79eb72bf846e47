#include "http/exchange.h"

#include <strings.h>

namespace titlecert::issuer::http {
namespace {

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string Request::header(std::string_view name, std::string otherwise) const {
  for (const auto& [k, v] : headers)
    if (sameName(k, name)) return v;
  return otherwise;
}

bool Request::has(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (sameName(k, name)) return true;
  return false;
}

bool Request::announcesBody() const {
  if (has("Transfer-Encoding")) return true;
  const std::string length = header("Content-Length");
  return !length.empty() && length.find_first_not_of('0') != std::string::npos;
}

}  // namespace titlecert::issuer::http
