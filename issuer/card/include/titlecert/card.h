// The printable certificate: one layout, computed with pango over the
// Noto CJK fonts, drawn as PDF or SVG by cairo.
//
// Every text is laid out as plain text (never pango markup) inside its own
// box: it wraps at the box's width, is shrunk when the field table is too
// tall, is ellipsized ("…") when it still does not fit, and is clipped to
// its box when drawn. No text box overlaps another or the QR's box.
//
// Errors are values; nothing here throws except std::bad_alloc. Every
// function may be called from several threads at once (pango's cairo font
// map is per thread; cairo surfaces are per call).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "titlecert/qr.h"
#include "titlecert/result.h"

namespace titlecert::card {

// Landscape pages: A4 is 297 x 210 mm, A5 is 210 x 148 mm.
enum class Paper { A4, A5 };

// Which certificate this is; chooses the heading.
enum class Kind {
  Title,          // 专业技术职务任职资格证书
  Qualification,  // 职业资格证书
  Skill,          // 职业技能等级证书
};

// The display fields, as UTF-8 text exactly as printed (invalid UTF-8 is
// shown as U+FFFD). An empty optional field is left off the card.
struct Fields {
  Kind kind = Kind::Title;
  std::string holderName;  // 姓名
  std::string maskedId;    // 证件号码, already masked by the caller
  // Title credentials.
  std::string series;      // 职称系列
  std::string specialty;   // 专业
  std::string titleName;   // 职称名称
  std::string route;       // 取得途径
  std::string grantDate;   // 授予日期
  std::string approvalNo;  // 批准文号 (optional)
  std::string committee;   // 评审委员会 (optional)
  std::string employer;    // 工作单位 (optional)
  // Qualification and skill credentials.
  std::string qualificationName;  // 资格名称
  std::string level;              // 等级
  std::string obtainedDate;       // 取得日期
  std::string qualificationNo;    // 资格证书编号 (optional)
  // Every credential.
  std::string expires;     // 有效期至 (optional)
  std::string issuerName;  // 发证机关
  std::string issueDate;   // 发证日期
  std::string certNo;      // 证书编号, printed at the foot of the page
  bool revoked = false;    // prints 已撤销 REVOKED under the heading
};

// A rectangle in points (1/72 inch), origin at the page's top left.
struct Box {
  double x = 0, y = 0, width = 0, height = 0;
};

enum class Face { Serif, SerifBold, Sans };
enum class Align { Left, Center };

// One text and the box it is drawn in.
struct TextBlock {
  std::string role;  // "title", "revoked", "label", "value", "seal", "certno", "hint"
  std::string text;  // the text drawn (valid UTF-8)
  Box box;           // the reserved box: wrapped to its width, clipped to it
  Face face = Face::Serif;
  Align align = Align::Left;
  double fontSize = 0;      // points
  bool ellipsized = false;  // did not fit at the smallest size; cut with "…"
  std::uint32_t rgb = 0;    // colour 0xRRGGBB
};

struct Layout {
  double width = 0, height = 0;  // the page, points
  Box frame;                     // the decorative border
  std::vector<TextBlock> texts;  // every text on the page
  std::vector<Box> rows;         // the field table's rows (label and value)
  Box qr;                        // the QR with its quiet zone (light square)
  int quietZone = 4;             // modules of quiet zone on each side
  double moduleSize = 0;         // points per module
  Box seal;                      // the seal placeholder circle's bounding square
};

// The page for these fields, this QR (a symbol without quiet zone, as
// qr::encode returns it) and this paper.
// INVALID_ARGUMENT: an empty or malformed matrix.
// INTERNAL_ERROR: the Noto CJK fonts are not installed (fonts-noto-cjk).
Result<Layout> layout(const Fields& fields, const qr::Matrix& qr, Paper paper);

// The page as a one-page PDF (fonts embedded as subsets) or as an SVG
// (glyphs as paths). Both draw layout(fields, qr, paper).
Result<std::string> renderPdf(const Fields& fields, const qr::Matrix& qr, Paper paper);
Result<std::string> renderSvg(const Fields& fields, const qr::Matrix& qr, Paper paper);

}  // namespace titlecert::card
