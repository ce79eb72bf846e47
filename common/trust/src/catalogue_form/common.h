// The catalogue reader's limits, names and path helpers, shared by the CBOR
// reader (trust) and the JSON reader (authoring).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "titlecert/catalogue.h"
#include "titlecert/field_reader.h"
#include "titlecert/result.h"

namespace titlecert::catalogue::reading {

constexpr std::string_view kFormat = "titlecert-catalogue/1";

// Bounds on what is read: the JSON comes from files, the CBOR from bundles
// that were signed but are still parsed as untrusted input.
constexpr std::size_t kMaxInputBytes = std::size_t{8} << 20;
constexpr int kMaxJsonDepth = 32;
constexpr std::size_t kMaxText = 4096;          // bytes of one string
constexpr std::size_t kMaxRows = 4096;          // rows of one table
constexpr std::size_t kMaxSeries = 999;
constexpr std::size_t kMaxSpecialties = 99;     // per series: code = series * 100 + 1..99
constexpr std::size_t kMaxQualificationLevels = 64;
constexpr std::size_t kMaxSourceIds = 64;       // per row
constexpr std::size_t kMaxMapEntries = 256;     // keys of one CBOR row map
constexpr std::uint64_t kMaxYears = 100;
constexpr std::size_t kMaxConditions = 32;      // per rule
constexpr std::size_t kMaxTargetCodes = 256;    // per target list
constexpr std::uint64_t kMaxMeasure = 15;       // the zone's measures 1..15
constexpr std::uint64_t kMaxHours = 10000;      // continuing-education hours

// ZC1.md §3.1, normative; index = route code.
constexpr std::array<std::string_view, 11> kRouteIds = {
    "",
    "review",
    "exam",
    "initial_determination",
    "qualification_correspondence",
    "skill_bridging",
    "green_channel",
    "autonomous_review",
    "direct_intermediate",
    "hr_direct_senior",
    "cross_region_confirmation",
};

constexpr std::array<std::string_view, 3> kConfidences = {"confirmed", "inferred", "unconfirmed"};

template <std::size_t N>
bool oneOf(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// The root is "" in paths ("series[3].code"), "(catalogue)" on its own.
inline Error bad(const std::string& path, std::string_view what) {
  return makeError(Code::BAD_CATALOGUE, (path.empty() ? "(catalogue)" : path) + ": " + std::string(what));
}

using fields::indexed;
using fields::member;

// Equivalence ids: lowercase dotted segments of [a-z0-9_-] (docs/catalogue.md).
inline bool isRowId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  bool segmentEmpty = true;
  for (char ch : id) {
    if (ch == '.') {
      if (segmentEmpty) return false;
      segmentEmpty = true;
      continue;
    }
    const bool okChar = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    if (!okChar) return false;
    segmentEmpty = false;
  }
  return !segmentEmpty;
}

}  // namespace titlecert::catalogue::reading
