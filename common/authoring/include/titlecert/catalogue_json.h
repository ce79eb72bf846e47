// The catalogue's JSON form (docs/catalogue.md): the authored file
// data/catalogue/default.json and `titlecert-config catalogue show --json`.
// Authoring only: a verifier reads catalogues from bundles (CBOR).
#pragma once

#include <string>
#include <string_view>

#include "titlecert/catalogue.h"
#include "titlecert/result.h"

namespace titlecert::catalogue {

// Parses and validates the JSON form. BAD_CATALOGUE with a detail that names
// the field ("series[3].specialties[0].code: ...") when anything is missing,
// of the wrong type, duplicated, or refers to a code that does not exist.
Result<Catalogue> fromJson(std::string_view json);
Result<Catalogue> loadFile(const std::string& path);
// The path of the shipped default catalogue: $TITLECERT_DATA_DIR/catalogue/
// default.json when set, else the build's data dir, else the install prefix.
std::string defaultPath();
Result<Catalogue> loadDefault();

// The `titlecert-config catalogue show --json` form (CONTRACT.md).
std::string toJson(const Catalogue& c);

}  // namespace titlecert::catalogue
