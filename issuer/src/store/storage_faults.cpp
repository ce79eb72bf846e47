#include "storage_faults.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include <atomic>
#include <mutex>

namespace titlecert::issuer::store {
namespace {

bool mentions(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// libpq's and Poco's words for a connection that is gone or never came.
bool connectionLost(const std::string& text) {
  return mentions(text, "server closed the connection") || mentions(text, "no connection to the server") ||
         mentions(text, "Not connected") || mentions(text, "could not connect") ||
         mentions(text, "Connection refused") || mentions(text, "terminating connection") ||
         mentions(text, "connection to server") || mentions(text, "the database system is") ||
         mentions(text, "unreachable");
}

const char* faultName(StorageFault f) {
  switch (f) {
    case StorageFault::DiskFull: return "the disk is full";
    case StorageFault::IoError: return "the disk failed a write";
    case StorageFault::ReadOnly: return "the database is read-only";
    case StorageFault::Unreachable: return "the database server is unreachable";
    case StorageFault::Locked: return "another process holds the database's write lock";
    case StorageFault::None: break;
  }
  return "no fault";
}

std::mutex faultMutex;
StorageFault current = StorageFault::None;
std::atomic<bool> anyFault{false};

}  // namespace

StorageFault storageFaultOf(const std::exception& e) {
  using namespace Poco::Data;
  if (dynamic_cast<const SQLite::DatabaseFullException*>(&e)) return StorageFault::DiskFull;
  if (dynamic_cast<const SQLite::ReadOnlyException*>(&e) || dynamic_cast<const SQLite::CantOpenDBFileException*>(&e))
    return StorageFault::ReadOnly;
  if (dynamic_cast<const SQLite::DBLockedException*>(&e) || dynamic_cast<const SQLite::TableLockedException*>(&e))
    return StorageFault::Locked;
  if (dynamic_cast<const SQLite::IOErrorException*>(&e)) return StorageFault::IoError;
  if (dynamic_cast<const NotConnectedException*>(&e) || dynamic_cast<const ConnectionFailedException*>(&e))
    return StorageFault::Unreachable;
  std::string text = e.what();
  if (const auto* pe = dynamic_cast<const Poco::Exception*>(&e)) text = pe->displayText();
  if (mentions(text, "database or disk is full") || mentions(text, "No space left")) return StorageFault::DiskFull;
  if (mentions(text, "readonly database") || mentions(text, "Read-only file system")) return StorageFault::ReadOnly;
  if (connectionLost(text)) return StorageFault::Unreachable;
  return StorageFault::None;
}

Problem storageProblem(StorageFault fault) {
  return Problem{ProblemKind::Unavailable, kStorageUnavailable,
                 std::string("the certificate store cannot take writes now (") + faultName(fault) + "); retry later",
                 "", {}};
}

void noteStorageFault(StorageFault fault, const std::string& what, const std::string& detail) {
  std::lock_guard<std::mutex> lock(faultMutex);
  if (fault == current) return;
  current = fault;
  anyFault = true;
  Poco::Logger::get("titlecert.issuer")
      .error(std::string("storage fault: ") + faultName(fault) + " (in " + what + ": " + detail +
             "); answering 503 until a write succeeds");
}

void noteWritesWork() {
  if (!anyFault.load(std::memory_order_relaxed)) return;
  std::lock_guard<std::mutex> lock(faultMutex);
  if (current == StorageFault::None) return;
  Poco::Logger::get("titlecert.issuer").notice(std::string("storage fault over: writes work again (was: ") + faultName(current) + ")");
  current = StorageFault::None;
  anyFault = false;
}

bool storageFaultNoted() { return anyFault.load(std::memory_order_relaxed); }

}  // namespace titlecert::issuer::store
