// The catalogue shipped in data/catalogue/default.json, loaded once per test
// process (a test failure, and an empty catalogue, when it does not load).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "titlecert/catalogue_json.h"

namespace titlecert::testing {

inline const std::string kShippedCatalogueFile = std::string(TITLECERT_SOURCE_DIR) + "/data/catalogue/default.json";

inline const catalogue::Catalogue& shippedCatalogue() {
  static const catalogue::Catalogue c = [] {
    auto r = catalogue::loadFile(kShippedCatalogueFile);
    if (!r) {
      ADD_FAILURE() << r.error().detail;
      return catalogue::Catalogue{};
    }
    return std::move(r).value();
  }();
  return c;
}

}  // namespace titlecert::testing
