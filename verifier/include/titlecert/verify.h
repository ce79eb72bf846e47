/* titlecert offline verifier — the stable C API.
 *
 * Ownership: every object a tc_*_new or tc_verify_* call hands out through an
 * out-pointer belongs to the caller and is released with its own tc_*_free;
 * strings returned by accessors belong to the object they came from and stay
 * valid until that object is freed. NULL may be passed to every *_free.
 *
 * Errors: functions return a tc_code (0 = TC_OK); numbers never change and
 * are the same as in docs/errors.md. No C++ exception ever crosses this API.
 *
 * Time: `now` (seconds since 1970-01-01 UTC) is always passed in.
 *
 * Threads: a tc_verifier is immutable; any number of threads may call
 * tc_verify_* on one verifier at once. The accessors of one tc_result may be
 * called from several threads (tc_result_json/_text render on first use,
 * once); a result or list must not be freed while another thread uses it.
 */
#ifndef TITLECERT_VERIFY_H
#define TITLECERT_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TC_API __attribute__((visibility("default")))
#define TC_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define TC_API
#define TC_WARN_UNUSED
#endif

typedef enum tc_code {
#define TC_RESULT_CODE(name, number, zh, en) TC_##name = number,
#include "titlecert/result_codes.def"
#undef TC_RESULT_CODE
  TC_CODE_FORCE_INT = 0x7fffffff
} tc_code;

typedef enum tc_lang { TC_LANG_ZH = 0, TC_LANG_EN = 1 } tc_lang;

typedef struct tc_verifier tc_verifier;       /* a loaded, verified trust bundle */
typedef struct tc_result tc_result;           /* the verdict on one credential */
typedef struct tc_result_list tc_result_list; /* the verdicts on every code in an image */

/* The library's version ("0.1.0"), a static string. */
TC_API const char* tc_version_string(void);

/* The stable name ("BAD_SIGNATURE") and the explanation in a language. Static strings. */
TC_API const char* tc_code_name(tc_code code);
TC_API const char* tc_code_message(tc_code code, tc_lang lang);

/* Loads a trust bundle (the bytes `titlecert-config bundle build` writes)
 * and checks it against the pinned root public key (PEM SubjectPublicKeyInfo,
 * NUL-terminated). min_version: the highest version accepted before (0 for
 * none); a lower bundle gives TC_BUNDLE_ROLLBACK. Other failures:
 * TC_BAD_KEY, TC_BAD_BUNDLE, TC_INVALID_ARGUMENT. */
TC_API TC_WARN_UNUSED tc_code tc_verifier_new(const uint8_t* bundle, size_t bundle_len, const char* root_pem,
                                              uint64_t min_version, tc_verifier** out);
TC_API void tc_verifier_free(tc_verifier* verifier);
TC_API uint64_t tc_verifier_bundle_version(const tc_verifier* verifier);

/* Verifies one scanned text. id_number ("CN:6501...", or NULL) checks holder
 * binding. The return value says whether a result was produced
 * (TC_OK) or the call itself was wrong (TC_INVALID_ARGUMENT); the verdict is
 * tc_result_code(*out). */
TC_API TC_WARN_UNUSED tc_code tc_verify_text(const tc_verifier* verifier, const char* text, size_t text_len,
                                             int64_t now, const char* id_number, tc_result** out);

/* Finds every QR code in an 8-bit image (channels 1 = gray, 3 = RGB, 4 =
 * RGBA; row_stride in bytes) and verifies each. No code found gives a list
 * with one TC_NO_CODE_FOUND result. A text-only build of the library
 * (TITLECERT_SCAN=OFF) returns TC_NOT_IMPLEMENTED here and from
 * tc_verify_image_file, with *out NULL. */
TC_API TC_WARN_UNUSED tc_code tc_verify_image(const tc_verifier* verifier, const uint8_t* pixels, int width,
                                              int height, int channels, int row_stride, int64_t now,
                                              const char* id_number, tc_result_list** out);

/* The same for one frame of a camera loop: a single QR decode, without the
 * retries tc_verify_image makes when it finds nothing (a second binarizer,
 * an inverted copy for light-on-dark codes), so a frame without a code costs
 * one decode. Same arguments, errors and results as tc_verify_image; a
 * blank frame gives one TC_NO_CODE_FOUND result. */
TC_API TC_WARN_UNUSED tc_code tc_verify_frame(const tc_verifier* verifier, const uint8_t* pixels, int width,
                                              int height, int channels, int row_stride, int64_t now,
                                              const char* id_number, tc_result_list** out);

/* The same as tc_verify_image, from PNG or JPEG file bytes. */
TC_API TC_WARN_UNUSED tc_code tc_verify_image_file(const tc_verifier* verifier, const uint8_t* file_bytes,
                                                   size_t file_len, int64_t now, const char* id_number,
                                                   tc_result_list** out);

TC_API size_t tc_result_list_size(const tc_result_list* list);
TC_API const tc_result* tc_result_list_at(const tc_result_list* list, size_t index); /* owned by the list */
TC_API void tc_result_list_free(tc_result_list* list);

TC_API tc_code tc_result_code(const tc_result* result);
TC_API int tc_result_valid(const tc_result* result); /* 1 valid, 0 not */
/* -1 no ID given, 0 does not match, 1 matches. */
TC_API int tc_result_holder_match(const tc_result* result);
/* The fields below are "" when they could not be read (signature not verified). */
TC_API const char* tc_result_type(const tc_result* result); /* "title", "qualification" or "" */
TC_API const char* tc_result_iss(const tc_result* result);
TC_API const char* tc_result_cert_no(const tc_result* result);
TC_API const char* tc_result_holder_name(const tc_result* result);
/* e.g. 高级工程师 / Senior Engineer for titles; the qualification's name otherwise. */
TC_API const char* tc_result_title_name(const tc_result* result, tc_lang lang);
TC_API size_t tc_result_warning_count(const tc_result* result);
TC_API tc_code tc_result_warning_at(const tc_result* result, size_t index);
/* The whole result as one JSON object (CONTRACT.md fields), in a language. */
TC_API const char* tc_result_json(const tc_result* result, tc_lang lang);
/* Lines for people. */
TC_API const char* tc_result_text(const tc_result* result, tc_lang lang);
TC_API void tc_result_free(tc_result* result);

#ifdef __cplusplus
}
#endif

#endif /* TITLECERT_VERIFY_H */
