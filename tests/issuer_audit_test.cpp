// The audit trail proves the state: each edit made behind the service's
// back (raw SQL on the database, as someone with write access to it would)
// is named by `audit verify`, keeps the next bundle from being signed, and
// a stored payload that changed is never served. Registered twice (SQLite
// and, as "pg.", PostgreSQL) with the rest of test_issuer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/issuer_fixture.h"
#include "titlecert/bundle.h"
#include "titlecert/bundle_manifest.h"
#include "titlecert/files.h"

namespace titlecert::testing {
namespace {

using nlohmann::json;

IssuerWorldOptions quiet() {
  IssuerWorldOptions o;
  o.startServer = false;
  return o;
}

std::string issueOne(IssuerWorld& w, const std::string& name = "张三") {
  auto issued = w.service->issue(requestOf(titleBody(name)), issuer::localOperator());
  if (!issued) throw std::runtime_error("issue failed: " + issued.error().message);
  return issued->certNo;
}

std::vector<std::string> differencesOf(IssuerWorld& w) {
  auto check = w.service->verifyAudit();
  if (!check) throw std::runtime_error("audit verify failed: " + check.error().message);
  return check->differences;
}

// The differences as one text, for EXPECT_NE(find) and for failure output.
std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

bool mentions(const std::vector<std::string>& lines, const std::string& a, const std::string& b = {}) {
  for (const auto& l : lines)
    if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
  return false;
}

// Re-opens on the tampered database, and asks for a new bundle: signing
// must be refused while the tables disagree with the chain.
void expectNoBundleSigned(IssuerWorld& w) {
  w.reopen();
  auto b = w.service->bundle();
  ASSERT_FALSE(b.ok()) << "a bundle was signed over state the audit does not prove";
  EXPECT_EQ(b.error().code, "AUDIT_MISMATCH");
  EXPECT_NE(b.error().message.find("differ from the audit trail"), std::string::npos) << b.error().message;
}

// SQL that flips one character of a certificate's payload (past the
// prefix), on SQLite and PostgreSQL alike.
std::string flipPayloadByte(const std::string& certNo) {
  return "UPDATE certificates SET payload = substr(payload, 1, 30) || "
         "CASE substr(payload, 31, 1) WHEN 'A' THEN 'B' ELSE 'A' END || substr(payload, 32) WHERE cert_no = '" +
         certNo + "'";
}

TEST(IssuerAuditState, AnUntouchedIssuerAgreesWithItsChain) {
  IssuerWorld w(quiet());
  const std::string no = issueOne(w);
  ASSERT_TRUE(w.service->revoke(no, "wrong", issuer::localOperator()).ok());
  ASSERT_TRUE(w.service->rotateKey(std::nullopt, issuer::localOperator()).ok());
  issueOne(w, "李四");
  auto rotated = w.service->rotateKey(std::nullopt, issuer::localOperator());
  ASSERT_TRUE(rotated.ok());
  ASSERT_TRUE(w.service->keyCompromised(rotated->retiredKid, std::string("lost"), issuer::localOperator()).ok());
  auto token = w.service->createToken(issuer::Role::Clerk, issuer::localOperator());
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(w.service->revokeToken(token->id, issuer::localOperator()).ok());
  const auto check = w.service->verifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->intact) << check->reason;
  EXPECT_TRUE(check->differences.empty()) << joined(check->differences);
  EXPECT_TRUE(w.service->bundle().ok());
}

TEST(IssuerAuditState, AnUndoneRevocationIsCaughtAndNotPublished) {
  IssuerWorld w(quiet());
  const std::string no = issueOne(w);
  ASSERT_TRUE(w.service->revoke(no, "wrong", issuer::localOperator()).ok());
  ASSERT_TRUE(w.service->bundle().ok());
  w.tamper("UPDATE certificates SET revoked_at = NULL, revoke_reason = NULL WHERE cert_no = '" + no + "'");
  const auto check = w.service->verifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->intact);
  EXPECT_TRUE(mentions(check->differences, "certificate " + no, "revocation")) << joined(check->differences);
  EXPECT_TRUE(mentions(check->differences, "was undone")) << joined(check->differences);
  expectNoBundleSigned(w);
}

TEST(IssuerAuditState, ARevocationMadeBehindTheServiceIsCaught) {
  IssuerWorld w(quiet());
  const std::string no = issueOne(w);
  w.tamper("UPDATE certificates SET revoked_at = 1, revoke_reason = 'x' WHERE cert_no = '" + no + "'");
  const auto d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "certificate " + no, "no audit entry revoked it")) << joined(d);
  expectNoBundleSigned(w);
}

TEST(IssuerAuditState, ACertificateNobodyIssuedAndOneRemovedAreCaught) {
  IssuerWorld w(quiet());
  const std::string first = issueOne(w);
  const std::string second = issueOne(w, "李四");
  w.tamper("INSERT INTO certificates (cert_no, iss, status_index, type, holder_name, holder_id_masked, idh, fields, claims,"
           " payload, key_id, issued_at) SELECT 'FORGED-1', iss, 999, type, holder_name, holder_id_masked, idh, fields, claims,"
           " payload, key_id, issued_at FROM certificates WHERE cert_no = '" + first + "'");
  w.tamper("DELETE FROM certificates WHERE cert_no = '" + second + "'");
  const auto d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "certificate FORGED-1", "no audit entry issued it")) << joined(d);
  EXPECT_TRUE(mentions(d, "certificate " + second, "not in the database")) << joined(d);
  EXPECT_EQ(d.size(), 2u) << joined(d);
}

TEST(IssuerAuditState, AMovedStatusIndexIsCaught) {
  IssuerWorld w(quiet());
  const std::string no = issueOne(w);
  w.tamper("UPDATE certificates SET status_index = 77 WHERE cert_no = '" + no + "'");
  const auto d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "certificate " + no, "status index 77")) << joined(d);
}

TEST(IssuerAuditState, AChangedPayloadIsCaughtAndNeverServed) {
  IssuerWorld w;
  const std::string no = issueOne(w);
  const std::string other = issueOne(w, "李四");
  w.tamper(flipPayloadByte(no));
  const auto d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "certificate " + no, "SHA-256 is not the one the audit trail recorded")) << joined(d);
  EXPECT_EQ(d.size(), 1u) << joined(d);
  for (const std::string suffix : {"", "/qr.png", "/qr.svg", "/card.svg"}) {
    const HttpReply r = w.get("/v1/certificates/" + no + suffix, w.auditorToken);
    EXPECT_EQ(r.status, 500) << suffix;
    EXPECT_EQ(r.json()["error"], "INTEGRITY_ERROR") << suffix << ": " << r.body;
    EXPECT_NE(r.body.find(no), std::string::npos) << suffix << ": " << r.body;
  }
  EXPECT_EQ(w.get("/v1/certificates/" + other + "/qr.png", w.auditorToken).status, 200);
  EXPECT_EQ(w.service->qrPng(no).error().code, "INTEGRITY_ERROR");
}

TEST(IssuerAuditState, APayloadSwappedWithAnotherCertificatesIsNotServed) {
  IssuerWorld w(quiet());
  const std::string no = issueOne(w);
  const std::string other = issueOne(w, "李四");
  w.tamper("UPDATE certificates SET payload = (SELECT payload FROM certificates WHERE cert_no = '" + other +
           "') WHERE cert_no = '" + no + "'");
  auto served = w.service->certificate(no);
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.error().code, "INTEGRITY_ERROR");
  EXPECT_NE(served.error().message.find("another certificate's"), std::string::npos) << served.error().message;
  EXPECT_TRUE(mentions(differencesOf(w), "certificate " + no, "SHA-256"));
}

TEST(IssuerAuditState, ATokenNobodyCreatedARaisedRoleAndAnUndoneRevocationAreCaught) {
  IssuerWorld w(quiet());
  auto revoked = w.service->createToken(issuer::Role::Auditor, issuer::localOperator());
  ASSERT_TRUE(revoked.ok());
  ASSERT_TRUE(w.service->revokeToken(revoked->id, issuer::localOperator()).ok());
  w.tamper("INSERT INTO tokens (hash, role, created_at) VALUES ('" + std::string(64, 'a') + "', 'admin', 0)");
  w.tamper("UPDATE tokens SET role = 'admin' WHERE role = 'clerk'");
  w.tamper("UPDATE tokens SET revoked_at = NULL WHERE id = " + std::to_string(revoked->id));
  const auto d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "(admin) is in the database but no audit entry created it")) << joined(d);
  EXPECT_TRUE(mentions(d, "(admin)", "created it as clerk")) << joined(d);
  EXPECT_TRUE(mentions(d, "token " + std::to_string(revoked->id), "was undone")) << joined(d);
  EXPECT_EQ(d.size(), 3u) << joined(d);
  expectNoBundleSigned(w);
}

TEST(IssuerAuditState, AReplacedTokenHashIsCaught) {
  IssuerWorld w(quiet());
  w.tamper("UPDATE tokens SET hash = '" + std::string(64, 'b') + "' WHERE role = 'auditor'");
  const auto d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "(auditor)", "hash is not the one the audit trail recorded")) << joined(d);
}

TEST(IssuerAuditState, ASwappedKeyIsCaughtAndNotPublished) {
  IssuerWorld w(quiet());
  const std::string kid = w.init.kid;
  auto intruder = crypto::PrivateKey::generate(crypto::Alg::EdDSA);
  ASSERT_TRUE(intruder.ok());
  const std::string pem = intruder->publicKey().pem();
  // Only the public key: its kid no longer names it.
  w.tamper("UPDATE issuer_keys SET public_key_pem = '" + pem + "' WHERE kid = '" + kid + "'");
  auto d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "key " + kid, "swapped")) << joined(d);
  EXPECT_TRUE(mentions(d, "key " + kid, "public_key_sha256")) << joined(d);
  expectNoBundleSigned(w);
  // The public key and its kid: a key nobody created, and ours gone.
  const std::string newKid = toHex(intruder->publicKey().kid());
  w.tamper("UPDATE issuer_keys SET kid = '" + newKid + "' WHERE kid = '" + kid + "'");
  d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "key " + newKid, "no audit entry created or imported it")) << joined(d);
  EXPECT_TRUE(mentions(d, "key " + kid, "not in the database")) << joined(d);
}

TEST(IssuerAuditState, AWidenedKeyWindowAndAnUndoneCompromiseAreCaught) {
  IssuerWorld w(quiet());
  auto rotated = w.service->rotateKey(std::nullopt, issuer::localOperator());
  ASSERT_TRUE(rotated.ok());
  ASSERT_TRUE(w.service->keyCompromised(rotated->retiredKid, std::string("lost"), issuer::localOperator()).ok());
  ASSERT_TRUE(differencesOf(w).empty()) << joined(differencesOf(w));
  w.tamper("UPDATE issuer_keys SET valid_to = valid_to + 86400000 WHERE kid = '" + rotated->kid + "'");
  w.tamper("UPDATE issuer_keys SET state = 'retired' WHERE kid = '" + rotated->retiredKid + "'");
  const auto d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "key " + rotated->kid, "valid_to")) << joined(d);
  EXPECT_TRUE(mentions(d, "key " + rotated->retiredKid, "state retired in the database, compromised")) << joined(d);
  EXPECT_EQ(d.size(), 2u) << joined(d);
  expectNoBundleSigned(w);
}

TEST(IssuerAuditState, AChangedImportedIssuerIsCaught) {
  IssuerWorld w(quiet());
  auto other = crypto::PrivateKey::generate(crypto::Alg::EdDSA);
  ASSERT_TRUE(other.ok());
  const json body = {{"iss", "CN-44-SZ"},
                     {"name", {{"zh", "深圳"}, {"en", "Shenzhen"}}},
                     {"region", "440300"},
                     {"public_key_pem", other->publicKey().pem()},
                     {"valid_from", "2026-01-01T00:00:00Z"},
                     {"valid_to", "2030-01-01T00:00:00Z"},
                     {"scope", {{"types", {"title"}}, {"series", {4}}, {"specialties", "*"}, {"max_level", 3}, {"qualifications", "*"}}}};
  auto imported = w.service->importIssuer(importRequestOf(body), issuer::localOperator());
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  ASSERT_TRUE(differencesOf(w).empty()) << joined(differencesOf(w));
  w.tamper("UPDATE issuer_keys SET scope = '{\"types\": [\"title\", \"qualification\"], \"series\": \"*\", \"specialties\": \"*\","
           " \"max_level\": 5, \"qualifications\": \"*\"}' WHERE iss = 'CN-44-SZ'");
  const auto d = differencesOf(w);
  EXPECT_TRUE(mentions(d, "of CN-44-SZ", "scope")) << joined(d);
  expectNoBundleSigned(w);
}

// ---- the audit head in the bundle ----------------------------------------------------

struct StoredEntry {
  std::uint64_t seq;
  std::int64_t at;
  std::int64_t actor;
  std::string action, details;
};

// The chain's hash (docs/issuer.md, "Audit trail"), as an attacker with the
// database would recompute it.
std::string chainHash(const std::string& prev, const StoredEntry& e) {
  const json row = json::array({e.seq, e.at, e.actor > 0 ? json(e.actor) : json(nullptr), e.action, e.details});
  return toHex(crypto::sha256(asBytes(prev + "|" + row.dump())));
}

std::string sqlText(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// Rewrites the whole chain without the entries `drop` rejects, every hash
// recomputed and the head set: the chain is intact again.
template <class Drop>
void rewriteHistory(IssuerWorld& w, Drop drop) {
  auto page = w.service->auditPage(0, 1000);
  ASSERT_TRUE(page.ok());
  std::string sql = "DELETE FROM audit; ";
  std::string prev(64, '0');
  std::uint64_t seq = 0;
  for (const issuer::AuditEntry& e : *page) {
    if (drop(e)) continue;
    const StoredEntry kept{++seq, e.at, e.actor, e.action, e.details};
    const std::string hash = chainHash(prev, kept);
    sql += "INSERT INTO audit (seq, at, actor, action, details, prev_hash, hash) VALUES (" + std::to_string(kept.seq) + ", " +
           std::to_string(kept.at) + ", " + (kept.actor > 0 ? std::to_string(kept.actor) : std::string("NULL")) + ", " +
           sqlText(kept.action) + ", " + sqlText(kept.details) + ", '" + prev + "', '" + hash + "'); ";
    prev = hash;
  }
  sql += "UPDATE audit_head SET seq = " + std::to_string(seq) + ", hash = '" + prev + "';";
  w.tamper(sql);
}

TEST(IssuerAuditHead, EachSignedBundleCarriesTheAuditHead) {
  IssuerWorld w(quiet());
  const std::string no = issueOne(w);
  ASSERT_TRUE(w.service->revoke(no, "wrong", issuer::localOperator()).ok());
  auto page = w.service->auditPage(0, 1000);
  ASSERT_TRUE(page.ok());
  auto bytes = w.service->bundle();
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  auto opened = bundle::open(*bytes, *crypto::PublicKey::fromPem(*files::read(w.dir + "/root.pub.pem")));
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  ASSERT_TRUE(opened->contents().auditHead.has_value());
  EXPECT_EQ(opened->contents().auditHead->seq, page->back().seq);
  EXPECT_EQ(toHex(opened->contents().auditHead->hash), page->back().hash);
  // Issuing alone still changes nothing in the bundle (the head is not
  // part of its content hash).
  issueOne(w, "李四");
  w.reopen();
  EXPECT_EQ(*w.service->bundle(), *bytes);
  auto against = w.service->verifyAuditAgainst(*bytes);
  ASSERT_TRUE(against.ok()) << against.error().message;
  EXPECT_TRUE(against->intact) << against->reason;
}

TEST(IssuerAuditHead, ARewrittenHistoryIsCaughtAgainstAHeldBundle) {
  IssuerWorld w(quiet());
  const std::string no = issueOne(w);
  ASSERT_TRUE(w.service->revoke(no, "wrong", issuer::localOperator()).ok());
  issueOne(w, "李四");
  auto held = w.service->bundle();  // what a terminal holds
  ASSERT_TRUE(held.ok());
  issueOne(w, "王五");
  issueOne(w, "赵六");
  // The attacker un-revokes and rewrites the chain without the revocation:
  // the chain and the tables agree again.
  w.tamper("UPDATE certificates SET revoked_at = NULL, revoke_reason = NULL WHERE cert_no = '" + no + "'");
  rewriteHistory(w, [](const issuer::AuditEntry& e) { return e.action == "certificate.revoke" || e.action == "bundle.publish"; });
  auto alone = w.service->verifyAudit();
  ASSERT_TRUE(alone.ok());
  EXPECT_TRUE(alone->intact) << "a consistent rewrite is what the chain alone cannot see: " << alone->reason;
  auto against = w.service->verifyAuditAgainst(*held);
  ASSERT_TRUE(against.ok()) << against.error().message;
  EXPECT_FALSE(against->intact);
  EXPECT_NE(against->reason.find("the history before it was rewritten"), std::string::npos) << against->reason;
}

TEST(IssuerAuditHead, ATruncatedHistoryIsCaughtAgainstAHeldBundle) {
  IssuerWorld w(quiet());
  issueOne(w);
  auto held = w.service->bundle();
  ASSERT_TRUE(held.ok());
  auto page = w.service->auditPage(0, 1000);
  ASSERT_TRUE(page.ok());
  const std::uint64_t keep = page->size() - 3;
  rewriteHistory(w, [&](const issuer::AuditEntry& e) { return e.seq > keep; });
  auto against = w.service->verifyAuditAgainst(*held);
  ASSERT_TRUE(against.ok()) << against.error().message;
  EXPECT_FALSE(against->intact);
  EXPECT_NE(against->reason.find("no longer in the chain"), std::string::npos) << against->reason;
}

TEST(IssuerAuditHead, ABundleWithoutAHeadOrFromAnotherRootIsRefused) {
  IssuerWorld w(quiet());
  auto bytes = w.service->bundle();
  ASSERT_TRUE(bytes.ok());
  auto opened = bundle::open(*bytes, *crypto::PublicKey::fromPem(*files::read(w.dir + "/root.pub.pem")));
  ASSERT_TRUE(opened.ok());
  bundle::Contents headless = opened->contents();
  headless.auditHead.reset();
  auto root = crypto::PrivateKey::fromPem(*files::read(w.dir + "/root.pem"), w.passphrase);
  ASSERT_TRUE(root.ok());
  auto r = w.service->verifyAuditAgainst(*bundle::sign(headless, *root));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "BAD_BUNDLE");
  EXPECT_NE(r.error().message.find("no audit head"), std::string::npos) << r.error().message;
  auto stranger = crypto::PrivateKey::generate(crypto::Alg::EdDSA);
  EXPECT_EQ(w.service->verifyAuditAgainst(*bundle::sign(opened->contents(), *stranger)).error().code, "BAD_BUNDLE");
}

TEST(IssuerAuditHead, TheExportedManifestCarriesTheHeadIntoTheOfflineBundle) {
  IssuerWorld w(quiet());
  issueOne(w);
  const std::string out = makeTempDir("titlecert-manifest");
  ASSERT_TRUE(w.service->exportManifest(out).ok());
  auto manifest = files::read(out + "/manifest.json");
  ASSERT_TRUE(manifest.ok());
  auto contents = bundle::fromManifest(*manifest, out);
  ASSERT_TRUE(contents.ok()) << contents.error().detail;
  ASSERT_TRUE(contents->auditHead.has_value());
  auto page = w.service->auditPage(0, 1000);
  EXPECT_EQ(contents->auditHead->seq, page->back().seq);
  EXPECT_EQ(toHex(contents->auditHead->hash), page->back().hash);
  // A bundle signed from it round-trips the head, and is checked against.
  auto root = crypto::PrivateKey::fromPem(*files::read(w.dir + "/root.pem"), w.passphrase);
  auto signedBundle = bundle::sign(*contents, *root);
  ASSERT_TRUE(signedBundle.ok());
  auto against = w.service->verifyAuditAgainst(*signedBundle);
  ASSERT_TRUE(against.ok()) << against.error().message;
  EXPECT_TRUE(against->intact) << against->reason;
  json malformed = json::parse(*manifest);
  malformed["audit_head"]["hash"] = "not hex";
  auto refusedManifest = bundle::fromManifest(malformed.dump(), out);
  ASSERT_FALSE(refusedManifest.ok());
  EXPECT_EQ(refusedManifest.error().code, Code::BAD_MANIFEST);
  EXPECT_NE(refusedManifest.error().detail.find("audit_head.hash"), std::string::npos) << refusedManifest.error().detail;
  // Export refuses state the chain does not prove.
  w.tamper("UPDATE tokens SET role = 'admin' WHERE role = 'auditor'");
  auto refused = w.service->exportManifest(out);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "AUDIT_MISMATCH");
  std::filesystem::remove_all(out);
}

// ---- the check at start -------------------------------------------------------------

TEST(IssuerIntegrityAtStart, AnAlteredNewestEntryRefusesToStart) {
  IssuerWorld w(quiet());
  issueOne(w);
  w.stop();
  w.tamper("UPDATE audit SET details = replace(details, 'status_index', 'status_indeX') WHERE seq = (SELECT MAX(seq) FROM audit)");
  issuer::OpenOptions o{w.dir, w.passphrase, std::make_shared<FastBinder>()};
  auto refused = issuer::Service::open(o, w.clock);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, issuer::ProblemKind::Unavailable);
  EXPECT_NE(refused.error().message.find("refusing to start"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("was altered"), std::string::npos) << refused.error().message;
  // audit verify still opens it, to say what is wrong.
  o.examineOnly = true;
  auto examined = issuer::Service::open(o, w.clock);
  ASSERT_TRUE(examined.ok()) << examined.error().message;
  EXPECT_FALSE((*examined)->verifyAudit()->intact);
}

TEST(IssuerIntegrityAtStart, RemovedNewestEntriesRefuseToStart) {
  IssuerWorld w(quiet());
  issueOne(w);
  w.stop();
  w.tamper("DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)");
  issuer::OpenOptions o{w.dir, w.passphrase, std::make_shared<FastBinder>()};
  auto refused = issuer::Service::open(o, w.clock);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("newest audit entries were removed"), std::string::npos) << refused.error().message;
}

// A damaged page (a disk error, a partial write): SQLite's quick_check sees
// it and the service does not start. SQLite only: PostgreSQL's pages are
// its own to check.
TEST(IssuerIntegrityAtStart, ADamagedDatabasePageRefusesToStart) {
  if (testsOnPostgresql()) GTEST_SKIP() << "SQLite's file format";
  IssuerWorld w(quiet());
  for (int i = 0; i < 120; ++i) issueOne(w, "批" + std::to_string(i));
  w.stop();
  const std::string file = w.dir + "/issuer.db";
  ASSERT_FALSE(std::filesystem::exists(file + "-wal") && std::filesystem::file_size(file + "-wal") > 0)
      << "the WAL was not checkpointed at close";
  const auto size = std::filesystem::file_size(file);
  ASSERT_GT(size, 16u * 4096u);
  {
    // Garbage over the middle of a page near the end of the file: a table
    // or index page, not the schema on page 1.
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 3 * 4096 + 100));
    const std::string garbage(2000, '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  issuer::OpenOptions o{w.dir, w.passphrase, std::make_shared<FastBinder>()};
  auto refused = issuer::Service::open(o, w.clock);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, issuer::ProblemKind::Unavailable) << refused.error().message;
  EXPECT_NE(refused.error().message.find("refusing to start: the database failed its integrity check"), std::string::npos)
      << refused.error().message;
}

}  // namespace
}  // namespace titlecert::testing
