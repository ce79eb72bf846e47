// TERMINAL.json (CONTRACT.md, "Terminals"): what `titlecert-config terminal
// build` signs into a terminal configuration, as authored.
#pragma once

#include <string>
#include <string_view>

#include "titlecert/result.h"
#include "titlecert/terminal_config.h"

namespace titlecert::terminal {

// {"version", "roots": [PEM files], "max_bundle_age_days", "lang",
// "bundle_dir"}; root paths are taken from baseDir when relative, bundle_dir
// is kept as written (it names a folder on the terminal). Unknown fields are
// refused. BAD_MANIFEST with a detail naming the field.
Result<Config> fromManifest(std::string_view manifestJson, const std::string& baseDir);

}  // namespace titlecert::terminal
