#include "console_answers.h"

#include <nlohmann/json.hpp>

#include "../batch_files.h"
#include "titlecert/catalogue_json.h"
#include "titlecert/issuer/http_answers.h"

namespace titlecert::issuer::http {

using nlohmann::json;

Expected<std::string> submitBatchJson(Service& service, std::string_view body, const Actor& by) {
  TC_ASSIGN(NormalisedBatch file, normaliseBatchFile(body));
  TC_ASSIGN(std::vector<BatchRow> rows, parseBatch(file.body, file.format));
  TC_ASSIGN(std::string id, service.submitBatch(rows, by));
  return json{{"batch", id}}.dump();
}

Expected<std::string> batchStatusJson(const Service& service, std::string_view id, Language language) {
  TC_ASSIGN(BatchStatus s, service.batchStatus(id));
  std::string results;
  for (const std::string& r : s.results) results += (results.empty() ? "" : ",") + localisedBatchRowResultJson(r, language);
  json head = {{"batch", s.id}, {"state", s.state}, {"total", s.total}, {"done", s.done}, {"failed", s.failed}};
  std::string text = head.dump();
  text.pop_back();  // the results are JSON texts already: appended as they are
  return text + ",\"results\":[" + results + "]}";
}

std::string catalogueJson(const Service& service) { return ::titlecert::catalogue::toJson(service.catalogue()); }

Expected<std::string> searchJson(const Service& service, std::string_view text) {
  if (text.empty() || text.size() > 100) return badRequest("q", "q: the text to find, 1..100 bytes");
  TC_ASSIGN(std::vector<Certificate> found, service.findCertificates(text, 50));
  std::string list;
  for (const Certificate& c : found) list += (list.empty() ? "" : ",") + toJson(c);
  return "{\"certificates\":[" + list + "]}";
}

}  // namespace titlecert::issuer::http
