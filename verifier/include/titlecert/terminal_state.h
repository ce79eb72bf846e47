// What a terminal remembers between runs (CONTRACT.md, "Terminals"): the
// highest bundle and configuration versions it accepted, the roots it trusts
// now, and the clock floor — the latest signed time it has seen.
//
// The file is text, one "name value" per line, written atomically (temp
// file, fsync, rename, fsync of the folder): after a crash at any step it
// holds the old state or the new one, never a mix. A missing file is a fresh
// terminal; a file that does not parse, or a number that does not fit, is
// BAD_STATE, never read as 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/files.h"
#include "titlecert/result.h"

namespace titlecert::terminal {

struct State {
  std::uint64_t bundleVersion = 0;
  std::uint64_t configVersion = 0;
  std::int64_t clockFloor = 0;  // epoch seconds
  std::vector<Bytes> roots;     // SPKI DER of the roots trusted now; empty on a fresh terminal

  bool fresh() const { return configVersion == 0 && roots.empty(); }
  friend bool operator==(const State&, const State&) = default;
};

std::string format(const State& s);
Result<State> parse(std::string_view text);

// A fresh State when path does not exist; BAD_STATE when it does not parse,
// IO_ERROR when it exists but cannot be read.
Result<State> readState(const std::string& path);

// The steps of the atomic write (files::writeAtomically). writeState stops
// just before stopBefore (as a crash there would) and reports IO_ERROR; Done
// writes it all. At WriteTemp it writes half the bytes first: a torn write.
using WriteStep = files::WriteStep;
Status writeState(const std::string& path, const State& s, WriteStep stopBefore = WriteStep::Done);

}  // namespace titlecert::terminal
