#include "batch.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace titlecert::cli {

namespace {

constexpr std::size_t kReadBlock = 64 * 1024;
constexpr std::size_t kWriteBlock = 64 * 1024;
// Lines verified together: enough to keep every thread busy between two
// ordered writes, few enough that a slow producer is answered promptly.
constexpr std::size_t kMaxChunkLines = 512;

// Lines of a file descriptor, each cut to at most `limit + 1` bytes (a longer
// line is still consumed whole, and the extra byte lets verify() report it
// as too long). A trailing CR is dropped (CRLF input).
class LineReader {
 public:
  LineReader(int fd, std::size_t limit) : fd_(fd), limit_(limit), buffer_(kReadBlock) {}

  // True when next() can return a whole line without reading the descriptor.
  bool lineBuffered() const {
    return eof_ ? pos_ < end_ : std::memchr(buffer_.data() + pos_, '\n', end_ - pos_) != nullptr;
  }

  bool next(std::string& line) {
    line.clear();
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !refill()) break;
      any = true;
      const char* start = buffer_.data() + pos_;
      const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      const std::size_t take = newline ? static_cast<std::size_t>(newline - start) : end_ - pos_;
      if (line.size() <= limit_) line.append(start, std::min(take, limit_ + 1 - line.size()));
      pos_ += take;
      if (newline) {
        ++pos_;
        break;
      }
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return any;
  }

 private:
  bool refill() {
    if (eof_) return false;
    pos_ = end_ = 0;
    for (;;) {
      const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
      if (n > 0) {
        end_ = static_cast<std::size_t>(n);
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      eof_ = true;  // end of input, or an error that ends it the same way
      return false;
    }
  }

  int fd_;
  std::size_t limit_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
};

class BlockWriter {
 public:
  explicit BlockWriter(int fd) : fd_(fd) { pending_.reserve(2 * kWriteBlock); }
  void append(const std::string& s) {
    pending_ += s;
    pending_ += '\n';
    if (pending_.size() >= kWriteBlock) flush();
  }
  void flush() {
    std::size_t done = 0;
    while (done < pending_.size() && !failed_) {
      const ssize_t n = ::write(fd_, pending_.data() + done, pending_.size() - done);
      if (n > 0) done += static_cast<std::size_t>(n);
      else if (n < 0 && errno == EINTR) continue;
      else failed_ = true;
    }
    pending_.clear();
  }
  bool failed() const { return failed_; }

 private:
  int fd_;
  std::string pending_;
  bool failed_ = false;
};

struct Verdicts {
  std::vector<std::string> json;
  std::vector<char> valid;
  std::vector<std::int64_t> signedTime;  // the iat of a credential whose signature verified, else 0
};

// Verifies and renders lines [0, count) of `lines`, numbered from `firstNumber`,
// on up to `jobs` threads; each thread takes the next unclaimed line, and
// every verdict lands in its line's slot, so the order is the input's.
void verifyChunk(const verifier::Verifier& v, const BatchOptions& o, const std::vector<std::string>& lines,
                 std::size_t count, std::size_t firstNumber, Verdicts& out) {
  out.json.resize(count);
  out.valid.resize(count);
  out.signedTime.resize(count);
  std::atomic<std::size_t> nextLine{0};
  auto verifyLines = [&] {
    for (std::size_t i; (i = nextLine.fetch_add(1, std::memory_order_relaxed)) < count;) {
      const auto outcome = v.verify(lines[i], o.now, o.verify);
      out.valid[i] = outcome.valid() ? 1 : 0;
      out.signedTime[i] = outcome.credential ? static_cast<std::int64_t>(outcome.credential->iat) : 0;
      char number[24];
      const auto numberEnd = std::to_chars(number, number + sizeof number, firstNumber + i).ptr;
      // Rendered into the slot's string, which keeps its capacity from chunk to chunk.
      out.json[i].clear();
      v.appendJson(out.json[i], outcome, std::string_view(number, numberEnd), o.lang);
    }
  };
  const std::size_t threads = std::min<std::size_t>(o.jobs, count);
  if (threads <= 1) return verifyLines();
  // An exception (std::bad_alloc) must not end a helper thread, which would
  // terminate the process: the first one is carried to the caller instead.
  std::mutex failureLock;
  std::exception_ptr failure;
  auto work = [&] {
    try {
      verifyLines();
    } catch (...) {
      nextLine.store(count);  // the others stop at their next line
      const std::lock_guard lock(failureLock);
      if (!failure) failure = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> helpers;
    helpers.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
  }  // joined here
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

unsigned resolveJobs(unsigned requested) {
  if (requested != 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

BatchSummary runBatch(const verifier::Verifier& v, const BatchOptions& options, int inFd, int outFd) {
  LineReader reader(inFd, verifier::kMaxInputLength);
  BlockWriter writer(outFd);
  BatchSummary summary;
  std::vector<std::string> lines(kMaxChunkLines);
  Verdicts verdicts;
  std::size_t number = 1;
  for (;;) {
    // Take what is already buffered (at least one line, reading if needed).
    std::size_t count = 0;
    while (count < kMaxChunkLines && (count == 0 || reader.lineBuffered()) && reader.next(lines[count])) ++count;
    if (count == 0) break;
    verifyChunk(v, options, lines, count, number, verdicts);
    for (std::size_t i = 0; i < count; ++i) {
      if (!verdicts.valid[i]) summary.anyInvalid = true;
      summary.latestSignedTime = std::max(summary.latestSignedTime, verdicts.signedTime[i]);
      writer.append(verdicts.json[i]);
    }
    number += count;
    if (!reader.lineBuffered()) writer.flush();  // the next read may wait: answer first
  }
  writer.flush();
  summary.writeFailed = writer.failed();
  return summary;
}

}  // namespace titlecert::cli
