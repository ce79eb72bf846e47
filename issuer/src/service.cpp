// The Service: setting up and opening a data directory, tokens,
// certificates (issue, batch, read, revoke), eligibility and the audit trail.
// Keys and issuers: keys.cpp; the bundle: publish.cpp; images: render.cpp.
#include <Poco/Logger.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "parts.h"
#include "audit_replay.h"
#include "integrity.h"
#include "issuance.h"
#include "keys.h"
#include "requests.h"
#include "store/audit_chain.h"
#include "store/records.h"
#include "titlecert/dates.h"
#include "titlecert/catalogue_json.h"
#include "titlecert/eligibility.h"
#include "titlecert/files.h"
#include "titlecert/passphrase.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;

constexpr std::size_t kTokenBytes = 32;
constexpr std::string_view kTokenPrefix = "tc_";
constexpr std::size_t kMaxReasonBytes = 500;

std::string tokenHash(std::string_view token) { return toHex(crypto::sha256(asBytes(token))); }

// Inserts a token; returns {id, the token in clear} (shown once, stored hashed).
std::pair<std::int64_t, std::string> insertToken(store::Tx& tx, Role role, const Actor& by, std::int64_t when,
                                                 const Bytes& random) {
  std::string token = std::string(kTokenPrefix) + toHex(random);
  const std::string roleText(roleName(role));
  const std::string hash = tokenHash(token);
  const std::int64_t id = store::insertToken(tx, hash, roleText, when, by.tokenId);
  // The token's hash (what the database keeps anyway): a token row the
  // chain did not create, or whose hash was replaced, is found by the replay.
  store::audit::append(tx, when, by, "token.create", {{"token_id", id}, {"role", roleText}, {"token_sha256", hash}});
  return {id, token};
}

Expected<catalogue::Catalogue> loadCatalogue(const Config& c) {
  auto cat = c.cataloguePath == "default" ? catalogue::loadDefault() : catalogue::loadFile(c.cataloguePath);
  if (!cat) return badRequest("catalogue.path", "catalogue: " + cat.error().detail, "BAD_CATALOGUE");
  return std::move(cat).value();
}

Completion checkReason(std::string_view reason) {
  if (reason.empty() || reason.size() > kMaxReasonBytes || !isValidUtf8(reason))
    return badRequest("reason", "reason: UTF-8 text of 1.." + std::to_string(kMaxReasonBytes) + " bytes");
  return success();
}

Certificate toCertificate(store::CertificateRecord c) {
  return Certificate{std::move(c.certNo), std::move(c.fields), c.statusIndex, std::move(c.payload), std::move(c.kid),
                     c.issuedAt, c.revokedAt, std::move(c.revokeReason), c.resignedAt};
}

Expected<Draft> checkBatchRow(const RequestRules& rules, const BatchRow& row, const Actor& by, std::int64_t when,
                              crypto::Alg activeAlg) {
  if (!row.request) return row.request.error();
  TC_ASSIGN(Draft draft, checkIssueRequest(rules, *row.request, by, when, activeAlg));
  draft.requestKey = requestKeyFor(rules, *row.request);
  return draft;
}

// Where each transaction of a batch starts: at every multiple of
// batch.commit_rows, and, in a batch of more than one group, once early,
// at an eighth of the first group. Nothing can be written before the
// first group is validated and signed, with nothing to overlap; a short
// first group starts the first COMMIT (and the signing ahead of the rest
// during it) sooner. The later groups keep their places, so a refused
// commit still loses rows at the same multiples.
std::vector<std::size_t> batchGroupStarts(std::size_t rows, std::size_t commitRows) {
  std::vector<std::size_t> starts;
  const std::size_t head = commitRows / 8;
  for (std::size_t start = 0; start < rows; start += commitRows) {
    starts.push_back(start);
    if (start == 0 && head > 0 && rows > commitRows) starts.push_back(head);
  }
  return starts;
}

}  // namespace

// ---- small shared helpers ------------------------------------------------

Completion requireRole(const Actor& a, std::initializer_list<Role> allowed) {
  for (Role r : allowed)
    if (a.role == r) return success();
  return forbidden("the role " + std::string(roleName(a.role)) + " may not do this");
}

std::string_view roleName(Role r) {
  switch (r) {
    case Role::Admin: return "admin";
    case Role::Clerk: return "clerk";
    case Role::Auditor: return "auditor";
  }
  return "?";
}

bool roleFromName(std::string_view name, Role& out) {
  if (name == "admin") out = Role::Admin;
  else if (name == "clerk") out = Role::Clerk;
  else if (name == "auditor") out = Role::Auditor;
  else return false;
  return true;
}

Result<idh::Idh> ScryptBinder::bind(std::string_view normalizedId, std::string_view certNo) const {
  return idh::derive(normalizedId, certNo);
}

// ---- setting up and opening ----------------------------------------------

Service::Service(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Service::~Service() {
  // The worker calls into the service: it stops before any part goes.
  if (parts_) parts_->batchWorker.reset();
}

const Config& Service::config() const { return parts_->config; }
const std::string& Service::dataDir() const { return parts_->dataDir; }
bool Service::rootKeyOnline() const { return parts_->root.has_value(); }

Expected<InitResult> Service::init(const InitOptions& o, const Clock& clock) {
  if (o.passphrase.empty()) return badRequest("passphrase", std::string("a passphrase is required (") + kPassphraseEnv + " or --passphrase-file)");
  TC_TRY(passphraseStrongEnough(o.passphrase));
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(o.dataDir + "/issuer.db", ec) || fs::exists(o.dataDir + "/issuer.properties", ec))
    return conflict(o.dataDir + " already holds an issuer");
  Config config;
  if (o.iss) config.iss = *o.iss;
  if (o.region) config.region = *o.region;
  if (o.dbConnector) config.dbConnector = *o.dbConnector;
  if (o.dbConnection) config.dbConnection = *o.dbConnection;
  TC_TRY(validateConfig(config));
  fs::create_directories(o.dataDir, ec);
  if (ec) return internalError("cannot create " + o.dataDir + ": " + ec.message());
  ::chmod(o.dataDir.c_str(), 0700);
  ISS_TRY_TC(files::writeAtomically(o.dataDir + "/issuer.properties", asBytes(renderConfig(config)), 0600));

  ISS_ASSIGN_TC(auto root, crypto::PrivateKey::generate(o.alg));
  ISS_ASSIGN_TC(auto rootPem, root.toEncryptedPem(o.passphrase));
  ISS_TRY_TC(files::writeAtomically(o.dataDir + "/root.pem", asBytes(rootPem), 0600));
  ISS_TRY_TC(files::writeAtomically(o.dataDir + "/root.pub.pem", asBytes(root.publicKey().pem()), 0644));
  ISS_ASSIGN_TC(auto issuerKey, crypto::PrivateKey::generate(o.alg));
  ISS_ASSIGN_TC(auto issuerPem, issuerKey.toEncryptedPem(o.passphrase));
  ISS_ASSIGN_TC(auto tokenBytes, crypto::randomBytes(kTokenBytes));
  ISS_ASSIGN_TC(auto salt, crypto::randomBytes(16));

  TC_ASSIGN(auto db, store::Store::open(config, o.dataDir));
  const std::int64_t t = clock.now();
  InitResult result;
  auto written = db->write<Done>([&](store::Tx& tx) -> Completion {
    // A shared database (PostgreSQL) may already hold an issuer.
    if (!store::readSetting(tx, "request_key_salt").empty()) return conflict("the database already holds an issuer");
    store::writeSetting(tx, "request_key_salt", toHex(salt));
    store::audit::append(tx, t, localOperator(), "service.init",
                  {{"iss", config.iss}, {"region", config.region}, {"root_kid", toHex(root.publicKey().kid())},
                   {"alg", std::string(crypto::algName(o.alg))}});
    insertOwnKey(tx, config, issuerKey, issuerPem, t,
                 t + static_cast<std::int64_t>(config.keyValidityDays) * 86400, t);
    store::audit::append(tx, t, localOperator(), "key.create",
                         storedKeyFacts(tx, config.iss, toHex(issuerKey.publicKey().kid())));
    auto [id, token] = insertToken(tx, Role::Admin, localOperator(), t, tokenBytes);
    result.adminToken = token;
    return success();
  });
  if (!written) return written.error();
  result.rootPublicKeyPath = o.dataDir + "/root.pub.pem";
  result.iss = config.iss;
  result.kid = toHex(issuerKey.publicKey().kid());
  result.alg = std::string(crypto::algName(o.alg));
  return result;
}


Expected<std::unique_ptr<Service>> Service::open(const OpenOptions& o, const Clock& clock) {
  if (o.passphrase.empty()) return badRequest("passphrase", std::string("a passphrase is required (") + kPassphraseEnv + " or --passphrase-file)");
  namespace fs = std::filesystem;
  if (!fs::exists(o.dataDir + "/issuer.db") && !fs::exists(o.dataDir + "/issuer.properties"))
    return notFound(o.dataDir + " is not an issuer data directory (run init first)");
  TC_ASSIGN(Config config, loadConfig(o.dataDir + "/issuer.properties"));
  TC_ASSIGN(catalogue::Catalogue catalogue, loadCatalogue(config));
  // Opening creates and migrates a missing SQLite file: a lost or truncated
  // database would come back as a blank issuer signing a bundle with no
  // issuers in it. Only init makes a database.
  if (config.dbConnector == "sqlite") {
    const std::string file = config.dbConnection.empty() ? o.dataDir + "/issuer.db" : config.dbConnection;
    std::error_code sizeError;
    const auto size = fs::file_size(file, sizeError);
    if (sizeError || size == 0)
      return unavailable(file + " is missing or empty: refusing to start a blank issuer "
                         "(restore the database from a backup; init makes a new one in a new directory)");
  }

  ISS_ASSIGN_TC(auto rootPubPem, files::read(o.dataDir + "/root.pub.pem"));
  ISS_ASSIGN_TC(auto rootPublic, crypto::PublicKey::fromPem(rootPubPem));
  std::optional<crypto::PrivateKey> rootKey;
  if (fs::exists(o.dataDir + "/root.pem")) {
    ISS_ASSIGN_TC(auto rootPem, files::read(o.dataDir + "/root.pem"));
    ISS_ASSIGN_TC(auto root, crypto::PrivateKey::fromPem(rootPem, o.passphrase));
    if (root.publicKey().kid() != rootPublic.kid()) return internalError("root.pem and root.pub.pem are not one key pair");
    rootKey = root;
  }

  TC_ASSIGN(auto storage, store::Store::open(config, o.dataDir));
  TC_ASSIGN(std::string salt, storage->read<std::string>("settings", [](store::Tx& tx) -> Expected<std::string> {
               return store::readSetting(tx, "request_key_salt");
             }));
  if (salt.empty())
    return unavailable("the database holds no issuer: refusing to start a blank issuer "
                       "(restore the database from a backup; init makes a new one)");
  // The batch-row key is keyed by the passphrase, which is not in the database.
  ISS_ASSIGN_TC(Bytes requestKeySecret,
                crypto::scrypt(asBytes(o.passphrase), asBytes("titlecert-issuer/request-key|" + salt), 16384, 8, 1, 32));
  auto parts = std::make_unique<Parts>(config, o.dataDir, clock, std::move(catalogue), std::move(storage), o.passphrase,
                                       o.binder ? o.binder : std::make_shared<ScryptBinder>(), std::move(requestKeySecret),
                                       maxTextForVersion(config.maxQrVersion), std::move(rootKey), rootPublic);
  if (!o.examineOnly) TC_TRY(checkAtStart(*parts->storage));
  TC_TRY(parts->keys.load(*parts->storage));
  const std::optional<OwnKey> active = parts->keys.active();
  Poco::Logger::get("titlecert.issuer")
      .information("opened " + o.dataDir + ": iss " + config.iss + ", signing key " +
                   (active ? active->kidHex : std::string("none")) +
                   (parts->root ? ", root key online" : ", root key offline"));
  return std::unique_ptr<Service>(new Service(std::move(parts)));
}

// ---- tokens ----------------------------------------------------------------

Expected<Actor> Service::authenticate(std::string_view token) const {
  if (token.size() != kTokenPrefix.size() + 2 * kTokenBytes || token.substr(0, kTokenPrefix.size()) != kTokenPrefix)
    return unauthorized("a valid bearer token is required");
  return parts_->storage->read<Actor>("authenticate", [&](store::Tx& tx) -> Expected<Actor> {
    std::optional<store::TokenRecord> found = store::tokenByHash(tx, tokenHash(token));
    Role r{};
    if (!found || found->revoked || !roleFromName(found->role, r)) return unauthorized("a valid bearer token is required");
    return Actor{found->id, r};
  });
}

Expected<NewToken> Service::createToken(Role role, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin}));
  ISS_ASSIGN_TC(auto random, crypto::randomBytes(kTokenBytes));
  return parts_->storage->write<NewToken>([&](store::Tx& tx) -> Expected<NewToken> {
    auto [id, token] = insertToken(tx, role, by, parts_->clock.now(), random);
    return NewToken{token, id, role};
  });
}

Expected<SocialSecurityImport> Service::importSocialSecurity(std::string_view csv, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin}));
  TC_ASSIGN(auto rows, readBureauExport(csv));
  TC_ASSIGN(SocialSecurityImport result, parts_->socialSecurity.import(rows));
  TC_TRY(parts_->storage->write<Done>([&](store::Tx& tx) -> Completion {
    store::audit::append(tx, parts_->clock.now(), by, "social_security.import",
                         {{"rows", result.rows}, {"entries", result.entries}});
    return success();
  }));
  return result;
}

Completion Service::revokeToken(std::int64_t tokenId, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin}));
  return parts_->storage->write<Done>([&](store::Tx& tx) -> Completion {
    const std::int64_t at = parts_->clock.now();
    std::optional<store::TokenRecord> found = store::tokenById(tx, tokenId);
    if (!found) return notFound("no token " + std::to_string(tokenId));
    if (found->revoked) return conflict("token " + std::to_string(tokenId) + " is already revoked");
    store::markTokenRevoked(tx, tokenId, at);
    store::audit::append(tx, at, by, "token.revoke", {{"token_id", tokenId}});
    return success();
  });
}

// ---- certificates ------------------------------------------------------------

Expected<Issued> Service::issue(const IssueRequest& request, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin, Role::Clerk}));
  TC_ASSIGN(Draft draft, checkIssueRequest(parts_->rules, request, by, parts_->clock.now(), parts_->keys.activeAlg()));
  std::vector<Expected<Draft>> drafts;
  drafts.emplace_back(std::move(draft));
  auto results = parts_->issuance.issue(std::move(drafts), by);
  return std::move(results.front());
}

std::vector<BatchRowResult> Service::issueBatch(const std::vector<BatchRow>& rows, const Actor& by, const Progress& progress) {
  std::vector<BatchRowResult> out;
  out.reserve(rows.size());
  if (auto allowed = requireRole(by, {Role::Admin, Role::Clerk}); !allowed) {
    for (const auto& r : rows) out.push_back({r.line, allowed.error()});
    return out;
  }
  const std::vector<std::size_t> starts = batchGroupStarts(rows.size(), parts_->config.batchCommitRows);
  auto endOf = [&](std::size_t group) { return group + 1 < starts.size() ? starts[group + 1] : rows.size(); };
  // Rows are validated on several threads (parsing, catalogue checks and
  // the size estimate need no lock); the writer then takes them in order.
  auto validate = [&](std::size_t group) {
    const std::size_t start = starts[group], end = endOf(group);
    std::vector<Expected<Draft>> drafts(end - start, Expected<Draft>(internalError("not parsed")));
    std::atomic<std::size_t> next{start};
    auto work = [&] {
      for (std::size_t i = next++; i < end; i = next++) drafts[i - start] = checkBatchRow(parts_->rules, rows[i], by, parts_->clock.now(), parts_->keys.activeAlg());
    };
    const std::size_t threads = std::min<std::size_t>(end - start, std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    return drafts;
  };
  // The next groups are validated and queued while this one is
  // numbered, signed and committed: the commit mostly waits for the disk,
  // and the writer signs the queued group after it ahead during it
  // (issuance.h). Validated in parallel, queued in the rows' order.
  std::mutex turnMutex;
  std::condition_variable turnChanged;
  std::size_t turn = 0;  // the group whose drafts are queued next
  auto validateAndQueue = [&](std::size_t group) {
    std::vector<Expected<Draft>> drafts = validate(group);
    std::unique_lock<std::mutex> lock(turnMutex);
    turnChanged.wait(lock, [&] { return turn == group; });
    IssuanceQueue::Queued queued = parts_->issuance.enqueue(std::move(drafts), by, IssuanceQueue::Grouping::OwnGroup);
    ++turn;
    turnChanged.notify_all();
    return queued;
  };
  const std::size_t groups = starts.size();
  std::deque<std::future<IssuanceQueue::Queued>> ahead;
  std::size_t launched = 0;
  auto launchNext = [&] {
    if (launched < groups) ahead.push_back(std::async(std::launch::async, validateAndQueue, launched++));
  };
  launchNext();
  for (std::size_t group = 0; group < groups; ++group) {
    const std::size_t start = starts[group], end = endOf(group);
    IssuanceQueue::Queued mine = ahead.front().get();
    ahead.pop_front();
    // The first group is validated alone (nothing can be written before
    // it); then two are kept ahead.
    while (launched < groups && ahead.size() < (group == 0 ? 1u : 2u)) launchNext();
    auto results = parts_->issuance.collect(std::move(mine));
    const std::size_t first = out.size();
    for (std::size_t i = start; i < end; ++i) out.push_back({rows[i].line, std::move(results[i - start])});
    if (progress) progress(std::span<const BatchRowResult>(out.data() + first, out.size() - first), end, rows.size());
  }
  return out;
}

Expected<Certificate> Service::certificate(std::string_view certNo) const {
  return parts_->storage->read<Certificate>("certificate", [&](store::Tx& tx) -> Expected<Certificate> {
    std::optional<store::CertificateRecord> found = store::findCertificate(tx, std::string(certNo));
    if (!found) return notFound("no certificate " + std::string(certNo));
    TC_TRY(checkStoredPayload(tx, parts_->config.iss, *found));
    return toCertificate(std::move(*found));
  });
}

Expected<Certificate> Service::revoke(std::string_view certNo, std::string_view reasonText, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin, Role::Clerk}));
  TC_TRY(checkReason(reasonText));
  const std::string no(certNo), reason(reasonText);
  auto r = parts_->storage->write<Certificate>([&](store::Tx& tx) -> Expected<Certificate> {
    std::optional<store::CertificateRecord> found = store::findCertificate(tx, no);
    if (!found) return notFound("no certificate " + no);
    if (found->revokedAt) return conflict("certificate " + no + " is already revoked");
    const std::int64_t at = parts_->clock.now();
    store::markCertificateRevoked(tx, no, at, reason);
    store::audit::append(tx, at, by, "certificate.revoke", {{"cert_no", no}, {"status_index", found->statusIndex}, {"reason", reason}});
    store::bumpContentGeneration(tx);
    found->revokedAt = at;
    found->revokeReason = reason;
    return toCertificate(std::move(*found));
  });
  return r;
}

// ---- eligibility -------------------------------------------------------------

Expected<eligibility::Answer> Service::eligibility(const eligibility::Request& request) const {
  auto answer = eligibility::evaluate(parts_->catalogue, request.person, request.target, request.on);
  if (!answer) return fromError(answer.error());
  return std::move(answer).value();
}

std::int64_t Service::today() const { return parts_->clock.now() / 86400; }
const catalogue::Catalogue& Service::catalogue() const { return parts_->catalogue; }

// ---- audit -------------------------------------------------------------------

Expected<AuditCheck> Service::verifyAudit() const {
  // Under the write lock: the chain and the tables are read as one state,
  // with no issuance between them.
  return parts_->storage->write<AuditCheck>([](store::Tx& tx) -> Expected<AuditCheck> {
    AuditCheck check = store::audit::verify(tx);
    if (!check.intact) return check;
    check.differences = stateDifferences(tx);
    if (!check.differences.empty()) {
      check.intact = false;
      check.reason = std::to_string(check.differences.size()) + " row(s) differ from the state the audit trail proves: " +
                     check.differences.front();
    }
    return check;
  });
}

Expected<std::vector<AuditEntry>> Service::auditPage(std::uint64_t afterSeq, std::size_t limit) const {
  using Entries = std::vector<AuditEntry>;
  return parts_->storage->read<Entries>("audit", [&](store::Tx& tx) -> Expected<Entries> {
    Entries out;
    for (store::audit::Entry& e : store::audit::page(tx, afterSeq, std::min<std::size_t>(limit, 1000)))
      out.push_back(AuditEntry{e.seq, e.at, e.actor, std::move(e.action), std::move(e.details), std::move(e.prevHash),
                               std::move(e.hash)});
    return out;
  });
}

}  // namespace titlecert::issuer
