#include "pango_text.h"

#include <cmath>

namespace titlecert::card::text {
namespace {

const char* familyOf(Face face) { return face == Face::Sans ? "Noto Sans CJK SC" : "Noto Serif CJK SC"; }

void setOptions(PangoContext* context) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context, options);
  cairo_font_options_destroy(options);
  // Sizes are absolute (points as user units), so resolution plays no part;
  // set anyway so nothing scales by the 96 dpi default.
  pango_cairo_context_set_resolution(context, 72.0);
}

struct FontDescription {
  PangoFontDescription* desc;
  explicit FontDescription(Face face, double size) : desc(pango_font_description_new()) {
    pango_font_description_set_family(desc, familyOf(face));
    pango_font_description_set_weight(desc, face == Face::SerifBold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(desc, size * PANGO_SCALE);
  }
  ~FontDescription() { pango_font_description_free(desc); }
  FontDescription(const FontDescription&) = delete;
  FontDescription& operator=(const FontDescription&) = delete;
};

int pangoUnits(double points) { return static_cast<int>(std::floor(points * PANGO_SCALE)); }

}  // namespace

GPtr<PangoContext> measuringContext() {
  GPtr<PangoContext> context(pango_font_map_create_context(pango_cairo_font_map_get_default()));
  setOptions(context.get());
  return context;
}

GPtr<PangoContext> drawingContext(cairo_t* cr) {
  GPtr<PangoContext> context(pango_cairo_create_context(cr));
  setOptions(context.get());
  pango_cairo_update_context(cr, context.get());
  return context;
}

std::string resolvedFamily(PangoContext* context, Face face) {
  FontDescription wanted(face, 12);
  GPtr<PangoFont> font(pango_font_map_load_font(pango_context_get_font_map(context), context, wanted.desc));
  if (!font) return {};
  PangoFontDescription* got = pango_font_describe(font.get());
  std::string family = pango_font_description_get_family(got) ? pango_font_description_get_family(got) : "";
  pango_font_description_free(got);
  return family;
}

std::string validUtf8(std::string_view text) {
  gchar* valid = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string out(valid);
  g_free(valid);
  return out;
}

GPtr<PangoLayout> make(PangoContext* context, const TextBlock& block, double width, double maxHeight) {
  GPtr<PangoLayout> layout(pango_layout_new(context));
  // set_text, never set_markup: a field's "<" or "&" is a character.
  pango_layout_set_text(layout.get(), block.text.data(), static_cast<int>(block.text.size()));
  FontDescription font(block.face, block.fontSize);
  pango_layout_set_font_description(layout.get(), font.desc);
  pango_layout_set_width(layout.get(), pangoUnits(width));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_single_paragraph_mode(layout.get(), TRUE);
  // Every paragraph is left-to-right: a field starting with a right-to-left
  // character (or override) is reordered inside its line, but it does not
  // move itself to the other side of its box.
  pango_layout_set_auto_dir(layout.get(), FALSE);
  // A number broken across lines must not gain a "-" that is not in it.
  PangoAttrList* attributes = pango_attr_list_new();
  pango_attr_list_insert(attributes, pango_attr_insert_hyphens_new(FALSE));
  pango_layout_set_attributes(layout.get(), attributes);
  pango_attr_list_unref(attributes);
  pango_layout_set_alignment(layout.get(), block.align == Align::Center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  if (maxHeight > 0) {
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_height(layout.get(), pangoUnits(maxHeight));
  }
  return layout;
}

Size measure(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  return {static_cast<double>(logical.width) / PANGO_SCALE, static_cast<double>(logical.height) / PANGO_SCALE};
}

}  // namespace titlecert::card::text
