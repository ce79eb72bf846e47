// The catalogue's JSON form (docs/catalogue.md): parsed by nlohmann with
// duplicate keys and deep nesting rejected, then read by the generic reader
// of trust's catalogue_form/ over json::OrderedNode, and checked by the same
// validation as the CBOR form plus the sources table.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "catalogue_form/read.h"
#include "titlecert/bytes.h"
#include "titlecert/catalogue_json.h"
#include "titlecert/json_node.h"

namespace titlecert::catalogue {

namespace reading {

template <>
struct Form<json::OrderedNode> {
  using Node = json::OrderedNode;
  static constexpr bool kHasSources = true;

  // nlohmann rejected duplicate keys while parsing (JsonGuard).
  static void checkRowMap(fields::FieldErrors&, const Node&, const std::string&) {}

  // Keys "1".."5"; `present` says which levels were given.
  static void readTitles(fields::FieldErrors& errors, const Node& n, const std::string& path, TitleNames& out,
                         std::array<bool, 6>& present) {
    if (!n.isMap()) return errors.fail(path, "not an object");
    for (const auto& [key, value] : n.json().items()) {
      if (key.size() != 1 || key[0] < '1' || key[0] > '5')
        return errors.fail(path, "key \"" + key + "\" is not \"1\"..\"5\"");
      const auto level = static_cast<std::size_t>(key[0] - '0');
      readTitleAt(errors, Node(value), member(path, key), out.byLevel[level]);
      if (!errors.ok()) return;
      present[level] = true;
    }
  }

  static void readSources(fields::FieldErrors& errors, const Node& n, const std::string& path, std::vector<Source>& out) {
    if (!n.isMap()) return errors.fail(path, "not an object");
    if (n.size() > kMaxRows) return errors.fail(path, "more than " + std::to_string(kMaxRows) + " sources");
    for (const auto& [key, value] : n.json().items()) {
      const std::string p = member(path, key);
      if (key.empty() || key.size() > 64 || !isPrintableAscii(key)) return errors.fail(p, "not a source id");
      Row<Node> row = rowAt(errors, Node(value), p);
      Source s;
      s.id = key;
      row.text("title", s.title, kTextRule);
      if (auto urls = row.optional("urls")) {
        readTextItems(row, "urls", row.array("urls", 64), s.urls);
      } else if (auto url = row.optional("url")) {
        std::string u;
        if (fields::readText(errors, *url, row.at("url"), u, kTextRule)) s.urls.push_back(std::move(u));
      }
      if (!errors.ok()) return;
      if (!s.urls.empty()) s.url = s.urls.front();
      out.push_back(std::move(s));
    }
  }
};

}  // namespace reading

namespace {

using namespace reading;
using ojson = nlohmann::ordered_json;

struct JsonReject {
  std::string detail;
};

class JsonGuard {
 public:
  bool operator()(int depth, ojson::parse_event_t event, ojson& parsed) {
    switch (event) {
      case ojson::parse_event_t::object_start:
        if (depth >= kMaxJsonDepth) throw JsonReject{"nested deeper than " + std::to_string(kMaxJsonDepth)};
        keys_.emplace_back();
        break;
      case ojson::parse_event_t::array_start:
        if (depth >= kMaxJsonDepth) throw JsonReject{"nested deeper than " + std::to_string(kMaxJsonDepth)};
        break;
      case ojson::parse_event_t::object_end:
        if (!keys_.empty()) keys_.pop_back();
        break;
      case ojson::parse_event_t::key:
        if (!keys_.empty() && !keys_.back().insert(parsed.get<std::string>()).second)
          throw JsonReject{"duplicate key \"" + parsed.get<std::string>() + "\" in an object"};
        break;
      default:
        break;
    }
    return true;
  }

 private:
  std::vector<std::set<std::string>> keys_;
};

}  // namespace

Result<Catalogue> fromJson(std::string_view json) {
  if (json.size() > kMaxInputBytes) return bad("(catalogue)", "larger than 8 MiB");
  ojson doc;
  try {
    doc = ojson::parse(json.begin(), json.end(), JsonGuard());
  } catch (const JsonReject& r) {
    return bad("(catalogue)", r.detail);
  } catch (const nlohmann::json::exception& e) {
    return bad("(catalogue)", std::string("not valid JSON: ") + e.what());
  }
  return readCatalogue(titlecert::json::OrderedNode(doc));
}

Result<Catalogue> loadFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return makeError(Code::IO_ERROR, path + ": " + std::strerror(errno));
  std::string data;
  char buf[65536];
  bool tooBig = false;
  for (;;) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, f);
    data.append(buf, n);
    if (data.size() > kMaxInputBytes) {
      tooBig = true;
      break;
    }
    if (n < sizeof buf) break;
  }
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) return makeError(Code::IO_ERROR, path + ": " + std::strerror(err));
  if (tooBig) return makeError(Code::BAD_CATALOGUE, path + ": larger than 8 MiB");
  auto c = fromJson(data);
  if (!c) return makeError(c.error().code, path + ": " + c.error().detail);
  return c;
}

std::string defaultPath() {
  constexpr std::string_view kRelative = "/catalogue/default.json";
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("TITLECERT_DATA_DIR"); env && *env)
    candidates.push_back(std::string(env) + std::string(kRelative));
#ifdef TITLECERT_BUILD_DATA_DIR
  candidates.push_back(std::string(TITLECERT_BUILD_DATA_DIR) + std::string(kRelative));
#endif
#ifdef TITLECERT_INSTALL_DATA_DIR
  candidates.push_back(std::string(TITLECERT_INSTALL_DATA_DIR) + std::string(kRelative));
#endif
  if (candidates.empty()) return "data" + std::string(kRelative);
  for (const std::string& p : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  return candidates.front();  // none exists: loadFile names the first choice
}

Result<Catalogue> loadDefault() { return loadFile(defaultPath()); }


}  // namespace titlecert::catalogue
