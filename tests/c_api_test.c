/* The C API from C: compiled as C11, linked only against libtitlecert_verify.
 * Usage: c_api_test FIXTURE_DIR (written by make_fixture). Prints
 * "N passed, M failed" and exits non-zero on any failure. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "titlecert/verify.h"

static int passed = 0, failed = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (cond) {                                                       \
      ++passed;                                                       \
    } else {                                                          \
      ++failed;                                                       \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                 \
  } while (0)

static char* slurp(const char* dir, const char* name, size_t* len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  if (len) *len = (size_t)n;
  return buf;
}

static int names_image_library(struct dl_phdr_info* info, size_t size, void* found) {
  (void)size;
  if (strstr(info->dlpi_name, "titlecert-scan.so") || strstr(info->dlpi_name, "libZXing")) *(int*)found = 1;
  return 0;
}

/* Whether the image module or ZXing is mapped into this process: the
 * library opens them on its first image, never for texts. */
static int image_libraries_loaded(void) {
  int found = 0;
  dl_iterate_phdr(names_image_library, &found);
  return found;
}

/* 2026-11-27T01:00:00Z: the fixture bundle's issued-at plus an hour. */
static const int64_t kNow = 1795741200;

static void check_text(const tc_verifier* v, const char* dir, const char* name, tc_code expected) {
  size_t len = 0;
  char* text = slurp(dir, name, &len);
  CHECK(text != NULL);
  if (!text) return;
  tc_result* r = NULL;
  CHECK(tc_verify_text(v, text, len, kNow, NULL, &r) == TC_OK);
  CHECK(r != NULL);
  CHECK(tc_result_code(r) == expected);
  if (tc_result_code(r) != expected)
    fprintf(stderr, "  %s: got %s, want %s\n", name, tc_code_name(tc_result_code(r)), tc_code_name(expected));
  CHECK(tc_result_valid(r) == (expected == TC_OK));
  CHECK(strstr(tc_result_json(r, TC_LANG_EN), tc_code_name(expected)) != NULL);
  tc_result_free(r);
  free(text);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: c_api_test FIXTURE_DIR\n");
    return 2;
  }
  const char* dir = argv[1];
  size_t bundle_len = 0;
  char* bundle = slurp(dir, "bundle.cbor", &bundle_len);
  char* root = slurp(dir, "root.pub.pem", NULL);
  CHECK(bundle && root);
  if (!bundle || !root) return 1;

  /* Codes and names are the stable list. */
  CHECK(TC_OK == 0 && TC_BAD_SIGNATURE == 8 && TC_HOLDER_MISMATCH == 17);
  CHECK(strcmp(tc_code_name(TC_REVOKED), "REVOKED") == 0);
  CHECK(strlen(tc_code_message(TC_REVOKED, TC_LANG_ZH)) > 0);

  /* Bad calls are refused, not crashed on. */
  tc_verifier* v = NULL;
  CHECK(tc_verifier_new(NULL, 0, root, 0, &v) == TC_INVALID_ARGUMENT && v == NULL);
  CHECK(tc_verifier_new((const uint8_t*)bundle, bundle_len, "not a pem", 0, &v) == TC_BAD_KEY);
  CHECK(tc_verifier_new((const uint8_t*)bundle, bundle_len, root, 8, &v) == TC_BUNDLE_ROLLBACK);
  CHECK(tc_verifier_new((const uint8_t*)bundle, bundle_len / 2, root, 0, &v) == TC_BAD_BUNDLE);

  CHECK(tc_verifier_new((const uint8_t*)bundle, bundle_len, root, 7, &v) == TC_OK);
  if (!v) return 1;
  CHECK(tc_verifier_bundle_version(v) == 7);

  check_text(v, dir, "valid.txt", TC_OK);
  check_text(v, dir, "forged.txt", TC_BAD_SIGNATURE);
  check_text(v, dir, "revoked.txt", TC_REVOKED);
  check_text(v, dir, "out_of_scope.txt", TC_OUT_OF_SCOPE);
  check_text(v, dir, "qualification.txt", TC_OK);

  /* Fields, holder binding and languages. */
  size_t len = 0;
  char* text = slurp(dir, "valid.txt", &len);
  tc_result* r = NULL;
  CHECK(tc_verify_text(v, text, len, kNow, "CN:650102199001011239", &r) == TC_OK);
  CHECK(tc_result_holder_match(r) == 1);
  CHECK(strcmp(tc_result_type(r), "title") == 0);
  CHECK(strcmp(tc_result_iss(r), "CN-65-GXQ") == 0);
  CHECK(strcmp(tc_result_holder_name(r), "张三") == 0);
  CHECK(strcmp(tc_result_title_name(r, TC_LANG_ZH), "高级工程师") == 0);
  CHECK(strcmp(tc_result_title_name(r, TC_LANG_EN), "Senior Engineer") == 0);
  CHECK(strstr(tc_result_text(r, TC_LANG_ZH), "高级工程师") != NULL);
  CHECK(tc_result_warning_count(r) == 0);
  tc_result_free(r);
  CHECK(tc_verify_text(v, text, len, kNow, NULL, &r) == TC_OK);
  CHECK(tc_result_holder_match(r) == -1);
  tc_result_free(r);
  /* A stale clock: warning, still valid. */
  CHECK(tc_verify_text(v, text, len, kNow + 90LL * 86400, NULL, &r) == TC_OK);
  CHECK(tc_result_code(r) == TC_OK && tc_result_warning_count(r) == 1 && tc_result_warning_at(r, 0) == TC_BUNDLE_STALE);
  tc_result_free(r);
  free(text);

  CHECK(!image_libraries_loaded());
#if TITLECERT_TEST_SCAN
  /* Images: a code, and none. */
  size_t png_len = 0;
  char* png = slurp(dir, "valid.png", &png_len);
  tc_result_list* list = NULL;
  CHECK(tc_verify_image_file(v, (const uint8_t*)png, png_len, kNow, NULL, &list) == TC_OK);
  CHECK(image_libraries_loaded());
  CHECK(tc_result_list_size(list) == 1);
  CHECK(tc_result_code(tc_result_list_at(list, 0)) == TC_OK);
  CHECK(tc_result_list_at(list, 1) == NULL);
  tc_result_list_free(list);
  free(png);
  png = slurp(dir, "no_code.png", &png_len);
  CHECK(tc_verify_image_file(v, (const uint8_t*)png, png_len, kNow, NULL, &list) == TC_OK);
  CHECK(tc_result_list_size(list) == 1 && tc_result_code(tc_result_list_at(list, 0)) == TC_NO_CODE_FOUND);
  tc_result_list_free(list);
  CHECK(tc_verify_image_file(v, (const uint8_t*)"nope", 4, kNow, NULL, &list) == TC_INVALID_ARGUMENT && list == NULL);
  free(png);
#else
  /* A text-only build (TITLECERT_SCAN=OFF) refuses images: no list, no verdict. */
  size_t png_len = 0;
  char* png = slurp(dir, "valid.png", &png_len);
  tc_result_list* list = NULL;
  CHECK(tc_verify_image_file(v, (const uint8_t*)png, png_len, kNow, NULL, &list) == TC_NOT_IMPLEMENTED && list == NULL);
  const uint8_t gray[4] = {0, 255, 255, 0};
  CHECK(tc_verify_image(v, gray, 2, 2, 1, 2, kNow, NULL, &list) == TC_NOT_IMPLEMENTED && list == NULL);
  CHECK(!image_libraries_loaded());
  free(png);
#endif

  /* A camera frame: one decode; a blank frame has no code (or, text-only,
   * is refused as every image is), bad shapes are refused first. */
  {
    static uint8_t blank[64 * 64];
    memset(blank, 200, sizeof blank);
#if TITLECERT_TEST_SCAN
    CHECK(tc_verify_frame(v, blank, 64, 64, 1, 64, kNow, NULL, &list) == TC_OK);
    CHECK(tc_result_list_size(list) == 1 && tc_result_code(tc_result_list_at(list, 0)) == TC_NO_CODE_FOUND);
    tc_result_list_free(list);
#else
    CHECK(tc_verify_frame(v, blank, 64, 64, 1, 64, kNow, NULL, &list) == TC_NOT_IMPLEMENTED && list == NULL);
#endif
    CHECK(tc_verify_frame(v, blank, 64, 64, 1, 32, kNow, NULL, &list) == TC_INVALID_ARGUMENT && list == NULL);
    CHECK(tc_verify_frame(NULL, blank, 64, 64, 1, 64, kNow, NULL, &list) == TC_INVALID_ARGUMENT && list == NULL);
  }

  /* NULL is fine to free. */
  tc_result_free(NULL);
  tc_result_list_free(NULL);
  tc_verifier_free(NULL);
  tc_verifier_free(v);
  free(bundle);
  free(root);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
