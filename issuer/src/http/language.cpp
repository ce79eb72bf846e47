#include "language.h"

#include <cctype>
#include <optional>
#include <string>

namespace titlecert::issuer::http {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 §12.4.2: "0", "0.5", "1.000"; anything else is not a weight.
std::optional<int> weightInThousandths(std::string_view q) {
  if (q.empty() || (q[0] != '0' && q[0] != '1')) return std::nullopt;
  const int whole = q[0] - '0';
  if (q.size() == 1) return whole * 1000;
  if (q[1] != '.' || q.size() > 5) return std::nullopt;
  int fraction = 0, digits = 0;
  for (char c : q.substr(2)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    fraction = fraction * 10 + (c - '0');
    ++digits;
  }
  for (; digits < 3; ++digits) fraction *= 10;
  if (whole == 1 && fraction != 0) return std::nullopt;
  return whole * 1000 + fraction;
}

struct Range {
  std::string primary;  // "zh", "en", "*", ... (lower case)
  int weight = 1000;
};

// One comma-separated element ("en-GB;q=0.8"); nullopt when unreadable.
std::optional<Range> readRange(std::string_view element) {
  const std::size_t semicolon = element.find(';');
  const std::string_view tag = trimmed(element.substr(0, semicolon));
  if (tag.empty()) return std::nullopt;
  Range r;
  for (char c : tag.substr(0, tag.find('-')))
    r.primary += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view params = semicolon == std::string_view::npos ? std::string_view() : element.substr(semicolon + 1);
  while (!params.empty()) {
    const std::size_t next = params.find(';');
    const std::string_view param = trimmed(params.substr(0, next));
    params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
    const auto weight = weightInThousandths(trimmed(param.substr(2)));
    if (!weight) return std::nullopt;
    r.weight = *weight;
  }
  return r;
}

}  // namespace

Language chooseLanguage(std::string_view header) {
  int zhWeight = 0, enWeight = 0;
  std::size_t zhAt = 0, enAt = 0, position = 0;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    const auto range = readRange(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    ++position;
    if (!range) continue;
    if (range->primary == "zh" && range->weight > zhWeight) zhWeight = range->weight, zhAt = position;
    if (range->primary == "en" && range->weight > enWeight) enWeight = range->weight, enAt = position;
  }
  const bool english = enWeight > 0 && (enWeight > zhWeight || (enWeight == zhWeight && enAt < zhAt));
  return english ? Language::En : Language::Zh;
}

std::string_view languageTag(Language language) { return language == Language::En ? "en" : "zh"; }

}  // namespace titlecert::issuer::http
