// An nlohmann JSON value seen as a node of titlecert/field_reader.h, for any
// reader of JSON input (the catalogue, manifests, request bodies).
//
// Header-only and the one header of authoring that includes nlohmann: the
// includer links the titlecert_json_node target (which brings nlohmann-json)
// — authoring's other headers stay free of it, and nothing a terminal links
// sees it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace titlecert::json {

// Json: nlohmann::json or nlohmann::ordered_json (keys then come in file order).
template <class Json>
class BasicNode {
 public:
  explicit BasicNode(const Json& j) : j_(&j) {}
  bool isMap() const { return j_->is_object(); }
  bool isArray() const { return j_->is_array(); }
  bool isNull() const { return j_->is_null(); }
  bool isUint() const { return j_->is_number_unsigned(); }
  std::uint64_t asUint() const { return j_->template get<std::uint64_t>(); }
  bool isText() const { return j_->is_string(); }
  const std::string& asText() const { return j_->template get_ref<const std::string&>(); }
  bool isBool() const { return j_->is_boolean(); }
  bool asBool() const { return j_->template get<bool>(); }
  std::size_t size() const { return j_->size(); }
  BasicNode item(std::size_t i) const { return BasicNode((*j_)[i]); }
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    if (!j_->is_object()) return out;
    for (const auto& [k, v] : j_->items()) out.push_back(k);
    return out;
  }
  std::optional<BasicNode> find(std::string_view key) const {
    if (!j_->is_object()) return std::nullopt;
    auto it = j_->find(std::string(key));
    if (it == j_->end()) return std::nullopt;
    return BasicNode(*it);
  }
  const Json& json() const { return *j_; }

 private:
  const Json* j_;
};

using Node = BasicNode<nlohmann::json>;
using OrderedNode = BasicNode<nlohmann::ordered_json>;

}  // namespace titlecert::json
