#include "titlecert/result.h"

namespace titlecert {
namespace {

struct CodeInfo {
  Code code;
  std::string_view name;
  std::string_view zh;
  std::string_view en;
};

constexpr CodeInfo kCodes[] = {
#define TC_RESULT_CODE(name, number, zh, en) {Code::name, #name, zh, en},
#include "titlecert/result_codes.def"
#undef TC_RESULT_CODE
};

const CodeInfo* info(Code code) {
  for (const auto& c : kCodes)
    if (c.code == code) return &c;
  return nullptr;
}

}  // namespace

std::string_view codeName(Code code) {
  const auto* i = info(code);
  return i ? i->name : "UNKNOWN_CODE";
}
std::string_view codeZh(Code code) {
  const auto* i = info(code);
  return i ? i->zh : "未知错误";
}
std::string_view codeEn(Code code) {
  const auto* i = info(code);
  return i ? i->en : "unknown error";
}

Result<Code> codeFromName(std::string_view name) {
  for (const auto& c : kCodes)
    if (c.name == name) return c.code;
  return makeError(Code::INVALID_ARGUMENT, "\"" + std::string(name.substr(0, 40)) + "\" is not a result code name");
}

}  // namespace titlecert
