// titlecert-issuer — the issuer service and its operator commands
// (CONTRACT.md, "titlecert-issuer"; docs/issuer.md).
//
//   titlecert-issuer init  --data DIR [--alg SM2-SM3|EdDSA|ES256] [--iss CODE] [--region CODE]
//                          [--db-connector sqlite|postgresql --db-connection TEXT]
//   titlecert-issuer serve --data DIR [--listen 127.0.0.1:8080]
//   titlecert-issuer issue --data DIR --csv FILE         batch issuance, a JSON line per row on stdout
//   titlecert-issuer audit verify --data DIR
//   titlecert-issuer export-manifest --data DIR --out DIR2
//   titlecert-issuer load-bundle --data DIR --bundle FILE
//   titlecert-issuer token create --data DIR --role admin|clerk|auditor
//   titlecert-issuer peer add --data DIR --region CODE --root ROOT.pub.pem
//   titlecert-issuer peer import --data DIR (--file BUNDLE | --url URL)
//   titlecert-issuer peer list --data DIR
//
// Every command takes --passphrase-file FILE, else TITLECERT_PASSPHRASE;
// without a passphrase it refuses to run. Exit status: 0 done; 1 the
// command ran and something was refused (a batch row, a broken audit
// chain); 2 usage or setup error.
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/LoggingConfigurator.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <Poco/Util/ServerApplication.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "titlecert/files.h"
#include "titlecert/info_options.h"
#include "titlecert/issuer/server.h"
#include "titlecert/issuer/http_answers.h"
#include "titlecert/issuer/http_requests.h"
#include "titlecert/issuer/peer_answers.h"
#include "titlecert/issuer/service.h"
#include "titlecert/passphrase.h"
#include "titlecert/version.h"

using namespace titlecert;
using namespace titlecert::issuer;
using Poco::Util::Option;

namespace {

constexpr int kDone = 0, kRefused = 1, kUsage = 2;

const char* kUsageText =
    "usage: titlecert-issuer init  --data DIR [--alg SM2-SM3|EdDSA|ES256] [--iss CODE] [--region CODE]\n"
    "                              [--db-connector sqlite|postgresql --db-connection TEXT]\n"
    "       titlecert-issuer serve --data DIR [--listen 127.0.0.1:8080]\n"
    "       titlecert-issuer issue --data DIR --csv FILE\n"
    "       titlecert-issuer audit verify --data DIR [--against BUNDLE]\n"
    "       titlecert-issuer export-manifest --data DIR --out DIR2\n"
    "       titlecert-issuer load-bundle --data DIR --bundle FILE\n"
    "       titlecert-issuer token create --data DIR --role admin|clerk|auditor\n"
    "       titlecert-issuer peer add --data DIR --region CODE --root ROOT.pub.pem\n"
    "       titlecert-issuer peer import --data DIR (--file BUNDLE | --url URL)\n"
    "       titlecert-issuer peer list --data DIR\n"
    "       titlecert-issuer social-security import --data DIR FILE\n"
    "  every command: [--passphrase-file FILE] (else $TITLECERT_PASSPHRASE)\n"
    "       titlecert-issuer --help | --version\n";

int report(const Problem& p) {
  std::cerr << "titlecert-issuer: " << p.code << ": " << p.message << "\n";
  return kUsage;
}

// Logs go to stderr; issuer.properties may configure them (logging.*).
void setUpLogging(const std::string& dataDir, const std::string& level) {
  Poco::AutoPtr<Poco::PatternFormatter> format(new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%SZ %p %s: %t"));
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, new Poco::ConsoleChannel(std::cerr)));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::root().setLevel(level);
  for (const auto& name : {"titlecert.issuer", "titlecert.issuer.http"}) {
    Poco::Logger::get(name).setChannel(channel);
    Poco::Logger::get(name).setLevel(level);
  }
  const std::string props = dataDir + "/issuer.properties";
  if (dataDir.empty() || !std::filesystem::exists(props)) return;
  try {
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config(new Poco::Util::PropertyFileConfiguration(props));
    if (config->has("logging")) Poco::Util::LoggingConfigurator().configure(config);
  } catch (const Poco::Exception& e) {
    std::cerr << "titlecert-issuer: logging configuration ignored: " << e.displayText() << "\n";
  }
}

class IssuerApp : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    for (const auto& [name, arg] : std::vector<std::pair<std::string, std::string>>{
             {"data", "DIR"}, {"alg", "ALG"}, {"iss", "CODE"}, {"region", "CODE"}, {"listen", "HOST:PORT"},
             {"csv", "FILE"}, {"out", "DIR"}, {"bundle", "FILE"}, {"against", "FILE"}, {"passphrase-file", "FILE"}, {"role", "ROLE"},
             {"root", "FILE"}, {"file", "FILE"}, {"url", "URL"},
             {"db-connector", "NAME"}, {"db-connection", "TEXT"}})
      options.addOption(Option(name, "", "see --help").required(false).repeatable(false).argument(arg));
    options.addOption(Option("help", "h", "show the usage").required(false).repeatable(false));
  }

  void handleOption(const std::string& name, const std::string& value) override {
    ServerApplication::handleOption(name, value);
    if (name == "help") {
      help_ = true;
      stopOptionsProcessing();
    } else {
      values_[name] = value;
    }
  }

  int main(const ArgVec& args) override {
    if (help_ || args.empty()) {
      std::cerr << kUsageText;
      return help_ ? kDone : kUsage;
    }
    const std::string command = args[0] + (args.size() > 1 ? " " + args[1] : "");
    setUpLogging(value("data"), args[0] == "serve" ? "information" : "warning");
    try {
      if (args[0] == "init" && args.size() == 1) return init();
      if (args[0] == "serve" && args.size() == 1) return serve();
      if (args[0] == "issue" && args.size() == 1) return issueCsv();
      if (command == "audit verify" && args.size() == 2) return auditVerify();
      if (args[0] == "export-manifest" && args.size() == 1) return exportManifest();
      if (args[0] == "load-bundle" && args.size() == 1) return loadBundle();
      if (command == "token create" && args.size() == 2) return tokenCreate();
      if (command == "peer add" && args.size() == 2) return peerAdd();
      if (command == "peer import" && args.size() == 2) return peerImport();
      if (command == "peer list" && args.size() == 2) return peerList();
      if (command == "social-security import" && args.size() == 3) return socialSecurityImport(args[2]);
    } catch (const std::exception& e) {
      std::cerr << "titlecert-issuer: " << e.what() << "\n";
      return kUsage;
    }
    std::cerr << kUsageText;
    return kUsage;
  }

 private:
  std::string value(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::string() : it->second;
  }

  bool require(std::initializer_list<const char*> names) const {
    for (const char* n : names) {
      if (value(n).empty()) {
        std::cerr << "titlecert-issuer: --" << n << " is required\n" << kUsageText;
        return false;
      }
    }
    return true;
  }

  std::optional<std::string> passphrase() const {
    auto p = readPassphrase(value("passphrase-file"));
    if (!p) {
      std::cerr << "titlecert-issuer: " << p.error().detail << "\n";
      return std::nullopt;
    }
    if (!*p || (*p)->empty()) {
      std::cerr << "titlecert-issuer: no passphrase: set " << kPassphraseEnv
                << " or give --passphrase-file FILE (the keys are encrypted with it)\n";
      return std::nullopt;
    }
    return **p;
  }

  // examineOnly: open a database that fails the check at start (audit
  // verify reports what is wrong with it).
  std::unique_ptr<Service> openService(bool examineOnly = false) const {
    auto pass = passphrase();
    if (!pass) return nullptr;
    OpenOptions options{value("data"), *pass, nullptr};
    options.examineOnly = examineOnly;
    auto service = Service::open(options, clock_);
    if (!service) {
      report(service.error());
      return nullptr;
    }
    return std::move(service).value();
  }

  int init() {
    if (!require({"data"})) return kUsage;
    auto pass = passphrase();
    if (!pass) return kUsage;
    InitOptions o;
    o.dataDir = value("data");
    o.passphrase = *pass;
    if (!value("alg").empty() && !crypto::algFromName(value("alg"), o.alg)) {
      std::cerr << "titlecert-issuer: --alg must be SM2-SM3, EdDSA or ES256\n";
      return kUsage;
    }
    if (!value("iss").empty()) o.iss = value("iss");
    if (!value("region").empty()) o.region = value("region");
    if (!value("db-connector").empty()) o.dbConnector = value("db-connector");
    if (!value("db-connection").empty()) o.dbConnection = value("db-connection");
    auto r = Service::init(o, clock_);
    if (!r) return report(r.error());
    std::cout << toJson(*r) << std::endl;
    return kDone;
  }

  int serve() {
    if (!require({"data"})) return kUsage;
    auto service = openService();
    if (!service) return kUsage;
    const std::string listen = value("listen").empty() ? service->config().listen : value("listen");
    auto server = HttpServer::start(*service, listen);
    if (!server) return report(server.error());
    service->startBatchWorker();  // also resumes the batches a stopped issuer left running
    waitForTerminationRequest();
    Poco::Logger::get("titlecert.issuer").notice("stopping");
    (*server)->stop();
    return kDone;
  }

  static void drawProgress(std::size_t done, std::size_t total) {
    const int width = 40;
    const int filled = total ? static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width) : width;
    std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(width - filled), '.') << "] " << done << "/" << total << std::flush;
  }

  // A JSON line per row on stdout, printed once its group has committed.
  int issueCsv() {
    if (!require({"data", "csv"})) return kUsage;
    auto body = files::read(value("csv"));
    if (!body) {
      std::cerr << "titlecert-issuer: " << body.error().detail << "\n";
      return kUsage;
    }
    auto rows = parseBatch(*body, BatchFormat::Csv);
    if (!rows) return report(rows.error());
    auto service = openService();
    if (!service) return kUsage;
    std::size_t failed = 0;
    drawProgress(0, rows->size());
    service->issueBatch(*rows, localOperator(), [&](std::span<const BatchRowResult> committed, std::size_t done, std::size_t total) {
      for (const BatchRowResult& o : committed) {
        if (!o.result.ok()) ++failed;
        std::cout << batchRowResultJson(o) << "\n";
      }
      std::cout.flush();
      drawProgress(done, total);
    });
    std::cerr << "\n" << (rows->size() - failed) << " row(s) issued or already issued, " << failed << " failed\n";
    return failed ? kRefused : kDone;
  }

  int auditVerify() {
    if (!require({"data"})) return kUsage;
    auto service = openService(/*examineOnly=*/true);
    if (!service) return kUsage;
    std::optional<std::string> against;
    if (!value("against").empty()) {
      auto bytes = files::read(value("against"));
      if (!bytes) return report(fromError(bytes.error(), "against"));
      against = std::move(*bytes);
    }
    auto check = against ? service->verifyAuditAgainst(asBytes(*against)) : service->verifyAudit();
    if (!check) return report(check.error());
    std::cout << toJson(*check) << std::endl;
    if (!check->intact) {
      std::cerr << "titlecert-issuer: the audit does not hold: " << check->reason << "\n";
      for (const std::string& d : check->differences) std::cerr << "  " << d << "\n";
    }
    return check->intact ? kDone : kRefused;
  }

  int exportManifest() {
    if (!require({"data", "out"})) return kUsage;
    auto service = openService();
    if (!service) return kUsage;
    auto r = service->exportManifest(value("out"));
    if (!r) return report(r.error());
    std::cout << value("out") << "/manifest.json written; build the bundle offline with\n"
              << "  titlecert-config bundle build --manifest " << value("out") << "/manifest.json --root-key ROOT.pem --out bundle.cbor\n"
              << "then: titlecert-issuer load-bundle --data " << value("data") << " --bundle bundle.cbor\n";
    return kDone;
  }

  int loadBundle() {
    if (!require({"data", "bundle"})) return kUsage;
    auto bytes = files::read(value("bundle"));
    if (!bytes) {
      std::cerr << "titlecert-issuer: " << bytes.error().detail << "\n";
      return kUsage;
    }
    auto service = openService();
    if (!service) return kUsage;
    auto version = service->loadBundle(asBytes(*bytes), localOperator());
    if (!version) {
      report(version.error());
      return kRefused;
    }
    std::cout << "bundle version " << *version << " loaded\n";
    return kDone;
  }

  int tokenCreate() {
    if (!require({"data", "role"})) return kUsage;
    Role role{};
    if (!roleFromName(value("role"), role)) {
      std::cerr << "titlecert-issuer: --role must be admin, clerk or auditor\n";
      return kUsage;
    }
    auto service = openService();
    if (!service) return kUsage;
    auto token = service->createToken(role, localOperator());
    if (!token) return report(token.error());
    std::cout << toJson(*token) << std::endl;
    return kDone;
  }

  int peerAdd() {
    if (!require({"data", "region", "root"})) return kUsage;
    auto pem = files::read(value("root"));
    if (!pem) {
      std::cerr << "titlecert-issuer: " << pem.error().detail << "\n";
      return kUsage;
    }
    auto service = openService();
    if (!service) return kUsage;
    auto added = service->addPeer(AddPeerRequest{value("region"), *pem}, localOperator());
    if (!added) {
      report(added.error());
      return kRefused;
    }
    std::cout << toJson(*added) << std::endl;
    return kDone;
  }

  // Refusals (a bundle that does not verify, an older version) exit 1.
  int peerImport() {
    if (!require({"data"})) return kUsage;
    if (value("file").empty() == value("url").empty()) {
      std::cerr << "titlecert-issuer: peer import takes one of --file and --url\n" << kUsageText;
      return kUsage;
    }
    std::optional<std::string> bytes;
    if (!value("file").empty()) {
      auto read = files::read(value("file"));
      if (!read) {
        std::cerr << "titlecert-issuer: " << read.error().detail << "\n";
        return kUsage;
      }
      bytes = std::move(*read);
    }
    auto service = openService();
    if (!service) return kUsage;
    auto imported = bytes ? service->importPeerBundle(asBytes(*bytes), value("file"), localOperator())
                          : service->importPeerBundleFromUrl(value("url"), localOperator());
    if (!imported) {
      report(imported.error());
      return kRefused;
    }
    std::cout << toJson(*imported) << std::endl;
    return kDone;
  }

  int peerList() {
    if (!require({"data"})) return kUsage;
    auto service = openService();
    if (!service) return kUsage;
    auto peers = service->peers();
    if (!peers) return report(peers.error());
    std::cout << toJson(*peers) << std::endl;
    return kDone;
  }

  // Measure 12: a bureau export file into the record issuance checks
  // claimed years against. Prints {"rows", "entries"}.
  int socialSecurityImport(const std::string& file) {
    if (!require({"data"})) return kUsage;
    auto csv = files::read(file);
    if (!csv) {
      std::cerr << "titlecert-issuer: " << csv.error().detail << "\n";
      return kUsage;
    }
    auto service = openService();
    if (!service) return kUsage;
    auto imported = service->importSocialSecurity(*csv, localOperator());
    if (!imported) return report(imported.error());
    std::cout << nlohmann::json{{"rows", imported->rows}, {"entries", imported->entries}}.dump() << std::endl;
    return kDone;
  }

  SystemClock clock_;  // the one place the real clock is read
  std::map<std::string, std::string> values_;
  bool help_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  if (auto status = answerInfoOption(argc, argv, "titlecert-issuer", TITLECERT_VERSION_STRING, kUsageText)) return *status;
  IssuerApp app;
  return app.run(argc, argv);
}
