// Whole-file reads with a size cap, and crash-safe writes.
#pragma once

#include <string>

#include "titlecert/bytes.h"
#include "titlecert/result.h"

namespace titlecert::files {

inline constexpr std::size_t kDefaultMaxBytes = 64 << 20;

// IO_ERROR when the file cannot be read or is larger than maxBytes.
Result<std::string> read(const std::string& path, std::size_t maxBytes = kDefaultMaxBytes);

// The steps of writeAtomically, in order.
enum class WriteStep { CreateTemp, WriteTemp, SyncTemp, Rename, SyncFolder, Done };

// Writes to PATH.tmp, fsyncs it, renames it over path and fsyncs the folder:
// after a crash the file holds the old or the new content, never half.
// mode is the new file's permission bits (0600 for secrets).
//
// stopBefore stops the write just before that step, as a crash there would,
// and reports IO_ERROR (at WriteTemp half the bytes are written first: a
// torn write); Done writes it all. Only crash tests pass anything else.
Status writeAtomically(const std::string& path, ByteView data, unsigned mode = 0644,
                       WriteStep stopBefore = WriteStep::Done);

}  // namespace titlecert::files
