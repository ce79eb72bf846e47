// titlecert-config — what a terminal is configured with (CONTRACT.md):
//
//   titlecert-config bundle build --manifest MANIFEST.json --root-key ROOT.pem --out FILE
//                                 [--passphrase-file FILE]
//   titlecert-config bundle inspect FILE [--root FILE] [--json]
//   titlecert-config bundle delta --from OLD --to NEW --root-key ROOT.pem --out FILE
//                                 [--passphrase-file FILE]
//   titlecert-config bundle apply-delta --from OLD --delta FILE --root ROOT.pub.pem --out FILE
//   titlecert-config catalogue show [--catalogue FILE] [--json]
//   titlecert-config catalogue check --previous OLD.json [--catalogue NEW.json]
//   titlecert-config terminal build --manifest TERMINAL.json --root-key ROOT.pem --out FILE
//                                   [--passphrase-file FILE]
//   titlecert-config terminal inspect FILE --root ROOT.pub.pem [--json]
//
// Exit status: 0 done, 1 the input was refused (bad manifest, bad bundle),
// 2 usage error.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "titlecert/bundle_delta.h"
#include "titlecert/bundle_manifest.h"
#include "titlecert/catalogue_json.h"
#include "titlecert/catalogue_evolution.h"
#include "titlecert/dates.h"
#include "titlecert/files.h"
#include "titlecert/info_options.h"
#include "titlecert/passphrase.h"
#include "titlecert/terminal_manifest.h"
#include "titlecert/version.h"

using namespace titlecert;
using Json = nlohmann::ordered_json;

namespace {

constexpr int kExitOk = 0, kExitRefused = 1, kExitUsage = 2;

const char* kUsage =
    "usage: titlecert-config bundle build --manifest MANIFEST.json --root-key ROOT.pem --out FILE [--passphrase-file FILE]\n"
    "       titlecert-config bundle inspect FILE [--root FILE] [--json]\n"
    "       titlecert-config bundle delta --from OLD --to NEW --root-key ROOT.pem --out FILE [--passphrase-file FILE]\n"
    "       titlecert-config bundle apply-delta --from OLD --delta FILE --root ROOT.pub.pem --out FILE\n"
    "       titlecert-config catalogue show [--catalogue FILE] [--json]\n"
    "       titlecert-config catalogue check --previous OLD.json [--catalogue NEW.json]\n"
    "       titlecert-config terminal build --manifest TERMINAL.json --root-key ROOT.pem --out FILE [--passphrase-file FILE]\n"
    "       titlecert-config terminal inspect FILE --root ROOT.pub.pem [--json]\n"
    "       titlecert-config --help | --version\n";

struct UsageError {
  std::string message;
};

// --name value options and bare flags after the two command words.
struct Options {
  std::map<std::string, std::string> values;
  std::vector<std::string> positional;
  bool json = false;

  std::string get(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? std::string() : it->second;
  }
  std::string require(const std::string& name) const {
    auto v = get(name);
    if (v.empty()) throw UsageError{"--" + name + " is required"};
    return v;
  }
};

Options parseOptions(int argc, char** argv, int first, std::initializer_list<const char*> valueNames) {
  Options o;
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      o.json = true;
      continue;
    }
    bool known = false;
    for (const char* n : valueNames) {
      if (arg == std::string("--") + n) {
        if (i + 1 >= argc) throw UsageError{arg + " needs a value"};
        o.values[n] = argv[++i];
        known = true;
      }
    }
    if (known) continue;
    if (arg.rfind("--", 0) == 0) throw UsageError{"unknown option " + arg};
    o.positional.push_back(arg);
  }
  return o;
}

int refuse(const Error& e) {
  std::cerr << "titlecert-config: " << codeName(e.code) << ": " << e.detail << "\n";
  return kExitRefused;
}

Result<crypto::PrivateKey> loadRootKey(const Options& o) {
  TC_ASSIGN(auto pem, files::read(o.require("root-key")));
  TC_ASSIGN(auto passphrase, readPassphrase(o.get("passphrase-file")));
  if (passphrase) return crypto::PrivateKey::fromPem(pem, *passphrase);
  return crypto::PrivateKey::fromPem(pem);
}

// The unsigned side file beside a bundle: the certificate numbers of the
// revoked credentials, for people. Terminals never read it.
std::string notesPath(const std::string& bundlePath) { return bundlePath + ".notes.json"; }

Status writeNotes(const std::string& bundlePath, const std::vector<bundle::RevocationNote>& notes) {
  if (notes.empty()) {
    std::error_code ignored;  // a stale side file would name the wrong credentials
    std::filesystem::remove(notesPath(bundlePath), ignored);
    return Status::Ok();
  }
  Json revoked = Json::array();
  for (const auto& n : notes) revoked.push_back({{"iss", n.iss}, {"status_index", n.statusIndex}, {"cert_no", n.certNo}});
  return files::writeAtomically(notesPath(bundlePath), asBytes(Json{{"revoked", revoked}}.dump(2) + "\n"));
}

// (iss, status index) -> cert_no from the side file; empty when there is none
// or it does not read (it is only a help for people).
std::map<std::pair<std::string, std::uint64_t>, std::string> readNotes(const std::string& bundlePath) {
  std::map<std::pair<std::string, std::uint64_t>, std::string> out;
  auto text = files::read(notesPath(bundlePath));
  if (!text) return out;
  const Json j = Json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("revoked") || !j["revoked"].is_array()) return out;
  for (const auto& n : j["revoked"])
    if (n.is_object() && n.value("iss", Json()).is_string() && n.value("status_index", Json()).is_number_unsigned() &&
        n.value("cert_no", Json()).is_string())
      out[{n["iss"].get<std::string>(), n["status_index"].get<std::uint64_t>()}] = n["cert_no"].get<std::string>();
  return out;
}

int bundleBuild(const Options& o) {
  const std::string manifestPath = o.require("manifest");
  const std::string out = o.require("out");
  auto manifest = files::read(manifestPath);
  if (!manifest) return refuse(manifest.error());
  std::vector<bundle::RevocationNote> notes;
  auto contents = bundle::fromManifest(*manifest, std::filesystem::path(manifestPath).parent_path().string(), &notes);
  if (!contents) return refuse(contents.error());
  auto root = loadRootKey(o);
  if (!root) return refuse(root.error());
  auto signedBundle = bundle::sign(*contents, *root);
  if (!signedBundle) return refuse(signedBundle.error());
  if (auto s = files::writeAtomically(out, *signedBundle); !s) return refuse(s.error());
  if (auto s = writeNotes(out, notes); !s) return refuse(s.error());
  std::cout << "bundle version " << contents->version << ": " << contents->issuers.size() << " issuer key(s), catalogue v"
            << contents->catalogue.version << ", " << signedBundle->size() << " bytes, signed by root kid "
            << toHex(root->publicKey().kid()) << " -> " << out << "\n";
  return kExitOk;
}

// The signed delta from one bundle to the next (docs/bundle-delta.md).
int bundleDelta(const Options& o) {
  const std::string out = o.require("out");
  auto from = files::read(o.require("from"));
  if (!from) return refuse(from.error());
  auto to = files::read(o.require("to"));
  if (!to) return refuse(to.error());
  auto root = loadRootKey(o);
  if (!root) return refuse(root.error());
  auto delta = bundle::makeDelta(asBytes(*from), asBytes(*to), *root);
  if (!delta) return refuse(delta.error());
  if (auto s = files::writeAtomically(out, *delta); !s) return refuse(s.error());
  std::cout << "delta " << delta->size() << " bytes for a bundle of " << to->size() << " bytes -> " << out << "\n";
  return kExitOk;
}

// What a terminal does with a delta, for operators: the rebuilt bundle,
// checked against the root like any bundle before it is written.
int bundleApplyDelta(const Options& o) {
  const std::string out = o.require("out");
  auto from = files::read(o.require("from"));
  if (!from) return refuse(from.error());
  auto deltaBytes = files::read(o.require("delta"));
  if (!deltaBytes) return refuse(deltaBytes.error());
  auto rootPem = files::read(o.require("root"));
  if (!rootPem) return refuse(rootPem.error());
  auto root = crypto::PublicKey::fromPem(*rootPem);
  if (!root) return refuse(root.error());
  auto rebuilt = bundle::applyDelta(asBytes(*from), asBytes(*deltaBytes), *root);
  if (!rebuilt) return refuse(rebuilt.error());
  auto opened = bundle::open(*rebuilt, *root);
  if (!opened) return refuse(opened.error());
  if (auto s = files::writeAtomically(out, *rebuilt); !s) return refuse(s.error());
  std::cout << "bundle version " << opened->contents().version << ", " << rebuilt->size() << " bytes -> " << out << "\n";
  return kExitOk;
}

Json codes(const std::optional<std::vector<std::uint64_t>>& list) {
  if (!list) return "*";
  return Json(*list);
}

Json scopeJson(const bundle::Scope& s) {
  Json types = Json::array();
  if (s.titles) types.push_back("title");
  if (s.qualifications) types.push_back("qualification");
  return {{"types", types},
          {"series", codes(s.series)},
          {"specialties", codes(s.specialties)},
          {"max_level", s.maxLevel},
          {"qualifications", codes(s.qualificationCodes)}};
}

using Notes = std::map<std::pair<std::string, std::uint64_t>, std::string>;

Json inspectJson(const bundle::Contents& c, const crypto::Kid& rootKid, bool verified, const Notes& notes) {
  Json issuers = Json::array();
  for (const auto& e : c.issuers)
    issuers.push_back({{"iss", e.iss},
                       {"name", {{"zh", e.name.zh}, {"en", e.name.en}}},
                       {"kid", toHex(e.key.kid())},
                       {"alg", std::string(crypto::algName(e.key.alg()))},
                       {"public_key_pem", e.key.pem()},
                       {"region", e.region},
                       {"valid_from", dates::formatRfc3339(e.validFrom)},
                       {"valid_to", dates::formatRfc3339(e.validTo)},
                       {"scope", scopeJson(e.scope)}});
  Json revoked = Json::array(), lists = Json::array();
  for (const auto& list : c.revocation) {
    lists.push_back({{"iss", list.iss}, {"issued", list.issued()}, {"revoked_count", list.revoked.revokedCount()}});
    for (const std::uint64_t index : list.revoked.revokedIndices()) {
      Json entry = {{"iss", list.iss}, {"status_index", index}};
      if (auto n = notes.find({list.iss, index}); n != notes.end()) entry["cert_no"] = n->second;
      revoked.push_back(std::move(entry));
    }
  }
  Json inspected = {{"version", c.version},
          {"issued_at", dates::formatRfc3339(c.issuedAt)},
          {"next_update", dates::formatRfc3339(c.nextUpdate)},
          {"catalogue_version", c.catalogue.version},
          {"root_kid", toHex(rootKid)},
          {"signature_verified", verified},
          {"issuers", issuers},
          {"recognition", {{"home_region", c.recognition.homeRegion}, {"accept_regions", c.recognition.acceptRegions}}},
          {"status_lists", lists},
          {"revoked", revoked}};
  if (c.auditHead) inspected["audit_head"] = {{"seq", c.auditHead->seq}, {"hash", toHex(c.auditHead->hash)}};
  return inspected;
}

void printInspect(const Json& j) {
  std::cout << "bundle version " << j["version"] << (j["signature_verified"].get<bool>() ? " (root signature verified)" : " (NOT verified: no --root given)") << "\n"
            << "  issued at   " << j["issued_at"].get<std::string>() << "\n"
            << "  next update " << j["next_update"].get<std::string>() << "\n"
            << "  root kid    " << j["root_kid"].get<std::string>() << "\n"
            << "  catalogue   v" << j["catalogue_version"] << "\n";
  for (const auto& e : j["issuers"])
    std::cout << "  issuer " << e["iss"].get<std::string>() << " kid " << e["kid"].get<std::string>() << " " << e["alg"].get<std::string>()
              << " region " << e["region"].get<std::string>() << " valid " << e["valid_from"].get<std::string>() << " .. "
              << e["valid_to"].get<std::string>() << " scope " << e["scope"].dump() << "\n";
  for (const auto& l : j["status_lists"])
    std::cout << "  status list " << l["iss"].get<std::string>() << ": " << l["revoked_count"] << " of " << l["issued"] << " revoked\n";
  for (const auto& r : j["revoked"])
    std::cout << "  revoked " << r["iss"].get<std::string>() << " #" << r["status_index"] << " " << r.value("cert_no", "") << "\n";
}

int bundleInspect(const Options& o) {
  if (o.positional.size() != 1) throw UsageError{"bundle inspect takes one FILE"};
  auto bytes = files::read(o.positional[0]);
  if (!bytes) return refuse(bytes.error());
  Json j;
  if (const auto rootPath = o.get("root"); !rootPath.empty()) {
    auto pem = files::read(rootPath);
    if (!pem) return refuse(pem.error());
    auto root = crypto::PublicKey::fromPem(*pem);
    if (!root) return refuse(root.error());
    auto verified = bundle::open(asBytes(*bytes), *root);
    if (!verified) return refuse(verified.error());
    j = inspectJson(verified->contents(), verified->rootKid(), true, readNotes(o.positional[0]));
  } else {
    crypto::Kid kid{};
    auto contents = bundle::decodeUnverified(asBytes(*bytes), kid);
    if (!contents) return refuse(contents.error());
    j = inspectJson(*contents, kid, false, readNotes(o.positional[0]));
  }
  if (o.json) std::cout << j.dump(2) << "\n";
  else printInspect(j);
  return kExitOk;
}

int catalogueShow(const Options& o) {
  const std::string path = o.get("catalogue");
  auto cat = path.empty() ? catalogue::loadDefault() : catalogue::loadFile(path);
  if (!cat) return refuse(cat.error());
  if (o.json) {
    std::cout << catalogue::toJson(*cat) << "\n";
    return kExitOk;
  }
  std::cout << "catalogue version " << cat->version << ": " << cat->series.size() << " series, " << cat->qualifications.size()
            << " qualifications, " << cat->equivalences.size() << " equivalence rows\n";
  for (const auto& s : cat->series) {
    std::cout << s.code << "  " << s.names.zh << " / " << s.names.en << "\n";
    for (const auto& sp : s.specialties) std::cout << "    " << sp.code << "  " << sp.names.zh << " / " << sp.names.en << "\n";
  }
  return kExitOk;
}

// Before publishing a new catalogue: no code of the previous one may
// disappear or change meaning (codes are never reused).
int catalogueCheck(const Options& o) {
  auto previous = catalogue::loadFile(o.require("previous"));
  if (!previous) return refuse(previous.error());
  const std::string path = o.get("catalogue");
  auto next = path.empty() ? catalogue::loadDefault() : catalogue::loadFile(path);
  if (!next) return refuse(next.error());
  std::vector<std::string> notes;
  if (auto s = catalogue::checkSuccessor(*previous, *next, &notes); !s) return refuse(s.error());
  for (const auto& n : notes) std::cout << "note: " << n << "\n";
  std::cout << "catalogue version " << next->version << " succeeds version " << previous->version
            << ": no code was removed or reused\n";
  return kExitOk;
}

int terminalBuild(const Options& o) {
  const std::string manifestPath = o.require("manifest");
  const std::string out = o.require("out");
  auto manifest = files::read(manifestPath);
  if (!manifest) return refuse(manifest.error());
  auto config = terminal::fromManifest(*manifest, std::filesystem::path(manifestPath).parent_path().string());
  if (!config) return refuse(config.error());
  auto root = loadRootKey(o);
  if (!root) return refuse(root.error());
  auto signedConfig = terminal::sign(*config, *root);
  if (!signedConfig) return refuse(signedConfig.error());
  if (auto s = files::writeAtomically(out, *signedConfig); !s) return refuse(s.error());
  std::cout << "terminal configuration version " << config->version << ": " << config->roots.size()
            << " root(s), signed by root kid " << toHex(root->publicKey().kid()) << " -> " << out << "\n";
  return kExitOk;
}

Json terminalJson(const terminal::Config& c, const crypto::Kid& signer) {
  Json roots = Json::array();
  for (const auto& r : c.roots)
    roots.push_back({{"kid", toHex(r.kid())}, {"alg", std::string(crypto::algName(r.alg()))}, {"public_key_pem", r.pem()}});
  return {{"version", c.version},
          {"roots", roots},
          {"max_bundle_age_days", c.maxBundleAgeDays},
          {"lang", c.lang},
          {"bundle_dir", c.bundleDir},
          {"signer_kid", toHex(signer)},
          {"signature_verified", true}};
}

// Only a configuration whose signature checked is shown: --root is required.
int terminalInspect(const Options& o) {
  if (o.positional.size() != 1) throw UsageError{"terminal inspect takes one FILE"};
  auto bytes = files::read(o.positional[0]);
  if (!bytes) return refuse(bytes.error());
  auto pem = files::read(o.require("root"));
  if (!pem) return refuse(pem.error());
  auto root = crypto::PublicKey::fromPem(*pem);
  if (!root) return refuse(root.error());
  crypto::Kid signer{};
  auto config = terminal::open(asBytes(*bytes), {*root}, &signer);
  if (!config) return refuse(config.error());
  const Json j = terminalJson(*config, signer);
  if (o.json) {
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "terminal configuration version " << config->version << " (root signature verified, kid "
            << toHex(signer) << ")\n"
            << "  max bundle age " << config->maxBundleAgeDays << " days past next-update\n"
            << "  lang           " << config->lang << "\n"
            << "  bundle dir     " << config->bundleDir << "\n";
  for (const auto& r : j["roots"]) std::cout << "  root kid " << r["kid"].get<std::string>() << " " << r["alg"].get<std::string>() << "\n";
  return kExitOk;
}

int dispatch(int argc, char** argv) {
  if (argc < 3) throw UsageError{""};
  const std::string group = argv[1], verb = argv[2];
  if (group == "bundle" && verb == "build") return bundleBuild(parseOptions(argc, argv, 3, {"manifest", "root-key", "out", "passphrase-file"}));
  if (group == "bundle" && verb == "inspect") return bundleInspect(parseOptions(argc, argv, 3, {"root"}));
  if (group == "bundle" && verb == "delta")
    return bundleDelta(parseOptions(argc, argv, 3, {"from", "to", "root-key", "out", "passphrase-file"}));
  if (group == "bundle" && verb == "apply-delta")
    return bundleApplyDelta(parseOptions(argc, argv, 3, {"from", "delta", "root", "out"}));
  if (group == "catalogue" && verb == "show") return catalogueShow(parseOptions(argc, argv, 3, {"catalogue"}));
  if (group == "catalogue" && verb == "check") return catalogueCheck(parseOptions(argc, argv, 3, {"previous", "catalogue"}));
  if (group == "terminal" && verb == "build") return terminalBuild(parseOptions(argc, argv, 3, {"manifest", "root-key", "out", "passphrase-file"}));
  if (group == "terminal" && verb == "inspect") return terminalInspect(parseOptions(argc, argv, 3, {"root"}));
  throw UsageError{"unknown command " + group + " " + verb};
}

}  // namespace

int main(int argc, char** argv) {
  if (auto status = answerInfoOption(argc, argv, "titlecert-config", TITLECERT_VERSION_STRING, kUsage)) return *status;
  try {
    return dispatch(argc, argv);
  } catch (const UsageError& e) {
    if (!e.message.empty()) std::cerr << "titlecert-config: " << e.message << "\n";
    std::cerr << kUsage;
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "titlecert-config: internal error: " << e.what() << "\n";
    return kExitUsage;
  }
}
