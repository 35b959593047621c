// Service worker of 电子编制管理证: keeps the app shell so that the client starts while the
// server cannot be reached. `cargo xtask` writes VERSION and ASSETS after every build: the files
// of every bundle of the client (the main one at `/`, the others at `/<bundle>/`), so that each
// role starts offline. The same template serves the verification page (`/verify/sw.js`, scope
// `/verify/`), with a cache of its own: each worker keeps and clears only its own.
"use strict";

const VERSION = "__VERSION__";
const ASSETS = __ASSETS__;
const SCOPE = new URL(self.registration.scope).pathname;
const PREFIX = SCOPE === "/" ? "shell-" : "verify-shell-";
const CACHE = PREFIX + VERSION;
// A navigation waits this long for the network before the cached shell is used.
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith(PREFIX) && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// A page still loading when this worker activated is not taken by `clients.claim()` above; it
// asks once it runs (app/src/service_worker.rs sends "claim").
self.addEventListener("message", (event) => {
  if (event.data === "claim") event.waitUntil(self.clients.claim());
});

// The shell of a page, as the server chooses it: the bundle that the path's first segment names
// (`/review` → `/review/`), else the main one.
function shellOf(pathname) {
  if (SCOPE !== "/") return SCOPE;
  const bundle = "/" + pathname.split("/")[1] + "/";
  return bundle !== "//" && ASSETS.includes(bundle) ? bundle : "/";
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // The API always goes to the network: its answers are never served from this cache.
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  // The verification page has a worker and a cache of its own.
  if (SCOPE === "/" && url.pathname.startsWith("/verify/")) return;
  if (request.mode === "navigate") {
    // Network first, so a new deployment shows at once; the cached shell when unreachable.
    event.respondWith(
      withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS).catch(() =>
        caches.match(shellOf(url.pathname), { cacheName: CACHE }).then((cached) => cached || Response.error()),
      ),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request)),
  );
});
