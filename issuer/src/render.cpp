// QR images (rendered on request, cached by payload) and the printable
// certificate page (card.svg): the certificate's Chinese text beside its QR.
#include "parts.h"
#include "store/records.h"
#include "titlecert/dates.h"
#include "titlecert/qr.h"

namespace titlecert::issuer {
namespace {

using nlohmann::json;

struct Printable {
  std::string payload;
  json fields;
  std::string certNo;
  std::int64_t issuedAt = 0;
  bool revoked = false;
};

Expected<Printable> loadPrintable(store::Store& storage, std::string_view certNo) {
  return storage.read<Printable>("certificate", [&](store::Tx& tx) -> Expected<Printable> {
    const std::string no(certNo);
    std::optional<store::CertificateRecord> c = store::findCertificate(tx, no);
    if (!c) return notFound("no certificate " + no);
    return Printable{c->payload, json::parse(c->fields, nullptr, false), no, c->issuedAt, c->revokedAt.has_value()};
  });
}

Expected<qr::Matrix> matrixFor(const std::string& payload) {
  auto m = qr::encode(payload, qr::EcLevel::M, 40);
  if (!m) return fromError(m.error());
  return std::move(m).value();
}

std::string xmlEscape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string str(const json& j, const char* a, const char* b = nullptr) {
  const json* v = &j;
  if (!v->contains(a)) return {};
  v = &(*v)[a];
  if (b) {
    if (!v->is_object() || !v->contains(b)) return {};
    v = &(*v)[b];
  }
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return v->dump();
  return {};
}

// The lines printed on the certificate: label and value, in Chinese.
std::vector<std::pair<std::string, std::string>> cardLines(const Printable& p, const Config& config) {
  const json& f = p.fields;
  std::vector<std::pair<std::string, std::string>> lines;
  lines.emplace_back("姓名", str(f, "holder", "name"));
  lines.emplace_back("证件号码", str(f, "holder", "id"));
  if (f.value("type", "") == "title") {
    lines.emplace_back("职称系列", str(f, "series", "zh"));
    lines.emplace_back("专业", str(f, "specialty", "zh"));
    lines.emplace_back("职称名称", str(f, "title_name", "zh"));
    lines.emplace_back("取得途径", str(f, "route", "zh"));
    lines.emplace_back("授予日期", str(f, "granted"));
    if (f.contains("approval_no")) lines.emplace_back("批准文号", str(f, "approval_no"));
    if (f.contains("committee")) lines.emplace_back("评审委员会", str(f, "committee", "zh"));
    if (f.contains("employer")) lines.emplace_back("工作单位", str(f, "employer"));
  } else {
    lines.emplace_back("资格名称", str(f, "qualification", "zh"));
    lines.emplace_back("等级", str(f, "level", "zh"));
    lines.emplace_back("取得日期", str(f, "obtained"));
    if (f.contains("qualification_no")) lines.emplace_back("资格证书编号", str(f, "qualification_no"));
  }
  if (f.contains("expires")) lines.emplace_back("有效期至", str(f, "expires"));
  lines.emplace_back("证书编号", p.certNo);
  lines.emplace_back("发证机关", config.nameZh);
  lines.emplace_back("发证日期", dates::formatDate(p.issuedAt / 86400));
  return lines;
}

}  // namespace

Expected<Bytes> Service::qrPng(std::string_view certNo) {
  Parts& parts = *parts_;
  TC_ASSIGN(auto p, loadPrintable(*parts.storage, certNo));
  const std::string key = "png:" + p.payload;
  if (auto hit = parts.qrCache.find(key)) return Bytes(hit->begin(), hit->end());
  TC_ASSIGN(auto m, matrixFor(p.payload));
  Bytes png = qr::toPng(m, parts.config.qrModulePixels, 4);
  if (png.empty()) return internalError("the QR image could not be rendered");
  parts.qrCache.put(key, std::make_shared<const std::string>(png.begin(), png.end()));
  return png;
}

Expected<std::string> Service::qrSvg(std::string_view certNo) {
  Parts& parts = *parts_;
  TC_ASSIGN(auto p, loadPrintable(*parts.storage, certNo));
  const std::string key = "svg:" + p.payload;
  if (auto hit = parts.qrCache.find(key)) return *hit;
  TC_ASSIGN(auto m, matrixFor(p.payload));
  std::string svg = qr::toSvg(m, 4);
  if (svg.empty()) return internalError("the QR image could not be rendered");
  parts.qrCache.put(key, std::make_shared<const std::string>(svg));
  return svg;
}

Expected<std::string> Service::cardSvg(std::string_view certNo) {
  Parts& parts = *parts_;
  TC_ASSIGN(auto p, loadPrintable(*parts.storage, certNo));
  TC_ASSIGN(auto m, matrixFor(p.payload));
  std::string qrSvg = qr::toSvg(m, 4);
  const bool title = p.fields.value("type", "") == "title";
  std::string heading = title ? "专业技术职务任职资格证书" : "职业资格证书";
  if (!title && p.fields.contains("qualification") && p.fields["qualification"].value("kind", "") == "skill")
    heading = "职业技能等级证书";
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"148mm\" viewBox=\"0 0 840 592\" "
      "font-family=\"'Noto Serif CJK SC','Source Han Serif SC','SimSun','Noto Sans CJK SC','Droid Sans Fallback',serif\">\n"
      "<rect width=\"840\" height=\"592\" fill=\"#fffdf5\"/>\n"
      "<rect x=\"16\" y=\"16\" width=\"808\" height=\"560\" fill=\"none\" stroke=\"#a0282d\" stroke-width=\"4\"/>\n"
      "<text x=\"420\" y=\"80\" text-anchor=\"middle\" font-size=\"34\" fill=\"#a0282d\">" +
      xmlEscape(heading) + "</text>\n";
  if (p.revoked)
    out += "<text x=\"420\" y=\"118\" text-anchor=\"middle\" font-size=\"22\" fill=\"#c00\">（已撤销 REVOKED）</text>\n";
  int y = 150;
  for (const auto& [label, value] : cardLines(p, parts.config)) {
    out += "<text x=\"60\" y=\"" + std::to_string(y) + "\" font-size=\"20\"><tspan fill=\"#555\">" + xmlEscape(label) +
           "：</tspan><tspan>" + xmlEscape(value) + "</tspan></text>\n";
    y += 32;
  }
  // The QR (the same drawing as /qr.svg) as a nested <svg> at the bottom
  // right, scaled into 200 x 200 units.
  qrSvg.replace(0, 5, "<svg x=\"600\" y=\"340\" width=\"200\" height=\"200\" ");
  out += qrSvg;
  out += "<text x=\"700\" y=\"560\" text-anchor=\"middle\" font-size=\"12\" fill=\"#555\">扫码核验 Scan to verify</text>\n";
  out += "</svg>\n";
  return out;
}

}  // namespace titlecert::issuer
