// libFuzzer target: PNG/JPEG loading and QR scanning of untrusted images
// (verifier/src/image_load.cpp, scan.cpp).
#include <cstdint>

#include "titlecert/scan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto image = titlecert::scan::loadImage(titlecert::ByteView(data, size));
  if (image && static_cast<long long>(image->width) * image->height <= 256 * 256)
    (void)titlecert::scan::readQrTexts(titlecert::scan::viewOf(*image));
  return 0;
}
