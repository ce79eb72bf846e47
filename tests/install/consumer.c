/* A program built against an installed titlecert (pkg-config or the CMake
 * package), as a user of the library would: it includes only the installed
 * header and links only the installed library.
 * Usage: consumer FIXTURE_DIR EXPECTED_VERSION [images]. Exit 0 when the
 * library answers the expected version, accepts the fixture's valid
 * credential and refuses its forged one, and, given "images", reads the valid
 * credential from valid.png (which needs the installed image module). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <titlecert/verify.h>

/* The fixture bundle's issued-at plus an hour (tests/c_api_test.c). */
static const int64_t kNow = 1795741200;

static char* slurp(const char* dir, const char* name, size_t* len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  char* buf = malloc(1 << 20);
  size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
  fclose(f);
  if (buf) buf[n] = '\0';
  *len = n;
  return buf;
}

static tc_code verdict(const tc_verifier* v, const char* dir, const char* name) {
  size_t len = 0;
  char* text = slurp(dir, name, &len);
  tc_result* r = NULL;
  tc_code code = TC_INVALID_ARGUMENT;
  if (text && tc_verify_text(v, text, len, kNow, NULL, &r) == TC_OK) code = tc_result_code(r);
  tc_result_free(r);
  free(text);
  return code;
}

static tc_code image_verdict(const tc_verifier* v, const char* dir, const char* name) {
  size_t len = 0;
  char* bytes = slurp(dir, name, &len);
  tc_result_list* list = NULL;
  tc_code code = TC_INVALID_ARGUMENT;
  if (bytes && (code = tc_verify_image_file(v, (const uint8_t*)bytes, len, kNow, NULL, &list)) == TC_OK)
    code = tc_result_list_size(list) == 1 ? tc_result_code(tc_result_list_at(list, 0)) : TC_INVALID_ARGUMENT;
  tc_result_list_free(list);
  free(bytes);
  return code;
}

int main(int argc, char** argv) {
  const int images = argc == 4 && strcmp(argv[3], "images") == 0;
  if (argc != 3 && !images) return 2;
  if (strcmp(tc_version_string(), argv[2]) != 0) {
    fprintf(stderr, "version %s, expected %s\n", tc_version_string(), argv[2]);
    return 1;
  }
  size_t bundle_len = 0, root_len = 0;
  char* bundle = slurp(argv[1], "bundle.cbor", &bundle_len);
  char* root = slurp(argv[1], "root.pub.pem", &root_len);
  tc_verifier* v = NULL;
  if (!bundle || !root || tc_verifier_new((const uint8_t*)bundle, bundle_len, root, 0, &v) != TC_OK) {
    fprintf(stderr, "cannot load the fixture bundle\n");
    return 1;
  }
  const tc_code valid = verdict(v, argv[1], "valid.txt");
  const tc_code forged = verdict(v, argv[1], "forged.txt");
  const tc_code image = images ? image_verdict(v, argv[1], "valid.png") : TC_OK;
  printf("valid.txt %s, forged.txt %s", tc_code_name(valid), tc_code_name(forged));
  printf(images ? ", valid.png %s\n" : "\n", tc_code_name(image));
  tc_verifier_free(v);
  free(bundle);
  free(root);
  return valid == TC_OK && forged != TC_OK && image == TC_OK ? 0 : 1;
}
