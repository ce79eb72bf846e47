// The offline verifier (C++ API). A Verifier is built only from a trust
// bundle whose root signature checked; it is immutable and may be shared by
// any number of threads. verify() runs the checks in the order of
// CONTRACT.md's result-code table and reports the first that fails.
// The stable C API over this is titlecert/verify.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "titlecert/bundle.h"
#include "titlecert/catalogue.h"
#include "titlecert/result.h"
#include "titlecert/zc1.h"

namespace titlecert::verifier {

// Hard limit on one input text (a ZC1 code is at most ~3 KiB).
inline constexpr std::size_t kMaxInputLength = 8192;

enum class Lang { Zh, En };

// What a qualification credential is worth as a title (ZC1.md §5).
struct EquivalenceResult {
  catalogue::EquivalenceKind kind = catalogue::EquivalenceKind::Recognised;
  std::uint64_t series = 0;
  std::uint64_t titleLevel = 0;
  std::optional<catalogue::Names> titleName;
  std::int64_t fromDate = 0;  // days since 1970-01-01
  const catalogue::Equivalence* row = nullptr;
};

// For a credential from another region: does the recognition policy accept it.
struct RecognitionResult {
  bool accepted = false;
  std::string region;
  std::optional<std::string> policyEntry;
};

struct Outcome {
  Code code = Code::INTERNAL_ERROR;
  std::string detail;           // for logs; never a key or a full ID number
  std::vector<Code> warnings;   // BUNDLE_STALE, CLOCK_BEHIND
  std::int64_t effectiveNow = 0;
  // Set only once the signature verified: unauthenticated content is never shown.
  std::optional<zc1::Credential> credential;
  const bundle::IssuerEntry* issuer = nullptr;  // the trusted entry that vouches for it
  std::optional<bool> holderMatch;              // null: no ID given
  std::vector<EquivalenceResult> equivalences;
  std::optional<RecognitionResult> recognition;

  bool valid() const { return code == Code::OK; }
};

struct VerifyOptions {
  // "TYPE:VALUE" to check holder binding (ZC1.md §4); costs ~60 ms.
  std::optional<std::string> idNumber;
  // The terminal's clock floor (titlecert/terminal_state.h): a now below it,
  // or below the bundle's issued-at, is raised to the later of the two with
  // the warning CLOCK_BEHIND.
  std::int64_t clockFloor = 0;
};

class Verifier {
 public:
  // BAD_BUNDLE when the bundle does not verify against root or does not
  // parse; BUNDLE_ROLLBACK when its version is below minVersion.
  static Result<Verifier> create(ByteView bundleBytes, const crypto::PublicKey& root, std::uint64_t minVersion = 0);

  // now: epoch seconds, always passed in. A malformed idNumber gives
  // INVALID_ARGUMENT before anything else is checked.
  Outcome verify(std::string_view text, std::int64_t now, const VerifyOptions& options = {}) const;
  // The outcome for an image in which no QR code was found (with the same
  // clock warnings as any verification).
  Outcome noCodeFound(std::int64_t now, const VerifyOptions& options = {}) const;
  // The outcome that follows the verified codes of an image holding more
  // codes than the scan reads (scan::QrScan::codesSkipped): CODES_SKIPPED,
  // never valid, so the image is not valid as a whole.
  Outcome codesSkipped(std::int64_t now, const VerifyOptions& options = {}) const;

  const bundle::Contents& contents() const;

  // One JSON object (one line, no newline) with CONTRACT.md's fields; input is
  // the file name, "text", or the line number.
  std::string toJson(const Outcome& outcome, const std::string& input, Lang lang = Lang::Zh) const;
  // The same object appended to `out`: a batch renders into strings it
  // keeps, so a line costs no allocation.
  void appendJson(std::string& out, const Outcome& outcome, std::string_view input, Lang lang = Lang::Zh) const;
  // Lines for people: holder, title, issuer, date — or the reason it failed.
  std::string toHuman(const Outcome& outcome, Lang lang) const;

 private:
  struct State;
  explicit Verifier(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

// Anti-rollback state (CONTRACT.md --state): the highest bundle version
// accepted, kept in a small text file written atomically.
Result<std::uint64_t> readHighestVersion(const std::string& path);  // 0 when the file does not exist
Status writeHighestVersion(const std::string& path, std::uint64_t version);

}  // namespace titlecert::verifier
