// The check page: verifies a pasted text, a photo, or camera frames and
// shows the verdict. At / it asks the service (POST /v1/verify); at
// /offline/ the same page verifies in this browser with the WebAssembly
// verifier against the published bundle and root key, which a service worker
// (/offline/sw.js) keeps for use without a network. Everything from an
// answer is set with textContent: a signed certificate's text can still be
// hostile.
'use strict';

const OFFLINE = location.pathname.startsWith('/offline/');

const REASONS_EN = {
  OK: 'valid',
  NO_CODE_FOUND: 'no QR code found in the image',
  NOT_ZC1: 'not a titlecert code (no ZC1: prefix)',
  BAD_ENCODING: "the code's text is not valid Base45",
  BAD_CBOR: 'malformed or oversized data',
  BAD_COSE: 'not a signature of the required shape',
  UNSUPPORTED_ALG: 'signature algorithm unsupported',
  UNKNOWN_KID: 'issuer or key not in the trust list',
  BAD_SIGNATURE: 'invalid signature: the certificate may be forged or altered',
  BAD_CLAIMS: 'certificate content missing or invalid',
  UNSUPPORTED_VERSION: 'the certificate has a field this version does not define',
  KEY_NOT_VALID: "issued outside the signing key's validity window",
  OUT_OF_SCOPE: 'the issuer is not authorised for this kind of certificate',
  NOT_YET_VALID: 'the certificate is not yet valid',
  EXPIRED: 'the certificate has expired',
  REVOKED: 'the certificate has been revoked',
  NOT_RECOGNIZED: 'authentic, but issued in a region not recognised here',
  HOLDER_MISMATCH: 'the ID number does not match the holder',
};

const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
const MAX_SIDE = 3000;          // larger photos are scaled down before sending
const CAMERA_INTERVAL_MS = 600; // frames per second stay under the rate limit

const $ = (id) => document.getElementById(id);

function setText(id, text) {
  $(id).textContent = text == null ? '' : String(text);
}

function bilingual(pair) {
  if (!pair) return '';
  return pair.en && pair.en !== pair.zh ? `${pair.zh} / ${pair.en}` : pair.zh;
}

function showMessage(zh, en, pending) {
  const verdict = $('verdict');
  verdict.removeAttribute('data-code');
  verdict.removeAttribute('data-valid');
  verdict.classList.toggle('pending', Boolean(pending));
  verdict.replaceChildren(line('zh', zh), line('en', en));
  $('reason').hidden = true;
  $('details').hidden = true;
}

function line(className, text) {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  return span;
}

function showResult(r) {
  const verdict = $('verdict');
  verdict.classList.remove('pending');
  const big = line('big', r.valid ? '有效' : '无效');
  verdict.replaceChildren(big, line('en', r.valid ? 'Valid' : 'Not valid'));
  verdict.dataset.code = r.code;
  verdict.dataset.valid = r.valid ? 'true' : 'false';
  const reason = $('reason');
  reason.hidden = r.valid;
  reason.textContent = `${r.message || ''} — ${REASONS_EN[r.code] || r.code} (${r.code})`;
  const known = r.holder_name != null;
  $('details').hidden = !known;
  if (!known) return;
  setText('holder', r.holder_name);
  setText('title', r.title_name ? bilingual(r.title_name) : r.qualification ? bilingual(r.qualification) : '');
  setText('issuer', r.issuer_name ? bilingual(r.issuer_name) : r.iss);
  setText('certno', r.cert_no);
  setText('granted', r.grant_date || r.date_obtained || '');
  setText('holdermatch', r.holder_match == null ? '未核对 / not checked'
    : r.holder_match ? '一致 / matches' : '不一致 / does not match');
}

// The most telling of several codes in one image: a valid one, else the first.
function pick(results) {
  return results.find((r) => r.valid) || results.find((r) => r.code !== 'NO_CODE_FOUND') || results[0];
}

async function post(body, headers) {
  const response = await fetch('/v1/verify', { method: 'POST', body, headers });
  let json = null;
  try { json = await response.json(); } catch (e) { json = null; }
  return { status: response.status, json, retryAfter: Number(response.headers.get('Retry-After') || 0) };
}

function showError(reply) {
  if (reply.status === 429) return showMessage('请求过于频繁，请稍后再试', 'Too many requests; try again shortly');
  if (reply.status === 413) return showMessage('内容过大', 'Too large');
  const message = reply.json && reply.json.message ? reply.json.message : `HTTP ${reply.status}`;
  return showMessage('无法核验', `Could not check: ${message}`);
}

function idNumber() {
  return $('idnumber').value.trim();
}

async function checkText() {
  const text = $('text').value.trim();
  if (!text) return;
  showMessage('正在核验…', 'Checking…', true);
  try {
    const reply = await engine.verifyText(text, idNumber());
    if (reply.status === 200 && reply.json) showResult(reply.json); else showError(reply);
  } catch (e) {
    showFailure(e);
  }
}

function showFailure(e) {
  if (e && e.offlineMessage) return showMessage(e.offlineMessage.zh, e.offlineMessage.en);
  return showMessage('网络错误', 'Network error');
}

function imageHeaders(type) {
  const headers = { 'Content-Type': type };
  if (idNumber()) headers['X-Titlecert-Id'] = idNumber();
  return headers;
}

// Where verification happens. Both answer { status, json } with the JSON of
// POST /v1/verify: an object for a text, { results: [...] } for an image.
const serverEngine = {
  verifyText(text, id) {
    const body = { text };
    if (id) body.id = id;
    return post(JSON.stringify(body), { 'Content-Type': 'application/json' });
  },
  verifyImage(blob, type) {
    return post(blob, imageHeaders(type));
  },
};

const offline = { verifier: null, loading: null, reader: null };

function offlineError(zh, en) {
  const error = new Error(en);
  error.offlineMessage = { zh, en };
  return error;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(offlineError('离线核验组件无法加载', 'The offline verifier could not be loaded'));
    document.head.append(script);
  });
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw offlineError('无法取得信任列表', 'The trust bundle could not be fetched');
  return response;
}

// The WebAssembly verifier over /bundle and /root.pub.pem (from the service
// worker's cache when there is no network), loaded once.
function offlineVerifier() {
  if (!offline.loading) {
    offline.loading = (async () => {
      await loadScript('/offline/titlecert_crypto.js');
      await loadScript('/offline/titlecert_wasm.js');
      await loadScript('/offline/titlecert_verifier.js');
      const [bundle, rootPem] = await Promise.all([
        fetchOk('/bundle').then((r) => r.arrayBuffer()),
        fetchOk('/root.pub.pem').then((r) => r.text()),
      ]);
      offline.verifier = await window.titlecertWasm.loadVerifier(window.createTitlecertModule,
        new Uint8Array(bundle), rootPem);
      return offline.verifier;
    })();
    offline.loading.catch(() => { offline.loading = null; });
  }
  return offline.loading;
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

// QR texts in an image, decoded in the browser by ZXing-C++ compiled to
// WebAssembly (zxing-wasm, served and cached beside the verifier).
function qrReader() {
  if (!offline.reader) {
    offline.reader = loadScript('/offline/zxing_reader.js').then(() => {
      window.ZXingWASM.prepareZXingModule({
        overrides: { locateFile: (path, prefix) => (path.endsWith('.wasm') ? '/offline/zxing_reader.wasm' : prefix + path) },
        fireImmediately: true,
      });
      return window.ZXingWASM;
    });
    offline.reader.catch(() => { offline.reader = null; });
  }
  return offline.reader;
}

async function qrTexts(blob) {
  const zxing = await qrReader();
  const found = await zxing.readBarcodes(blob, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 8 });
  return found.filter((r) => r.isValid).map((r) => r.text);
}

const offlineEngine = {
  async verifyText(text, id) {
    const verifier = await offlineVerifier();
    return { status: 200, json: verifier.verify(text, nowSeconds(), id, 'zh') };
  },
  async verifyImage(blob) {
    const verifier = await offlineVerifier();
    const texts = await qrTexts(blob);
    const results = texts.map((t) => verifier.verify(t, nowSeconds(), idNumber(), 'zh'));
    if (results.length === 0) results.push({ code: 'NO_CODE_FOUND', valid: false, message: '图片中未找到二维码' });
    return { status: 200, json: { results } };
  },
};

const engine = OFFLINE ? offlineEngine : serverEngine;

// The offline page: says so, registers the service worker, loads the
// verifier, and marks #mode data-ready="true" once it can verify.
async function startOffline() {
  document.querySelector('.privacy').replaceChildren(
    line('zh', '离线核验：证书只在本机浏览器中核验，不发送到任何地方。'),
    line('en', 'Offline check: certificates are verified in this browser only and sent nowhere.'));
  const mode = $('mode');
  mode.hidden = false;
  mode.textContent = '正在准备离线核验… / Preparing the offline check…';
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/offline/sw.js', { scope: '/offline/' }).catch(() => {});
  }
  try {
    const verifier = await offlineVerifier();
    qrReader().catch(() => {});  // fetched now, so that photos work offline too
    mode.textContent = `离线核验已就绪（信任列表第 ${verifier.bundleVersion} 版）` +
      ` / Offline check ready (trust bundle version ${verifier.bundleVersion})`;
    mode.dataset.ready = 'true';
  } catch (e) {
    mode.textContent = e.offlineMessage ? `${e.offlineMessage.zh} / ${e.offlineMessage.en}`
      : '离线核验不可用 / The offline check is not available';
    mode.dataset.ready = 'false';
  }
}

// A PNG of the drawable (video frame or image), at most MAX_SIDE on a side.
function toPng(source, width, height) {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.getContext('2d').drawImage(source, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

async function uploadImage(file) {
  showMessage('正在识别照片…', 'Reading the photo…', true);
  try {
    let blob = file;
    if (!(file.type === 'image/png' || file.type === 'image/jpeg') || file.size > MAX_UPLOAD_BYTES) {
      const bitmap = await createImageBitmap(file);
      blob = await toPng(bitmap, bitmap.width, bitmap.height);
    }
    const reply = await engine.verifyImage(blob, blob.type || file.type);
    if (reply.status === 200 && reply.json) showResult(pick(reply.json.results)); else showError(reply);
  } catch (e) {
    if (e && e.offlineMessage) return showFailure(e);
    showMessage('无法读取该照片', 'This photo could not be read');
  }
}

// Continuous scanning: one frame at a time, never two requests at once,
// until a code is found or the user stops.
const camera = { stream: null, timer: 0 };

async function startCamera() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    showMessage('此浏览器无法使用相机', 'This browser cannot use the camera');
    return;
  }
  try {
    camera.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
  } catch (e) {
    showMessage('无法打开相机', 'The camera could not be opened');
    return;
  }
  const video = $('preview');
  video.srcObject = camera.stream;
  await video.play();
  $('scanner').hidden = false;
  showMessage('请将二维码对准相机', 'Point the camera at the QR code', true);
  scheduleFrame(0);
}

function scheduleFrame(delay) {
  camera.timer = setTimeout(scanFrame, delay);
}

async function scanFrame() {
  if (!camera.stream) return;
  const video = $('preview');
  if (!video.videoWidth) return scheduleFrame(CAMERA_INTERVAL_MS);
  try {
    const blob = await toPng(video, video.videoWidth, video.videoHeight);
    const reply = await engine.verifyImage(blob, 'image/png');
    if (!camera.stream) return;
    if (reply.status === 429) return scheduleFrame(Math.max(1, reply.retryAfter) * 1000);
    if (reply.status === 200 && reply.json) {
      const result = pick(reply.json.results);
      if (result.code !== 'NO_CODE_FOUND') {
        stopCamera();
        showResult(result);
        return;
      }
    }
  } catch (e) {
    // A lost frame or a network blip: try the next one.
  }
  scheduleFrame(CAMERA_INTERVAL_MS);
}

function stopCamera() {
  clearTimeout(camera.timer);
  if (camera.stream) camera.stream.getTracks().forEach((t) => t.stop());
  camera.stream = null;
  $('preview').srcObject = null;
  $('scanner').hidden = true;
}

document.addEventListener('DOMContentLoaded', () => {
  if (OFFLINE) startOffline();
  $('check').addEventListener('click', checkText);
  $('text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) checkText();
  });
  $('text').addEventListener('paste', () => setTimeout(checkText, 0));
  $('image').addEventListener('change', () => {
    const file = $('image').files[0];
    if (file) uploadImage(file);
    $('image').value = '';
  });
  $('camera').addEventListener('click', () => (camera.stream ? stopCamera() : startCamera()));
  $('stop').addEventListener('click', stopCamera);
});
