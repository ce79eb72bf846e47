// The issuer over HTTPS (http.tls.certificate / http.tls.private_key): an
// in-process server on an OS-assigned port of 127.0.0.1 with a self-signed
// P-256 certificate made at test time (OpenSSL 3; CN and subjectAltName
// 127.0.0.1, valid 2020-01-01 to 2099-12-31, so the real date only has to
// fall in that range), and Poco's HTTPS client trusting exactly that
// certificate. Clients that do not trust it, plain HTTP on the TLS port and
// TLS 1.0 / 1.1 are refused; a half TLS configuration and a missing
// certificate file are errors, not crashes.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/StreamCopier.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "support/issuer_fixture.h"
#include "titlecert/issuer/config.h"
#include "titlecert/issuer/http_answers.h"
#include "titlecert/openssl_handles.h"

namespace titlecert::testing {
namespace {

using nlohmann::json;
using Poco::Net::Context;

// ---- a self-signed certificate, made here --------------------------------------


void require(bool ok, const std::string& what) {
  if (ok) return;
  char text[256] = {};
  ERR_error_string_n(ERR_get_error(), text, sizeof text);
  throw std::runtime_error(what + " failed: " + text);
}

struct CertFiles {
  std::string certificate;  // PEM
  std::string privateKey;   // PEM, unencrypted PKCS#8
};

// Writes DIR/NAME.cert.pem and DIR/NAME.key.pem: a fresh P-256 key and a
// self-signed X.509 v3 certificate for 127.0.0.1 (CN and subjectAltName IP),
// valid from 2020-01-01 to 2099-12-31, signed with ECDSA-SHA256.
CertFiles makeSelfSigned(const std::string& dir, const std::string& name, long serial) {
  titlecert::ossl::PkeyPtr key(EVP_EC_gen("P-256"));
  require(key != nullptr, "EVP_EC_gen");
  titlecert::ossl::X509Ptr cert(X509_new());
  require(cert != nullptr, "X509_new");
  require(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
  require(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial) == 1, "ASN1_INTEGER_set");
  require(ASN1_TIME_set_string_X509(X509_getm_notBefore(cert.get()), "20200101000000Z") == 1, "notBefore");
  require(ASN1_TIME_set_string_X509(X509_getm_notAfter(cert.get()), "20991231235959Z") == 1, "notAfter");
  X509_NAME* subject = X509_get_subject_name(cert.get());
  const auto text = [](const char* s) { return reinterpret_cast<const unsigned char*>(s); };
  require(X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, text("titlecert test"), -1, -1, 0) == 1, "O");
  require(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, text("127.0.0.1"), -1, -1, 0) == 1, "CN");
  require(X509_set_issuer_name(cert.get(), subject) == 1, "X509_set_issuer_name");
  require(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  const std::pair<int, const char*> extensions[] = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_ext_key_usage, "serverAuth"},
      {NID_subject_alt_name, "IP:127.0.0.1"},
      {NID_subject_key_identifier, "hash"},
  };
  for (const auto& [nid, value] : extensions) {
    titlecert::ossl::X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    require(ext != nullptr, std::string("extension ") + value);
    require(X509_add_ext(cert.get(), ext.get(), -1) == 1, "X509_add_ext");
  }
  require(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

  CertFiles out{dir + "/" + name + ".cert.pem", dir + "/" + name + ".key.pem"};
  titlecert::ossl::BioPtr certOut(BIO_new_file(out.certificate.c_str(), "w"));
  require(certOut != nullptr && PEM_write_bio_X509(certOut.get(), cert.get()) == 1, "writing " + out.certificate);
  titlecert::ossl::BioPtr keyOut(BIO_new_file(out.privateKey.c_str(), "w"));
  require(keyOut != nullptr &&
              PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "writing " + out.privateKey);
  return out;
}

// A temp folder with the server's certificate and an unrelated one (same
// names in it, another key), removed at the end.
struct TlsFiles {
  TlsFiles() : dir(makeTempDir("titlecert-tls")) {
    server = makeSelfSigned(dir, "server", 1);
    other = makeSelfSigned(dir, "other", 2);
  }
  ~TlsFiles() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TlsFiles(const TlsFiles&) = delete;
  TlsFiles& operator=(const TlsFiles&) = delete;

  std::string dir;
  CertFiles server, other;
};

IssuerWorldOptions tlsOptions(const CertFiles& files, bool startServer = true) {
  IssuerWorldOptions o;
  o.extraProperties = {"http.tls.certificate = " + files.certificate, "http.tls.private_key = " + files.privateKey};
  o.startServer = startServer;
  return o;
}

// ---- clients ---------------------------------------------------------------------

// A client context that verifies the server (VERIFY_STRICT, host name
// included) against `caFile` only; with an empty `caFile`, against
// OpenSSL's default CAs.
Context::Ptr clientTrusting(const std::string& caFile, const std::string& cipherList = "HIGH:!aNULL:!eNULL") {
  Poco::Net::initializeSSL();
  Context::Params params;
  params.caLocation = caFile;
  params.loadDefaultCAs = caFile.empty();
  params.verificationMode = Context::VERIFY_STRICT;
  params.cipherList = cipherList;
  return new Context(Context::TLS_CLIENT_USE, params);
}

struct HttpsReply : HttpReply {
  std::string peerCommonName;
  std::string peerSerial;
};

HttpsReply httpsCall(std::uint16_t port, const Context::Ptr& context, const std::string& method,
                     const std::string& path, const std::string& body = {}, const std::string& token = {}) {
  Poco::Net::HTTPSClientSession session("127.0.0.1", port, context);
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
  if (method == "POST") {
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpsReply reply;
  reply.status = static_cast<int>(response.getStatus());
  reply.contentType = response.getContentType();
  std::ostringstream data;
  Poco::StreamCopier::copyStream(in, data);
  reply.body = data.str();
  const Poco::Net::X509Certificate peer = session.serverCertificate();
  reply.peerCommonName = peer.commonName();
  reply.peerSerial = peer.serialNumber();
  return reply;
}

// The text of the exception a GET /v1/health throws; "" when it answers.
template <class E>
std::string failureOf(std::uint16_t port, const Context::Ptr& context) {
  try {
    httpsCall(port, context, "GET", "/v1/health");
  } catch (const E& e) {
    return e.displayText().empty() ? std::string("(no message)") : e.displayText();
  }
  return {};
}

// ---- the tests -------------------------------------------------------------------

TEST(IssuerTls, ServesHealthBundleAndIssuanceToAClientTrustingTheCertificate) {
  TlsFiles files;
  IssuerWorld w(tlsOptions(files.server));
  ASSERT_TRUE(w.server->tls());
  const Context::Ptr client = clientTrusting(files.server.certificate);

  const HttpsReply health = httpsCall(w.server->port(), client, "GET", "/v1/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.contentType, "application/json");
  EXPECT_EQ(health.json()["status"], "ok");
  EXPECT_EQ(health.peerCommonName, "127.0.0.1");  // the certificate made above
  EXPECT_EQ(health.peerSerial, "01");

  const HttpsReply bundle = httpsCall(w.server->port(), client, "GET", "/v1/bundle");
  ASSERT_EQ(bundle.status, 200);
  EXPECT_EQ(bundle.contentType, "application/cbor");
  EXPECT_FALSE(bundle.body.empty());

  const HttpsReply issued =
      httpsCall(w.server->port(), client, "POST", "/v1/certificates", titleBody().dump(), w.adminToken);
  ASSERT_EQ(issued.status, 201) << issued.body;
  EXPECT_EQ(issued.contentType, "application/json");
  const json j = issued.json();
  EXPECT_EQ(j["cert_no"], "650100-2026-000001");
  EXPECT_EQ(j["payload"].get<std::string>().rfind("ZC1:", 0), 0u);

  const HttpsReply fetched =
      httpsCall(w.server->port(), client, "GET", "/v1/certificates/650100-2026-000001", {}, w.adminToken);
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(fetched.json()["payload"], j["payload"]);

  // Authentication works as over plain HTTP: no token, no issuance.
  EXPECT_EQ(httpsCall(w.server->port(), client, "POST", "/v1/certificates", titleBody().dump()).status, 401);
}

TEST(IssuerTls, AClientThatDoesNotTrustTheCertificateFailsTheHandshake) {
  TlsFiles files;
  IssuerWorld w(tlsOptions(files.server));
  ASSERT_TRUE(w.server->tls());
  // OpenSSL's default CAs only; then another self-signed certificate for the same name.
  const std::string untrusted = failureOf<Poco::Net::SSLException>(w.server->port(), clientTrusting(""));
  EXPECT_NE(untrusted, "") << "a client without the certificate got an answer";
  const std::string wrongAnchor =
      failureOf<Poco::Net::SSLException>(w.server->port(), clientTrusting(files.other.certificate));
  EXPECT_NE(wrongAnchor, "") << "a client trusting another certificate got an answer";
  // Both failed on the certificate, not on something else.
  EXPECT_NE(untrusted.find("certificate verify failed"), std::string::npos) << untrusted;
  EXPECT_NE(wrongAnchor.find("certificate verify failed"), std::string::npos) << wrongAnchor;
  // And the server still serves a client that trusts it.
  EXPECT_EQ(httpsCall(w.server->port(), clientTrusting(files.server.certificate), "GET", "/v1/health").status, 200);
}

TEST(IssuerTls, PlainHttpToTheTlsPortGetsNoHttpAnswer) {
  TlsFiles files;
  IssuerWorld w(tlsOptions(files.server));
  ASSERT_TRUE(w.server->tls());
  // The fixture's client speaks plain HTTP: the server closes the connection
  // without an HTTP answer, so no status line can be read.
  int status = 0;
  EXPECT_THROW(status = w.get("/v1/health").status, Poco::Exception) << "got HTTP " << status;
  EXPECT_EQ(httpsCall(w.server->port(), clientTrusting(files.server.certificate), "GET", "/v1/health").status, 200);
}

TEST(IssuerTls, Tls10And11AreRefusedByTheServer) {
  TlsFiles files;
  IssuerWorld w(tlsOptions(files.server));
  ASSERT_TRUE(w.server->tls());
  // OpenSSL 3 allows TLS < 1.2 only at security level 0, so the client asks
  // for it: without that the client itself would refuse before sending.
  const std::string oldCiphers = "ALL:@SECLEVEL=0";
  // The same client settings with TLS 1.2 and 1.3 left on are served.
  EXPECT_EQ(httpsCall(w.server->port(), clientTrusting(files.server.certificate, oldCiphers), "GET", "/v1/health").status,
            200);
  const struct {
    const char* name;
    int disabled;
  } olds[] = {
      {"TLS 1.1", Context::PROTO_SSLV2 | Context::PROTO_SSLV3 | Context::PROTO_TLSV1 | Context::PROTO_TLSV1_2 |
                      Context::PROTO_TLSV1_3},
      {"TLS 1.0", Context::PROTO_SSLV2 | Context::PROTO_SSLV3 | Context::PROTO_TLSV1_1 | Context::PROTO_TLSV1_2 |
                      Context::PROTO_TLSV1_3},
  };
  for (const auto& old : olds) {
    SCOPED_TRACE(old.name);
    Context::Ptr client = clientTrusting(files.server.certificate, oldCiphers);
    client->disableProtocols(old.disabled);
    const std::string failure = failureOf<Poco::Net::SSLException>(w.server->port(), client);
    // The server's protocol_version alert: the client did offer the old version.
    EXPECT_NE(failure.find("protocol version"), std::string::npos) << failure;
  }
}

// TLS 1.2 is served only with ECDHE and an AEAD cipher: a client offering
// only CBC suites (SHA-1 or SHA-2 MACs) is refused.
TEST(IssuerTls, Tls12IsServedOnlyWithEcdheAndAead) {
  TlsFiles files;
  IssuerWorld w(tlsOptions(files.server));
  ASSERT_TRUE(w.server->tls());
  const int tls12Only = Context::PROTO_SSLV2 | Context::PROTO_SSLV3 | Context::PROTO_TLSV1 | Context::PROTO_TLSV1_1 |
                        Context::PROTO_TLSV1_3;
  for (const char* cbc : {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA-AES128-SHA256"}) {
    SCOPED_TRACE(cbc);
    Context::Ptr client = clientTrusting(files.server.certificate, cbc);
    client->disableProtocols(tls12Only);
    EXPECT_NE(failureOf<Poco::Net::SSLException>(w.server->port(), client), "");
  }
  for (const char* aead : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    SCOPED_TRACE(aead);
    Context::Ptr client = clientTrusting(files.server.certificate, aead);
    client->disableProtocols(tls12Only);
    EXPECT_EQ(httpsCall(w.server->port(), client, "GET", "/v1/health").status, 200);
  }
}

TEST(IssuerTlsConfig, ACertificateWithoutAKeyIsRefusedNamingHttpTlsCertificate) {
  issuer::Config c;
  c.tlsCertificate = "/etc/titlecert/server.pem";
  auto refused = issuer::validateConfig(c);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(issuer::httpStatus(refused.error()), 400);
  EXPECT_EQ(refused.error().field, "http.tls.certificate");
  EXPECT_NE(refused.error().message.find("http.tls.private_key"), std::string::npos) << refused.error().message;
  c.tlsCertificate.clear();
  c.tlsPrivateKey = "/etc/titlecert/server.key";  // and a key without a certificate
  ASSERT_FALSE(issuer::validateConfig(c).ok());
  EXPECT_EQ(issuer::validateConfig(c).error().field, "http.tls.certificate");
  c.tlsCertificate = "/etc/titlecert/server.pem";
  EXPECT_TRUE(issuer::validateConfig(c).ok());

  // From issuer.properties, the service refuses to open.
  IssuerWorldOptions noServer;
  noServer.startServer = false;
  IssuerWorld w(noServer);
  w.stop();
  std::ofstream(w.dir + "/issuer.properties", std::ios::app) << "http.tls.certificate = " << w.dir << "/cert.pem\n";
  auto opened = issuer::Service::open({w.dir, w.passphrase, std::make_shared<FastBinder>()}, w.clock);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().field, "http.tls.certificate");
}

TEST(IssuerTlsConfig, StartWithAMissingCertificateFileReturnsAProblemNamingIt) {
  TlsFiles files;
  const std::string missing = files.dir + "/missing.cert.pem";
  IssuerWorld w(tlsOptions({missing, files.server.privateKey}, /*startServer=*/false));
  auto started = issuer::HttpServer::start(*w.service, "127.0.0.1:0");
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(issuer::httpStatus(started.error()), 400);
  EXPECT_EQ(started.error().code, "BAD_CONFIG");
  EXPECT_EQ(started.error().field, "http.tls.certificate");
  EXPECT_NE(started.error().message.find("Error loading certificate from file " + missing), std::string::npos)
      << started.error().message;
}

TEST(IssuerTlsConfig, StartWithAKeyThatIsNotTheCertificatesReturnsAProblem) {
  TlsFiles files;
  IssuerWorld w(tlsOptions({files.server.certificate, files.other.privateKey}, /*startServer=*/false));
  auto started = issuer::HttpServer::start(*w.service, "127.0.0.1:0");
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, "BAD_CONFIG");
  EXPECT_EQ(started.error().field, "http.tls.certificate");
  EXPECT_NE(started.error().message.find("the private key is not the certificate's"), std::string::npos)
      << started.error().message;
}

}  // namespace
}  // namespace titlecert::testing
