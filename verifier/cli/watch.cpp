// titlecert-verify --watch (watch.h): read a line, verify it, answer it.
#include "watch.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <tuple>
#include <vector>

#include "titlecert/display_text.h"

namespace titlecert::cli {
namespace {

// Lines end with LF, CR or CR LF: serial scanners commonly send CR alone.
// Empty lines (the LF of a CR LF, a stray Enter) are skipped. A line longer
// than any payload is cut at one byte over the limit, which the verifier
// refuses as too long, and the rest of it is dropped.
class ScannerLines {
 public:
  explicit ScannerLines(int fd) : fd_(fd) {}

  bool next(std::string& line) {
    line.clear();
    bool dropping = false;
    for (;;) {
      if (pos_ == end_ && !fill()) return !line.empty();
      const char c = buf_[pos_++];
      if (c == '\n' || c == '\r') {
        if (!line.empty()) return true;
        dropping = false;
        continue;
      }
      if (dropping) continue;
      line.push_back(c);
      if (line.size() > verifier::kMaxInputLength) dropping = true;
    }
  }

 private:
  bool fill() {
    for (;;) {
      const ssize_t n = ::read(fd_, buf_, sizeof buf_);
      if (n > 0) {
        pos_ = 0;
        end_ = static_cast<std::size_t>(n);
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      return false;  // end of input, or a tty hung up (EIO): the watch ends
    }
  }

  int fd_;
  char buf_[4096];
  std::size_t pos_ = 0, end_ = 0;
};

// What a bundle folder holds, cheaply compared between lines so that the
// bundles in it are read and verified again only when something changed.
using FolderSnapshot = std::vector<std::tuple<std::string, std::uintmax_t, std::filesystem::file_time_type>>;

FolderSnapshot snapshotOf(const std::string& dir) {
  FolderSnapshot snap;
  if (dir.empty()) return snap;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::error_code ignored;
    snap.emplace_back(entry.path().string(), entry.file_size(ignored), entry.last_write_time(ignored));
  }
  std::sort(snap.begin(), snap.end());
  return snap;
}

// One line for people: the verdict line of the full text form, and the
// holder's name when the signature verified.
std::string verdictLine(const verifier::Verifier& v, const verifier::Outcome& o, verifier::Lang lang) {
  const std::string human = v.toHuman(o, lang);
  std::string line = human.substr(0, human.find('\n'));
  if (o.credential) line += " · " + safeForDisplay(o.credential->holderName);
  return line;
}

class Watch {
 public:
  Watch(verifier::Verifier v, std::optional<WatchTerminal> t, const WatchOptions& o)
      : verifier_(std::move(v)), terminal_(std::move(t)), options_(o) {
    if (terminal_) seen_ = snapshotOf(terminal_->config.bundleDir);
  }

  // False when the state can no longer be written (the summary says why).
  bool answer(const std::string& line, WatchSummary& summary) {
    const std::int64_t now = options_.fixedNow.value_or(clockNow());
    if (terminal_ && !takeNewerBundle(summary)) return false;
    auto opts = options_.verify;
    if (terminal_) opts.clockFloor = terminal_->state.clockFloor;
    auto refused = terminal_ ? tooOld(now) : std::nullopt;
    const verifier::Outcome outcome = refused ? std::move(*refused) : verifier_.verify(line, now, opts);
    if (!outcome.valid()) summary.anyInvalid = true;
    if (options_.json) std::cout << verifier_.toJson(outcome, std::to_string(++number_), options_.lang) << "\n";
    else std::cout << verdictLine(verifier_, outcome, options_.lang) << "\n";
    std::cout.flush();
    if (terminal_ && outcome.credential) {
      const auto iat = static_cast<std::int64_t>(outcome.credential->iat);
      if (auto s = raiseClockFloor(terminal_->statePath, terminal_->state, iat); !s) {
        summary.stateError = s.error();
        return false;
      }
    }
    return true;
  }

 private:
  // A newer bundle from the folder, looked for when the folder changed.
  bool takeNewerBundle(WatchSummary& summary) {
    auto now = snapshotOf(terminal_->config.bundleDir);
    if (now == seen_) return true;
    seen_ = std::move(now);
    auto newer = pickUpNewerBundle(terminal_->config, terminal_->statePath, terminal_->state);
    if (!newer) {
      summary.stateError = newer.error();
      return false;
    }
    if (*newer) verifier_ = std::move(**newer);
    return true;
  }

  // BUNDLE_TOO_OLD while the bundle in use is too old: nothing verifies.
  std::optional<verifier::Outcome> tooOld(std::int64_t now) const {
    const auto effective = std::max(now, terminal_->state.clockFloor);
    auto s = checkBundleAge(verifier_.contents(), terminal_->config, effective);
    if (s) return std::nullopt;
    verifier::Outcome o;
    o.code = s.code();
    o.detail = s.error().detail;
    return o;
  }

  verifier::Verifier verifier_;
  std::optional<WatchTerminal> terminal_;
  WatchOptions options_;
  FolderSnapshot seen_;
  std::uint64_t number_ = 0;
};

}  // namespace

std::int64_t clockNow() { return static_cast<std::int64_t>(std::time(nullptr)); }

WatchSummary runWatch(verifier::Verifier verifier, std::optional<WatchTerminal> terminal, const WatchOptions& options,
                      int inFd) {
  WatchSummary summary;
  Watch watch(std::move(verifier), std::move(terminal), options);
  ScannerLines lines(inFd);
  for (std::string line; lines.next(line);)
    if (!watch.answer(line, summary)) break;
  return summary;
}

}  // namespace titlecert::cli
