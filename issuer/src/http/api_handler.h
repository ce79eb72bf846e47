// The issuer's HTTP API over a Service, transport-neutral: a Request in, a
// Reply out. Two steps, so that a body is read only when it will be used:
// admit() looks at the head alone (route, method, token, role, declared
// length) and may refuse; answer() runs the endpoint with the body read.
// Both run on a worker (the token check reads the database) and never throw.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "http/exchange.h"
#include "http/language.h"
#include "http/routes.h"
#include "titlecert/issuer/problem.h"
#include "titlecert/issuer/service.h"

namespace titlecert::issuer::http {

struct Admission {
  std::optional<Reply> refusal;  // set: answer with it, read no body
  Actor actor{-1, Role::Auditor};
  Endpoint endpoint = Endpoint::Health;
  std::string param;
  std::size_t bodyLimit = 0;  // the most this endpoint reads
  Language language = Language::Zh;  // Accept-Language: every text of the answer
};

class ApiHandler {
 public:
  explicit ApiHandler(Service& service) : service_(service) {}

  Admission admit(const Request& head);
  Reply answer(const Request& request, const Admission& admission);
  // One log line: method, raw path, status, time taken, token id. Never
  // the Authorization header or the body.
  static void log(const Request& request, int status, std::chrono::milliseconds took, const Actor& actor);
  // The log line of a request refused as not HTTP: its first line as sent
  // (escaped, at most 256 bytes) and the status.
  static void logMalformed(std::string_view firstLine, int status);

  // Answers the connection side writes by itself.
  static Reply overCapacity();     // 503, Retry-After
  static Reply bodyTooLarge(Language language = Language::Zh);  // 413
  static Reply malformed();        // 400, a request that is not HTTP

 private:
  Reply dispatch(const Request& request, const Admission& admission);
  Service& service_;
};

// The reply's Problem body in `language` with its status (and Retry-After
// for a storage fault that passes). The connection side's own answers,
// written before a request is read, are in the default language.
Reply problemReply(const Problem& p, int status, Language language = Language::Zh);
Reply problemReply(const Problem& p, Language language = Language::Zh);
// Marks an answer whose texts follow Accept-Language, for caches too.
Reply inLanguage(Reply r, Language language);

}  // namespace titlecert::issuer::http
