// Time is passed in: the service asks a Clock, and only main() hands it the
// real one. Tests use ManualClock, so nothing depends on today's date.
#pragma once

#include <atomic>
#include <cstdint>

namespace titlecert::issuer {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since 1970-01-01T00:00:00Z.
  virtual std::int64_t now() const = 0;
};

// The system clock (main() only).
class SystemClock final : public Clock {
 public:
  std::int64_t now() const override;
};

// A clock tests set and advance; safe to read from several threads.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start) : now_(start) {}
  std::int64_t now() const override { return now_.load(); }
  void set(std::int64_t t) { now_.store(t); }
  void advance(std::int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace titlecert::issuer
