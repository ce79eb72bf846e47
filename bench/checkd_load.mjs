// Load bench of titlecert-checkd's POST /v1/verify: CLIENTS keep-alive
// clients post for SECONDS each, first texts (the fixture's valid title
// signed with SM2, Ed25519 and ES256, in turn), then a QR image; reported:
// requests per second, p50 and p99 latency, and every non-200 answer as an
// error. Next to it, the library's own rate on the same cores: titlecert-verify
// in batch mode (--jobs 0) over the same texts, CPU-bound, no HTTP.
//
//   node bench/checkd_load.mjs CHECKD_BIN VERIFY_BIN FIXTURE_DIR [CLIENTS] [SECONDS]
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';

const [checkdBin, verifyBin, fixtureDir, clientsArg = '16', secondsArg = '5'] = process.argv.slice(2);
if (!fixtureDir) {
  console.error('usage: node bench/checkd_load.mjs CHECKD_BIN VERIFY_BIN FIXTURE_DIR [CLIENTS] [SECONDS]');
  process.exit(2);
}
const CLIENTS = Number(clientsArg);
const SECONDS = Number(secondsArg);
const NOW = '2026-11-27T01:00:00Z';
const texts = ['valid', 'valid_ed25519', 'valid_es256'].map((n) => readFileSync(join(fixtureDir, `${n}.txt`), 'utf8').trim());
const png = readFileSync(join(fixtureDir, 'valid.png'));

function startCheckd() {
  const child = spawn(checkdBin, ['--root', join(fixtureDir, 'root.pub.pem'), '--bundle', join(fixtureDir, 'bundle.cbor'),
    '--listen', '127.0.0.1:0', '--now', NOW, '--rate', '1000000', '--burst', '1000000'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/listening on [\d.]+:(\d+)/);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`titlecert-checkd exited with ${code}`)));
  });
}

function post(agent, port, body, type) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/verify', method: 'POST', agent,
      headers: { 'Content-Type': type, 'Content-Length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ok: res.statusCode === 200, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', (e) => resolve({ ok: false, status: e.code, ms: 0 }));
    req.end(body);
  });
}

async function load(port, makeBody, type) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies = [];
  let errors = 0;
  const errorKinds = {};
  const end = Date.now() + SECONDS * 1000;
  const started = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    for (let i = client; Date.now() < end; i += CLIENTS) {
      const r = await post(agent, port, makeBody(i), type);
      if (r.ok) latencies.push(r.ms);
      else { ++errors; errorKinds[r.status] = (errorKinds[r.status] || 0) + 1; }
    }
  }));
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] || 0;
  return { rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), requests: latencies.length, errors: errors ? `${errors} (${JSON.stringify(errorKinds)})` : '0' };
}

function libraryRate() {
  const lines = Array.from({ length: 6000 }, (_, i) => texts[i % texts.length]).join('\n') + '\n';
  const started = process.hrtime.bigint();
  const r = spawnSync(verifyBin, ['--bundle', join(fixtureDir, 'bundle.cbor'), '--root', join(fixtureDir, 'root.pub.pem'),
    '--now', NOW, '--jobs', '0', '-'], { input: lines, maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`titlecert-verify failed: ${r.stderr}`);
  return 6000 / seconds;
}

const { child, port } = await startCheckd();
try {
  const text = await load(port, (i) => Buffer.from(JSON.stringify({ text: texts[i % texts.length] })), 'application/json');
  const image = await load(port, () => png, 'image/png');
  const library = libraryRate();
  const f = (x) => x.toFixed(1);
  console.log(`# titlecert-checkd POST /v1/verify, ${CLIENTS} clients x ${SECONDS} s, ${cpus().length} cores`);
  console.log(`text : ${f(text.rps)} req/s, p50 ${f(text.p50)} ms, p99 ${f(text.p99)} ms, ${text.requests} ok, ${text.errors} errors`);
  console.log(`image: ${f(image.rps)} req/s, p50 ${f(image.p50)} ms, p99 ${f(image.p99)} ms, ${image.requests} ok, ${image.errors} errors`);
  console.log(`library (titlecert-verify --jobs 0, same texts, whole process): ${f(library)} verifies/s`);
  console.log(`text over HTTP / library: ${(text.rps / library).toFixed(2)}`);
} finally {
  child.kill('SIGTERM');
}
