// The issuer service: everything the HTTP API and the command line
// do, without HTTP. Poco-free header; Poco Data stays in issuer/src/store.
//
// One Service per data directory and process. Its methods may be called
// from several threads at once: reads use pooled sessions, writes are
// serialized on one writer session, and issuance groups concurrent
// requests into one transaction (each request stays atomic).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/bundle.h"
#include "titlecert/catalogue.h"
#include "titlecert/crypto.h"
#include "titlecert/eligibility.h"
#include "titlecert/idh.h"
#include "titlecert/issuer/clock.h"
#include "titlecert/issuer/config.h"
#include "titlecert/issuer/peers.h"
#include "titlecert/issuer/issue_request.h"
#include "titlecert/issuer/problem.h"
#include "titlecert/issuer/social_security.h"

namespace titlecert::issuer {

enum class Role { Admin, Clerk, Auditor };
std::string_view roleName(Role r);
bool roleFromName(std::string_view name, Role& out);

// Who asks. tokenId 0 is the local operator at the command line (data-dir
// access is the credential there), acting as admin.
struct Actor {
  std::int64_t tokenId = 0;
  Role role = Role::Admin;
};
inline Actor localOperator() { return Actor{0, Role::Admin}; }

// Derives the holder binding (ZC1.md §4). The service uses ScryptBinder;
// tests and the bench may substitute a fast stand-in where they do not
// check the binding (its payloads then do not bind to the ID).
class HolderBinder {
 public:
  virtual ~HolderBinder() = default;
  virtual Result<idh::Idh> bind(std::string_view normalizedId, std::string_view certNo) const = 0;
};
class ScryptBinder final : public HolderBinder {
 public:
  Result<idh::Idh> bind(std::string_view normalizedId, std::string_view certNo) const override;
};

struct InitOptions {
  std::string dataDir;
  std::string passphrase;
  crypto::Alg alg = crypto::Alg::SM2_SM3;
  std::optional<std::string> iss;
  std::optional<std::string> region;
  // The database (db.connector / db.connection in issuer.properties); by
  // default SQLite in DIR/issuer.db.
  std::optional<std::string> dbConnector;
  std::optional<std::string> dbConnection;
};

// What init made: the first admin token (shown once) and the issuer.
struct InitResult {
  std::string adminToken;
  std::string rootPublicKeyPath;
  std::string iss;
  std::string kid;  // hex
  std::string alg;
};

// A token made by createToken: the token is shown this once (stored hashed).
struct NewToken {
  std::string token;
  std::int64_t id = 0;
  Role role = Role::Clerk;
};

// A certificate as stored, what GET /v1/certificates/{cert_no} shows.
struct Certificate {
  std::string certNo;
  // The issued fields (type, holder with the masked ID, the catalogue's
  // names ...) as the JSON object text stored at issuance: opaque here.
  std::string issuedFields;
  std::uint64_t statusIndex = 0;
  std::string payload;  // "ZC1:..."
  std::string kid;      // hex, of the key that signed `payload`
  std::int64_t issuedAt = 0;
  std::optional<std::int64_t> revokedAt;
  std::string revokeReason;
  std::optional<std::int64_t> resignedAt;
};

// One link of the audit trail's hash chain.
struct AuditEntry {
  std::uint64_t seq = 0;
  std::int64_t at = 0;
  std::int64_t actor = 0;  // token id; 0: the local operator
  std::string action;
  std::string details;  // the JSON object text that was hashed into the chain
  std::string prevHash;
  std::string hash;
};

struct OpenOptions {
  std::string dataDir;
  std::string passphrase;
  std::shared_ptr<const HolderBinder> binder;  // null: ScryptBinder
  // Skips the integrity check at start (the database's own check and the
  // newest audit entries), for `audit verify`, which must open a damaged
  // database to report what is wrong. Everything else refuses to start.
  bool examineOnly = false;
};

struct Issued {
  std::string certNo;
  std::uint64_t statusIndex = 0;
  std::string payload;  // "ZC1:..."
  std::string kid;      // hex
  std::int64_t issuedAt = 0;
  bool existed = false;  // a batch row that had been issued before (re-run)
};

// One row of a batch (titlecert/issuer/http_requests.h reads them from
// JSON lines or CSV): its request, or why it could not be read.
struct BatchRow {
  std::size_t line = 0;  // 1-based line number in the input
  Expected<IssueRequest> request = Problem{};
};

struct BatchRowResult {
  std::size_t line = 0;
  Expected<Issued> result = Problem{};
};

// Called after each group commits, with that group's outcomes and how many
// rows of the batch are done.
using Progress = std::function<void(std::span<const BatchRowResult> committed, std::size_t done, std::size_t total)>;

struct KeyChange {
  std::string kid;      // the new signing key (hex)
  std::string alg;
  std::string retiredKid;
  std::size_t resigned = 0;  // compromise: credentials re-signed
};

// A public key in the issuer's list: its own keys and imported issuers'.
struct IssuerKey {
  std::string iss, kid, alg;  // kid hex
  std::string region;
  std::string nameZh, nameEn;
  std::int64_t validFrom = 0, validTo = 0;
  std::string scope;  // the manifest's scope form, as the JSON text stored at import
  std::string state;  // active | retired | compromised | imported
  std::string publicKeyPem;
};

// POST /v1/issuers: another issuer's key, typed; the service checks the key,
// the names and the window.
struct ImportIssuerRequest {
  std::string iss;
  std::string region;
  std::string publicKeyPem;
  std::optional<crypto::Alg> alg;           // when given, must be the key's
  std::optional<catalogue::Names> name;     // absent: the iss in both languages
  std::int64_t validFrom = 0, validTo = 0;
  bundle::Scope scope;
};
// What an import added.
struct ImportedIssuer {
  std::string iss, kid, alg, region;  // kid hex
};

struct AuditCheck {
  bool intact = true;
  std::uint64_t entries = 0;
  std::uint64_t firstBadSeq = 0;  // 0 when intact
  std::string reason;             // what broke, for people
  std::string headHash;
  // The chain holds but the tables do not hold the state it proves: one
  // line per row that differs (intact is then false).
  std::vector<std::string> differences;
};

// An asynchronous batch (POST /v1/batches): done counts settled rows,
// failed those of them that were refused; results holds each settled row's
// JSON object (batchRowResultJson) in input order.
struct BatchStatus {
  std::string id;
  std::string state;  // running | done | failed
  std::size_t total = 0, done = 0, failed = 0;
  std::int64_t createdAt = 0;
  std::vector<std::string> results;
};

// The printable certificate's paper (landscape); A5 unless asked.
enum class CardPaper { A4, A5 };

class Service {
 public:
  // Creates DIR: the database, root and first issuer key (encrypted at rest
  // with the passphrase), issuer.properties, and the first admin token.
  // Refuses a folder that already holds a database.
  static Expected<InitResult> init(const InitOptions& options, const Clock& clock);
  // Opens DIR. The passphrase is required (it decrypts the keys).
  static Expected<std::unique_ptr<Service>> open(const OpenOptions& options, const Clock& clock);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  const Config& config() const;
  const std::string& dataDir() const;
  bool rootKeyOnline() const;

  // GET /v1/ready: whether this instance can take writes now. Each check
  // ("database", "keys", "disk") is ok or says what is wrong.
  struct ReadyCheck {
    std::string name;
    bool ok = false;
    std::string detail;  // "ok", or what is wrong (no paths beyond the data folder's)
  };
  std::vector<ReadyCheck> readiness();

  // ---- tokens ----
  Expected<Actor> authenticate(std::string_view token) const;
  Expected<NewToken> createToken(Role role, const Actor& by);

  // ---- measure 12 ----
  // Imports a bureau export file (social_security.h, readBureauExport) into
  // the record issuance checks claimed years against (admin); audited with
  // the counts only.
  Expected<SocialSecurityImport> importSocialSecurity(std::string_view csv, const Actor& by);
  Completion revokeToken(std::int64_t tokenId, const Actor& by);

  // ---- certificates ----
  // Checks the request (ZC1's limits, the catalogue, the route's rules) and
  // issues it: Invalid naming the field, Conflict for a cert_no in use,
  // NotEligible (ROUTE_NOT_ELIGIBLE).
  Expected<Issued> issue(const IssueRequest& request, const Actor& by);
  // Idempotency-Key: the answer first given to this token's key, or
  // nullopt when the key is new (it is now claimed: settle it with the
  // answer). 409 when the key came with another body, or its first request
  // is still running; 400 for a malformed key.
  struct StoredAnswer {
    int status = 0;
    std::string body;
  };
  Expected<std::optional<StoredAnswer>> claimIdempotencyKey(std::string_view key, std::string_view body, const Actor& by);
  void settleIdempotencyKey(std::string_view key, const Actor& by, int status, const std::string& body);
  // Each row on its own: a failing row does not stop or touch the others.
  // A row identical to one issued before by a batch is reported "exists".
  std::vector<BatchRowResult> issueBatch(const std::vector<BatchRow>& rows, const Actor& by, const Progress& progress = {});
  Expected<Certificate> certificate(std::string_view certNo) const;
  // reason: UTF-8 text of 1..500 bytes. Answers the revoked certificate.
  Expected<Certificate> revoke(std::string_view certNo, std::string_view reason, const Actor& by);
  Expected<Bytes> qrPng(std::string_view certNo);
  Expected<std::string> qrSvg(std::string_view certNo);
  // The printable certificate (landscape page, QR beside the fields), the
  // same layout as a PDF or an SVG.
  Expected<std::string> cardSvg(std::string_view certNo, CardPaper paper);
  Expected<std::string> cardPdf(std::string_view certNo, CardPaper paper);

  // ---- eligibility (titlecert::eligibility) ----
  Expected<eligibility::Answer> eligibility(const eligibility::Request& request) const;
  // The service clock's day (days since 1970-01-01): what "on" means when a
  // request leaves it out.
  std::int64_t today() const;
  const catalogue::Catalogue& catalogue() const;

  // ---- keys and issuers ----
  Expected<KeyChange> rotateKey(std::optional<crypto::Alg> alg, const Actor& by);
  // reason: at most 500 bytes, for the audit trail ("key compromised" when none).
  Expected<KeyChange> keyCompromised(std::string_view kidHex, const std::optional<std::string>& reason, const Actor& by);
  Expected<ImportedIssuer> importIssuer(const ImportIssuerRequest& request, const Actor& by);
  Expected<std::vector<IssuerKey>> issuers() const;

  // ---- other regions' bundles (issuer/src/peers.cpp) ----
  // Pins a peer region's root key (admin); 409 when the region is pinned.
  Expected<PeerRegion> addPeer(const AddPeerRequest& request, const Actor& by);
  // A peer bundle: verified against the root pinned for its home region,
  // version above the one held (409 BUNDLE_ROLLBACK), then its issuer
  // entries and status lists replace what that region gave before.
  // source: the file or URL, for the audit.
  Expected<PeerImport> importPeerBundle(ByteView bytes, const std::string& source, const Actor& by);
  // The same, fetched over http(s) by the issuer.
  Expected<PeerImport> importPeerBundleFromUrl(const std::string& url, const Actor& by);
  Expected<std::vector<PeerRegion>> peers() const;

  // ---- the trust bundle ----
  // The current signed bundle; a new version is signed first when the
  // content changed or next_update is near (and the root key is here).
  Expected<Bytes> bundle();
  // A bundle signed offline: verified against DIR/root.pub.pem, version
  // above the current one. Returns its version.
  Expected<std::uint64_t> loadBundle(ByteView bytes, const Actor& by);
  // manifest.json + public key files (+ catalogue.json when not the
  // default) in outDir, for `titlecert-config bundle build`.
  Completion exportManifest(const std::string& outDir);

  // ---- audit ----
  // The chain's links and hashes, then the tables replayed against it.
  Expected<AuditCheck> verifyAudit() const;
  // verifyAudit, and the entry at the audit head a signed bundle carries
  // must be the stored one: a history rewritten after that bundle was
  // signed is caught. 400 BAD_BUNDLE when the bundle does not verify
  // against root.pub.pem or carries no audit head.
  Expected<AuditCheck> verifyAuditAgainst(ByteView bundleBytes) const;
  // Entries after afterSeq, oldest first, at most min(limit, 1000).
  Expected<std::vector<AuditEntry>> auditPage(std::uint64_t afterSeq, std::size_t limit) const;

  // ---- asynchronous batches (issuer/src/service_batches.cpp) ----
  // Stores the rows (unreadable ones with their reason) and answers the
  // batch's id; the batch worker issues them in the background.
  Expected<std::string> submitBatch(const std::vector<BatchRow>& rows, const Actor& by);
  Expected<BatchStatus> batchStatus(std::string_view batchId) const;
  // Issues up to maxRows pending rows of the oldest running batch, records
  // their outcomes and marks a batch with none left done. Answers how many
  // rows it settled (0: no batch has work).
  std::size_t runBatchStep(std::size_t maxRows);
  // Starts the background thread that runs the stored batches (also those
  // a stopped issuer left running); `serve` does, the CLI does not.
  void startBatchWorker();

  // ---- finding certificates, the catalogue for pickers ----
  // By number, holder name or masked ID (substring, at most `limit`).
  Expected<std::vector<Certificate>> findCertificates(std::string_view text, std::size_t limit) const;

  struct Parts;  // the implementation's components (issuer/src/parts.h)

 private:
  explicit Service(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace titlecert::issuer
