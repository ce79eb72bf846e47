// titlecert-verify — the offline verifier's command line (CONTRACT.md).
//
//   titlecert-verify --bundle FILE [--delta FILE] --root FILE [--state FILE] [--now RFC3339]
//                    [--id TYPE:VALUE] [--json] [--lang zh|en] [--jobs N]
//                    (--text PAYLOAD | IMAGE... | -)
//   titlecert-verify --config terminal.cbor --state FILE [--bundle FILE] ...
//
// --config: a terminal (cli/terminal.h): the roots, language and bundle
// folder come from the signed configuration, and the state file keeps
// versions and the clock floor.
//
// --delta FILE: a signed delta (docs/bundle-delta.md) applied to the bundle
// first; the rebuilt bundle is checked and used like a full one.
//
// --jobs N: threads verifying batch lines at once (0 = every core; default 1);
// the output keeps the input's order whatever N is.
//
// Exit status: 0 every input valid; 1 at least one invalid; 2 usage error, or
// a bundle that is unreadable, badly signed or rolled back.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "batch.h"
#include "terminal.h"
#include "titlecert/bundle_delta.h"
#include "titlecert/crypto_process.h"
#include "watch.h"
#include "titlecert/dates.h"
#include "titlecert/files.h"
#include "titlecert/idh.h"
#include "titlecert/info_options.h"
#include "titlecert/scan.h"
#include "titlecert/verifier.h"
#include "titlecert/version.h"

using namespace titlecert;
using verifier::Lang;

namespace {

constexpr int kExitValid = 0, kExitInvalid = 1, kExitUsage = 2;

const char* kUsage =
    "usage: titlecert-verify --bundle FILE [--delta FILE] --root FILE [--state FILE] [--now RFC3339]\n"
    "                        [--id TYPE:VALUE] [--json] [--lang zh|en] [--jobs N]\n"
    "                        (--text PAYLOAD | IMAGE... | -)\n"
    "       titlecert-verify --config terminal.cbor --state FILE [--bundle FILE] [--now RFC3339]\n"
    "                        [--id TYPE:VALUE] [--json] [--lang zh|en] [--jobs N]\n"
    "                        (--text PAYLOAD | IMAGE... | -)\n";

struct Args {
  std::string bundle, delta, root, state, config, now, id, text;
  bool haveText = false, json = false, batch = false, watch = false, langGiven = false;
  Lang lang = Lang::Zh;
  unsigned jobs = 1;
  std::vector<std::string> images;
};

struct UsageError {
  std::string message;
};

std::string valueOf(int& i, int argc, char** argv) {
  if (i + 1 >= argc) throw UsageError{std::string(argv[i]) + " needs a value"};
  return argv[++i];
}

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--bundle") a.bundle = valueOf(i, argc, argv);
    else if (arg == "--delta") a.delta = valueOf(i, argc, argv);
    else if (arg == "--root") a.root = valueOf(i, argc, argv);
    else if (arg == "--state") a.state = valueOf(i, argc, argv);
    else if (arg == "--config") a.config = valueOf(i, argc, argv);
    else if (arg == "--now") a.now = valueOf(i, argc, argv);
    else if (arg == "--id") a.id = valueOf(i, argc, argv);
    else if (arg == "--text") a.text = valueOf(i, argc, argv), a.haveText = true;
    else if (arg == "--json") a.json = true;
    else if (arg == "--lang") {
      const std::string l = valueOf(i, argc, argv);
      if (l != "zh" && l != "en") throw UsageError{"--lang takes zh or en"};
      a.lang = l == "en" ? Lang::En : Lang::Zh;
      a.langGiven = true;
    } else if (arg == "--jobs") {
      const std::string n = valueOf(i, argc, argv);
      const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), a.jobs);
      if (ec != std::errc() || end != n.data() + n.size() || a.jobs > 1024)
        throw UsageError{"--jobs takes a number of threads from 0 (every core) to 1024"};
    } else if (arg == "-") a.batch = true;
    else if (arg == "--watch") a.watch = true;
    else if (!arg.empty() && arg[0] == '-') throw UsageError{"unknown option " + arg};
    else a.images.push_back(arg);
  }
  if (!a.config.empty()) {
    if (a.state.empty()) throw UsageError{"--config needs --state"};
    if (!a.root.empty()) throw UsageError{"--config takes its roots from the configuration: no --root"};
    if (!a.delta.empty()) throw UsageError{"--delta takes --bundle and --root, not --config"};
  } else if (a.bundle.empty() || a.root.empty()) {
    throw UsageError{"--bundle and --root are required (or --config and --state)"};
  }
  const int sources = (a.haveText ? 1 : 0) + (a.batch ? 1 : 0) + (a.images.empty() ? 0 : 1) + (a.watch ? 1 : 0);
  if (sources != 1) throw UsageError{"give exactly one of --text PAYLOAD, IMAGE..., -, or --watch"};
  return a;
}

// The one place the verifier reads the clock: the command line's edge.
Result<std::int64_t> resolveNow(const std::string& text) {
  if (text.empty()) return static_cast<std::int64_t>(std::time(nullptr));
  return dates::parseRfc3339(text);
}

struct Loaded {
  verifier::Verifier verifier;
  bool rollbackChecked;
  std::optional<terminal::State> terminalState;  // with --config
  std::optional<terminal::Config> terminalConfig;
};

Result<Loaded> loadTerminal(Args& a, std::int64_t now) {
  TC_ASSIGN(auto t, cli::openTerminal({a.config, a.state, a.bundle, now}));
  if (!a.langGiven) a.lang = t.config.lang == "en" ? Lang::En : Lang::Zh;
  return Loaded{std::move(t.verifier), true, std::move(t.state), std::move(t.config)};
}

Result<Loaded> loadVerifier(const Args& a) {
  TC_ASSIGN(auto rootPem, files::read(a.root));
  TC_ASSIGN(auto root, crypto::PublicKey::fromPem(rootPem));
  TC_ASSIGN(auto bundleFile, files::read(a.bundle));
  Bytes bundleBytes(bundleFile.begin(), bundleFile.end());
  if (!a.delta.empty()) {
    TC_ASSIGN(auto delta, files::read(a.delta));
    TC_ASSIGN(bundleBytes, bundle::applyDelta(bundleBytes, asBytes(delta), root));
  }
  std::uint64_t highest = 0;
  if (!a.state.empty()) {
    TC_ASSIGN(highest, verifier::readHighestVersion(a.state));
  }
  TC_ASSIGN(auto v, verifier::Verifier::create(bundleBytes, root, highest));
  if (!a.state.empty() && v.contents().version > highest)
    TC_TRY(verifier::writeHighestVersion(a.state, v.contents().version));
  return Loaded{std::move(v), !a.state.empty(), std::nullopt, std::nullopt};
}

class Printer {
 public:
  Printer(const verifier::Verifier& v, const Args& a) : v_(v), json_(a.json || a.batch), lang_(a.lang) {}

  void print(const verifier::Outcome& o, const std::string& input) {
    if (!o.valid()) anyInvalid_ = true;
    if (o.credential) latestSignedTime_ = std::max(latestSignedTime_, static_cast<std::int64_t>(o.credential->iat));
    if (json_) {
      std::cout << v_.toJson(o, input, lang_) << "\n";
    } else {
      std::cout << (input == "text" ? std::string() : input + ":\n") << v_.toHuman(o, lang_);
    }
  }
  bool anyInvalid() const { return anyInvalid_; }
  // The latest iat among the credentials whose signature verified (0: none).
  std::int64_t latestSignedTime() const { return latestSignedTime_; }

 private:
  const verifier::Verifier& v_;
  bool json_;
  Lang lang_;
  bool anyInvalid_ = false;
  std::int64_t latestSignedTime_ = 0;
};

int verifyImages(const Args& a, const verifier::Verifier& v, std::int64_t now, const verifier::VerifyOptions& opts,
                 Printer& out) {
  int status = kExitValid;
  for (const auto& path : a.images) {
    auto image = scan::loadImageFile(path);
    if (!image) {
      std::cerr << "titlecert-verify: " << path << ": " << image.error().detail << "\n";
      status = kExitUsage;
      continue;
    }
    const auto scanned = scan::scanQrCodes(scan::viewOf(*image));
    if (scanned.texts.empty()) out.print(v.noCodeFound(now, opts), path);
    for (const auto& t : scanned.texts) out.print(v.verify(t, now, opts), path);
    if (scanned.codesSkipped) out.print(v.codesSkipped(now, opts), path);
  }
  return status;
}

// Raises the terminal's clock floor to the latest signed time seen; false
// (with the reason on stderr) when the state cannot be written.
bool raiseFloor(const Args& a, terminal::State& state, std::int64_t latestSignedTime) {
  if (auto s = cli::raiseClockFloor(a.state, state, latestSignedTime); !s) {
    std::cerr << "titlecert-verify: " << codeName(s.code()) << ": " << s.error().detail << "\n";
    return false;
  }
  return true;
}

int watch(const Args& a, Loaded loaded, const verifier::VerifyOptions& opts, std::int64_t now) {
  // Without --now the clock is read again for every line.
  const cli::WatchOptions options{a.now.empty() ? std::nullopt : std::optional<std::int64_t>(now), opts, a.lang, a.json};
  std::optional<cli::WatchTerminal> terminal;
  // An explicit --bundle is the bundle to use: bundle_dir is then not watched.
  if (loaded.terminalConfig) {
    terminal = cli::WatchTerminal{std::move(*loaded.terminalConfig), std::move(*loaded.terminalState), a.state};
    if (!a.bundle.empty()) terminal->config.bundleDir.clear();
  }
  const auto summary = cli::runWatch(std::move(loaded.verifier), std::move(terminal), options, STDIN_FILENO);
  if (summary.stateError) {
    std::cerr << "titlecert-verify: " << codeName(summary.stateError->code) << ": " << summary.stateError->detail << "\n";
    return kExitUsage;
  }
  return summary.anyInvalid ? kExitInvalid : kExitValid;
}

int run(Args a) {
  if (!a.images.empty() && !scan::available()) {
    // A usage error (exit 2) before anything is verified: the caller asked
    // for something this build cannot do, which is not a verdict on a credential.
    std::cerr << "titlecert-verify: image inputs are not supported: " << scan::unavailableReason()
              << "; pass the code's text with --text or on standard input (-)\n";
    return kExitUsage;
  }
  auto now = resolveNow(a.now);
  if (!now) throw UsageError{"--now: " + now.error().detail};
  verifier::VerifyOptions opts;
  if (!a.id.empty()) {
    if (auto id = idh::normalize(a.id); !id) throw UsageError{"--id: " + id.error().detail};
    opts.idNumber = a.id;
  }
  auto loaded = a.config.empty() ? loadVerifier(a) : loadTerminal(a, *now);
  if (!loaded) {
    std::cerr << "titlecert-verify: " << codeName(loaded.code()) << ": " << loaded.error().detail << "\n";
    return kExitUsage;
  }
  const auto& v = loaded->verifier;
  auto& terminalState = loaded->terminalState;
  if (terminalState) opts.clockFloor = terminalState->clockFloor;
  if (!loaded->rollbackChecked && !a.json && !a.batch)
    std::cout << (a.lang == Lang::Zh ? "（未指定 --state：未做信任列表防回滚检查）\n"
                                     : "(no --state given: no bundle rollback check was made)\n");
  Printer out(v, a);
  int status = kExitValid;
  if (a.haveText) out.print(v.verify(a.text, *now, opts), "text");
  if (a.batch) {
    std::cout.flush();
    const cli::BatchOptions batch{*now, opts, a.lang, cli::resolveJobs(a.jobs)};
    const auto summary = cli::runBatch(v, batch, STDIN_FILENO, STDOUT_FILENO);
    if (summary.writeFailed) {
      std::cerr << "titlecert-verify: cannot write the results\n";
      return kExitUsage;
    }
    if (terminalState && !raiseFloor(a, *terminalState, summary.latestSignedTime)) return kExitUsage;
    return summary.anyInvalid ? kExitInvalid : kExitValid;
  }
  if (a.watch) return watch(a, std::move(*loaded), opts, *now);
  if (!a.images.empty()) status = verifyImages(a, v, *now, opts, out);
  if (terminalState && !raiseFloor(a, *terminalState, out.latestSignedTime())) return kExitUsage;
  if (status == kExitUsage) return status;
  return out.anyInvalid() ? kExitInvalid : kExitValid;
}

}  // namespace

int main(int argc, char** argv) {
  // The CLI exits when it is done: OpenSSL's tables go with the process.
  titlecert::crypto::skipCleanupAtExit();
  if (auto status = answerInfoOption(argc, argv, "titlecert-verify", TITLECERT_VERSION_STRING, kUsage)) return *status;
  try {
    return run(parseArgs(argc, argv));
  } catch (const UsageError& e) {
    if (!e.message.empty()) std::cerr << "titlecert-verify: " << e.message << "\n";
    std::cerr << kUsage;
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "titlecert-verify: internal error: " << e.what() << "\n";
    return kExitUsage;
  }
}
