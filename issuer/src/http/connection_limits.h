// Counters at accept: open connections in total and per client address,
// and those being turned away. A connection over a cap is not refused
// silently: it becomes a shedding connection that gets a 503 and a
// graceful close, within its own (smaller) allowance.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace titlecert::issuer::http {

class ConnectionLimits {
 public:
  // `shedding`: connections being answered 503 at once; past it the
  // listener stops accepting for a moment (the kernel's backlog waits).
  ConnectionLimits(int total, int perClient, int shedding);

  enum class Kind { Serve, Shed };

  // Held by a connection for its whole life; releases its count.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot();
    Kind kind() const { return kind_; }

   private:
    friend class ConnectionLimits;
    Slot(ConnectionLimits* owner, std::string peer, Kind kind) : owner_(owner), peer_(std::move(peer)), kind_(kind) {}
    ConnectionLimits* owner_ = nullptr;
    std::string peer_;
    Kind kind_ = Kind::Serve;
  };

  // Serve when under both caps, else Shed.
  Slot enter(const std::string& peer);
  // True when the shedding allowance is used up (whichever cap sent them).
  bool sheddingFull() const;

 private:
  void leave(const std::string& peer, Kind kind);

  const int total_, perClient_, shedding_;
  mutable std::mutex mutex_;
  int serving_ = 0, shed_ = 0;
  std::unordered_map<std::string, int> perPeer_;
};

}  // namespace titlecert::issuer::http
