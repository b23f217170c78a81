// The segsim service worker: after the first visit the page works with no
// network. It keeps the files of this version of the site (the app shell,
// the core's wasm, the charting library, the samples) in one cache named
// by the version, answers the page's requests from it first, and deletes
// older versions' caches once a new version takes over. The .xlsx and
// Parquet readers' wasm, which the page fetches only when such a file arrives, is kept the
// first time it is fetched. The build fills in VERSION (a hash of all the
// files) and FILES.

const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `segsim-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('segsim-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

// The page asks a waiting new version to take over when the user agrees.
self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
  if (event.data === 'version') event.source?.postMessage({ version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // A page load (with ?sample= or a share link's #) is the page itself.
    const hit = req.mode === 'navigate' ? await cache.match('index.html') : await cache.match(req, { ignoreSearch: true });
    if (hit) return hit;
    const res = await fetch(req);
    if (res.ok && res.status === 200 && req.mode !== 'navigate') cache.put(req, res.clone()).catch(() => {});
    return res;
  })());
});
