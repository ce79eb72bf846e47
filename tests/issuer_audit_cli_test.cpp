// `titlecert-issuer audit verify [--against BUNDLE]` and the check at start,
// through the command line as an operator runs them (SQLite).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/issuer_command.h"
#include "titlecert/files.h"

namespace titlecert::testing {
namespace {

IssuerWorldOptions quiet() {
  IssuerWorldOptions o;
  o.startServer = false;
  return o;
}

TEST(IssuerAuditCli, VerifyNamesEachDifferingRowAndChecksAHeldBundle) {
  if (testsOnPostgresql()) GTEST_SKIP() << "the command line test runs on SQLite";
  IssuerWorld w(quiet());
  auto issued = w.service->issue(requestOf(titleBody()), issuer::localOperator());
  ASSERT_TRUE(issued.ok());
  ASSERT_TRUE(w.service->revoke(issued->certNo, "wrong", issuer::localOperator()).ok());
  auto held = w.service->bundle();
  ASSERT_TRUE(held.ok());
  const std::string bundleFile = w.dir + "/held-bundle.cbor";
  ASSERT_TRUE(files::writeAtomically(bundleFile, *held).ok());
  const std::string data = "--data " + shellQuote(w.dir);

  CommandRun ok = issuerCommand(w, "audit verify " + data + " --against " + shellQuote(bundleFile));
  EXPECT_EQ(ok.exit, 0) << ok.out;
  EXPECT_NE(ok.out.find("\"intact\":true"), std::string::npos) << ok.out;

  w.tamper("UPDATE certificates SET revoked_at = NULL WHERE cert_no = '" + issued->certNo + "'");
  w.tamper("UPDATE tokens SET role = 'admin' WHERE role = 'auditor'");
  CommandRun caught = issuerCommand(w, "audit verify " + data);
  EXPECT_EQ(caught.exit, 1) << caught.out;
  EXPECT_NE(caught.out.find("certificate " + issued->certNo + ": its revocation"), std::string::npos) << caught.out;
  EXPECT_NE(caught.out.find("created it as auditor"), std::string::npos) << caught.out;
  EXPECT_NE(caught.out.find("\"differences\""), std::string::npos) << caught.out;

  CommandRun noBundle = issuerCommand(w, "audit verify " + data + " --against " + shellQuote(w.dir + "/root.pub.pem"));
  EXPECT_EQ(noBundle.exit, 2) << noBundle.out;
  EXPECT_NE(noBundle.out.find("BAD_BUNDLE"), std::string::npos) << noBundle.out;
}

TEST(IssuerAuditCli, ServeRefusesToStartOnAnAlteredChainAndAuditVerifySaysWhy) {
  if (testsOnPostgresql()) GTEST_SKIP() << "the command line test runs on SQLite";
  IssuerWorld w(quiet());
  ASSERT_TRUE(w.service->issue(requestOf(titleBody()), issuer::localOperator()).ok());
  w.stop();
  w.tamper("UPDATE audit SET at = at + 1 WHERE seq = (SELECT MAX(seq) FROM audit)");
  const std::string data = "--data " + shellQuote(w.dir);
  CommandRun serve = issuerCommand(w, "serve " + data + " --listen 127.0.0.1:0");
  EXPECT_NE(serve.exit, 0) << serve.out;
  EXPECT_NE(serve.exit, 124) << "serve started on a damaged chain";
  EXPECT_NE(serve.out.find("refusing to start"), std::string::npos) << serve.out;
  CommandRun verify = issuerCommand(w, "audit verify " + data);
  EXPECT_EQ(verify.exit, 1) << verify.out;
  EXPECT_NE(verify.out.find("was altered"), std::string::npos) << verify.out;
}

}  // namespace
}  // namespace titlecert::testing
