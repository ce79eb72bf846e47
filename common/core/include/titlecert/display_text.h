// Text from a signed credential made safe to show on a terminal or screen.
//
// A signer chooses the bytes of a holder's name, an employer or an approval
// number; shown raw, an ESC or CSI sequence could move the cursor, clear the
// screen or paint a fake "✔ VALID" line, and a bidi override could reorder
// what a reader sees. safeForDisplay keeps every printable character and
// replaces each of these, one by one, with U+FFFD (so the reader sees that
// something was there):
//   * C0 controls U+0000..U+001F (newline, tab and ESC among them) and DEL;
//   * C1 controls U+0080..U+009F (U+009B is the one-character CSI);
//   * bidi controls: U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069;
//   * line and paragraph separators U+2028, U+2029;
//   * every byte that is not part of well-formed UTF-8 (a lone 0x9B byte is
//     CSI to a terminal in 8-bit mode).
// Zero-width joiners and other format characters stay: they cannot move the
// cursor or reorder a line, and names in some scripts need them.
#ifndef TITLECERT_DISPLAY_TEXT_H
#define TITLECERT_DISPLAY_TEXT_H

#include <string>
#include <string_view>

namespace titlecert {

std::string safeForDisplay(std::string_view text);

}  // namespace titlecert

#endif
