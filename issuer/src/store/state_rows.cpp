#include "state_rows.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>
#include <Poco/String.h>

#include "database.h"
#include "titlecert/bytes.h"
#include "titlecert/crypto.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer::store {

void forEachCertificateState(Tx& tx, const std::function<void(const CertificateState&)>& visit) {
  Poco::Data::Statement select(tx.session());
  std::string certNo, iss, payload;
  Poco::Int64 index = 0;
  Poco::Nullable<std::string> kid;
  Poco::Nullable<Poco::Int64> revokedAt;
  // LEFT JOIN: a certificate pointing at a key row that is gone is still
  // listed (and reported).
  select << "SELECT c.cert_no, c.iss, c.status_index, c.payload, k.kid, c.revoked_at"
            " FROM certificates c LEFT JOIN issuer_keys k ON k.id = c.key_id ORDER BY c.cert_no",
      into(certNo), into(iss), into(index), into(payload), into(kid), into(revokedAt), range(0, 1);
  while (!select.done()) {
    if (select.execute() == 0) break;
    CertificateState row;
    row.certNo = certNo;
    row.iss = iss;
    row.statusIndex = static_cast<std::uint64_t>(index);
    row.kid = kid.isNull() ? std::string() : kid.value();
    row.payloadSha256 = toHex(crypto::sha256(asBytes(payload)));
    row.revoked = !revokedAt.isNull();
    visit(row);
  }
}

std::vector<TokenState> tokenStates(Tx& tx) {
  Poco::Data::Statement select(tx.session());
  select << "SELECT id, hash, role, revoked_at FROM tokens ORDER BY id", now;
  Poco::Data::RecordSet rs(select);
  std::vector<TokenState> out;
  for (bool more = rs.moveFirst(); more; more = rs.moveNext())
    out.push_back(TokenState{rs["id"].convert<Poco::Int64>(), rs["hash"].convert<std::string>(),
                             rs["role"].convert<std::string>(), !rs["revoked_at"].isEmpty()});
  return out;
}

std::optional<std::string> publicKeyPemOf(Tx& tx, const std::string& iss, const std::string& kidHex) {
  Poco::Data::Session& s = tx.session();
  std::string i = iss, k = kidHex;
  Poco::Nullable<std::string> pem;
  s << sql(s, "SELECT public_key_pem FROM issuer_keys WHERE iss = ? AND kid = ?"), use(i), use(k), into(pem), now;
  if (pem.isNull()) return std::nullopt;
  return pem.value();
}

std::optional<AuditHeadRow> auditHead(Tx& tx) {
  Poco::Data::Session& s = tx.session();
  Poco::Nullable<Poco::Int64> seq;
  Poco::Nullable<std::string> hash;
  s << "SELECT seq, hash FROM audit_head WHERE id = 1", into(seq), into(hash), now;
  if (seq.isNull()) return std::nullopt;
  return AuditHeadRow{static_cast<std::uint64_t>(seq.value()), hash.value()};
}

std::optional<std::string> auditHashAt(Tx& tx, std::uint64_t seq) {
  Poco::Data::Session& s = tx.session();
  Poco::Int64 at = static_cast<Poco::Int64>(seq);
  Poco::Nullable<std::string> hash;
  s << sql(s, "SELECT hash FROM audit WHERE seq = ?"), use(at), into(hash), now;
  if (hash.isNull()) return std::nullopt;
  return hash.value();
}

std::string databaseQuickCheck(Tx& tx) {
  Poco::Data::Session& s = tx.session();
  if (Poco::toLower(s.connector()) != "sqlite") return "ok";
  Poco::Data::Statement check(s);
  check << "PRAGMA quick_check", now;
  Poco::Data::RecordSet rs(check);
  std::string report;
  for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
    const std::string line = rs[0].convert<std::string>();
    if (line == "ok") continue;
    if (!report.empty()) report += "; ";
    report += line;
  }
  return report.empty() ? "ok" : report;
}

}  // namespace titlecert::issuer::store
