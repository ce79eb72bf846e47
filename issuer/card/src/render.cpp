// Draws a Layout with cairo on a PDF or an SVG surface.
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <cmath>

#include "pango_text.h"
#include "titlecert/card.h"

namespace titlecert::card {
namespace {

constexpr double kPi = 3.14159265358979323846;

void setRgb(cairo_t* cr, std::uint32_t rgb) {
  cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

void drawText(cairo_t* cr, PangoContext* ctx, const TextBlock& b) {
  auto layout = text::make(ctx, b, b.box.width, b.ellipsized ? b.box.height : 0);
  cairo_save(cr);
  // Whatever a hostile text does (tall combining stacks, odd bidi), it is
  // painted only inside its own box.
  cairo_rectangle(cr, b.box.x, b.box.y, b.box.width, b.box.height);
  cairo_clip(cr);
  setRgb(cr, b.rgb);
  cairo_move_to(cr, b.box.x, b.box.y);
  pango_cairo_show_layout(cr, layout.get());
  cairo_restore(cr);
}

// The QR as one path of module squares filled at once, so neighbouring
// modules meet without antialiasing seams.
void drawQr(cairo_t* cr, const Layout& page, const qr::Matrix& qr) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, page.qr.x, page.qr.y, page.qr.width, page.qr.height);
  cairo_fill(cr);
  const double m = page.moduleSize;
  const double x0 = page.qr.x + page.quietZone * m, y0 = page.qr.y + page.quietZone * m;
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size;) {
      if (!qr.dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(qr.size) + static_cast<std::size_t>(x)]) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < qr.size &&
             qr.dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(qr.size) + static_cast<std::size_t>(x + run)])
        ++run;
      cairo_rectangle(cr, x0 + x * m, y0 + y * m, run * m, m);
      x += run;
    }
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_fill(cr);
}

void drawDecoration(cairo_t* cr, const Layout& page) {
  cairo_set_source_rgb(cr, 1.0, 0.992, 0.961);
  cairo_paint(cr);
  const double s = page.width / 841.89;
  setRgb(cr, 0xa0282d);
  cairo_set_line_width(cr, 3 * s);
  cairo_rectangle(cr, page.frame.x, page.frame.y, page.frame.width, page.frame.height);
  cairo_stroke(cr);
  cairo_set_line_width(cr, 0.8 * s);
  cairo_rectangle(cr, page.frame.x + 5 * s, page.frame.y + 5 * s, page.frame.width - 10 * s, page.frame.height - 10 * s);
  cairo_stroke(cr);
  // Hairlines between the table's rows.
  cairo_set_source_rgb(cr, 0.82, 0.78, 0.72);
  cairo_set_line_width(cr, 0.5 * s);
  for (const Box& row : page.rows) {
    cairo_move_to(cr, row.x, row.y + row.height);
    cairo_line_to(cr, row.x + row.width, row.y + row.height);
  }
  cairo_stroke(cr);
  // The seal placeholder: a dashed red circle where the stamp goes.
  if (page.seal.width > 0) {
    const double r = page.seal.width / 2;
    setRgb(cr, 0xa0282d);
    const double dash[] = {4 * s, 3 * s};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.2 * s);
    cairo_arc(cr, page.seal.x + r, page.seal.y + r, r - 0.6 * s, 0, 2 * kPi);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
}

Status draw(cairo_surface_t* surface, const Layout& page, const qr::Matrix& qr) {
  cairo_t* cr = cairo_create(surface);
  drawDecoration(cr, page);
  {
    auto ctx = text::drawingContext(cr);
    for (const TextBlock& b : page.texts) drawText(cr, ctx.get(), b);
  }
  drawQr(cr, page, qr);
  cairo_show_page(cr);
  const cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  if (status != CAIRO_STATUS_SUCCESS) return makeError(Code::INTERNAL_ERROR, cairo_status_to_string(status));
  return {};
}

cairo_status_t appendTo(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

enum class Format { Pdf, Svg };

bool isIsoDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  return true;
}

// The title, and the issue date as the document's dates: cairo would
// otherwise stamp the clock's time, and the same certificate would not
// give the same bytes twice.
void setPdfMetadata(cairo_surface_t* surface, const Layout& page, const Fields& fields) {
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, page.texts.front().text.c_str());
  const std::string date = (isIsoDate(fields.issueDate) ? fields.issueDate : "1970-01-01") + "T00:00:00Z";
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
}

Result<std::string> render(const Fields& fields, const qr::Matrix& qr, Paper paper, Format format) {
  auto page = layout(fields, qr, paper);
  if (!page) return page.error();
  std::string out;
  cairo_surface_t* surface =
      format == Format::Pdf
          ? cairo_pdf_surface_create_for_stream(appendTo, &out, page->width, page->height)
          : cairo_svg_surface_create_for_stream(appendTo, &out, page->width, page->height);
  if (format == Format::Svg) cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT);
  if (format == Format::Pdf) setPdfMetadata(surface, *page, fields);
  Status drawn = draw(surface, *page, qr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (!drawn) return drawn.error();
  if (status != CAIRO_STATUS_SUCCESS) return makeError(Code::INTERNAL_ERROR, cairo_status_to_string(status));
  return out;
}

}  // namespace

Result<std::string> renderPdf(const Fields& fields, const qr::Matrix& qr, Paper paper) {
  return render(fields, qr, paper, Format::Pdf);
}

Result<std::string> renderSvg(const Fields& fields, const qr::Matrix& qr, Paper paper) {
  return render(fields, qr, paper, Format::Svg);
}

}  // namespace titlecert::card
