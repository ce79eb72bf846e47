// How a manifest names its files: relative to the manifest's folder.
#pragma once

#include <string>

namespace titlecert::manifest {

// path as it is when absolute (or when there is no folder), else under baseDir.
inline std::string resolve(const std::string& baseDir, const std::string& path) {
  if (path.empty() || path[0] == '/' || baseDir.empty()) return path;
  return baseDir + "/" + path;
}

}  // namespace titlecert::manifest
