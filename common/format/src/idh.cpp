#include "titlecert/idh.h"

#include <algorithm>
#include <cctype>

#include "titlecert/bytes.h"
#include "titlecert/crypto.h"

namespace titlecert::idh {
namespace {

constexpr std::size_t kMaxValueLength = 32;
constexpr std::string_view kSaltPrefix = "zc1/idh";
constexpr std::size_t kMaskedShownMax = 4;

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpperAlnum(char c) { return isDigit(c) || (c >= 'A' && c <= 'Z'); }

bool validType(std::string_view type) {
  if (type == "CN" || type == "HKMO" || type == "TW") return true;
  // PP-<ISO 3166 alpha-3>
  return type.size() == 6 && type.substr(0, 3) == "PP-" &&
         std::all_of(type.begin() + 3, type.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

Status validValue(std::string_view type, std::string_view value) {
  if (value.empty() || value.size() > kMaxValueLength || !std::all_of(value.begin(), value.end(), isUpperAlnum))
    return makeError(Code::BAD_ID_NUMBER, "ID value must be 1..32 letters or digits");
  if (type == "CN" && !gb11643Valid(value))
    return makeError(Code::BAD_ID_NUMBER, "not an 18-character ID with a valid GB 11643 check digit");
  return Status::Ok();
}

}  // namespace

bool gb11643Valid(std::string_view id) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  if (id.size() != 18) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    if (!isDigit(id[i])) return false;
    sum += (id[i] - '0') * kWeights[i];
  }
  return id[17] == kCheck[sum % 11];
}

Result<std::string> normalize(std::string_view id) {
  const auto colon = id.find(':');
  if (colon == std::string_view::npos) return makeError(Code::BAD_ID_NUMBER, "expected TYPE:VALUE");
  std::string type, value;
  for (char c : id.substr(0, colon)) type.push_back(upper(c));
  for (char c : id.substr(colon + 1))
    if (c != ' ') value.push_back(upper(c));
  if (!validType(type)) return makeError(Code::BAD_ID_NUMBER, "unknown ID type (CN, HKMO, TW, PP-XXX)");
  TC_TRY(validValue(type, value));
  return type + ":" + value;
}

Result<Idh> derive(std::string_view normalizedId, std::string_view cti) {
  std::string salt(kSaltPrefix);
  salt.append(cti);
  TC_ASSIGN(auto key, crypto::scrypt(asBytes(normalizedId), asBytes(salt), 16384, 8, 1, 16));
  Idh out{};
  std::copy(key.begin(), key.end(), out.begin());
  return out;
}

std::string masked(std::string_view normalizedId) {
  const auto colon = normalizedId.find(':');
  if (colon == std::string_view::npos) return "***";
  std::string_view value = normalizedId.substr(colon + 1);
  // At most 4 characters of any value, never more than a third of a short
  // one. A CN number is region + birth date + a 3-digit sequence + check
  // digit: whoever knows the first two learns the whole number from the
  // sequence digits, so CN shows the check digit only (docs/privacy.md).
  const std::size_t shown = normalizedId.substr(0, colon) == "CN" ? 1 : std::min(kMaskedShownMax, value.size() / 3);
  std::string out(normalizedId.substr(0, colon + 1));
  out.append(value.size() - shown, '*');
  out.append(value.substr(value.size() - shown));
  return out;
}

}  // namespace titlecert::idh
