// The seam between the scan loader (scan_loader.cpp, linked into the CLI
// and libtitlecert_verify.so) and the scan module (titlecert-scan.so, which
// alone links ZXing, libpng and libjpeg). A text-only process never opens
// the module, so it never maps those libraries.
//
// The table passes C++ types (std::string, std::vector, Result), so the
// module is only usable with the loader of the same build: the loader
// refuses a table whose ABI version, size or project version differ.
#pragma once

#include "titlecert/scan.h"

namespace titlecert::scan::module {

inline constexpr int kAbiVersion = 1;

// The module's only exported symbol, looked up with dlsym.
inline constexpr const char* kEntryName = "titlecert_scan_module_table";

// The file name, and where it lies relative to the object that loads it:
// beside it (the build tree keeps it in a titlecert/ folder beside the
// library and the CLI, as an installed lib/ does), or in ../lib/titlecert/
// from an installed bin/.
inline constexpr const char* kFileName = "titlecert-scan.so";
inline constexpr const char* kPlacesFromLoader[] = {"titlecert", "../lib/titlecert"};

struct Table {
  int abiVersion;
  std::size_t size;         // sizeof(Table) in the module's build
  const char* version;      // TITLECERT_VERSION_STRING of the module's build
  Result<Image> (*loadImage)(ByteView fileBytes);
  Result<Image> (*loadImageFile)(const std::string& path);
  QrScan (*scanQrCodes)(const ImageView& view, const ScanOptions& options) noexcept;
};

using EntryFunction = const Table* (*)();

}  // namespace titlecert::scan::module
