/* Service worker for /m/ (docs/SECURITY.md): /m/checkin/ (personal, no-store) is never
   stored; offline it shows /m/offline/ (no personal data). Cache dropped on logout and when
   the server no longer knows the user. POSTs never pass here (the page queues them). */
var CACHE = "zhucun-m-2";
var SHELL = "/m/offline/";
var ASSETS = ["/assets/zhucun.css", "/assets/checkin.js", "/assets/zhucun.js"];
function drop() { return caches.delete(CACHE); }
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
  if (u.pathname === "/m/checkin/") {
    e.respondWith(fetch(r).then(function (res) {
      if (res.redirected || res.status === 403) drop();
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
