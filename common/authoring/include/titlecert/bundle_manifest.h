// MANIFEST.json (CONTRACT.md): what `titlecert-config bundle build` and the
// issuer sign into a trust bundle, as authored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "titlecert/bundle.h"
#include "titlecert/result.h"

namespace titlecert::bundle {

// Reads a manifest; relative paths are taken from baseDir. `"catalogue":
// "default"` loads catalogue::loadDefault(). BAD_MANIFEST with a detail
// naming the field. The revoked entries' cert_no, which the bundle does not
// carry, go to *notes when given.
Result<Contents> fromManifest(std::string_view manifestJson, const std::string& baseDir,
                              std::vector<RevocationNote>* notes = nullptr);

// An issuer entry's scope in the manifest's form ({"types", "series",
// "specialties", "qualifications", "max_level"}), read with the manifest's
// reader; errors name "path.field" and carry `code`.
Result<Scope> scopeFromJson(std::string_view scopeJson, const std::string& path, Code code);
// The manifest's form of a scope, every field written ("*" for every code).
std::string scopeToJson(const Scope& s);

}  // namespace titlecert::bundle
