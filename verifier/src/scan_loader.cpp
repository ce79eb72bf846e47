// The scan API for the CLI and libtitlecert_verify.so: the first image call
// opens the scan module (scan_module.h) and forwards to it, so that a
// process that verifies only texts never maps ZXing, libpng or libjpeg.
// When the module is missing or refused, available() is false and the image
// calls answer NOT_IMPLEMENTED, as a text-only build does.
#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>

#include "scan_module.h"
#include "titlecert/version.h"

namespace titlecert::scan {

namespace {

struct Loaded {
  const module::Table* table = nullptr;
  std::string whyNot;  // the reason when table is null
};

std::string dlerrorText() {
  const char* e = dlerror();
  return e != nullptr ? e : "unknown dynamic loader error";
}

// The folder of the object this code is linked into: the shared library's
// own path, or /proc/self/exe for the executable (whose link map has no
// name). Symlinks are resolved, so lib/libtitlecert_verify.so.1 and a
// linked bin/titlecert-verify both answer where the real file lies.
std::string loaderFolder() {
  Dl_info info{};
  link_map* map = nullptr;
  static const int anchor = 0;
  if (dladdr1(&anchor, &info, reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) == 0 || map == nullptr) return {};
  const char* path = map->l_name[0] != '\0' ? map->l_name : "/proc/self/exe";
  char real[PATH_MAX];
  if (realpath(path, real) == nullptr) return {};
  std::string folder(real);
  folder.erase(folder.rfind('/') + 1);
  return folder;
}

std::string refusal(const module::Table* t) {
  if (t == nullptr) return "it has no scan table";
  if (t->abiVersion != module::kAbiVersion || t->size != sizeof(module::Table)) return "its interface differs";
  if (std::strcmp(t->version, TITLECERT_VERSION_STRING) != 0)
    return std::string("it is version ") + t->version + ", not " + TITLECERT_VERSION_STRING;
  return {};
}

// Opens one candidate; the handle stays open for the life of the process
// (scanned results hold no pointers into it, but unloading ZXing while
// another thread scans would).
Loaded openModule(const std::string& path) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) return {nullptr, dlerrorText()};
  const auto entry = reinterpret_cast<module::EntryFunction>(dlsym(handle, module::kEntryName));
  const module::Table* table = entry != nullptr ? entry() : nullptr;
  if (auto why = refusal(table); !why.empty()) {
    dlclose(handle);
    return {nullptr, path + " was refused: " + why};
  }
  return {table, {}};
}

Loaded load() {
  const std::string folder = loaderFolder();
  if (folder.empty()) return {nullptr, "the verifier's own folder could not be found"};
  std::string tried;
  for (const char* place : module::kPlacesFromLoader) {
    const std::string path = folder + place + "/" + module::kFileName;
    if (access(path.c_str(), F_OK) != 0) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    return openModule(path);
  }
  return {nullptr, std::string("the image module ") + module::kFileName + " is not installed (looked for " + tried + ")"};
}

// Opened once, on first use, by whichever thread gets there first.
const Loaded& loaded() {
  static const Loaded once = load();
  return once;
}

Error noImageSupport() {
  return makeError(Code::NOT_IMPLEMENTED, "image inputs are unavailable: " + loaded().whyNot);
}

}  // namespace

bool available() noexcept { return loaded().table != nullptr; }

std::string unavailableReason() { return loaded().whyNot; }

Result<Image> loadImage(ByteView fileBytes) {
  if (!available()) return noImageSupport();
  return loaded().table->loadImage(fileBytes);
}

Result<Image> loadImageFile(const std::string& path) {
  if (!available()) return noImageSupport();
  return loaded().table->loadImageFile(path);
}

QrScan scanQrCodes(const ImageView& view, const ScanOptions& options) noexcept {
  if (!available()) return {};
  return loaded().table->scanQrCodes(view, options);
}

std::vector<std::string> readQrTexts(const ImageView& view, const ScanOptions& options) noexcept {
  return scanQrCodes(view, options).texts;
}

}  // namespace titlecert::scan
