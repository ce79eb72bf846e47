// TERMINAL.json -> a terminal configuration, read with the field reader
// (titlecert/field_reader.h): every field read, the first error named
// ("TERMINAL.json: roots[1]: ..."), checked once.
#include "titlecert/terminal_manifest.h"

#include <cstdint>
#include <nlohmann/json.hpp>

#include "titlecert/field_reader.h"
#include "titlecert/files.h"
#include "titlecert/json_node.h"
#include "manifest_paths.h"

namespace titlecert::terminal {
namespace {

using Node = json::Node;
using Reader = fields::FieldReader<Node>;

constexpr std::string_view kFile = "TERMINAL.json: ";

const fields::Wording kTerminalWording{.root = "(top)",
                                       .notMap = "not a JSON object",
                                       .notArray = "a non-empty list of PEM files is required",
                                       .notUint = "a whole number 0 or more is required",
                                       .notText = "text is required"};

const fields::TextRule kAnyText{SIZE_MAX, /*allowEmpty=*/true, /*requireUtf8=*/false, std::nullopt};

using manifest::resolve;

void readRoot(fields::FieldErrors& errors, const Node& item, const std::string& path, const std::string& baseDir,
              std::optional<crypto::PublicKey>& out) {
  if (!item.isText()) return errors.fail(path, "a file name is required");
  auto pem = files::read(resolve(baseDir, item.asText()));
  if (!pem) return errors.fail(path, pem.error().detail);
  auto key = crypto::PublicKey::fromPem(*pem);
  if (!key) return errors.fail(path, key.error().detail);
  out = std::move(key).value();
}

void readRoots(Reader& r, const std::string& baseDir, std::vector<crypto::PublicKey>& out) {
  auto list = r.array("roots", SIZE_MAX);
  if (list && list->size() == 0) r.fail("roots", "a non-empty list of PEM files is required");
  std::vector<std::optional<crypto::PublicKey>> roots;
  r.items("roots", list, roots, [&](const Node& item, const std::string& path, std::optional<crypto::PublicKey>& key) {
    readRoot(r.errors(), item, path, baseDir, key);
  });
  for (auto& key : roots) out.push_back(std::move(*key));
}

}  // namespace

Result<Config> fromManifest(std::string_view manifestJson, const std::string& baseDir) {
  const nlohmann::json m = nlohmann::json::parse(manifestJson, nullptr, /*allow_exceptions=*/false);
  fields::FieldErrors errors(Code::BAD_MANIFEST, kTerminalWording);
  Reader r(errors, Node(m), "");
  r.onlyKeys({"version", "roots", "max_bundle_age_days", "lang", "bundle_dir"});
  Config c;
  r.uint("version", c.version);
  readRoots(r, baseDir, c.roots);
  r.uint("max_bundle_age_days", c.maxBundleAgeDays);
  r.text("lang", c.lang, kAnyText);
  r.text("bundle_dir", c.bundleDir, kAnyText);
  if (r.ok())
    if (auto s = validate(c); !s) errors.fail("(values)", s.error().detail);
  if (!errors.ok()) return makeError(Code::BAD_MANIFEST, std::string(kFile) + errors.status().error().detail);
  return c;
}

}  // namespace titlecert::terminal
