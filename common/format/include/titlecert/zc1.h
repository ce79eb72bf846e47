// The ZC1 credential (ZC1.md): the claims model, issuing a "ZC1:" string, and
// opening one — every check up to and including the signing key's validity
// window, in the order of CONTRACT.md's result-code table. Scope, time,
// revocation, recognition and holder checks are the verifier's (verifier/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/cbor.h"
#include "titlecert/crypto.h"
#include "titlecert/idh.h"
#include "titlecert/result.h"

namespace titlecert::zc1 {

inline constexpr std::string_view kPrefix = "ZC1:";
inline constexpr std::size_t kMaxCoseBytes = 2048;
// The longest Base45 text that can decode to kMaxCoseBytes, plus the prefix.
inline constexpr std::size_t kMaxTextLength = 4 + (kMaxCoseBytes / 2) * 3;

// Claim keys (ZC1.md §3, §3.1).
namespace key {
inline constexpr std::int64_t kIss = 1, kExp = 4, kNbf = 5, kIat = 6, kCti = 7, kZc = -65537;
inline constexpr std::int64_t kType = 1, kHolderName = 2, kIdh = 3, kCatalogueVersion = 4, kStatusIndex = 5;
inline constexpr std::int64_t kSeries = 10, kSpecialty = 11, kLevel = 12, kRoute = 13, kGrantDate = 14,
                              kApprovalNo = 15, kCommittee = 16, kEmployer = 17;
inline constexpr std::int64_t kQualification = 20, kQualLevel = 21, kDateObtained = 22, kQualCertNo = 23;
inline constexpr std::int64_t kFirstExtension = 100;
}  // namespace key

// Field limits (ZC1.md §3).
namespace limit {
inline constexpr std::size_t kIss = 32, kCti = 32, kHolderName = 128, kApprovalNo = 64, kEmployer = 96,
                             kQualCertNo = 32;
}

enum class CredentialType : std::uint8_t { Title = 1, Qualification = 2 };

// Routes (ZC1.md §3.1, normative codes).
inline constexpr std::uint64_t kMinRoute = 1, kMaxRoute = 10;

struct TitleBody {
  std::uint64_t series = 0;
  std::uint64_t specialty = 0;
  std::uint64_t level = 0;       // 1 员级 .. 5 正高级
  std::uint64_t route = 0;       // 1..10
  std::uint64_t grantDate = 0;   // days since 1970-01-01
  std::optional<std::string> approvalNo;
  std::optional<std::uint64_t> committee;
  std::optional<std::string> employer;
};

struct QualificationBody {
  std::uint64_t qualification = 0;
  std::uint64_t level = 0;
  std::uint64_t dateObtained = 0;  // days since 1970-01-01
  std::optional<std::string> certNo;
};

struct Credential {
  std::string iss;
  std::optional<std::uint64_t> exp;
  std::optional<std::uint64_t> nbf;
  std::uint64_t iat = 0;
  std::string certNo;  // cti, printable ASCII
  std::string holderName;
  idh::Idh idh{};
  std::uint64_t catalogueVersion = 0;
  std::uint64_t statusIndex = 0;
  std::variant<TitleBody, QualificationBody> body;
  // zc keys >= 100, kept as read (ignored by checks, may be displayed).
  std::vector<std::pair<std::uint64_t, cbor::Value>> extensions;

  CredentialType type() const {
    return body.index() == 0 ? CredentialType::Title : CredentialType::Qualification;
  }
  const TitleBody* title() const { return std::get_if<TitleBody>(&body); }
  const QualificationBody* qualification() const { return std::get_if<QualificationBody>(&body); }
};

// Checks the limits of ZC1.md §3 that an issuer must respect (lengths,
// printable ASCII, level and route ranges). INVALID_ARGUMENT names the field.
Status validateForIssue(const Credential& c);

// The claims map in deterministic CBOR. Validates first.
Result<Bytes> encodeClaims(const Credential& c);

// COSE_Sign1 bytes (tagged) and the full "ZC1:" text.
Result<Bytes> signCose(const Credential& c, const crypto::PrivateKey& key);
Result<std::string> issue(const Credential& c, const crypto::PrivateKey& key);
// The same from claims already encoded by encodeClaims (callers that keep
// the claims bytes need not encode twice).
Result<Bytes> signClaims(ByteView claims, const crypto::PrivateKey& key);
Result<std::string> issueClaims(ByteView claims, const crypto::PrivateKey& key);

// ---- Opening a credential ------------------------------------------------

// One trusted signing key (a trust-bundle issuer entry).
struct TrustedKey {
  std::string iss;
  crypto::PublicKey key;
  std::int64_t validFrom = 0;  // epoch seconds, inclusive
  std::int64_t validTo = 0;    // epoch seconds, exclusive
  std::size_t entry = 0;       // index of the entry in its trust list
};

// Where open() finds the candidate keys for an (iss, kid) pair.
class KeyLookup {
 public:
  virtual ~KeyLookup() = default;
  virtual void find(std::string_view iss, const crypto::Kid& kid, std::vector<const TrustedKey*>& out) const = 0;
};

// A plain list of keys, searched linearly (tests, small trust lists).
class KeyList : public KeyLookup {
 public:
  void add(TrustedKey k) { keys_.push_back(std::move(k)); }
  void find(std::string_view iss, const crypto::Kid& kid, std::vector<const TrustedKey*>& out) const override;

 private:
  std::vector<TrustedKey> keys_;
};

// Checks the codes of a structurally valid credential against a catalogue;
// returns BAD_CLAIMS naming the field when a code is unknown.
class CodeCheck {
 public:
  virtual ~CodeCheck() = default;
  virtual Status check(const Credential& c) const = 0;
};

// A credential whose signature verified. Only open() makes one.
class Opened {
 public:
  const Credential& credential() const { return credential_; }
  crypto::Alg alg() const { return alg_; }
  const crypto::Kid& kid() const { return kid_; }
  // The trusted entries whose key verified the signature and whose window
  // holds iat (at least one), in lookup order.
  const std::vector<const TrustedKey*>& signers() const { return signers_; }
  std::size_t coseSize() const { return coseSize_; }

 private:
  friend Result<Opened> open(std::string_view, const KeyLookup&, const CodeCheck*);
  Credential credential_;
  crypto::Alg alg_ = crypto::Alg::EdDSA;
  crypto::Kid kid_{};
  std::vector<const TrustedKey*> signers_;
  std::size_t coseSize_ = 0;
};

// Runs, in order: NOT_ZC1, BAD_ENCODING, BAD_CBOR (every layer), BAD_COSE,
// UNSUPPORTED_ALG, UNKNOWN_KID, BAD_SIGNATURE, BAD_CLAIMS (with codes when
// `codes` is given), UNSUPPORTED_VERSION, KEY_NOT_VALID.
Result<Opened> open(std::string_view text, const KeyLookup& keys, const CodeCheck* codes = nullptr);

// Reads the claims map (after the signature checked). BAD_CLAIMS /
// UNSUPPORTED_VERSION as ZC1.md §3 and §6 say. Exposed for tests and tools.
Result<Credential> decodeClaims(const cbor::Value& claims, const CodeCheck* codes = nullptr);

}  // namespace titlecert::zc1
