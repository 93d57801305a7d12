/* backstride's service worker, served as /sw.js after three constants (CACHE_NAME, OFFLINE_URL,
   OFFLINE_ASSETS; see web/views/app_shell.py).
   It stores only the offline page, the stylesheet and the icons. Pages (health data) are never put in a
   cache: a page is always fetched from the server, and only if that fails is the offline page shown. */
"use strict";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE_NAME).then((cache) => cache.addAll(OFFLINE_ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE_NAME).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return; // forms go straight to the server
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  const path = new URL(request.url).pathname;
  if (OFFLINE_ASSETS.includes(path)) {
    // Fresh from the server when it answers (a new stylesheet shows at once), stored copy otherwise.
    event.respondWith(fetch(request).catch(() => caches.match(request)));
  }
});
