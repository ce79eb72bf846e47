// Reading the shared public corpora (../shared/testdata) in tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "titlecert/bytes.h"

namespace titlecert::testing {

// A JSON file under TITLECERT_SHARED_DIR/testdata; a test failure (and an
// empty object) when it cannot be read.
inline nlohmann::json loadCorpus(const std::string& relativePath) {
  std::ifstream in(std::string(TITLECERT_SHARED_DIR) + "/testdata/" + relativePath);
  if (!in) {
    ADD_FAILURE() << "cannot open " << relativePath;
    return nlohmann::json::object();
  }
  return nlohmann::json::parse(in);
}

// A hex string of the corpus; a test failure (and no bytes) when malformed.
inline Bytes corpusHex(const nlohmann::json& value) {
  auto bytes = fromHex(value.get<std::string>());
  if (!bytes) {
    ADD_FAILURE() << "bad hex in test data: " << value;
    return {};
  }
  return *bytes;
}

}  // namespace titlecert::testing
