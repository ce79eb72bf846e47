// The check page of titlecert-checkd in the system's headless Chromium:
// paste, photo upload and camera (Chromium's fake capture device playing a
// .y4m made here from a QR image) each reach the verdict the service gives;
// revoked and tampered texts show their codes. Screenshots at phone size go
// to SCREENSHOT_DIR/checkd-*.png.
//
//   node checkd.test.mjs CHECKD_BIN FIXTURE_DIR SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkList, launchChromium, PHONE, startCheckd } from './harness.mjs';

const [checkdBin, fixtureDir, screenshotDir] = process.argv.slice(2);
if (!screenshotDir) {
  console.error('usage: node checkd.test.mjs CHECKD_BIN FIXTURE_DIR SCREENSHOT_DIR');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'checkd-browser-'));
mkdirSync(screenshotDir, { recursive: true });



// A page at phone size that fails the test on any CSP violation or script error.
async function openPage(browser, origin) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  await page.goto(origin + '/', { waitUntil: 'load' });
  return { page, problems };
}

async function verdictOf(page) {
  await page.waitForSelector('#verdict[data-code]', { timeout: 20000 });
  return page.$eval('#verdict', (v) => ({ code: v.dataset.code, valid: v.dataset.valid, text: v.textContent }));
}

async function shot(page, name) {
  await page.screenshot({ path: join(screenshotDir, `checkd-${name}.png`), fullPage: true });
}

async function pasteAndCheck(browser, origin, fixtureName) {
  const { page, problems } = await openPage(browser, origin);
  const text = readFileSync(join(fixtureDir, `${fixtureName}.txt`), 'utf8').trim();
  await page.$eval('#text', (el, value) => { el.value = value; }, text);
  await page.click('#check');
  const verdict = await verdictOf(page);
  const shown = await page.$eval('main', (m) => m.innerText);
  await shot(page, fixtureName);
  assert.deepEqual(problems, []);
  await page.close();
  return { verdict, shown };
}

// "A photo of a printed card": the fixture QR drawn onto a card with text,
// on a grey table, slightly turned — rendered by the browser into a PNG.
async function makeCardPhoto(browser) {
  const page = await browser.newPage();
  const qr = readFileSync(join(fixtureDir, 'valid.png')).toString('base64');
  const dataUrl = await page.evaluate(async (qrBase64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${qrBase64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = 1600; c.height = 1200;
    const g = c.getContext('2d');
    g.fillStyle = '#8a8f96'; g.fillRect(0, 0, c.width, c.height);
    g.translate(800, 600); g.rotate(-0.06);
    g.fillStyle = '#fbf6ea'; g.fillRect(-650, -420, 1300, 840);
    g.fillStyle = '#7a1f1f'; g.font = 'bold 56px sans-serif';
    g.fillText('专业技术职务任职资格证书', -600, -320);
    g.fillStyle = '#222'; g.font = '40px sans-serif';
    g.fillText('姓名：张三', -600, -200);
    g.fillText('资格名称：高级工程师', -600, -130);
    g.drawImage(img, 120, -250, 480, 480);
    return c.toDataURL('image/png');
  }, qr);
  await page.close();
  const file = join(work, 'card-photo.png');
  writeFileSync(file, Buffer.from(dataUrl.split(',')[1], 'base64'));
  return file;
}

// A .y4m clip (YUV 4:2:0) of the QR centred on white: Chromium's fake camera.
async function makeQrVideo(browser) {
  const W = 640, H = 480;
  const page = await browser.newPage();
  const qr = readFileSync(join(fixtureDir, 'valid.png')).toString('base64');
  const rgba = Buffer.from(await page.evaluate(async (qrBase64, w, h) => {
    const img = new Image();
    img.src = `data:image/png;base64,${qrBase64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const g = c.getContext('2d');
    g.fillStyle = '#fff'; g.fillRect(0, 0, w, h);
    const side = h - 60;
    g.drawImage(img, (w - side) / 2, 30, side, side);
    const data = g.getImageData(0, 0, w, h).data;
    let s = '';
    for (let i = 0; i < data.length; i += 8192) s += String.fromCharCode(...data.subarray(i, i + 8192));
    return btoa(s);
  }, qr, W, H), 'base64');
  await page.close();
  const y = Buffer.alloc(W * H);
  for (let i = 0; i < W * H; i++) {
    y[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128); // grey: no colour
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  const file = join(work, 'qr.y4m');
  writeFileSync(file, Buffer.concat([header, ...Array(5).fill(frame)]));
  return file;
}

const { check, report } = checkList();

const { child, origin } = await startCheckd(checkdBin, fixtureDir, ['--rate', '50', '--burst', '200']);
let browser;
try {
  browser = await launchChromium();
  await check('paste a valid text: verdict OK with holder, title and issuer', async () => {
    const { verdict, shown } = await pasteAndCheck(browser, origin, 'valid');
    assert.equal(verdict.code, 'OK');
    assert.equal(verdict.valid, 'true');
    assert.match(verdict.text, /有效/);
    assert.match(shown, /张三/);
    assert.match(shown, /高级工程师/);
    assert.match(shown, /乌鲁木齐高新区人力资源和社会保障局/);
  });
  await check('paste a revoked text: REVOKED with its reason', async () => {
    const { verdict, shown } = await pasteAndCheck(browser, origin, 'revoked');
    assert.equal(verdict.code, 'REVOKED');
    assert.equal(verdict.valid, 'false');
    assert.match(shown, /证书已被撤销/);
  });
  await check('paste a tampered text: BAD_SIGNATURE and no holder shown', async () => {
    const { verdict, shown } = await pasteAndCheck(browser, origin, 'forged');
    assert.equal(verdict.code, 'BAD_SIGNATURE');
    assert.equal(verdict.valid, 'false');
    assert.doesNotMatch(shown, /张三/);
  });
  await check('upload a photo of a printed card: verdict OK', async () => {
    const photo = await makeCardPhoto(browser);
    const { page, problems } = await openPage(browser, origin);
    const input = await page.$('input#image[type=file]');
    await input.uploadFile(photo);
    const verdict = await verdictOf(page);
    await shot(page, 'photo');
    assert.equal(verdict.code, 'OK');
    assert.deepEqual(problems, []);
    await page.close();
  });
  const video = await makeQrVideo(browser);
  await browser.close();

  browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`]);
  await check('scan with the camera (fake capture device): verdict OK', async () => {
    const { page, problems } = await openPage(browser, origin);
    await page.click('button#camera');
    const verdict = await verdictOf(page);
    await shot(page, 'camera');
    assert.equal(verdict.code, 'OK');
    assert.equal(await page.$eval('#scanner', (s) => s.hidden), true); // the camera stops once a code is read
    assert.deepEqual(problems, []);
    await page.close();
  });
  await check('the page fits a 360 px wide screen', async () => {
    const page = await browser.newPage();
    await page.setViewport({ ...PHONE, width: 360 });
    await page.goto(origin + '/');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await shot(page, 'start-360');
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    await page.close();
  });
} finally {
  if (browser) await browser.close();
  child.kill('SIGTERM');
}

report();
