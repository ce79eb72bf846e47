// The offline check page (/offline/) of titlecert-checkd in the system's
// headless Chromium: it loads, its service worker caches the page, the
// WebAssembly verifier, the bundle and the root key; then the network is cut
// (the service is stopped and the page set offline) and, after a reload from
// the cache, a valid, a revoked and a tampered certificate get their codes,
// verified in the browser, and a photo of a QR code is read in the browser. Screenshots at phone size go to
// SCREENSHOT_DIR/offline-*.png. The page's clock is pinned to the fixture's.
//
//   node offline.test.mjs CHECKD_BIN FIXTURE_DIR SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkList, FIXTURE_NOW, launchChromium, startCheckd } from './harness.mjs';

const [checkdBin, fixtureDir, screenshotDir] = process.argv.slice(2);
if (!screenshotDir) {
  console.error('usage: node offline.test.mjs CHECKD_BIN FIXTURE_DIR SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(screenshotDir, { recursive: true });


function stop(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
}

async function shot(page, name) {
  await page.screenshot({ path: join(screenshotDir, `offline-${name}.png`), fullPage: true });
}

async function waitReady(page) {
  await page.waitForSelector('#mode[data-ready]', { timeout: 30000 });
  const mode = await page.$eval('#mode', (m) => ({ ready: m.dataset.ready, text: m.textContent }));
  assert.equal(mode.ready, 'true', `offline verifier not ready: ${mode.text}`);
  return mode.text;
}

async function pasteAndCheck(page, fixtureName) {
  const text = readFileSync(join(fixtureDir, `${fixtureName}.txt`), 'utf8').trim();
  await page.$eval('#text', (el, value) => { el.value = value; }, text);
  await page.click('#check');
  await page.waitForSelector('#verdict[data-code]', { timeout: 20000 });
  const verdict = await page.$eval('#verdict', (v) => ({ code: v.dataset.code, valid: v.dataset.valid }));
  const shown = await page.$eval('main', (m) => m.innerText);
  await shot(page, fixtureName);
  return { verdict, shown };
}

async function uploadAndCheck(page, file, shotName) {
  await page.$eval('#verdict', (v) => v.removeAttribute('data-code'));
  const input = await page.$('input#image[type=file]');
  await input.uploadFile(join(fixtureDir, file));
  await page.waitForSelector('#verdict[data-code]', { timeout: 30000 });
  await shot(page, shotName);
  return page.$eval('#verdict', (v) => ({ code: v.dataset.code, valid: v.dataset.valid }));
}

const { check, report } = checkList();

const { child, origin } = await startCheckd(checkdBin, fixtureDir);
let serverRunning = true;
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  const fixedMs = Date.parse(FIXTURE_NOW);
  await page.evaluateOnNewDocument((ms) => { Date.now = () => ms; }, fixedMs);

  await check('online: the offline page loads its verifier and its service worker takes control', async () => {
    await page.goto(origin + '/offline/', { waitUntil: 'load' });
    assert.match(await waitReady(page), /version 7/);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    // The first load registered the worker; a reload puts the page under it.
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true);
    await shot(page, 'ready-online');
    assert.deepEqual(problems, []);
  });

  await stop(child);
  serverRunning = false;
  await page.setOfflineMode(true);

  await check('offline: the page reloads from the cache with the service stopped', async () => {
    await page.reload({ waitUntil: 'load' });
    assert.match(await waitReady(page), /离线核验已就绪/);
    const privacy = await page.$eval('.privacy', (p) => p.innerText);
    assert.match(privacy, /sent nowhere/);
  });
  await check('offline: a valid certificate is OK, with holder and title', async () => {
    const { verdict, shown } = await pasteAndCheck(page, 'valid');
    assert.equal(verdict.code, 'OK');
    assert.equal(verdict.valid, 'true');
    assert.match(shown, /张三/);
    assert.match(shown, /高级工程师/);
  });
  await check('offline: a revoked certificate is REVOKED with its reason', async () => {
    const { verdict, shown } = await pasteAndCheck(page, 'revoked');
    assert.equal(verdict.code, 'REVOKED');
    assert.equal(verdict.valid, 'false');
    assert.match(shown, /证书已被撤销/);
  });
  await check('offline: a tampered certificate is BAD_SIGNATURE and shows no holder', async () => {
    const { verdict, shown } = await pasteAndCheck(page, 'forged');
    assert.equal(verdict.code, 'BAD_SIGNATURE');
    assert.equal(verdict.valid, 'false');
    assert.doesNotMatch(shown, /张三/);
  });
  await check('offline: a photo of the QR is read in the browser (zxing-wasm) and verified: OK', async () => {
    const verdict = await uploadAndCheck(page, 'valid.png', 'photo');
    assert.equal(verdict.code, 'OK');
  });
  await check('offline: an image without a code is NO_CODE_FOUND', async () => {
    const verdict = await uploadAndCheck(page, 'no_code.png', 'no-code');
    assert.equal(verdict.code, 'NO_CODE_FOUND');
    assert.equal(verdict.valid, 'false');
  });
  await check('offline: no script error and no CSP refusal on the page', async () => {
    assert.deepEqual(problems, []);
  });
} finally {
  await browser.close();
  if (serverRunning) child.kill('SIGTERM');
}

report();
