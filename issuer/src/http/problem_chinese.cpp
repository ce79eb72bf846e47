#include "problem_chinese.h"

#include <optional>
#include <regex>
#include <string_view>
#include <vector>

namespace titlecert::issuer::http {
namespace {

// An English message (matched whole) and its Chinese form, in which $1, $2
// stand for what the English one captured.
struct Translation {
  std::regex english;
  std::string chinese;
};

std::vector<Translation> compile(std::initializer_list<std::pair<const char*, const char*>> rows) {
  std::vector<Translation> out;
  out.reserve(rows.size());
  for (const auto& [en, zh] : rows) out.push_back({std::regex(en), zh});
  return out;
}

// Whole messages the issuer writes without a field prefix.
const std::vector<Translation>& sentences() {
  static const std::vector<Translation> table = compile({
      {R"re(the request body is larger than this endpoint accepts)re", "请求正文超出此接口允许的大小"},
      {R"re(the request URI is malformed)re", "请求地址格式有误"},
      {R"re(the request could not be handled)re", "服务器未能处理该请求"},
      {R"re(no such endpoint: (.*))re", "没有此接口：$1"},
      {R"re(no such endpoint)re", "没有此接口"},
      {R"re(no such page: (.*))re", "没有此页面：$1"},
      {R"re((\S+) is not allowed here)re", "此处不允许 $1 方法"},
      {R"re(the role (\S+) may not use this endpoint)re", "角色 $1 无权使用此接口"},
      {R"re(the role (\S+) may not do this)re", "角色 $1 无权执行此操作"},
      {R"re(a valid bearer token is required)re", "需要有效的访问令牌（Bearer）"},
      {R"re(no token (.*))re", "没有编号为 $1 的令牌"},
      {R"re(token (\S+) is already revoked)re", "令牌 $1 已被吊销"},
      {R"re(no certificate (.*))re", "没有证书 $1"},
      {R"re(certificate (.*) is already revoked)re", "证书 $1 已被吊销"},
      {R"re(cert_no (.*) is already used)re", "证书编号 $1 已被使用"},
      {R"re(at most (\d+) rows per batch)re", "每批最多 $1 行"},
      {R"re(no batch (.*))re", "没有批次 $1"},
      {R"re(the body is not valid JSON)re", "请求正文不是有效的 JSON"},
      {R"re(the body repeats a key in one object)re", "请求正文的同一个对象中有重复的键"},
      {R"re(the (?:body|request) is not a JSON object)re", "请求正文不是 JSON 对象"},
      {R"re(the CSV has no header line)re", "CSV 文件没有表头行"},
      {R"re(CSV column "(.*)" is not known.*)re", "CSV 列“$1”无法识别（列名见 docs/issuer.md）"},
      {R"re(unterminated quoted cell)re", "引号内的单元格缺少结束引号"},
      {R"re(the row has (\d+) cells, the header (\d+))re", "该行有 $1 个单元格，表头有 $2 个"},
      {R"re(the batch is not valid UTF-8)re", "批量文件不是有效的 UTF-8 文本"},
      {R"re(the batch is neither UTF-8 nor GB18030 text)re", "批量文件既不是 UTF-8 也不是 GB18030 文本"},
      {R"re(the workbook has no first sheet.*)re", "工作簿中没有第一个工作表"},
      {R"re(the XLSX workbook cannot be read.*)re", "无法读取该 XLSX 工作簿"},
      {R"re(no active signing key)re", "没有可用的签名密钥"},
      {R"re(the clock \(([^)]*)\) is before the signing key's valid_from \(([^)]*)\).*)re",
       "服务器时钟（$1）早于签名密钥的生效时间（$2）"},
      {R"re(issuance did not complete)re", "签发未能完成"},
      {R"re(not parsed)re", "该行未能读取"},
      {R"re(the holder binding could not be derived)re", "无法生成持证人绑定值"},
      {R"re(a batch row could not be sealed)re", "批量行无法加密保存"},
      {R"re(this Idempotency-Key was used with another request body)re", "此 Idempotency-Key 已用于另一个请求正文"},
      {R"re(the first request with this Idempotency-Key is still running)re", "使用此 Idempotency-Key 的第一个请求仍在处理中"},
      {R"re(no bundle yet: .*)re", "尚无信任包：根密钥离线，请加载离线签署的信任包（load-bundle）"},
      {R"re(the bundle does not verify against root.pub.pem.*)re", "信任包无法用 root.pub.pem 验证"},
      {R"re(the bundle's issued_at is before the current bundle's)re", "信任包的签发时间早于当前信任包"},
      {R"re(no signing key (\S+) of (\S+))re", "$2 没有签名密钥 $1"},
      {R"re(key (\S+) is already marked compromised)re", "密钥 $1 已标记为泄露"},
      {R"re(issuer (\S+) already has the key (\S+))re", "签发机构 $1 已有密钥 $2"},
      {R"re(the QR image could not be rendered)re", "无法生成二维码图片"},
      {R"re(the certificate store cannot take writes now.*)re", "证书库暂时无法写入，请稍后重试"},
      {R"re(storage error.*)re", "存储出错"},
      {R"re(certificate (\S+): the stored payload .*; it is not served.*)re",
       "证书 $1 的存储内容与审计记录不符，不予提供（请从备份恢复）"},
      {R"re(refusing to .*: (\d+) row\(s\) differ from the audit trail.*)re",
       "有 $1 行数据与审计记录不符，拒绝执行（运行 titlecert-issuer audit verify 查看全部）"},
      {R"re(the person is not eligible for this title by the route "(.*)" on (\S+) \(eligible from (\S+)\))re",
       "按取得途径“$1”，申报人于 $2 尚不符合该职称的申报条件（$3 起符合）"},
      {R"re(the person is not eligible for this title by the route "(.*)" on (\S+))re",
       "按取得途径“$1”，申报人于 $2 不符合该职称的申报条件"},
      {R"re(the payload \((\d+) characters\) needs a QR code larger than version (\d+) at level M \(at most (\d+)\); longest fields: (.*))re",
       "证书内容（$1 个字符）超出版本 $2、纠错等级 M 的二维码容量（最多 $3 个字符）；最长的字段：$4"},
  });
  return table;
}

// What follows "FIELD: " in a field's complaint.
const std::vector<Translation>& complaints() {
  static const std::vector<Translation> table = compile({
      {R"re(missing)re", "缺少此项"},
      {R"re(empty|must not be empty)re", "不能为空"},
      {R"re(not an object|expected an object)re", "应为 JSON 对象"},
      {R"re(not an array|not a list)re", "应为列表"},
      {R"re(not an unsigned integer|not a non-negative integer)re", "应为非负整数"},
      {R"re(not a string|not a text)re", "应为文本"},
      {R"re(not true or false)re", "应为 true 或 false"},
      {R"re(unknown field)re", "未知字段"},
      {R"re(not a field of .*)re", "不是此处的字段"},
      {R"re(longer than (\d+) bytes)re", "超过 $1 字节"},
      {R"re((\d+) bytes, at most (\d+))re", "$1 字节，最多 $2 字节"},
      {R"re(more than (\d+) \S+)re", "超过 $1 项"},
      {R"re(not valid UTF-8)re", "不是有效的 UTF-8 文本"},
      {R"re(control characters are not allowed)re", "不允许包含控制字符"},
      {R"re((?:expected|not) a YYYY-MM-DD date)re", "应为 YYYY-MM-DD 格式的日期"},
      {R"re(expected \{"name", "id"\})re", "应为 {\"name\", \"id\"}"},
      {R"re("title" or "qualification")re", "应为 \"title\" 或 \"qualification\""},
      {R"re(1\.\.32 characters of A-Z a-z 0-9 - _ \.)re", "1 至 32 个字符，只能是 A-Z a-z 0-9 - _ ."},
      {R"re((\d+) is not in the catalogue)re", "$1 不在目录中"},
      {R"re((\d+) is not a specialty of series (\d+) in the catalogue)re", "$1 不是目录中系列 $2 的专业"},
      {R"re(series (\d+) specialty (\d+) has no title at level (\d+))re", "系列 $1 专业 $2 没有 $3 级职称"},
      {R"re((\d+) is not a level of qualification (\d+))re", "$1 不是资格 $2 的等级"},
      {R"re("(.*)" is not a route of the catalogue)re", "“$1”不是目录中的取得途径"},
      {R"re(the route "(.*)" has rules: the person's profile is required)re",
       "取得途径“$1”有申报条件，需要填写申报人情况（person）"},
      {R"re(a non-empty text is required)re", "需要填写非空文本"},
      {R"re(only an admin may override the route check)re", "只有管理员可以越过取得途径检查"},
      {R"re(not a valid ID number.*)re", "不是有效的证件号码（格式 类型:号码；CN 号码须符合 GB 11643 校验位）"},
      {R"re(must be after not_before)re", "必须晚于 not_before"},
      {R"re(a text of at most (\d+) bytes)re", "最多 $1 字节的文本"},
      {R"re(UTF-8 text of 1\.\.(\d+) bytes)re", "1 至 $1 字节的 UTF-8 文本"},
      {R"re(the text to find, 1\.\.(\d+) bytes)re", "要查找的文本，1 至 $1 字节"},
      {R"re(a4 or a5)re", "应为 a4 或 a5"},
      {R"re(a sequence number; limit: 1\.\.(\d+))re", "应为序号；limit：1 至 $1"},
      {R"re("admin", "clerk" or "auditor")re", "应为 \"admin\"、\"clerk\" 或 \"auditor\""},
      {R"re(EdDSA, ES256 or SM2-SM3)re", "应为 EdDSA、ES256 或 SM2-SM3"},
      {R"re("(.*)" is not a condition a clerk attests)re", "“$1”不是经办人可以确认的条件"},
      {R"re(1\.\.255 visible ASCII characters)re", "1 至 255 个可见 ASCII 字符"},
      {R"re(printable ASCII)re", "应为可打印 ASCII 字符"},
      {R"re(digits)re", "应为数字"},
      {R"re(does not match the key)re", "与密钥不符"},
      {R"re(UTF-8 texts of at most (\d+) bytes)re", "最多 $1 字节的 UTF-8 文本"},
      {R"re(an RFC 3339 UTC time after valid_from)re", "应为晚于 valid_from 的 RFC 3339 UTC 时间"},
      {R"re(our own iss gets keys through /v1/keys/rotate)re", "本机构的密钥请通过 /v1/keys/rotate 轮换"},
  });
  return table;
}

// '"phd" is not zhongzhuan, dazhuan, ... or postdoc': the allowed values
// are codes, listed the Chinese way.
std::optional<std::string> notOneOf(const std::string& english) {
  static const std::regex pattern(R"re("(.*)" is not ([a-z_]+(?:, [a-z_]+)* or [a-z_]+))re");
  std::smatch m;
  if (!std::regex_match(english, m, pattern)) return std::nullopt;
  const std::string allowed = std::regex_replace(m[2].str(), std::regex(", | or "), "、");
  return "“" + m[1].str() + "”不是允许的取值（" + allowed + "）";
}

std::optional<std::string> translated(const std::vector<Translation>& table, const std::string& english) {
  std::smatch m;
  for (const Translation& t : table)
    if (std::regex_match(english, m, t.english)) return m.format(t.chinese);
  return std::nullopt;
}

// A field path as the readers write it: "holder.name", "person.titles[2].level", "(request)".
bool looksLikeFieldPath(std::string_view s) {
  if (s.empty() || s.size() > 60) return false;
  for (char c : s)
    if (c == ' ') return false;
  return true;
}

// What each code means when no sentence of the tables fits.
std::string generic(const Problem& p) {
  static const std::vector<std::pair<std::string_view, std::string_view>> byCode = {
      {"INVALID_ARGUMENT", "请求有误"},
      {"BAD_ID_NUMBER", "证件号码无效"},
      {"BAD_CLAIMS", "证书内容不符合规定"},
      {"PAYLOAD_TOO_LARGE", "证书内容过长，二维码容纳不下"},
      {"BAD_JSON", "请求正文不是有效的 JSON"},
      {"BAD_CSV", "CSV 文件有误"},
      {"BAD_XLSX", "无法读取该 XLSX 工作簿"},
      {"BAD_ENCODING", "文件编码无法识别"},
      {"BAD_BUNDLE", "信任包无效"},
      {"BUNDLE_ROLLBACK", "信任包版本低于当前版本"},
      {"ROUTE_NOT_ELIGIBLE", "申报人不符合该取得途径的申报条件"},
      {"UNAUTHORIZED", "需要有效的访问令牌"},
      {"FORBIDDEN", "当前角色无权执行此操作"},
      {"NOT_FOUND", "未找到所请求的内容"},
      {"CONFLICT", "当前状态不允许此操作"},
      {"METHOD_NOT_ALLOWED", "此处不允许该请求方法"},
      {"BODY_TOO_LARGE", "请求正文过大"},
      {"UNAVAILABLE", "服务暂不可用"},
      {"STORAGE_UNAVAILABLE", "证书库暂时无法写入，请稍后重试"},
      {"OVERLOADED", "服务器繁忙，请稍后重试"},
      {"NOT_IMPLEMENTED", "此功能尚未实现"},
  };
  std::string text = "服务器内部错误";
  for (const auto& [code, zh] : byCode)
    if (p.code == code) text = zh;
  if (!p.field.empty()) text += "（字段 " + p.field + "）";
  return text;
}

}  // namespace

std::string chineseMessage(const Problem& p) {
  if (!p.messageZh.empty()) return p.messageZh;
  if (auto whole = translated(sentences(), p.message)) return *whole;
  const std::size_t colon = p.message.find(": ");
  if (colon != std::string::npos && looksLikeFieldPath(std::string_view(p.message).substr(0, colon))) {
    const std::string path = p.message.substr(0, colon);
    const std::string complaint = p.message.substr(colon + 2);
    auto rest = notOneOf(complaint);
    if (!rest) rest = translated(complaints(), complaint);
    if (rest) return path + "：" + *rest;
    return path + "：取值不符合要求";
  }
  return generic(p);
}

}  // namespace titlecert::issuer::http
