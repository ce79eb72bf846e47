// Synthetic camera distortions and small image encoders for the QR image
// tests. Everything is deterministic: the same arguments give the same
// pixels on every platform (no std::normal_distribution, whose output the
// standard leaves to the library).
#pragma once

#include <cstdint>
#include <vector>

#include "titlecert/bytes.h"
#include "titlecert/scan.h"

namespace titlecert::testimg {

using scan::Image;

// A gray image filled with one value.
Image filled(int width, int height, std::uint8_t value);

// Draws gray `src` into gray `canvas`: scaled by `scale`, turned by
// `degrees` (clockwise on screen) about its centre, which lands on
// (centreX, centreY). Bilinear sampling; canvas pixels outside keep theirs.
void drawTransformed(Image& canvas, const Image& src, double scale, double degrees, double centreX,
                     double centreY);

// Box blur of the given radius, `passes` times (three passes are close to a
// Gaussian of sigma ~ radius). Edges repeat the border pixel.
void boxBlur(Image& img, int radius, int passes = 3);

// Maps 0..255 linearly onto dark..light (a dim, washed-out photo).
void setContrast(Image& img, std::uint8_t dark, std::uint8_t light);

// Adds zero-mean noise of roughly Gaussian shape (the sum of 12 uniforms)
// with standard deviation `sigma`, from std::mt19937 seeded with `seed`.
void addNoise(Image& img, double sigma, std::uint32_t seed);

// Encoders for loader tests (gray or RGB pixels of `img`).
// PNG: written with libpng at bit depth 8 or 16, optionally
// Adam7-interlaced, with an alpha channel when `alpha` (one byte per pixel)
// is given. Empty on failure.
Bytes encodePng(const Image& img, int bitDepth = 8, bool interlaced = false,
                const std::vector<std::uint8_t>* alpha = nullptr);
// JPEG: written with libjpeg; `cmyk` stores the gray/RGB image as
// Adobe-style inverted CMYK (as Photoshop does); `progressive` uses
// libjpeg's default progression script. Empty on failure.
Bytes encodeJpeg(const Image& img, int quality = 90, bool cmyk = false, bool progressive = false);

}  // namespace titlecert::testimg
