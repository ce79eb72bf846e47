// The verifier's tamper table (tests/support/tamper_table.cpp, written by
// make_fixture into tamper.json) through the WebAssembly module and the
// page's wrapper (titlecert_wasm.js) under node: every row must get its code,
// no failure row may be valid, every failure code must appear, and the
// bundle must load against the root key exactly as the native verifier's.
// Usage: node tamper_table.test.cjs MODULE_DIR FIXTURE_DIR
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const [moduleDir, fixtureDir] = process.argv.slice(2).map((p) => path.resolve(p));
globalThis.titlecertCrypto = require(path.join(moduleDir, 'js', 'titlecert_crypto.cjs'));
const createModule = require(path.join(moduleDir, 'titlecert_verifier.js'));
const { loadVerifier } = require(path.join(moduleDir, 'titlecert_wasm.js'));

async function main() {
  const bundle = fs.readFileSync(path.join(fixtureDir, 'bundle.cbor'));
  const rootPem = fs.readFileSync(path.join(fixtureDir, 'root.pub.pem'), 'utf8');
  const table = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'tamper.json'), 'utf8'));
  const verifier = await loadVerifier(createModule, new Uint8Array(bundle), rootPem);
  assert.equal(verifier.bundleVersion, 7, 'the fixture bundle is version 7');

  const seen = new Set();
  let failures = 0;
  for (const row of table.rows) {
    const result = verifier.verify(row.text, table.now, row.id, 'en');
    seen.add(result.code);
    if (result.code !== row.expected || (row.expected !== 'OK' && result.valid !== false)) {
      ++failures;
      console.error(`FAIL ${row.name}: expected ${row.expected}, got ${result.code} (valid ${result.valid})`);
    }
  }
  for (const code of table.mustSee) assert.ok(seen.has(code), `${code} never produced`);
  assert.equal(failures, 0, `${failures} rows did not get their code`);

  // A bundle under another root is refused, with the native code.
  const tampered = new Uint8Array(bundle);
  tampered[tampered.length - 5] ^= 0x40;
  await assert.rejects(loadVerifier(createModule, tampered, rootPem), /BAD_BUNDLE|BAD_SIGNATURE/);
  console.log(`[table] wasm verifier tamper rows: ${table.rows.length}, all codes as native`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
