// The text-only build (TITLECERT_SCAN=OFF): the scan API without ZXing,
// libpng or libjpeg, for terminals whose scan module already outputs text.
// Every image entry point answers NOT_IMPLEMENTED; the CLI and the C API
// check available() first so that an image is refused rather than
// reported as NO_CODE_FOUND.
#include "titlecert/scan.h"

namespace titlecert::scan {

namespace {

constexpr const char* kReason = "this verifier was built without image support (TITLECERT_SCAN=OFF)";

Error noImageSupport() { return makeError(Code::NOT_IMPLEMENTED, kReason); }

}  // namespace

bool available() noexcept { return false; }

std::string unavailableReason() { return kReason; }

Result<Image> loadImage(ByteView) { return noImageSupport(); }

Result<Image> loadImageFile(const std::string&) { return noImageSupport(); }

std::vector<std::string> readQrTexts(const ImageView&, const ScanOptions&) noexcept { return {}; }
QrScan scanQrCodes(const ImageView&, const ScanOptions&) noexcept { return {}; }

}  // namespace titlecert::scan
