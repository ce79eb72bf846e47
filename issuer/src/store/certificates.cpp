// The certificates table and the payloads a re-signing superseded.
#include <Poco/Data/LOB.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <stdexcept>

#include "database.h"
#include "records.h"
#include "sql_rows.h"

using namespace Poco::Data::Keywords;

namespace titlecert::issuer::store {
namespace {

template <class F>
void forChunks(const std::vector<std::string>& keys, F&& f) {
  for (std::size_t from = 0; from < keys.size(); from += kKeysPerStatement)
    f(from, std::min(kKeysPerStatement, keys.size() - from));
}

}  // namespace

std::optional<CertificateRecord> findCertificate(Tx& tx, const std::string& certNo) {
  Poco::Data::Session& s = tx.session();
  std::string no = certNo;
  Poco::Nullable<std::string> fields, payload, kid, reason;
  Poco::Nullable<Poco::Int64> index, issuedAt, revokedAt, resignedAt;
  s << sql(s, "SELECT c.fields, c.status_index, c.payload, c.issued_at, c.revoked_at, c.revoke_reason, c.resigned_at, k.kid"
       " FROM certificates c JOIN issuer_keys k ON k.id = c.key_id WHERE c.cert_no = ?"),
      use(no), into(fields), into(index), into(payload), into(issuedAt), into(revokedAt), into(reason), into(resignedAt),
      into(kid), now;
  if (fields.isNull()) return std::nullopt;
  CertificateRecord r;
  r.certNo = certNo;
  r.fields = fields.value();
  r.statusIndex = static_cast<std::uint64_t>(index.value());
  r.payload = payload.value();
  r.kid = kid.value();
  r.issuedAt = issuedAt.value();
  if (!revokedAt.isNull()) r.revokedAt = revokedAt.value();
  if (!reason.isNull()) r.revokeReason = reason.value();
  if (!resignedAt.isNull()) r.resignedAt = resignedAt.value();
  return r;
}

void markCertificateRevoked(Tx& tx, const std::string& certNo, std::int64_t when, const std::string& reason) {
  Poco::Data::Session& s = tx.session();
  std::string n = certNo, why = reason;
  Poco::Int64 at = when;
  s << sql(s, "UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE cert_no = ?"), use(at), use(why), use(n), now;
}

std::vector<std::pair<std::string, Issued>> issuedForRequestKeys(Tx& tx, const std::vector<std::string>& keys) {
  Poco::Data::Session& s = tx.session();
  std::vector<std::pair<std::string, Issued>> out;
  forChunks(keys, [&](std::size_t from, std::size_t count) {
    std::vector<std::string> requestKeys, certNos, payloads, kids;
    std::vector<Poco::Int64> indexes, issuedAts;
    Poco::Data::Statement st(s);
    st << sql(s, "SELECT c.request_key, c.cert_no, c.status_index, c.payload, k.kid, c.issued_at FROM certificates c"
                 " JOIN issuer_keys k ON k.id = c.key_id WHERE c.request_key IN " + parenthesisedPlaceholders(count));
    for (std::size_t i = from; i < from + count; ++i) bindValue(st, keys[i]);
    st, into(requestKeys), into(certNos), into(indexes), into(payloads), into(kids), into(issuedAts);
    st.execute();
    for (std::size_t r = 0; r < requestKeys.size(); ++r)
      out.emplace_back(requestKeys[r], Issued{certNos[r], static_cast<std::uint64_t>(indexes[r]), payloads[r], kids[r],
                                              issuedAts[r], true});
  });
  return out;
}

std::vector<std::string> takenCertificateNumbers(Tx& tx, const std::vector<std::string>& numbers) {
  Poco::Data::Session& s = tx.session();
  std::vector<std::string> taken;
  forChunks(numbers, [&](std::size_t from, std::size_t count) {
    std::vector<std::string> found;
    Poco::Data::Statement st(s);
    st << sql(s, "SELECT cert_no FROM certificates WHERE cert_no IN " + parenthesisedPlaceholders(count));
    for (std::size_t i = from; i < from + count; ++i) bindValue(st, numbers[i]);
    st, into(found);
    st.execute();
    taken.insert(taken.end(), found.begin(), found.end());
  });
  return taken;
}

CertificateInserts::CertificateInserts()
    : rows_(std::make_unique<RowsInsert>(
          "certificates", std::vector<std::string>{"cert_no", "iss", "status_index", "type", "holder_name",
                                                   "holder_id_masked", "idh", "fields", "claims", "payload", "key_id",
                                                   "issued_at", "issued_by", "request_key"})) {}
CertificateInserts::~CertificateInserts() = default;

void CertificateInserts::add(NewCertificate&& c) {
  Poco::Nullable<Poco::Int64> by;
  if (c.issuedBy > 0) by = c.issuedBy;
  Poco::Nullable<std::string> requestKey;
  if (c.requestKey) requestKey = std::move(*c.requestKey);
  rows_->add({std::move(c.certNo), std::move(c.iss), static_cast<Poco::Int64>(c.statusIndex), std::move(c.type),
              std::move(c.holderName), std::move(c.holderIdMasked), std::move(c.idhHex), std::move(c.fields),
              Poco::Data::BLOB(c.claims.data(), c.claims.size()), std::move(c.payload), static_cast<Poco::Int64>(c.keyId),
              static_cast<Poco::Int64>(c.issuedAt), by, requestKey});
}

std::optional<RefusedRow> CertificateInserts::execute(Tx& tx) { return rows_->execute(tx.session()); }

std::vector<SignedCertificate> certificatesSignedBy(Tx& tx, std::int64_t keyId) {
  Poco::Data::Session& s = tx.session();
  Poco::Int64 id = keyId;
  std::vector<std::string> numbers, payloads;
  std::vector<Poco::Data::BLOB> claims;
  s << sql(s, "SELECT cert_no, claims, payload FROM certificates WHERE key_id = ? ORDER BY status_index"), use(id),
      into(numbers), into(claims), into(payloads), now;
  std::vector<SignedCertificate> out;
  out.reserve(numbers.size());
  for (std::size_t i = 0; i < numbers.size(); ++i)
    out.push_back({numbers[i], Bytes(claims[i].rawContent(), claims[i].rawContent() + claims[i].size()), payloads[i]});
  return out;
}

void replaceSignature(Tx& tx, const std::string& certNo, const std::string& payload, const Bytes& claims,
                      std::int64_t keyId, std::int64_t when) {
  Poco::Data::Session& s = tx.session();
  std::string no = certNo, p = payload;
  Poco::Int64 newKey = keyId, at = when;
  Poco::Data::BLOB blob(claims.data(), claims.size());
  s << sql(s, "UPDATE certificates SET payload = ?, claims = ?, key_id = ?, resigned_at = ? WHERE cert_no = ?"), use(p),
      use(blob), use(newKey), use(at), use(no), now;
}

void keepSupersededPayloads(Tx& tx, const std::vector<SupersededPayload>& rows) {
  RowsInsert superseded("superseded_payloads", {"cert_no", "payload", "key_id", "superseded_at", "reason"});
  for (const SupersededPayload& r : rows)
    superseded.add({r.certNo, r.payload, static_cast<Poco::Int64>(r.keyId), static_cast<Poco::Int64>(r.at), r.reason});
  if (auto refused = superseded.execute(tx.session()))
    throw std::runtime_error("superseded payload refused: " + refused->reason);
}

std::vector<RevokedCertificate> revokedCertificates(Tx& tx, const std::string& iss) {
  Poco::Data::Session& s = tx.session();
  std::string i = iss;
  std::vector<Poco::Int64> indexes;
  std::vector<std::string> numbers;
  s << sql(s, "SELECT status_index, cert_no FROM certificates WHERE iss = ? AND revoked_at IS NOT NULL ORDER BY status_index"),
      use(i), into(indexes), into(numbers), now;
  std::vector<RevokedCertificate> out;
  out.reserve(indexes.size());
  for (std::size_t k = 0; k < indexes.size(); ++k) out.push_back({static_cast<std::uint64_t>(indexes[k]), numbers[k]});
  return out;
}

}  // namespace titlecert::issuer::store
