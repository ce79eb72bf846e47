// The offline page's service worker (scope /offline/): it keeps the page,
// its scripts, the WebAssembly verifier and QR reader, the trust bundle and the root key
// in a cache so that the page loads and verifies with no network. Online,
// every file is fetched afresh (a newer bundle replaces the cached one);
// when the network fails, the cached copy answers.
'use strict';

const CACHE = 'titlecert-offline-v1';  // a new name drops the old cache on activation
const FILES = [
  '/offline/', '/check.css', '/check.js',
  '/offline/titlecert_crypto.js', '/offline/titlecert_wasm.js',
  '/offline/titlecert_verifier.js', '/offline/titlecert_verifier.wasm',
  '/offline/zxing_reader.js', '/offline/zxing_reader.wasm',
  '/bundle', '/root.pub.pem',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()));
});

async function networkThenCache(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!FILES.includes(url.pathname)) return;  // POST /v1/verify and the rest go to the network
  event.respondWith(networkThenCache(event.request));
});
