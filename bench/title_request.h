// The issuance request both issuer benches send: a 卫生技术 title (series 4,
// specialty 401, intermediate) by review, whose route has no rules, so every
// request measures issuance itself rather than the eligibility check.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace titlecert::bench {

inline nlohmann::json reviewTitleRequest(const std::string& name, const std::string& id) {
  return {{"type", "title"},
          {"holder", {{"name", name}, {"id", id}}},
          {"series", 4},
          {"specialty", 401},
          {"level", 3},
          {"route", "review"},
          {"granted", "2026-11-20"},
          {"approval_no", "新高人社职〔2026〕12号"}};
}

}  // namespace titlecert::bench
