#!/usr/bin/env bash
# The CLI and the C library never depend on the image libraries (a full
# build opens them through its image module, on the first image): fails if
# any given ELF file needs libZXing, libpng or libjpeg.
#   check_no_image_libs.sh FILE...   (READELF: the readelf to use)
set -euo pipefail
status=0
for f in "$@"; do
  needed=$("${READELF:-readelf}" -d "$f" | awk '/\(NEEDED\)/ {print $NF}' | tr -d '[]')
  [ -n "$needed" ] || { echo "$f: no NEEDED entries read"; status=1; continue; }
  if bad=$(grep -E '^lib(ZXing|png|jpeg)' <<<"$needed"); then
    echo "$f needs: $bad"
    status=1
  else
    echo "$f: $(tr '\n' ' ' <<<"$needed")"
  fi
done
exit $status
