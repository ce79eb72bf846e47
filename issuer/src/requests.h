// An IssueRequest (read from JSON by the HTTP layer) -> a validated Draft:
// every field checked against ZC1's limits and the catalogue, with the field
// named in the 400 answer; texts in NFC; the holder's ID normalised (GB 11643
// for CN) and kept only in memory; the QR size checked before anything is
// allocated.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "titlecert/catalogue.h"
#include "titlecert/crypto.h"
#include "titlecert/issuer/service.h"
#include "titlecert/issuer/payload_size.h"
#include "titlecert/issuer/social_security.h"
#include "titlecert/zc1.h"

namespace titlecert::issuer {

// What validating a request needs: fixed when the service opens.
struct RequestRules {
  const Config& config;
  const catalogue::Catalogue& catalogue;
  Bytes requestKeySecret;            // HMAC key of batch-row keys (from the passphrase)
  std::size_t maxQrTextLength = 0;   // longest "ZC1:" text within certificate.max_qr_version at M
  const SocialSecuritySource* socialSecurity = nullptr;  // measure 12's record (null: none connected)
};

struct Draft {
  zc1::Credential credential;  // certNo empty when the service assigns it; idh, status index, iat set at issuance
  std::string normalizedId;    // in memory only: the idh input, never stored or logged
  std::string maskedId;        // what is stored and shown (idh::masked)
  nlohmann::json fields;       // the issued fields as GET answers them (no ID number)
  std::optional<std::string> overrideReason;  // an admin's route override, audited
  // Issued on a committee's approved list (no profile): {"committee", "approval_no"}, audited.
  std::optional<nlohmann::json> committeeApproval;
  // The catalogue rule the person's profile met (the bureau decided the
  // application on it); measure 12 then needs the commitments.
  std::optional<std::string> applicationRule;
  std::optional<std::string> requestKey;      // batch rows: keyed hash of the row, for safe re-runs
};

// Validates a request. `when` is the issuance time (for the size check and
// the auto number's year); activeAlg the signing key's (for the size check).
// 400 naming the field, 403 for a clerk's override, ROUTE_NOT_ELIGIBLE
// (NotEligible).
Expected<Draft> checkIssueRequest(const RequestRules& rules, const IssueRequest& request, const Actor& by,
                                  std::int64_t when, crypto::Alg activeAlg);

// The batch row key: HMAC-SHA256 over the canonical request
// (IssueRequest::canonicalText), so a re-run finds the rows it issued before. Keyed by a secret derived from the passphrase: the stored
// key reveals nothing of the ID number to someone who has only the database.
std::string requestKeyFor(const RequestRules& rules, const IssueRequest& request);

// The certificate number the service would assign for a sequence value.
std::string formatCertNo(const Config& config, std::int64_t when, std::uint64_t seq);
// The counter that sequence belongs to ("certno:" + the number with {seq} left out).
std::string certNoCounter(const Config& config, std::int64_t when);


// NFC normalisation of UTF-8 (ICU when built with it; else the text as is).
std::string toNfc(const std::string& utf8);

}  // namespace titlecert::issuer
