// Measure 12: the social-security record behind a person's claimed years at
// an employer. The issuer asks a SocialSecuritySource how many insured
// months an ID number has at each employer; the one shipped reads what
// `titlecert-issuer social-security import` took from a bureau export file
// (docs/issuer.md, "Social-security records"). A live link to the bureau's
// system would be another SocialSecuritySource.
//
// ID numbers are never kept in full: the imported rows hold a keyed hash of
// the normalised ID (HMAC-SHA256 under a key derived from the passphrase, as
// batch-row keys are) and the masked ID the issuer shows for holders.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "titlecert/issuer/problem.h"

namespace titlecert::issuer {

// Insured months of one person at one employer (name or code as the bureau
// writes it, in NFC).
struct InsuredMonths {
  std::string employer;
  std::uint64_t months = 0;
};

class SocialSecuritySource {
 public:
  virtual ~SocialSecuritySource() = default;
  // Every employer the person was insured at, with the months there; empty
  // when the record holds nothing for that ID. normalizedId as idh::normalize
  // gives it (kept in memory only).
  virtual Expected<std::vector<InsuredMonths>> insuredMonths(std::string_view normalizedId) const = 0;
};

// One row of a bureau export file, read but not yet hashed.
struct BureauExportRow {
  std::size_t line = 0;
  std::string normalizedId;  // in memory only
  std::string employer;
  std::uint64_t months = 0;
};

// Reads a bureau export (UTF-8 CSV, comma separated, RFC 4180 quotes, a
// header naming the columns 证件号码|id, 单位名称|employer, 参保月数|months;
// other columns are ignored). A row with a bad ID, an empty employer or a
// months value that is not a whole number is a Problem naming its line.
Expected<std::vector<BureauExportRow>> readBureauExport(std::string_view csv);

// What an import did: rows read, and the people and employer entries kept.
struct SocialSecurityImport {
  std::size_t rows = 0;
  std::size_t entries = 0;  // (person, employer) pairs held after the import
};

}  // namespace titlecert::issuer
