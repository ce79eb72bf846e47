// The language of an answer: what the request's Accept-Language prefers,
// Chinese unless English is preferred (CONTRACT.md, "The clerk console and
// batches": zh by default, en).
#pragma once

#include <string_view>

#include "titlecert/issuer/http_answers.h"

namespace titlecert::issuer::http {

// English when the header's best-weighted zh or en range is en (q-values
// weigh; at equal weight the one listed first wins); Chinese otherwise,
// also for an empty or unreadable header and for "*" or other languages.
Language chooseLanguage(std::string_view acceptLanguage);

// The Content-Language of an answer in that language: "zh" or "en".
std::string_view languageTag(Language language);

}  // namespace titlecert::issuer::http
