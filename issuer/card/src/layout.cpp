// The page's geometry. Landscape; every length scales with the page width
// (A4 is the reference), so A4 and A5 are the same design.
//
//   ┌──────────────────────── frame ────────────────────────┐
//   │                        title                          │
//   │                  (revoked banner)                     │
//   │  label  value (wraps inside its column)   ┌────────┐  │
//   │  label  value                             │   QR   │  │
//   │  ...                                      └────────┘  │
//   │                                              hint     │
//   │                                            ( seal )   │
//   │  certno                                               │
//   └───────────────────────────────────────────────────────┘
#include <algorithm>
#include <numeric>

#include "pango_text.h"
#include "titlecert/card.h"

namespace titlecert::card {
namespace {

constexpr double kA4Width = 841.89;
constexpr std::uint32_t kRed = 0xa0282d, kInk = 0x1a1a1a, kGrey = 0x555555, kAlarm = 0xcc0000;

struct Row {
  std::string label, value;
};

std::vector<Row> rowsOf(const Fields& f) {
  std::vector<Row> rows{{"姓名", f.holderName}, {"证件号码", f.maskedId}};
  auto optional = [&rows](const char* label, const std::string& value) {
    if (!value.empty()) rows.push_back({label, value});
  };
  if (f.kind == Kind::Title) {
    rows.push_back({"职称系列", f.series});
    rows.push_back({"专业", f.specialty});
    rows.push_back({"职称名称", f.titleName});
    rows.push_back({"取得途径", f.route});
    rows.push_back({"授予日期", f.grantDate});
    optional("批准文号", f.approvalNo);
    optional("评审委员会", f.committee);
    optional("工作单位", f.employer);
  } else {
    rows.push_back({"资格名称", f.qualificationName});
    rows.push_back({"等级", f.level});
    rows.push_back({"取得日期", f.obtainedDate});
    optional("资格证书编号", f.qualificationNo);
  }
  optional("有效期至", f.expires);
  rows.push_back({"发证机关", f.issuerName});
  rows.push_back({"发证日期", f.issueDate});
  return rows;
}

const char* headingOf(Kind kind) {
  switch (kind) {
    case Kind::Title: return "专业技术职务任职资格证书";
    case Kind::Qualification: return "职业资格证书";
    case Kind::Skill: return "职业技能等级证书";
  }
  return "";
}

TextBlock block(std::string role, std::string_view text, Face face, Align align, double size, std::uint32_t rgb) {
  TextBlock b;
  b.role = std::move(role);
  b.text = text::validUtf8(text);
  b.face = face;
  b.align = align;
  b.fontSize = size;
  b.rgb = rgb;
  return b;
}

double heightAt(PangoContext* ctx, const TextBlock& b, double width) {
  return text::measure(text::make(ctx, b, width, 0).get()).height;
}

// Puts `b` at (x, y) in `width`, shrinking it down to minSize to fit
// maxHeight and ellipsizing it at minSize when it still does not; the box
// is as tall as the text.
void fitInto(PangoContext* ctx, TextBlock& b, double x, double y, double width, double maxHeight, double minSize) {
  // A row's height is its text's height plus padding, less the padding
  // again: allow for the rounding of that sum.
  constexpr double kSlack = 0.01;
  double h = heightAt(ctx, b, width);
  while (h > maxHeight + kSlack && b.fontSize - 0.25 >= minSize) {
    b.fontSize -= 0.25;
    h = heightAt(ctx, b, width);
  }
  if (h > maxHeight + kSlack) {
    auto cut = text::make(ctx, b, width, maxHeight);
    b.ellipsized = pango_layout_is_ellipsized(cut.get()) != 0;
    h = std::min(text::measure(cut.get()).height, maxHeight);
  }
  b.box = {x, y, width, h};
}

// The field table: one font size for every row, the largest from `base`
// down to `minSize` at which every row fits `area` wrapped. A value gets
// at most kMaxLines lines, so one overlong field is cut with "…" rather
// than shrinking every other field. If no size fits, rows share the height
// (the short ones get what they need) and the values that still do not fit
// are ellipsized.
void layoutTable(PangoContext* ctx, const std::vector<Row>& rows, const Box& area, double s, Layout& out) {
  constexpr double kMaxLines = 3;
  const double base = 12 * s, minSize = 7 * s, colGap = 6 * s;
  double pad = 3 * s;
  double size = base, labelWidth = 0, valueWidth = 0;
  std::vector<double> need(rows.size());
  auto measureRows = [&] {
    labelWidth = 0;
    for (const Row& r : rows) {
      TextBlock label = block("label", r.label, Face::Sans, Align::Left, size, kGrey);
      labelWidth = std::max(labelWidth, text::measure(text::make(ctx, label, area.width, 0).get()).width);
    }
    labelWidth += 0.6 * size;
    valueWidth = area.width - labelWidth - colGap;
    const double maxValueHeight =
        kMaxLines * heightAt(ctx, block("value", "国", Face::Serif, Align::Left, size, kInk), valueWidth);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      TextBlock value = block("value", rows[i].value, Face::Serif, Align::Left, size, kInk);
      TextBlock label = block("label", rows[i].label, Face::Sans, Align::Left, size, kGrey);
      const double valueHeight = std::min(heightAt(ctx, value, valueWidth), maxValueHeight);
      need[i] = std::max(valueHeight, heightAt(ctx, label, labelWidth)) + 2 * pad;
    }
    return std::accumulate(need.begin(), need.end(), 0.0);
  };
  double total = measureRows();
  while (total > area.height && size - 0.25 >= minSize) {
    size -= 0.25;
    total = measureRows();
  }
  std::vector<double> height = need;
  if (total > area.height) {
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return need[a] < need[b]; });
    double remaining = area.height;
    std::size_t left = rows.size();
    for (std::size_t i : order) {
      height[i] = std::min(need[i], remaining / static_cast<double>(left--));
      remaining -= height[i];
    }
  } else if (!rows.empty()) {
    // Spare height opens the rows up a little, no more than 8 pt (A4) each side.
    const double extra = std::min(5 * s, (area.height - total) / (2.0 * static_cast<double>(rows.size())));
    pad += extra;
    for (double& h : height) h += 2 * extra;
  }
  double y = area.y;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double inner = height[i] - 2 * pad;
    TextBlock label = block("label", rows[i].label, Face::Sans, Align::Left, size, kGrey);
    TextBlock value = block("value", rows[i].value, Face::Serif, Align::Left, size, kInk);
    fitInto(ctx, label, area.x, y + pad, labelWidth, inner, size);
    fitInto(ctx, value, area.x + labelWidth + colGap, y + pad, valueWidth, inner, size);
    label.box.height = value.box.height = inner;
    out.rows.push_back({area.x, y, area.width, height[i]});
    out.texts.push_back(std::move(label));
    out.texts.push_back(std::move(value));
    y += height[i];
  }
}

// The QR box, the hint under it and the seal under that, at the right.
void layoutRightColumn(PangoContext* ctx, const qr::Matrix& qr, const Box& area, double s, Layout& out) {
  const double side = area.width;
  out.qr = {area.x, area.y, side, side};
  out.moduleSize = side / (qr.size + 2 * out.quietZone);
  TextBlock hint = block("hint", "扫描二维码核验真伪 Scan the QR code to verify", Face::Sans, Align::Center, 9 * s, kGrey);
  fitInto(ctx, hint, area.x, area.y + side + 4 * s, side, 3 * 9 * s * 1.5, 6 * s);
  const double sealTop = hint.box.y + hint.box.height + 8 * s;
  const double diameter = std::max(0.0, std::min(side * 0.62, area.y + area.height - sealTop));
  out.seal = {area.x + (side - diameter) / 2, sealTop, diameter, diameter};
  TextBlock seal = block("seal", "发证机关（盖章）", Face::Serif, Align::Center, 10 * s, kRed);
  fitInto(ctx, seal, out.seal.x + diameter * 0.1, 0, diameter * 0.8, diameter * 0.8, 5 * s);
  seal.box.y = sealTop + (diameter - seal.box.height) / 2;
  out.texts.push_back(std::move(hint));
  out.texts.push_back(std::move(seal));
}

}  // namespace

Result<Layout> layout(const Fields& fields, const qr::Matrix& qr, Paper paper) {
  if (qr.size <= 0 || qr.dark.size() != static_cast<std::size_t>(qr.size) * static_cast<std::size_t>(qr.size))
    return makeError(Code::INVALID_ARGUMENT, "card: malformed QR matrix");
  auto ctx = text::measuringContext();
  for (Face face : {Face::Serif, Face::Sans}) {
    const std::string family = text::resolvedFamily(ctx.get(), face);
    if (family.find("CJK") == std::string::npos)
      return makeError(Code::INTERNAL_ERROR, "card: the Noto CJK fonts are not installed (got '" + family + "')");
  }
  Layout out;
  out.width = paper == Paper::A4 ? kA4Width : 595.28;
  out.height = paper == Paper::A4 ? 595.28 : 419.53;
  const double s = out.width / kA4Width;
  out.frame = {14 * s, 14 * s, out.width - 28 * s, out.height - 28 * s};
  const Box content{34 * s, 30 * s, out.width - 68 * s, out.height - 60 * s};

  TextBlock title = block("title", headingOf(fields.kind), Face::SerifBold, Align::Center, 24 * s, kRed);
  fitInto(ctx.get(), title, content.x, content.y, content.width, 24 * s * 1.6, 12 * s);
  double y = title.box.y + title.box.height + 4 * s;
  out.texts.push_back(std::move(title));
  if (fields.revoked) {
    TextBlock banner = block("revoked", "（已撤销 REVOKED）", Face::SerifBold, Align::Center, 14 * s, kAlarm);
    fitInto(ctx.get(), banner, content.x, y, content.width, 14 * s * 1.6, 8 * s);
    y = banner.box.y + banner.box.height + 4 * s;
    out.texts.push_back(std::move(banner));
  }
  const double bodyTop = y + 8 * s;

  const double bottom = content.y + content.height;
  TextBlock certNo = block("certno", "证书编号 No. " + fields.certNo, Face::Sans, Align::Left, 10 * s, kInk);
  fitInto(ctx.get(), certNo, content.x, 0, content.width * 0.6, 10 * s * 1.6, 6 * s);
  certNo.box.y = bottom - certNo.box.height;
  const double bodyBottom = certNo.box.y - 8 * s;

  const double bodyHeight = bodyBottom - bodyTop;
  const double qrSide = std::min(0.34 * content.width, 0.6 * bodyHeight);
  const double gap = 18 * s;
  layoutTable(ctx.get(), rowsOf(fields), {content.x, bodyTop, content.width - qrSide - gap, bodyHeight}, s, out);
  layoutRightColumn(ctx.get(), qr, {content.x + content.width - qrSide, bodyTop, qrSide, bodyHeight}, s, out);
  out.texts.push_back(std::move(certNo));
  return out;
}

}  // namespace titlecert::card
