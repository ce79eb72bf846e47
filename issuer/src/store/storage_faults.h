// Faults of the storage underneath the database (the disk full, the folder
// read-only, the PostgreSQL server gone, the write lock held elsewhere):
// told apart from other database errors, answered as 503 (the client
// should retry), and logged once when they begin and once when writes
// work again, not once per request or retry.
#pragma once

#include <exception>
#include <string>

#include "titlecert/issuer/problem.h"

namespace titlecert::issuer::store {

enum class StorageFault { None, DiskFull, IoError, ReadOnly, Unreachable, Locked };

// The fault an exception from the connector means (None: another error).
StorageFault storageFaultOf(const std::exception& e);

// What the client is told for a fault: 503 STORAGE_UNAVAILABLE.
inline constexpr const char* kStorageUnavailable = "STORAGE_UNAVAILABLE";
Problem storageProblem(StorageFault fault);

// The process-wide fault state, for the log: noted() logs a line when a
// fault begins (or changes), writesWork() one when a write commits after
// one. Both are cheap when nothing changes.
void noteStorageFault(StorageFault fault, const std::string& what, const std::string& detail);
void noteWritesWork();
// True while a fault is noted (callers skip their own log line then).
bool storageFaultNoted();

}  // namespace titlecert::issuer::store
