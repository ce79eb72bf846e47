// GET /v1/ready: the checks a load balancer needs before it sends writes
// here. Each is cheap enough to run per probe.
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>

#include "parts.h"
#include "store/records.h"
#include "store/storage_faults.h"

namespace titlecert::issuer {
namespace {

// Below this much free space a batch day could fill the disk mid-write:
// 64 MiB, or 1 % of a file system smaller than 6.4 GiB.
unsigned long long minFreeBytes(const struct statvfs& fs) {
  const unsigned long long size = static_cast<unsigned long long>(fs.f_blocks) * fs.f_frsize;
  return std::min(64ull << 20, size / 100);
}

// A code no other answer uses: the probe's own way to roll back.
constexpr const char* kProbeRolledBack = "READY_PROBE_ROLLED_BACK";

Service::ReadyCheck databaseCheck(store::Store& storage) {
  // A real write (a settings row), rolled back: a read-only database, a
  // lost PostgreSQL writer or a held write lock all fail here.
  auto probe = storage.write<Done>([](store::Tx& tx) -> Expected<Done> {
    store::writeSetting(tx, "ready.probe", "");
    return Problem{ProblemKind::Internal, kProbeRolledBack, "", "", {}};
  });
  if (!probe.ok() && probe.error().code == kProbeRolledBack) {
    store::noteWritesWork();  // a noted storage fault is over
    return {"database", true, "ok"};
  }
  return {"database", false, "the database does not take writes: " + probe.error().message};
}

Service::ReadyCheck keysCheck(const KeyRing& keys) {
  if (keys.active()) return {"keys", true, "ok"};
  return {"keys", false, "no active signing key is loaded"};
}

Service::ReadyCheck diskCheck(const std::string& dataDir) {
  struct statvfs fs {};
  if (::statvfs(dataDir.c_str(), &fs) != 0) return {"disk", false, "the data folder cannot be examined"};
  if ((fs.f_flag & ST_RDONLY) != 0) return {"disk", false, "the data folder is on a read-only file system"};
  if (::access(dataDir.c_str(), W_OK) != 0) return {"disk", false, "the data folder is not writable"};
  const unsigned long long freeBytes = static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize;
  if (freeBytes < minFreeBytes(fs))
    return {"disk", false, "the data folder's file system has " + std::to_string(freeBytes >> 10) + " KiB free (at least " +
                               std::to_string(minFreeBytes(fs) >> 10) + " KiB needed)"};
  return {"disk", true, "ok"};
}

}  // namespace

std::vector<Service::ReadyCheck> Service::readiness() {
  Parts& parts = *parts_;
  return {databaseCheck(*parts.storage), keysCheck(parts.keys), diskCheck(parts.dataDir)};
}

}  // namespace titlecert::issuer
