// The C API over verifier::Verifier. Every entry point catches everything:
// no exception crosses into C.
#include <memory>
#include <mutex>
#include <new>

#include "titlecert/scan.h"
#include "titlecert/verifier.h"
#include "titlecert/verify.h"
#include "titlecert/version.h"

using titlecert::Code;
using titlecert::verifier::Lang;
using titlecert::verifier::Outcome;
using titlecert::verifier::Verifier;

struct tc_verifier {
  Verifier verifier;
};

// The JSON and text forms, rendered on first request only (a terminal that
// reads the code and a field or two should not pay for four renderings);
// call_once keeps concurrent readers of one result safe.
struct Renderings {
  enum Kind { kJsonZh, kJsonEn, kTextZh, kTextEn, kCount };
  std::once_flag once[kCount];
  std::string text[kCount];
};

struct tc_result {
  Verifier verifier;  // keeps the bundle (names, rows) alive as long as the result
  Outcome outcome;
  std::string input;
  std::string titleZh, titleEn, type;
  std::unique_ptr<Renderings> rendered = std::make_unique<Renderings>();
};

struct tc_result_list {
  std::vector<tc_result> results;
};

namespace {

tc_code toC(Code c) { return static_cast<tc_code>(static_cast<int>(c)); }

template <class F>
tc_code guarded(F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return TC_INTERNAL_ERROR;
  } catch (...) {
    return TC_INTERNAL_ERROR;
  }
}

std::string titleOf(const Verifier& v, const Outcome& o, Lang lang) {
  if (!o.credential) return {};
  const auto& cat = v.contents().catalogue;
  if (const auto* t = o.credential->title()) {
    auto n = cat.titleName(t->series, t->specialty, t->level);
    return n ? (lang == Lang::Zh ? n->zh : n->en) : std::string();
  }
  const auto* q = cat.findQualification(o.credential->qualification()->qualification);
  return q ? (lang == Lang::Zh ? q->names.zh : q->names.en) : std::string();
}

tc_result makeResult(const Verifier& v, Outcome o, const std::string& input) {
  tc_result r{v, std::move(o), input, {}, {}, {}};
  r.titleZh = titleOf(v, r.outcome, Lang::Zh);
  r.titleEn = titleOf(v, r.outcome, Lang::En);
  if (r.outcome.credential) r.type = r.outcome.credential->title() ? "title" : "qualification";
  return r;
}

const char* rendering(const tc_result* r, tc_lang lang, bool json) {
  const Lang l = lang == TC_LANG_EN ? Lang::En : Lang::Zh;
  const int kind = (json ? Renderings::kJsonZh : Renderings::kTextZh) + (l == Lang::En ? 1 : 0);
  Renderings& out = *r->rendered;
  try {
    std::call_once(out.once[kind], [&] {
      out.text[kind] = json ? r->verifier.toJson(r->outcome, r->input, l) : r->verifier.toHuman(r->outcome, l);
    });
  } catch (...) {
    return "";  // nothing crosses into C; a failed rendering is empty
  }
  return out.text[kind].c_str();
}

titlecert::verifier::VerifyOptions optionsFor(const char* idNumber) {
  titlecert::verifier::VerifyOptions o;
  if (idNumber) o.idNumber = idNumber;
  return o;
}

// One result per code read, then CODES_SKIPPED when the image held more.
tc_code verifyTexts(const tc_verifier* verifier, const titlecert::scan::QrScan& scan, int64_t now,
                    const char* idNumber, tc_result_list** out) {
  auto list = std::make_unique<tc_result_list>();
  const auto& v = verifier->verifier;
  const auto& texts = scan.texts;
  if (texts.empty()) list->results.push_back(makeResult(v, v.noCodeFound(now), "image"));
  for (std::size_t i = 0; i < texts.size(); ++i)
    list->results.push_back(makeResult(v, v.verify(texts[i], now, optionsFor(idNumber)), "image#" + std::to_string(i + 1)));
  if (scan.codesSkipped) list->results.push_back(makeResult(v, v.codesSkipped(now), "image"));
  *out = list.release();
  return TC_OK;
}

// The shared body of tc_verify_image and tc_verify_frame: they differ only
// in how hard the scan looks when the first decode finds nothing.
tc_code verifyPixels(const tc_verifier* verifier, const uint8_t* pixels, int width, int height, int channels,
                     int rowStride, int64_t now, const char* idNumber, const titlecert::scan::ScanOptions& options,
                     tc_result_list** out) {
  if (!out) return TC_INVALID_ARGUMENT;
  *out = nullptr;
  const bool shapeOk = width > 0 && height > 0 && (channels == 1 || channels == 3 || channels == 4) &&
                       rowStride >= width * channels && static_cast<long long>(width) * height <= titlecert::scan::kMaxImagePixels;
  if (!verifier || !pixels || !shapeOk) return TC_INVALID_ARGUMENT;
  if (!titlecert::scan::available()) return TC_NOT_IMPLEMENTED;  // text-only build
  return guarded([&] {
    const titlecert::scan::ImageView view{pixels, width, height, channels, rowStride};
    return verifyTexts(verifier, titlecert::scan::scanQrCodes(view, options), now, idNumber, out);
  });
}

}  // namespace

extern "C" {

const char* tc_version_string(void) { return TITLECERT_VERSION_STRING; }

const char* tc_code_name(tc_code code) { return titlecert::codeName(static_cast<Code>(code)).data(); }

const char* tc_code_message(tc_code code, tc_lang lang) {
  const auto c = static_cast<Code>(code);
  return (lang == TC_LANG_EN ? titlecert::codeEn(c) : titlecert::codeZh(c)).data();
}

tc_code tc_verifier_new(const uint8_t* bundle, size_t bundleLen, const char* rootPem, uint64_t minVersion,
                        tc_verifier** out) {
  if (!out) return TC_INVALID_ARGUMENT;
  *out = nullptr;
  if (!bundle || !rootPem) return TC_INVALID_ARGUMENT;
  return guarded([&] {
    auto root = titlecert::crypto::PublicKey::fromPem(rootPem);
    if (!root) return toC(root.code());
    auto v = Verifier::create(titlecert::ByteView(bundle, bundleLen), *root, minVersion);
    if (!v) return toC(v.code());
    *out = new tc_verifier{std::move(v).value()};
    return TC_OK;
  });
}

void tc_verifier_free(tc_verifier* verifier) { delete verifier; }

uint64_t tc_verifier_bundle_version(const tc_verifier* verifier) {
  return verifier ? verifier->verifier.contents().version : 0;
}

tc_code tc_verify_text(const tc_verifier* verifier, const char* text, size_t textLen, int64_t now,
                       const char* idNumber, tc_result** out) {
  if (!out) return TC_INVALID_ARGUMENT;
  *out = nullptr;
  if (!verifier || (!text && textLen > 0)) return TC_INVALID_ARGUMENT;
  return guarded([&] {
    const auto& v = verifier->verifier;
    *out = new tc_result(makeResult(v, v.verify(std::string_view(text ? text : "", textLen), now, optionsFor(idNumber)), "text"));
    return TC_OK;
  });
}

tc_code tc_verify_image(const tc_verifier* verifier, const uint8_t* pixels, int width, int height, int channels,
                        int rowStride, int64_t now, const char* idNumber, tc_result_list** out) {
  return verifyPixels(verifier, pixels, width, height, channels, rowStride, now, idNumber, {}, out);
}

tc_code tc_verify_frame(const tc_verifier* verifier, const uint8_t* pixels, int width, int height, int channels,
                        int rowStride, int64_t now, const char* idNumber, tc_result_list** out) {
  titlecert::scan::ScanOptions oneDecode;
  oneDecode.retryWhenNothingFound = false;
  return verifyPixels(verifier, pixels, width, height, channels, rowStride, now, idNumber, oneDecode, out);
}

tc_code tc_verify_image_file(const tc_verifier* verifier, const uint8_t* fileBytes, size_t fileLen, int64_t now,
                             const char* idNumber, tc_result_list** out) {
  if (!out) return TC_INVALID_ARGUMENT;
  *out = nullptr;
  if (!verifier || !fileBytes) return TC_INVALID_ARGUMENT;
  if (!titlecert::scan::available()) return TC_NOT_IMPLEMENTED;  // text-only build
  return guarded([&] {
    auto image = titlecert::scan::loadImage(titlecert::ByteView(fileBytes, fileLen));
    if (!image) return toC(image.code());
    return verifyTexts(verifier, titlecert::scan::scanQrCodes(titlecert::scan::viewOf(*image)), now, idNumber, out);
  });
}

size_t tc_result_list_size(const tc_result_list* list) { return list ? list->results.size() : 0; }

const tc_result* tc_result_list_at(const tc_result_list* list, size_t index) {
  return list && index < list->results.size() ? &list->results[index] : nullptr;
}

void tc_result_list_free(tc_result_list* list) { delete list; }

tc_code tc_result_code(const tc_result* r) { return r ? toC(r->outcome.code) : TC_INVALID_ARGUMENT; }
int tc_result_valid(const tc_result* r) { return r && r->outcome.valid() ? 1 : 0; }

int tc_result_holder_match(const tc_result* r) {
  if (!r || !r->outcome.holderMatch) return -1;
  return *r->outcome.holderMatch ? 1 : 0;
}

const char* tc_result_type(const tc_result* r) { return r ? r->type.c_str() : ""; }
const char* tc_result_iss(const tc_result* r) {
  return r && r->outcome.credential ? r->outcome.credential->iss.c_str() : "";
}
const char* tc_result_cert_no(const tc_result* r) {
  return r && r->outcome.credential ? r->outcome.credential->certNo.c_str() : "";
}
const char* tc_result_holder_name(const tc_result* r) {
  return r && r->outcome.credential ? r->outcome.credential->holderName.c_str() : "";
}
const char* tc_result_title_name(const tc_result* r, tc_lang lang) {
  if (!r) return "";
  return (lang == TC_LANG_EN ? r->titleEn : r->titleZh).c_str();
}
size_t tc_result_warning_count(const tc_result* r) { return r ? r->outcome.warnings.size() : 0; }
tc_code tc_result_warning_at(const tc_result* r, size_t index) {
  return r && index < r->outcome.warnings.size() ? toC(r->outcome.warnings[index]) : TC_INVALID_ARGUMENT;
}
const char* tc_result_json(const tc_result* r, tc_lang lang) { return r ? rendering(r, lang, true) : ""; }
const char* tc_result_text(const tc_result* r, tc_lang lang) { return r ? rendering(r, lang, false) : ""; }
void tc_result_free(tc_result* r) { delete r; }

}  // extern "C"
