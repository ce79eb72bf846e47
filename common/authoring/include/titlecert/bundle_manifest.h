// MANIFEST.json (CONTRACT.md): what `titlecert-config bundle build` and the
// issuer sign into a trust bundle, as authored.
#pragma once

#include <string>
#include <string_view>

#include "titlecert/bundle.h"
#include "titlecert/result.h"

namespace titlecert::bundle {

// Reads a manifest; relative paths are taken from baseDir. `"catalogue":
// "default"` loads catalogue::loadDefault(). BAD_MANIFEST with a detail
// naming the field.
Result<Contents> fromManifest(std::string_view manifestJson, const std::string& baseDir);

}  // namespace titlecert::bundle
