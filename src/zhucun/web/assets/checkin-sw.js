/* Service worker of the cadre's app (docs/SECURITY.md; issue 16: installable, scope "/").
   Pages are never stored: the cadre's home "/" and the /m/ pages (names, village, today's
   status; no-store) go to the network, and offline a navigation to them shows /m/offline/
   (no personal data: the button, the queue and what this phone kept for its own user).
   Stored: that shell, the stylesheet, the two scripts, the manifest and the icons. The cache
   is dropped on logout and when the server no longer knows the user. POSTs never pass here
   (the page queues them); other pages and the API pass straight through. */
var CACHE = "zhucun-m-3";
var SHELL = "/m/offline/";
var ASSETS = ["/assets/zhucun.css", "/assets/checkin.js", "/assets/zhucun.js",
  "/manifest.webmanifest", "/assets/icon-192.png", "/assets/icon-512.png",
  "/assets/icon-maskable-512.png"];
function drop() { return caches.delete(CACHE); }
function app(u) { return u.pathname === "/" || (u.pathname.indexOf("/m/") === 0 && u.pathname !== SHELL); }
self.addEventListener("install", function (e) {
  self.skipWaiting();
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return c.addAll([SHELL].concat(ASSETS)).catch(drop);
  }));
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("message", function (e) {
  if (e.data && e.data.type === "logout") e.waitUntil(drop());
});
self.addEventListener("fetch", function (e) {
  var r = e.request, u = new URL(r.url);
  if (r.method !== "GET" || u.origin !== location.origin) return;
  if (r.mode === "navigate" && app(u)) {
    e.respondWith(fetch(r).then(function (res) {
      if (res.redirected || res.type === "opaqueredirect" || res.status === 403) drop();
      else if (res.ok) caches.open(CACHE).then(function (c) { c.add(SHELL).catch(function () {}); });
      return res;
    }, function () {
      return caches.match(SHELL).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (u.pathname !== SHELL && ASSETS.indexOf(u.pathname) < 0) return;
  e.respondWith(fetch(r).then(function (res) {
    if (res.ok && !res.redirected) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { c.put(u.pathname === SHELL ? SHELL : r, copy); });
    }
    return res;
  }, function () {
    return caches.match(r, { ignoreSearch: true }).then(function (hit) { return hit || Response.error(); });
  }));
});
