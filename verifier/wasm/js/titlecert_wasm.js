// The offline verifier's JavaScript face over the WebAssembly module's C API
// (verifier/include/titlecert/verify.h): loadVerifier(createModule, bundle,
// rootPem) -> { bundleVersion, verify(text, nowSeconds, id, lang), free() }.
// verify answers the same JSON object as POST /v1/verify for a text. The
// crypto backend (globalThis.titlecertCrypto) must be loaded first.
// Works as a CommonJS module (node) and as a classic script (the page:
// globalThis.titlecertWasm).
(function (root) {
  'use strict';

  const LANG = { zh: 0, en: 1 };

  function cString(m, text) {
    const size = m.lengthBytesUTF8(text) + 1;
    const ptr = m._malloc(size);
    m.stringToUTF8(text, ptr, size);
    return ptr;
  }

  function codeName(m, code) {
    return m.UTF8ToString(m._tc_code_name(code));
  }

  async function loadVerifier(createModule, bundleBytes, rootPem) {
    if (!root.titlecertCrypto) throw new Error('the crypto backend (titlecert_crypto.js) is not loaded');
    const m = await createModule();
    const bundle = m._malloc(bundleBytes.length || 1);
    m.HEAPU8.set(bundleBytes, bundle);
    const pem = cString(m, rootPem);
    const out = m._malloc(4);
    const code = m._tc_verifier_new(bundle, bundleBytes.length, pem, 0n, out);
    const handle = m.getValue(out, 'i32');
    [bundle, pem, out].forEach((p) => m._free(p));
    if (code !== 0) {
      const error = new Error('the bundle was refused: ' + codeName(m, code));
      error.code = codeName(m, code);
      throw error;
    }
    return {
      bundleVersion: Number(m._tc_verifier_bundle_version(handle)),
      verify(text, nowSeconds, id, lang) {
        const bytes = new TextEncoder().encode(text);
        const textPtr = m._malloc(bytes.length || 1);
        m.HEAPU8.set(bytes, textPtr);
        const idPtr = id ? cString(m, id) : 0;
        const resultOut = m._malloc(4);
        const rc = m._tc_verify_text(handle, textPtr, bytes.length, BigInt(Math.floor(nowSeconds)), idPtr, resultOut);
        const result = m.getValue(resultOut, 'i32');
        [textPtr, idPtr, resultOut].forEach((p) => p && m._free(p));
        if (rc !== 0) throw new Error('verify refused its arguments: ' + codeName(m, rc));
        const json = m.UTF8ToString(m._tc_result_json(result, LANG[lang] ?? LANG.zh));
        m._tc_result_free(result);
        return JSON.parse(json);
      },
      free() {
        m._tc_verifier_free(handle);
      },
    };
  }

  const api = { loadVerifier };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.titlecertWasm = api;
})(globalThis);
