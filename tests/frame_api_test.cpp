// tc_verify_frame through the shared library's C API: the camera loop's
// single-decode path next to tc_verify_image's thorough search.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/world.h"
#include "titlecert/qr.h"
#include "titlecert/verify.h"

namespace {

using namespace titlecert;
using namespace titlecert::testing;

struct Gray {
  std::vector<std::uint8_t> pixels;
  int width = 0, height = 0;
};

// A code drawn dark on light, 4 px per module, in the middle of a 640x480 frame.
Gray frameWith(const std::string& text, bool lightOnDark = false) {
  int side = 0;
  const Bytes symbol = qr::toGray8(*qr::encode(text), 4, 4, side);
  Gray g{std::vector<std::uint8_t>(640 * 480, 255), 640, 480};
  const int x0 = (g.width - side) / 2, y0 = (g.height - side) / 2;
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) g.pixels[(y0 + y) * g.width + x0 + x] = symbol[y * side + x];
  if (lightOnDark)
    for (auto& p : g.pixels) p = static_cast<std::uint8_t>(255 - p);
  return g;
}

using Verifier = std::unique_ptr<tc_verifier, decltype(&tc_verifier_free)>;
using List = std::unique_ptr<tc_result_list, decltype(&tc_result_list_free)>;

Verifier makeVerifier() {
  const Bytes bundle = world().signedBundle();
  const std::string root = world().root.publicKey().pem();
  tc_verifier* v = nullptr;
  EXPECT_EQ(tc_verifier_new(bundle.data(), bundle.size(), root.c_str(), 0, &v), TC_OK);
  return Verifier(v, tc_verifier_free);
}

List verifyFrame(const tc_verifier* v, const Gray& g) {
  tc_result_list* out = nullptr;
  EXPECT_EQ(tc_verify_frame(v, g.pixels.data(), g.width, g.height, 1, g.width, kNow, nullptr, &out), TC_OK);
  return List(out, tc_result_list_free);
}

TEST(FrameApi, AFrameWithACodeVerifies) {
  auto v = makeVerifier();
  auto list = verifyFrame(v.get(), frameWith(issueText(sampleTitle(), world().home)));
  ASSERT_EQ(tc_result_list_size(list.get()), 1u);
  EXPECT_EQ(tc_result_code(tc_result_list_at(list.get(), 0)), TC_OK);
  EXPECT_STREQ(tc_result_holder_name(tc_result_list_at(list.get(), 0)), "张三");
}

TEST(FrameApi, ABlankFrameGivesNoCodeFound) {
  auto v = makeVerifier();
  const Gray blank{std::vector<std::uint8_t>(640 * 480, 200), 640, 480};
  auto list = verifyFrame(v.get(), blank);
  ASSERT_EQ(tc_result_list_size(list.get()), 1u);
  EXPECT_EQ(tc_result_code(tc_result_list_at(list.get(), 0)), TC_NO_CODE_FOUND);
}

// The one difference from tc_verify_image: no inverted retry, so a
// light-on-dark code is left to the thorough path.
TEST(FrameApi, OnlyTheThoroughPathRetriesInverted) {
  auto v = makeVerifier();
  const Gray inverted = frameWith(issueText(sampleTitle(), world().home), true);
  auto frame = verifyFrame(v.get(), inverted);
  ASSERT_EQ(tc_result_list_size(frame.get()), 1u);
  EXPECT_EQ(tc_result_code(tc_result_list_at(frame.get(), 0)), TC_NO_CODE_FOUND);
  tc_result_list* out = nullptr;
  ASSERT_EQ(tc_verify_image(v.get(), inverted.pixels.data(), inverted.width, inverted.height, 1, inverted.width,
                            kNow, nullptr, &out),
            TC_OK);
  List image(out, tc_result_list_free);
  ASSERT_EQ(tc_result_list_size(image.get()), 1u);
  EXPECT_EQ(tc_result_code(tc_result_list_at(image.get(), 0)), TC_OK);
}

TEST(FrameApi, BadArgumentsAreRefused) {
  auto v = makeVerifier();
  const Gray g{std::vector<std::uint8_t>(64 * 64, 255), 64, 64};
  tc_result_list* out = reinterpret_cast<tc_result_list*>(1);
  EXPECT_EQ(tc_verify_frame(nullptr, g.pixels.data(), 64, 64, 1, 64, kNow, nullptr, &out), TC_INVALID_ARGUMENT);
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(tc_verify_frame(v.get(), nullptr, 64, 64, 1, 64, kNow, nullptr, &out), TC_INVALID_ARGUMENT);
  EXPECT_EQ(tc_verify_frame(v.get(), g.pixels.data(), 0, 64, 1, 64, kNow, nullptr, &out), TC_INVALID_ARGUMENT);
  EXPECT_EQ(tc_verify_frame(v.get(), g.pixels.data(), 64, 64, 2, 128, kNow, nullptr, &out), TC_INVALID_ARGUMENT);
  EXPECT_EQ(tc_verify_frame(v.get(), g.pixels.data(), 64, 64, 1, 63, kNow, nullptr, &out), TC_INVALID_ARGUMENT);
  EXPECT_EQ(tc_verify_frame(v.get(), g.pixels.data(), 64, 64, 1, 64, kNow, nullptr, nullptr), TC_INVALID_ARGUMENT);
}

}  // namespace
