// The crypto backend of the WebAssembly verifier: the verify primitives that
// common/format/src/wasm/crypto_js.cpp calls synchronously (EM_JS), where the
// native build uses OpenSSL. Byte arguments and results are Uint8Arrays.
//
// Ed25519, P-256 (ECDSA over SHA-256), SHA-256 and scrypt: @noble/curves and
// @noble/hashes. SM2 and SM3: sm-crypto. Range and point checks that the
// libraries leave out are made here so that the answers match OpenSSL's.
'use strict';

const { ed25519 } = require('@noble/curves/ed25519');
const { p256 } = require('@noble/curves/p256');
const { sha256 } = require('@noble/hashes/sha256');
const { scrypt } = require('@noble/hashes/scrypt');
const smCrypto = require('sm-crypto');

const EDDSA = -8;
const ES256 = -7;
const SM2_SM3 = -65600;

// SM2 curve order (GB/T 32918.5): r and s must lie in [1, n-1], which
// sm-crypto does not check (s + n would otherwise verify like s).
const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

// Plain loops rather than Buffer: the same file runs in the browser.
function hexOf(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function bytesOfHex(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; ++i) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

function bigFrom(bytes) {
  return bytes.length === 0 ? 0n : BigInt('0x' + hexOf(bytes));
}

function sm2PointValid(point) {
  if (point.length !== 65 || point[0] !== 0x04) return false;
  return smCrypto.sm2.verifyPublicKey(hexOf(point));
}

function sm2Verify(point, message, signature, id) {
  if (!sm2PointValid(point) || signature.length !== 64) return false;
  const r = bigFrom(signature.subarray(0, 32));
  const s = bigFrom(signature.subarray(32));
  if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return false;
  return smCrypto.sm2.doVerifySignature(Array.from(message), hexOf(signature), hexOf(point), {
    der: false,
    hash: true,
    userId: id,
  });
}

function publicKeyValid(alg, raw) {
  try {
    // Like OpenSSL, any 32 bytes are an Ed25519 public key; one that is not
    // a point simply verifies nothing.
    if (alg === EDDSA) return raw.length === 32;
    if (alg === ES256) {
      if (raw.length !== 65 || raw[0] !== 0x04) return false;
      p256.ProjectivePoint.fromHex(raw).assertValidity();
      return true;
    }
    if (alg === SM2_SM3) return sm2PointValid(raw);
  } catch (e) {
    return false;
  }
  return false;
}

// Signatures: raw 64 bytes (Ed25519, or r||s). Any exception is a failed check.
function verify(alg, raw, message, signature, sm2Id) {
  try {
    if (signature.length !== 64) return false;
    if (alg === EDDSA) return ed25519.verify(signature, message, raw, { zip215: false });
    if (alg === ES256) {
      return p256.verify(signature, sha256(message), raw, { lowS: false, prehash: false, format: 'compact' });
    }
    if (alg === SM2_SM3) return sm2Verify(raw, message, signature, sm2Id);
  } catch (e) {
    return false;
  }
  return false;
}

function sm3(data) {
  return bytesOfHex(smCrypto.sm3(Array.from(data)));
}

function scryptKdf(password, salt, n, r, p, length) {
  return scrypt(password, salt, { N: n, r, p, dkLen: length, maxmem: 64 * 1024 * 1024 });
}

module.exports = { publicKeyValid, verify, sha256: (d) => sha256(d), sm3, scrypt: scryptKdf };
