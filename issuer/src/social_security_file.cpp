#include "social_security_file.h"

#include <openssl/evp.h>

#include <charconv>
#include <sstream>

#include "titlecert/files.h"
#include "titlecert/idh.h"

namespace titlecert::issuer {
namespace {

// Tabs and line ends would split a line of the file.
std::string oneLine(std::string s) {
  for (char& ch : s)
    if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
  return s;
}

}  // namespace

ImportedSocialSecurity::ImportedSocialSecurity(std::string path, Bytes key) : path_(std::move(path)), key_(std::move(key)) {}

std::string ImportedSocialSecurity::keyOf(std::string_view normalizedId) const {
  const std::string text = "titlecert-social-security/1|" + std::string(normalizedId);
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t macLength = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_.data(), key_.size(),
                 reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, sizeof mac, &macLength))
    return {};
  return toHex(ByteView(mac, macLength));
}

Completion ImportedSocialSecurity::refreshLocked() const {
  std::error_code ec;
  const auto time = std::filesystem::last_write_time(path_, ec);
  if (ec) {  // nothing imported yet
    table_.clear();
    loaded_ = false;
    return success();
  }
  if (loaded_ && time == loadedTime_) return success();
  auto text = files::read(path_);
  if (!text) return internalError("the social-security record could not be read: " + text.error().detail);
  Table table;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string key, masked, employer, months;
    if (!std::getline(fields, key, '\t') || !std::getline(fields, masked, '\t') || !std::getline(fields, employer, '\t') ||
        !std::getline(fields, months))
      continue;
    std::uint64_t value = 0;
    const auto [end, parseError] = std::from_chars(months.data(), months.data() + months.size(), value);
    if (parseError != std::errc() || end != months.data() + months.size())
      return internalError("the social-security record is damaged: a months value is not a number");
    table[key][employer] = Entry{masked, value};
  }
  table_ = std::move(table);
  loadedTime_ = time;
  loaded_ = true;
  return success();
}

Completion ImportedSocialSecurity::writeLocked() const {
  std::string out;
  for (const auto& [key, employers] : table_)
    for (const auto& [employer, entry] : employers)
      out += key + "\t" + entry.maskedId + "\t" + employer + "\t" + std::to_string(entry.months) + "\n";
  if (auto written = files::writeAtomically(path_, asBytes(out), 0600); !written)
    return internalError("the social-security record could not be written: " + written.error().detail);
  std::error_code ec;
  loadedTime_ = std::filesystem::last_write_time(path_, ec);
  loaded_ = !ec;
  return success();
}

Expected<SocialSecurityImport> ImportedSocialSecurity::import(const std::vector<BureauExportRow>& rows) {
  std::lock_guard lock(mutex_);
  TC_TRY(refreshLocked());
  // Periods of one person at one employer within a file add up; the file
  // then replaces what an older export said for that pair.
  Table fresh;
  for (const BureauExportRow& row : rows) {
    Entry& e = fresh[keyOf(row.normalizedId)][oneLine(row.employer)];
    e.maskedId = idh::masked(row.normalizedId);
    e.months += row.months;
  }
  for (auto& [key, employers] : fresh)
    for (auto& [employer, entry] : employers) table_[key][employer] = entry;
  TC_TRY(writeLocked());
  SocialSecurityImport result{rows.size(), 0};
  for (const auto& [key, employers] : table_) result.entries += employers.size();
  return result;
}

Expected<std::vector<InsuredMonths>> ImportedSocialSecurity::insuredMonths(std::string_view normalizedId) const {
  std::lock_guard lock(mutex_);
  TC_TRY(refreshLocked());
  std::vector<InsuredMonths> out;
  auto it = table_.find(keyOf(normalizedId));
  if (it == table_.end()) return out;
  for (const auto& [employer, entry] : it->second) out.push_back({employer, entry.months});
  return out;
}

}  // namespace titlecert::issuer
