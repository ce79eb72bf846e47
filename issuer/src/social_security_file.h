// The SocialSecuritySource the issuer ships: the rows imported from bureau
// export files, kept in DIR/social-security.tsv (one line per person and
// employer: keyed hash of the ID, masked ID, employer, insured months). A
// newer export replaces a person's months at an employer it names. The file
// is read again when it changes, so a `social-security import` run beside a
// serving issuer is seen by it.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "titlecert/bytes.h"
#include "titlecert/issuer/social_security.h"

namespace titlecert::issuer {

class ImportedSocialSecurity final : public SocialSecuritySource {
 public:
  // key: the HMAC key the IDs are hashed under (from the passphrase).
  ImportedSocialSecurity(std::string path, Bytes key);

  Expected<SocialSecurityImport> import(const std::vector<BureauExportRow>& rows);
  Expected<std::vector<InsuredMonths>> insuredMonths(std::string_view normalizedId) const override;

 private:
  struct Entry {
    std::string maskedId;
    std::uint64_t months = 0;
  };
  using Table = std::map<std::string, std::map<std::string, Entry>>;  // id key -> employer -> entry

  std::string keyOf(std::string_view normalizedId) const;
  Completion refreshLocked() const;
  Completion writeLocked() const;

  const std::string path_;
  const Bytes key_;
  mutable std::mutex mutex_;
  mutable Table table_;
  mutable std::filesystem::file_time_type loadedTime_{};
  mutable bool loaded_ = false;
};

}  // namespace titlecert::issuer
