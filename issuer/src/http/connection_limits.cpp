#include "http/connection_limits.h"

namespace titlecert::issuer::http {

ConnectionLimits::ConnectionLimits(int total, int perClient, int shedding)
    : total_(total), perClient_(perClient), shedding_(shedding) {}

ConnectionLimits::Slot::Slot(Slot&& other) noexcept
    : owner_(other.owner_), peer_(std::move(other.peer_)), kind_(other.kind_) {
  other.owner_ = nullptr;
}

ConnectionLimits::Slot::~Slot() {
  if (owner_) owner_->leave(peer_, kind_);
}

ConnectionLimits::Slot ConnectionLimits::enter(const std::string& peer) {
  std::lock_guard lock(mutex_);
  int& mine = perPeer_[peer];
  if (serving_ < total_ && mine < perClient_) {
    ++serving_;
    ++mine;
    return Slot(this, peer, Kind::Serve);
  }
  if (mine == 0) perPeer_.erase(peer);
  ++shed_;
  return Slot(this, peer, Kind::Shed);
}

bool ConnectionLimits::sheddingFull() const {
  std::lock_guard lock(mutex_);
  return shed_ >= shedding_;
}

void ConnectionLimits::leave(const std::string& peer, Kind kind) {
  std::lock_guard lock(mutex_);
  if (kind == Kind::Shed) {
    --shed_;
    return;
  }
  --serving_;
  auto it = perPeer_.find(peer);
  if (it != perPeer_.end() && --it->second <= 0) perPeer_.erase(it);
}

}  // namespace titlecert::issuer::http
