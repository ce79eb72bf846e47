// What the browser tests share: Debian's chromium launched headless, a
// titlecert-checkd on a free port, and named checks reported at the end.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
export const FIXTURE_NOW = '2026-11-27T01:00:00Z'; // the fixture bundle's issued-at plus an hour

// Headless chromium in Chinese; root (CI) needs --no-sandbox.
export function launchChromium(extraArgs = [], viewport = PHONE) {
  const args = ['--headless=new', '--disable-gpu', '--lang=zh-CN', ...extraArgs];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return puppeteer.launch({ executablePath: CHROMIUM, args, defaultViewport: viewport });
}

// titlecert-checkd over the fixture's bundle at FIXTURE_NOW, on a port it picks.
export function startCheckd(checkdBin, fixtureDir, extraArgs = []) {
  const child = spawn(checkdBin, [
    '--root', join(fixtureDir, 'root.pub.pem'), '--bundle', join(fixtureDir, 'bundle.cbor'),
    '--listen', '127.0.0.1:0', '--now', FIXTURE_NOW, ...extraArgs,
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  return listening(child, child.stdout, 'titlecert-checkd');
}

// A server started on port 0 says "listening on ADDRESS:PORT" on `stream`:
// resolves {child, origin} then, rejects when it exits first.
export function listening(child, stream, name) {
  return new Promise((resolve, reject) => {
    let out = '';
    stream.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on [\d.]+:(\d+)/);
      if (m) resolve({ child, origin: `http://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
  });
}

// Each check runs even when an earlier one failed; report() prints them all
// and exits 1 when any failed.
export function checkList() {
  const results = [];
  return {
    async check(name, fn) {
      const started = Date.now();
      try {
        await fn();
        results.push(`ok   ${name} (${Date.now() - started} ms)`);
      } catch (e) {
        results.push(`FAIL ${name}: ${e.stack || e}`);
      }
    },
    report() {
      console.log(results.join('\n'));
      process.exit(results.some((r) => r.startsWith('FAIL')) ? 1 : 0);
    },
  };
}
