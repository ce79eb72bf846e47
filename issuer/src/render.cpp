// QR images (rendered on request, cached by payload) and the printable
// certificate (card.pdf, card.svg): the stored fields drawn by titlecert_card.
#include "integrity.h"
#include "parts.h"
#include "store/records.h"
#include "titlecert/card.h"
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

Expected<Printable> loadPrintable(store::Store& storage, const std::string& iss, std::string_view certNo) {
  return storage.read<Printable>("certificate", [&](store::Tx& tx) -> Expected<Printable> {
    const std::string no(certNo);
    std::optional<store::CertificateRecord> c = store::findCertificate(tx, no);
    if (!c) return notFound("no certificate " + no);
    TC_TRY(checkStoredPayload(tx, iss, *c));
    return Printable{c->payload, json::parse(c->fields, nullptr, false), no, c->issuedAt, c->revokedAt.has_value()};
  });
}

Expected<qr::Matrix> matrixFor(const std::string& payload) {
  auto m = qr::encode(payload, qr::EcLevel::M, 40);
  if (!m) return fromError(m.error());
  return std::move(m).value();
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

card::Kind kindOf(const json& f) {
  if (f.value("type", "") == "title") return card::Kind::Title;
  const json& q = f.contains("qualification") ? f["qualification"] : json();
  if (q.is_object() && q.value("kind", "") == "skill") return card::Kind::Skill;
  return card::Kind::Qualification;
}

// The stored certificate's display fields as the card prints them: the
// Chinese names of coded values, the ID number as stored (masked).
card::Fields cardFields(const Printable& p, const Config& config) {
  const json& f = p.fields;
  card::Fields out;
  out.kind = kindOf(f);
  out.holderName = str(f, "holder", "name");
  out.maskedId = str(f, "holder", "id");
  if (out.kind == card::Kind::Title) {
    out.series = str(f, "series", "zh");
    out.specialty = str(f, "specialty", "zh");
    out.titleName = str(f, "title_name", "zh");
    out.route = str(f, "route", "zh");
    out.grantDate = str(f, "granted");
    out.approvalNo = str(f, "approval_no");
    out.committee = str(f, "committee", "zh");
    out.employer = str(f, "employer");
  } else {
    out.qualificationName = str(f, "qualification", "zh");
    out.level = str(f, "level", "zh");
    out.obtainedDate = str(f, "obtained");
    out.qualificationNo = str(f, "qualification_no");
  }
  out.expires = str(f, "expires");
  out.issuerName = config.nameZh;
  out.issueDate = dates::formatDate(p.issuedAt / 86400);
  out.certNo = p.certNo;
  out.revoked = p.revoked;
  return out;
}

card::Paper paperOf(CardPaper paper) { return paper == CardPaper::A4 ? card::Paper::A4 : card::Paper::A5; }

}  // namespace

Expected<Bytes> Service::qrPng(std::string_view certNo) {
  Parts& parts = *parts_;
  TC_ASSIGN(auto p, loadPrintable(*parts.storage, parts.config.iss, certNo));
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
  TC_ASSIGN(auto p, loadPrintable(*parts.storage, parts.config.iss, certNo));
  const std::string key = "svg:" + p.payload;
  if (auto hit = parts.qrCache.find(key)) return *hit;
  TC_ASSIGN(auto m, matrixFor(p.payload));
  std::string svg = qr::toSvg(m, 4);
  if (svg.empty()) return internalError("the QR image could not be rendered");
  parts.qrCache.put(key, std::make_shared<const std::string>(svg));
  return svg;
}

Expected<std::string> Service::cardSvg(std::string_view certNo, CardPaper paper) {
  TC_ASSIGN(auto p, loadPrintable(*parts_->storage, parts_->config.iss, certNo));
  TC_ASSIGN(auto m, matrixFor(p.payload));
  ISS_ASSIGN_TC(std::string svg, card::renderSvg(cardFields(p, parts_->config), m, paperOf(paper)));
  return svg;
}

Expected<std::string> Service::cardPdf(std::string_view certNo, CardPaper paper) {
  TC_ASSIGN(auto p, loadPrintable(*parts_->storage, parts_->config.iss, certNo));
  TC_ASSIGN(auto m, matrixFor(p.payload));
  ISS_ASSIGN_TC(std::string pdf, card::renderPdf(cardFields(p, parts_->config), m, paperOf(paper)));
  return pdf;
}

}  // namespace titlecert::issuer
