// Pango, plain text only: the one place that turns a TextBlock's settings
// into a PangoLayout, so the layout pass and the renderers wrap, shrink and
// ellipsize a text identically.
#pragma once

#include <pango/pangocairo.h>

#include <memory>
#include <string>
#include <string_view>

#include "titlecert/card.h"

namespace titlecert::card::text {

struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

// A context over pangocairo's font map with hinting off, so measured sizes
// do not depend on the surface (PDF and SVG measure the same).
GPtr<PangoContext> measuringContext();
// The same settings for drawing on `cr`.
GPtr<PangoContext> drawingContext(cairo_t* cr);

// The family (with weight) that pango resolves `face` to; used to check
// that the Noto CJK fonts are installed.
std::string resolvedFamily(PangoContext* context, Face face);

// `text` with invalid UTF-8 replaced by U+FFFD.
std::string validUtf8(std::string_view text);

// A layout of `block.text` as plain text at block.fontSize, wrapped (at
// words, else at characters) to `width`, one paragraph (a newline in a
// field is shown, not obeyed). With maxHeight > 0 it is ellipsized at the
// end to fit that height.
GPtr<PangoLayout> make(PangoContext* context, const TextBlock& block, double width, double maxHeight);

// The logical size in points of a layout.
struct Size {
  double width = 0, height = 0;
};
Size measure(PangoLayout* layout);

}  // namespace titlecert::card::text
