#include "http/routes.h"

namespace titlecert::issuer::http {
namespace {

const std::vector<Role> kAdmin{Role::Admin};
const std::vector<Role> kWriters{Role::Admin, Role::Clerk};
const std::vector<Role> kReaders{Role::Admin, Role::Clerk, Role::Auditor};
const std::vector<Role> kAuditors{Role::Admin, Role::Auditor};

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    const std::size_t slash = path.find('/', pos);
    const std::size_t end = slash == std::string::npos ? path.size() : slash;
    out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::optional<Match> matchPath(const std::string& path) {
  const auto s = segments(path);
  if (!s.empty() && s[0] == "console") return Match{{{Endpoint::Console, "GET", {}}}, path};
  if (s.size() < 2 || s[0] != "v1") return std::nullopt;
  const std::string& top = s[1];
  if (s.size() == 2) {
    if (top == "tokens") return Match{{{Endpoint::CreateToken, "POST", kAdmin}}, {}};
    if (top == "certificates")
      return Match{{{Endpoint::Issue, "POST", kWriters}, {Endpoint::FindCertificates, "GET", kReaders}}, {}};
    if (top == "batches") return Match{{{Endpoint::SubmitBatch, "POST", kWriters}}, {}};
    if (top == "catalogue") return Match{{{Endpoint::Catalogue, "GET", kReaders}}, {}};
    if (top == "certificates:batch") return Match{{{Endpoint::IssueBatch, "POST", kWriters}}, {}};
    if (top == "bundle") return Match{{{Endpoint::Bundle, "GET", {}}}, {}};
    if (top == "eligibility") return Match{{{Endpoint::Eligibility, "POST", kWriters}}, {}};
    if (top == "issuers")
      return Match{{{Endpoint::ListIssuers, "GET", kReaders}, {Endpoint::ImportIssuer, "POST", kAdmin}}, {}};
    if (top == "audit") return Match{{{Endpoint::Audit, "GET", kAuditors}}, {}};
    if (top == "peers") return Match{{{Endpoint::ListPeers, "GET", kAdmin}, {Endpoint::AddPeer, "POST", kAdmin}}, {}};
    if (top == "health") return Match{{{Endpoint::Health, "GET", {}}}, {}};
    if (top == "ready") return Match{{{Endpoint::Ready, "GET", {}}}, {}};
    return std::nullopt;
  }
  if (s.size() == 3 && !s[2].empty()) {
    if (top == "tokens") return Match{{{Endpoint::RevokeToken, "DELETE", kAdmin}}, s[2]};
    if (top == "certificates") return Match{{{Endpoint::GetCertificate, "GET", kReaders}}, s[2]};
    if (top == "batches") return Match{{{Endpoint::GetBatch, "GET", kReaders}}, s[2]};
    if (top == "keys" && s[2] == "rotate") return Match{{{Endpoint::RotateKey, "POST", kAdmin}}, {}};
    if (top == "audit" && s[2] == "verify") return Match{{{Endpoint::AuditVerify, "GET", kAuditors}}, {}};
    if (top == "peers" && s[2] == "import") return Match{{{Endpoint::ImportPeerBundle, "POST", kAdmin}}, {}};
    return std::nullopt;
  }
  if (s.size() == 4 && !s[2].empty()) {
    if (top == "certificates" && s[3] == "qr.png") return Match{{{Endpoint::QrPng, "GET", kReaders}}, s[2]};
    if (top == "certificates" && s[3] == "qr.svg") return Match{{{Endpoint::QrSvg, "GET", kReaders}}, s[2]};
    if (top == "certificates" && s[3] == "card.svg") return Match{{{Endpoint::CardSvg, "GET", kReaders}}, s[2]};
    if (top == "certificates" && s[3] == "card.pdf") return Match{{{Endpoint::CardPdf, "GET", kReaders}}, s[2]};
    if (top == "certificates" && s[3] == "revoke") return Match{{{Endpoint::Revoke, "POST", kWriters}}, s[2]};
    if (top == "keys" && s[3] == "compromised") return Match{{{Endpoint::KeyCompromised, "POST", kAdmin}}, s[2]};
  }
  return std::nullopt;
}

bool isRevocation(Endpoint e) { return e == Endpoint::Revoke || e == Endpoint::KeyCompromised; }

}  // namespace titlecert::issuer::http
