// The Service: setting up and opening a data directory, tokens,
// certificates (issue, batch, read, revoke), eligibility and the audit trail.
// Keys and issuers: keys.cpp; the bundle: publish.cpp; images: render.cpp.
#include <Poco/Logger.h>
#include <Poco/Nullable.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "audit.h"
#include "core.h"
#include "issuance.h"
#include "keys.h"
#include "requests.h"
#include "titlecert/dates.h"
#include "titlecert/catalogue_json.h"
#include "titlecert/eligibility.h"
#include "titlecert/files.h"
#include "titlecert/passphrase.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer {
namespace {

using nlohmann::json;

constexpr std::size_t kTokenBytes = 32;
constexpr std::string_view kTokenPrefix = "tc_";
constexpr std::size_t kMaxReasonBytes = 500;

std::string tokenHash(std::string_view token) { return toHex(crypto::sha256(asBytes(token))); }

// Inserts a token; returns {id, the token in clear} (shown once, stored hashed).
std::pair<std::int64_t, std::string> insertToken(Poco::Data::Session& s, Role role, const Actor& by, std::int64_t when,
                                                 const Bytes& random) {
  std::string token = std::string(kTokenPrefix) + toHex(random);
  std::string hash = tokenHash(token), roleText(roleName(role));
  Poco::Int64 at = when;
  Poco::Nullable<Poco::Int64> creator;
  if (by.tokenId > 0) creator = by.tokenId;
  s << sql(s, "INSERT INTO tokens (hash, role, created_at, created_by) VALUES (?, ?, ?, ?)"), use(hash), use(roleText), use(at),
      use(creator), now;
  Poco::Int64 id = 0;
  s << sql(s, "SELECT id FROM tokens WHERE hash = ?"), use(hash), into(id), now;
  audit::append(s, when, by, "token.create", {{"token_id", id}, {"role", roleText}});
  return {id, token};
}

std::string readSetting(Poco::Data::Session& s, const std::string& name) {
  std::string n = name;
  Poco::Nullable<std::string> value;
  s << sql(s, "SELECT value FROM settings WHERE name = ?"), use(n), into(value), now;
  return value.isNull() ? std::string() : value.value();
}

void writeSetting(Poco::Data::Session& s, const std::string& name, const std::string& value) {
  std::string n = name, v = value;
  s << sql(s, "INSERT INTO settings (name, value) VALUES (?, ?)"), use(n), use(v), now;
}

Expected<catalogue::Catalogue> loadCatalogue(const Config& c) {
  auto cat = c.cataloguePath == "default" ? catalogue::loadDefault() : catalogue::loadFile(c.cataloguePath);
  if (!cat) return badRequest("catalogue.path", "catalogue: " + cat.error().detail, "BAD_CATALOGUE");
  return std::move(cat).value();
}

Expected<std::string> readReason(std::string_view jsonBody) {
  TC_ASSIGN(json body, parseJsonObject(jsonBody));
  for (const auto& [k, v] : body.items())
    if (k != "reason") return badRequest(k, k + ": not a field of a revocation");
  if (!body.contains("reason") || !body["reason"].is_string())
    return badRequest("reason", "reason: a text is required");
  std::string reason = body["reason"].get<std::string>();
  if (reason.empty() || reason.size() > kMaxReasonBytes || !isValidUtf8(reason))
    return badRequest("reason", "reason: UTF-8 text of 1.." + std::to_string(kMaxReasonBytes) + " bytes");
  return reason;
}

json certificateRowJson(Poco::Data::Session& s, const std::string& certNo, bool& found) {
  std::string no = certNo;
  Poco::Nullable<std::string> fields, payload, kid, reason;
  Poco::Nullable<Poco::Int64> index, issuedAt, revokedAt, resignedAt;
  s << sql(s, "SELECT c.fields, c.status_index, c.payload, c.issued_at, c.revoked_at, c.revoke_reason, c.resigned_at, k.kid"
       " FROM certificates c JOIN issuer_keys k ON k.id = c.key_id WHERE c.cert_no = ?"),
      use(no), into(fields), into(index), into(payload), into(issuedAt), into(revokedAt), into(reason), into(resignedAt),
      into(kid), now;
  found = !fields.isNull();
  if (!found) return {};
  json j = json::parse(fields.value(), nullptr, false);
  j["cert_no"] = certNo;
  j["status_index"] = index.value();
  j["payload"] = payload.value();
  j["kid"] = kid.value();
  j["issued_at"] = dates::formatRfc3339(issuedAt.value());
  j["revoked"] = revokedAt.isNull() ? json(nullptr) : json{{"at", dates::formatRfc3339(revokedAt.value())}, {"reason", reason.value()}};
  if (!resignedAt.isNull()) j["resigned_at"] = dates::formatRfc3339(resignedAt.value());
  const std::string base = "/v1/certificates/" + certNo;
  j["links"] = {{"qr_png", base + "/qr.png"}, {"qr_svg", base + "/qr.svg"}, {"card_svg", base + "/card.svg"}};
  return j;
}

Expected<Draft> parseBatchRow(const Service::Core& core, const BatchRow& row, const Actor& by) {
  if (row.unreadable || !row.json) return row.unreadable ? *row.unreadable : badRequest("", "empty row", "BAD_JSON");
  TC_ASSIGN(json body, parseJsonObject(*row.json));
  TC_ASSIGN(Draft draft, parseIssueRequest(core, body, by, core.now()));
  draft.requestKey = requestKeyFor(core, body, draft);
  return draft;
}

}  // namespace

// ---- small shared helpers ------------------------------------------------

std::string toJsonText(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Expected<json> parseJsonObject(std::string_view body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return badRequest("", "the body is not valid JSON", "BAD_JSON");
  if (!j.is_object()) return badRequest("", "the body is not a JSON object", "BAD_JSON");
  return j;
}

Outcome requireRole(const Actor& a, std::initializer_list<Role> allowed) {
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

std::string InitResult::toJson() const {
  nlohmann::ordered_json j = {{"admin_token", adminToken},
                              {"root_public_key", rootPublicKeyPath},
                              {"issuer", {{"iss", iss}, {"kid", kid}, {"alg", alg}}}};
  return j.dump();
}

std::string Issued::toJson() const {
  const std::string base = "/v1/certificates/" + certNo;
  nlohmann::ordered_json j = {{"cert_no", certNo},
                              {"status_index", statusIndex},
                              {"payload", payload},
                              {"kid", kid},
                              {"issued_at", dates::formatRfc3339(issuedAt)},
                              {"links", {{"qr_png", base + "/qr.png"}, {"qr_svg", base + "/qr.svg"}, {"card_svg", base + "/card.svg"}, {"self", base}}}};
  return j.dump();
}

std::string KeyChange::toJson() const {
  nlohmann::ordered_json j = {{"kid", kid}, {"alg", alg}, {"retired_kid", retiredKid.empty() ? json(nullptr) : json(retiredKid)}};
  j["resigned"] = resigned;
  return j.dump();
}

std::string AuditCheck::toJson() const {
  nlohmann::ordered_json j = {{"intact", intact}, {"entries", entries}};
  if (intact) j["head_hash"] = headHash;
  else {
    j["first_bad_seq"] = firstBadSeq;
    j["reason"] = reason;
  }
  return j.dump();
}

std::string rowOutcomeJson(const RowOutcome& r) {
  nlohmann::ordered_json j = {{"line", r.line}};
  if (r.result.ok()) {
    j["status"] = r.result->existed ? "exists" : "issued";
    j["cert_no"] = r.result->certNo;
    j["status_index"] = r.result->statusIndex;
    j["payload"] = r.result->payload;
  } else {
    const Problem& p = r.result.error();
    j["status"] = "error";
    j["http_status"] = p.status;
    j["error"] = p.code;
    j["message"] = p.message;
    if (!p.field.empty()) j["field"] = p.field;
    if (!p.missing.empty()) j["missing"] = p.missing;
  }
  return toJsonText(j);
}

// ---- setting up and opening ----------------------------------------------

Service::Service(std::unique_ptr<Core> core) : core_(std::move(core)) {}
Service::~Service() = default;

const Config& Service::config() const { return core_->config; }
const std::string& Service::dataDir() const { return core_->dataDir; }
bool Service::rootKeyOnline() const { return core_->root.has_value(); }

Expected<InitResult> Service::init(const InitOptions& o, const Clock& clock) {
  if (o.passphrase.empty()) return badRequest("passphrase", std::string("a passphrase is required (") + kPassphraseEnv + " or --passphrase-file)");
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

  TC_ASSIGN(auto db, Database::open(config, o.dataDir));
  Core probe(clock, 1);
  probe.config = config;
  const std::int64_t t = clock.now();
  InitResult result;
  auto written = db->write<Done>([&](Poco::Data::Session& s) -> Outcome {
    // A shared database (PostgreSQL) may already hold an issuer.
    if (!readSetting(s, "request_key_salt").empty()) return conflict("the database already holds an issuer");
    writeSetting(s, "request_key_salt", toHex(salt));
    audit::append(s, t, localOperator(), "service.init",
                  {{"iss", config.iss}, {"region", config.region}, {"root_kid", toHex(root.publicKey().kid())},
                   {"alg", std::string(crypto::algName(o.alg))}});
    insertOwnKey(s, probe, issuerKey, issuerPem, t,
                 t + static_cast<std::int64_t>(config.keyValidityDays) * 86400, t);
    audit::append(s, t, localOperator(), "key.create",
                  {{"kid", toHex(issuerKey.publicKey().kid())}, {"alg", std::string(crypto::algName(o.alg))}});
    auto [id, token] = insertToken(s, Role::Admin, localOperator(), t, tokenBytes);
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
  auto core = std::make_unique<Core>(clock, config.qrCacheEntries);
  core->config = config;
  core->dataDir = o.dataDir;
  core->passphrase = o.passphrase;
  core->binder = o.binder ? o.binder : std::make_shared<ScryptBinder>();
  TC_ASSIGN(core->catalogue, loadCatalogue(config));

  ISS_ASSIGN_TC(auto rootPubPem, files::read(o.dataDir + "/root.pub.pem"));
  ISS_ASSIGN_TC(auto rootPublic, crypto::PublicKey::fromPem(rootPubPem));
  core->rootPublic = rootPublic;
  if (fs::exists(o.dataDir + "/root.pem")) {
    ISS_ASSIGN_TC(auto rootPem, files::read(o.dataDir + "/root.pem"));
    ISS_ASSIGN_TC(auto root, crypto::PrivateKey::fromPem(rootPem, o.passphrase));
    if (root.publicKey().kid() != rootPublic.kid()) return internalError("root.pem and root.pub.pem are not one key pair");
    core->root = root;
  }

  TC_ASSIGN(core->db, Database::open(config, o.dataDir));
  TC_ASSIGN(core->active, loadActiveKey(*core));
  if (core->active) core->activeAlg.store(core->active->key.alg());
  TC_ASSIGN(std::string salt, guarded<std::string>("settings", [&]() -> Expected<std::string> {
               Poco::Data::Session s = core->db->reader();
               return readSetting(s, "request_key_salt");
             }));
  // The batch-row key is keyed by the passphrase, which is not in the database.
  ISS_ASSIGN_TC(core->requestKeySecret,
                crypto::scrypt(asBytes(o.passphrase), asBytes("titlecert-issuer/request-key|" + salt), 16384, 8, 1, 32));
  core->maxQrTextLength = maxTextForVersion(config.maxQrVersion);
  Poco::Logger::get("titlecert.issuer")
      .information("opened " + o.dataDir + ": iss " + config.iss + ", signing key " +
                   (core->active ? core->active->kidHex : std::string("none")) +
                   (core->root ? ", root key online" : ", root key offline"));
  return std::unique_ptr<Service>(new Service(std::move(core)));
}

// ---- tokens ----------------------------------------------------------------

Expected<Actor> Service::authenticate(std::string_view token) const {
  if (token.size() != kTokenPrefix.size() + 2 * kTokenBytes || token.substr(0, kTokenPrefix.size()) != kTokenPrefix)
    return unauthorized("a valid bearer token is required");
  return guarded<Actor>("authenticate", [&]() -> Expected<Actor> {
    Poco::Data::Session s = core_->db->reader();
    std::string hash = tokenHash(token);
    Poco::Nullable<Poco::Int64> id, revokedAt;
    Poco::Nullable<std::string> role;
    s << sql(s, "SELECT id, role, revoked_at FROM tokens WHERE hash = ?"), use(hash), into(id), into(role), into(revokedAt), now;
    Role r{};
    if (id.isNull() || !revokedAt.isNull() || !roleFromName(role.value(), r))
      return unauthorized("a valid bearer token is required");
    return Actor{id.value(), r};
  });
}

Expected<std::string> Service::createToken(Role role, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin}));
  ISS_ASSIGN_TC(auto random, crypto::randomBytes(kTokenBytes));
  return core_->db->write<std::string>([&](Poco::Data::Session& s) -> Expected<std::string> {
    auto [id, token] = insertToken(s, role, by, core_->now(), random);
    nlohmann::ordered_json j = {{"token", token}, {"id", id}, {"role", std::string(roleName(role))}};
    return j.dump();
  });
}

Outcome Service::revokeToken(std::int64_t tokenId, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin}));
  return core_->db->write<Done>([&](Poco::Data::Session& s) -> Outcome {
    Poco::Int64 id = tokenId, at = core_->now();
    Poco::Nullable<Poco::Int64> found, revokedAt;
    s << sql(s, "SELECT id, revoked_at FROM tokens WHERE id = ?"), use(id), into(found), into(revokedAt), now;
    if (found.isNull()) return notFound("no token " + std::to_string(tokenId));
    if (!revokedAt.isNull()) return conflict("token " + std::to_string(tokenId) + " is already revoked");
    s << sql(s, "UPDATE tokens SET revoked_at = ? WHERE id = ?"), use(at), use(id), now;
    audit::append(s, at, by, "token.revoke", {{"token_id", tokenId}});
    return success();
  });
}

// ---- certificates ------------------------------------------------------------

Expected<Issued> Service::issue(std::string_view jsonBody, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin, Role::Clerk}));
  TC_ASSIGN(json body, parseJsonObject(jsonBody));
  TC_ASSIGN(Draft draft, parseIssueRequest(*core_, body, by, core_->now()));
  std::vector<Expected<Draft>> drafts;
  drafts.emplace_back(std::move(draft));
  auto results = issueDrafts(*core_, std::move(drafts), by);
  return std::move(results.front());
}

std::vector<RowOutcome> Service::issueBatch(const std::vector<BatchRow>& rows, const Actor& by, const Progress& progress) {
  std::vector<RowOutcome> out;
  out.reserve(rows.size());
  if (auto allowed = requireRole(by, {Role::Admin, Role::Clerk}); !allowed) {
    for (const auto& r : rows) out.push_back({r.line, allowed.error()});
    return out;
  }
  const std::size_t chunk = core_->config.batchCommitRows;
  // Rows are validated on several threads (parsing, catalogue checks and
  // the size estimate need no lock); the writer then takes them in order.
  auto validate = [&](std::size_t start) {
    const std::size_t end = std::min(rows.size(), start + chunk);
    std::vector<Expected<Draft>> drafts(end - start, Expected<Draft>(internalError("not parsed")));
    std::atomic<std::size_t> next{start};
    auto work = [&] {
      for (std::size_t i = next++; i < end; i = next++) drafts[i - start] = parseBatchRow(*core_, rows[i], by);
    };
    const std::size_t threads = std::min<std::size_t>(end - start, std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    return drafts;
  };
  // The next group is validated while this one is numbered, signed and
  // committed: the commit mostly waits for the disk, and the writer's
  // work is on one thread.
  std::future<std::vector<Expected<Draft>>> validated = std::async(std::launch::async, validate, 0);
  for (std::size_t start = 0; start < rows.size(); start += chunk) {
    const std::size_t end = std::min(rows.size(), start + chunk);
    std::vector<Expected<Draft>> drafts = validated.get();
    if (end < rows.size()) validated = std::async(std::launch::async, validate, end);
    auto results = issueDrafts(*core_, std::move(drafts), by);
    const std::size_t first = out.size();
    for (std::size_t i = start; i < end; ++i) out.push_back({rows[i].line, std::move(results[i - start])});
    if (progress) progress(std::span<const RowOutcome>(out.data() + first, out.size() - first), end, rows.size());
  }
  return out;
}

Expected<std::string> Service::certificateJson(std::string_view certNo) const {
  return guarded<std::string>("certificate", [&]() -> Expected<std::string> {
    Poco::Data::Session s = core_->db->reader();
    bool found = false;
    json j = certificateRowJson(s, std::string(certNo), found);
    if (!found) return notFound("no certificate " + std::string(certNo));
    return toJsonText(j);
  });
}

Expected<std::string> Service::revoke(std::string_view certNo, std::string_view jsonBody, const Actor& by) {
  TC_TRY(requireRole(by, {Role::Admin, Role::Clerk}));
  TC_ASSIGN(std::string reason, readReason(jsonBody));
  const std::string no(certNo);
  auto r = core_->db->write<std::string>([&](Poco::Data::Session& s) -> Expected<std::string> {
    std::string n = no;
    Poco::Nullable<Poco::Int64> index, revokedAt;
    s << sql(s, "SELECT status_index, revoked_at FROM certificates WHERE cert_no = ?"), use(n), into(index), into(revokedAt), now;
    if (index.isNull()) return notFound("no certificate " + no);
    if (!revokedAt.isNull()) return conflict("certificate " + no + " is already revoked");
    Poco::Int64 at = core_->now();
    std::string why = reason;
    s << sql(s, "UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE cert_no = ?"), use(at), use(why), use(n), now;
    audit::append(s, at, by, "certificate.revoke", {{"cert_no", no}, {"status_index", index.value()}, {"reason", reason}});
    bumpContentGeneration(s);
    bool found = false;
    return toJsonText(certificateRowJson(s, no, found));
  });
  return r;
}

// ---- eligibility -------------------------------------------------------------

Expected<std::string> Service::eligibility(std::string_view jsonBody) const {
  TC_TRY(parseJsonObject(jsonBody));
  auto request = eligibility::requestFromJson(jsonBody, core_->now() / 86400);
  if (!request) return fromError(request.error());
  auto answer = eligibility::evaluate(core_->catalogue, request->person, request->target, request->on);
  if (!answer) return fromError(answer.error());
  return eligibility::answerToJson(*answer, core_->catalogue);
}

// ---- audit -------------------------------------------------------------------

Expected<AuditCheck> Service::verifyAudit() const {
  return guarded<AuditCheck>("audit verify", [&]() -> Expected<AuditCheck> {
    Poco::Data::Session s = core_->db->reader();
    return audit::verify(s);
  });
}

Expected<std::string> Service::auditJson(std::uint64_t afterSeq, std::size_t limit) const {
  return guarded<std::string>("audit", [&]() -> Expected<std::string> {
    Poco::Data::Session s = core_->db->reader();
    json entries = audit::page(s, afterSeq, std::min<std::size_t>(limit, 1000));
    json out = {{"entries", entries}};
    if (!entries.empty()) out["next_after"] = entries.back()["seq"];
    return toJsonText(out);
  });
}

}  // namespace titlecert::issuer
