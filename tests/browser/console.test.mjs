// The clerk console of titlecert-issuer in the system's headless Chromium,
// at phone size in Chinese and desktop size in English: sign in with a clerk's token, check
// eligibility and issue one title, upload a small CSV batch (UTF-8 with a
// BOM, semicolons, Chinese column labels) and see it finish, find the
// certificate and revoke it. Before that, an engineering title whose route
// has rules: the applicant's profile typed into the form, the explanation
// of what is missing in the page's language and, after the language
// button, in the other; a refusal explained the same way; then the missing
// hours added and the title issued. Screenshots go to
// SCREENSHOT_DIR/console-*.png.
//
//   node console.test.mjs ISSUER_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, listening } from './harness.mjs';

const [issuerBin, screenshotDir] = process.argv.slice(2);
if (!screenshotDir) {
  console.error('usage: node console.test.mjs ISSUER_BIN SCREENSHOT_DIR');
  process.exit(2);
}
const SIZES = {
  phone: { width: 390, height: 844, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
  desktop: { width: 1280, height: 900, deviceScaleFactor: 1 },
};
const work = mkdtempSync(join(tmpdir(), 'console-browser-'));
const data = join(work, 'data');
const env = { ...process.env, TITLECERT_PASSPHRASE: 'console-browser-test' };
mkdirSync(screenshotDir, { recursive: true });

// A mainland ID number with its GB 11643 check character (region 650102, born 1990-01-01).
function cnId(sequence) {
  const body = '65010219900101' + String(sequence).padStart(3, '0');
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return 'CN:' + body + '10X98765432'[sum % 11];
}

function issuer(args) { return JSON.parse(execFileSync(issuerBin, args, { env, encoding: 'utf8' })); }

function startIssuer() {
  const child = spawn(issuerBin, ['serve', '--data', data, '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return listening(child, child.stderr, 'titlecert-issuer');
}

const OTHER = { zh: 'en', en: 'zh' };
// The engineer's employer, with 72 insured months there in the imported
// social-security record (measure 12).
const EMPLOYER = '新疆某生物医药有限公司';
const ENGLISH_SENTENCE = /[A-Za-z]{2,}( [A-Za-z]{2,}){2,}/;

// Waits until the selector's text reads as `language` (Chinese: CJK and no
// English sentence; English: an English sentence) and returns it.
async function textIn(page, selector, language) {
  await page.waitForFunction((sel, lang, english) => {
    const node = document.querySelector(sel);
    if (!node) return false;
    const sentence = new RegExp(english).test(node.textContent);
    return lang === 'zh' ? /[\u4e00-\u9fff]/.test(node.textContent) && !sentence : sentence;
  }, { timeout: 15000 }, selector, language, ENGLISH_SENTENCE.source);
  return page.$eval(selector, (n) => n.textContent);
}

// An engineer (5 / 501 / level 3) by review: a route with rules, so the
// profile form is filled; eligible only with 90 hours of continuing education.
async function issueWithProfile(page, size, lang) {
  await page.select('#series', '5');
  await page.select('#specialty', '501');
  await page.select('#level', '3');
  await page.select('#route', 'review');
  await page.$eval('#granted', (el) => { el.value = '2026-11-20'; });
  await page.click('#profile-box > summary');
  await page.select('#p-education', 'bachelor');
  await page.$eval('#p-graduated', (el) => { el.value = '2020-07-01'; });
  await page.$eval('#p-work-since', (el) => { el.value = '2020-07-15'; });
  await page.select('#p-title', '2');
  await page.$eval('#p-title-granted', (el) => { el.value = '2021-08-01'; });
  await page.click('#check-eligibility');
  const review = '#eligibility .verdict[data-route=review]';
  const explained = await textIn(page, review + ' .hint', lang);
  assert.equal(await page.$eval(review, (v) => v.dataset.verdict), 'not_eligible');
  await shot(page, size, 'profile-' + lang);
  await page.click('#lang');
  const translated = await textIn(page, review + ' .hint', OTHER[lang]);
  assert.notEqual(translated, explained);
  await shot(page, size, 'profile-' + OTHER[lang]);
  await page.click('#lang');
  await textIn(page, review + ' .hint', lang);

  await page.click('#issue button[type=submit]');
  await page.waitForSelector('#issued [data-cert-no], #issued .error', { timeout: 20000 });
  assert.equal(await page.$eval('#issued .error', (e) => e.dataset.error), 'ROUTE_NOT_ELIGIBLE');
  await textIn(page, '#issued .error', lang);
  await textIn(page, '#issued .hint', lang);
  await shot(page, size, 'refused');

  await page.$eval('#p-hours', (el) => { el.value = ''; });
  await page.type('#p-hours', '90');
  await page.click('#check-eligibility');
  await page.waitForSelector(review + '[data-verdict=eligible]', { timeout: 15000 });
  // Measure 12: the years at the employer, backed by the imported
  // social-security record, and both integrity commitments.
  await page.$eval('#employer', (el) => { el.value = ''; });
  await page.type('#employer', EMPLOYER);
  await page.type('#p-years', '5');
  await page.$eval('#p-applicant-signed', (el) => { el.value = '2026-11-10'; });
  await page.$eval('#p-employer-signed', (el) => { el.value = '2026-11-11'; });
  await page.type('#p-commitment-text', 'XJ-2026-1');
  await page.click('#issue button[type=submit]');
  await page.waitForSelector('#issued [data-cert-no], #issued .error', { timeout: 20000 });
  const issued = await page.$eval('#issued', (el) => ({ no: el.querySelector('[data-cert-no]')?.dataset.certNo, text: el.innerText }));
  assert.ok(issued.no, `the engineer was not issued: ${issued.text}`);
  await page.click('#profile-box > summary');
}

async function shot(page, size, name) {
  await page.screenshot({ path: join(screenshotDir, `console-${size}-${name}.png`), fullPage: true });
}

// lang: the page's language for this run (the button switches it and the
// browser remembers the choice).
async function run(browser, origin, clerkToken, size, n, lang) {
  const page = await browser.newPage();
  await page.setViewport(SIZES[size]);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) problems.push(m.text()); });
  await page.goto(origin + '/console/', { waitUntil: 'load' });
  if ((await page.$eval('html', (h) => h.lang)) !== lang) await page.click('#lang');
  assert.equal(await page.$eval('#tabs [data-tab=issue]', (b) => b.textContent), lang === 'zh' ? '签发' : 'Issue');
  await shot(page, size, 'signin');

  // Sign in.
  await page.type('#token', clerkToken);
  await page.click('#signin button[type=submit]');
  await page.waitForSelector('#work:not([hidden])', { timeout: 10000 });

  // Issue one title, every code from the catalogue's pickers; eligibility first.
  const name = size === 'phone' ? '欧阳娜娜' : '买买提·艾力';
  await page.type('#holder-name', name);
  await page.type('#holder-id', cnId(100 + n));
  await issueWithProfile(page, size, lang);
  await page.select('#series', '4');
  await page.select('#specialty', '401');
  await page.select('#level', '3');
  await page.select('#route', 'review');
  await page.$eval('#granted', (el) => { el.value = '2026-11-20'; });
  await page.type('#approval-no', '新高人社职〔2026〕12号');
  await page.$eval('#employer', (el) => { el.value = ''; });
  await page.type('#employer', '新疆某医院');
  await page.click('#check-eligibility');
  await page.waitForSelector('#eligibility .verdict', { timeout: 10000 });
  const routes = await page.$$eval('#eligibility .verdict', (v) => v.map((x) => x.dataset.route));
  assert.ok(routes.includes('review'), `eligibility answered ${routes}`);
  await page.click('#issue button[type=submit]');
  await page.waitForSelector('#issued [data-cert-no], #issued .error', { timeout: 20000 });
  const issued = await page.$eval('#issued', (el) => ({ no: el.querySelector('[data-cert-no]')?.dataset.certNo, text: el.innerText }));
  assert.ok(issued.no, `not issued: ${issued.text}`);
  const certNo = issued.no;
  await shot(page, size, 'issue');

  // A batch as a clerk saves it from a spreadsheet.
  const csv = '\ufeff姓名;证件号码;系列;专业;级别;取得途径;授予日期;工作单位\r\n' +
    `甲${n};${cnId(200 + n)};4;401;3;review;2026-11-20;"新疆某医院;内科"\r\n` +
    `乙${n};${cnId(300 + n)};999;401;3;review;2026-11-20;\r\n` +
    `丙${n};${cnId(400 + n)};4;401;3;review;2026-11-20;\r\n`;
  const file = join(work, `batch-${size}.csv`);
  writeFileSync(file, csv);
  await page.click('#tabs [data-tab=batch]');
  const input = await page.$('#batch-file');
  await input.uploadFile(file);
  await page.click('#batch-upload');
  await page.waitForSelector('#batch-state[data-state=done]', { timeout: 30000 });
  const progress = await page.$eval('#batch-progress', (p) => [p.value, p.max]);
  assert.deepEqual(progress, [3, 3]);
  const statuses = await page.$$eval('#batch-results tr', (rows) => rows.map((r) => r.dataset.status));
  assert.deepEqual(statuses, ['issued', 'error', 'issued']);
  // The refused row's reason (and so the result file's) in the page's language.
  await textIn(page, '#batch-results tr[data-status=error] td:nth-child(4)', lang);
  assert.equal(await page.$eval('#batch-download', (a) => a.hidden), false);
  await shot(page, size, 'batch');

  // Find the single issuance by number and revoke it.
  await page.click('#tabs [data-tab=find]');
  await page.type('#query', certNo);
  await page.click('#find button[type=submit]');
  await page.waitForSelector(`#found .card[data-cert-no="${certNo}"]`, { timeout: 10000 });
  await page.type('#found .revoke-reason', '证书信息有误 wrong details');
  await page.click('#found .revoke');
  await page.waitForSelector(`#found .card[data-cert-no="${certNo}"][data-revoked=true]`, { timeout: 10000 });
  const shown = await page.$eval('#found', (f) => f.innerText);
  assert.ok(shown.includes(name), 'the found card names the holder');
  await shot(page, size, 'revoke');

  // The other language on request.
  await page.click('#lang');
  assert.equal(await page.$eval('#tabs [data-tab=issue]', (b) => b.textContent), lang === 'zh' ? 'Issue' : '签发');
  assert.deepEqual(problems, []);
  await page.close();
}

let server;
let browser;
try {
  issuer(['init', '--data', data, '--alg', 'EdDSA']);
  const clerk = issuer(['token', 'create', '--data', data, '--role', 'clerk']).token;
  const insured = join(work, 'social-security.csv');
  writeFileSync(insured, ['证件号码,单位名称,参保月数', ...[1, 2].map((n) => `${cnId(100 + n)},${EMPLOYER},72`)].join('\n') + '\n');
  issuer(['social-security', 'import', '--data', data, insured]);
  server = await startIssuer();
  browser = await launchChromium();
  await run(browser, server.origin, clerk, 'phone', 1, 'zh');
  await run(browser, server.origin, clerk, 'desktop', 2, 'en');
  console.log('console: sign in, profile and eligibility in both languages, issue, batch, revoke at phone and desktop size: ok');
} finally {
  if (browser) await browser.close();
  if (server) server.child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
