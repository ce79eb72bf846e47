// The scan module's entry: the table of the scanning functions that
// scan.cpp and image_load.cpp implement, for scan_loader.cpp to call.
#include "scan_module.h"
#include "titlecert/version.h"

namespace {

using namespace titlecert::scan;

constexpr module::Table kTable{
    module::kAbiVersion, sizeof(module::Table), TITLECERT_VERSION_STRING,
    &loadImage,          &loadImageFile,        &scanQrCodes,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const module::Table* titlecert_scan_module_table() {
  return &kTable;
}
