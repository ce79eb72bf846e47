#include "titlecert/terminal_manifest.h"

#include <nlohmann/json.hpp>

#include "titlecert/files.h"

namespace titlecert::terminal {
namespace {

using json = nlohmann::json;

Error badManifest(const std::string& field, const std::string& why) {
  return makeError(Code::BAD_MANIFEST, "TERMINAL.json: " + field + ": " + why);
}

std::string resolve(const std::string& baseDir, const std::string& path) {
  if (path.empty() || path[0] == '/' || baseDir.empty()) return path;
  return baseDir + "/" + path;
}

Result<std::uint64_t> unsignedField(const json& m, const char* name) {
  const auto it = m.find(name);
  if (it == m.end() || !it->is_number_unsigned()) return badManifest(name, "a whole number 0 or more is required");
  return it->get<std::uint64_t>();
}

Result<std::string> textField(const json& m, const char* name) {
  const auto it = m.find(name);
  if (it == m.end() || !it->is_string()) return badManifest(name, "text is required");
  return it->get<std::string>();
}

Result<std::vector<crypto::PublicKey>> readRoots(const json& m, const std::string& baseDir) {
  const auto it = m.find("roots");
  if (it == m.end() || !it->is_array() || it->empty()) return badManifest("roots", "a non-empty list of PEM files is required");
  std::vector<crypto::PublicKey> roots;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const std::string where = "roots[" + std::to_string(i) + "]";
    if (!(*it)[i].is_string()) return badManifest(where, "a file name is required");
    auto pem = files::read(resolve(baseDir, (*it)[i].get<std::string>()));
    if (!pem) return badManifest(where, pem.error().detail);
    auto key = crypto::PublicKey::fromPem(*pem);
    if (!key) return badManifest(where, key.error().detail);
    roots.push_back(std::move(*key));
  }
  return roots;
}

}  // namespace

Result<Config> fromManifest(std::string_view manifestJson, const std::string& baseDir) {
  const json m = json::parse(manifestJson, nullptr, /*allow_exceptions=*/false);
  if (!m.is_object()) return badManifest("(top)", "not a JSON object");
  for (const auto& [key, value] : m.items()) {
    (void)value;
    if (key != "version" && key != "roots" && key != "max_bundle_age_days" && key != "lang" && key != "bundle_dir")
      return badManifest(key, "unknown field");
  }
  Config c;
  TC_ASSIGN(c.version, unsignedField(m, "version"));
  TC_ASSIGN(c.roots, readRoots(m, baseDir));
  TC_ASSIGN(c.maxBundleAgeDays, unsignedField(m, "max_bundle_age_days"));
  TC_ASSIGN(c.lang, textField(m, "lang"));
  TC_ASSIGN(c.bundleDir, textField(m, "bundle_dir"));
  if (auto s = validate(c); !s) return badManifest("(values)", s.error().detail);
  return c;
}

}  // namespace titlecert::terminal
