// The issuer's route table: which endpoint a path and method name, and the
// roles each may be called by. Only the HTTP layer uses it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "titlecert/issuer/service.h"

namespace titlecert::issuer::http {

enum class Endpoint {
  CreateToken, RevokeToken, Issue, IssueBatch, GetCertificate, QrPng, QrSvg, CardSvg, CardPdf, Revoke, Bundle, Eligibility,
  ListIssuers, ImportIssuer, RotateKey, KeyCompromised, Audit, AuditVerify, Health, Ready,
  SubmitBatch, GetBatch, Catalogue, FindCertificates, Console, ListPeers, AddPeer, ImportPeerBundle
};

struct Route {
  Endpoint endpoint;
  std::string method;
  std::vector<Role> roles;  // empty: public
};

struct Match {
  std::vector<Route> routes;  // every method the path answers
  std::string param;          // {cert_no}, {kid} or {id}
};

// The route table: path patterns to the methods and roles they take;
// nullopt when no endpoint has the path.
std::optional<Match> matchPath(const std::string& path);

// Revocations (a certificate's or a key's): the worker pool keeps places
// for them beyond its queue, so that issuance cannot crowd them out.
bool isRevocation(Endpoint e);

}  // namespace titlecert::issuer::http
