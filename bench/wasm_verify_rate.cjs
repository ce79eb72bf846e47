// Verifies per second of the WebAssembly verifier under node (the offline
// page's engine, without the browser), per algorithm, over the fixture's
// valid title: the cost of the JavaScript crypto backend next to OpenSSL.
//
//   node --no-experimental-fetch bench/wasm_verify_rate.cjs MODULE_DIR FIXTURE_DIR [COUNT]
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const [moduleDir, fixtureDir, countArg = '300'] = process.argv.slice(2).map((a, i) => (i < 2 ? path.resolve(a) : a));
globalThis.titlecertCrypto = require(path.join(moduleDir, 'js', 'titlecert_crypto.cjs'));
const createModule = require(path.join(moduleDir, 'titlecert_verifier.js'));
const { loadVerifier } = require(path.join(moduleDir, 'titlecert_wasm.js'));
const NOW = Date.parse('2026-11-27T01:00:00Z') / 1000;

(async () => {
  const verifier = await loadVerifier(createModule, new Uint8Array(fs.readFileSync(path.join(fixtureDir, 'bundle.cbor'))),
    fs.readFileSync(path.join(fixtureDir, 'root.pub.pem'), 'utf8'));
  for (const [name, file] of [['SM2', 'valid'], ['Ed25519', 'valid_ed25519'], ['ES256', 'valid_es256']]) {
    const text = fs.readFileSync(path.join(fixtureDir, `${file}.txt`), 'utf8').trim();
    if (verifier.verify(text, NOW, null, 'en').code !== 'OK') throw new Error(`${name}: not OK`);
    const count = Number(countArg);
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; ++i) verifier.verify(text, NOW, null, 'en');
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / count;
    console.log(`${name.padEnd(8)} ${ms.toFixed(2)} ms per verify, ${(1000 / ms).toFixed(0)} verifies/s (one thread)`);
  }
})();
