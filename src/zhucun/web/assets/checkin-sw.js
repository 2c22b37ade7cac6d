/* Service worker for /m/: lets the check-in page open without a network (network first,
   the last good copy otherwise). Only GETs of the page and its two assets; check-ins
   themselves (POST) never pass through here: the page's own queue handles them. */
var CACHE = "zhucun-m-1";
function wanted(u) {
  return u.origin === location.origin &&
    (u.pathname === "/m/checkin/" || u.pathname === "/assets/zhucun.css" || u.pathname === "/assets/checkin.js");
}
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (e) {
  var r = e.request;
  if (r.method !== "GET" || !wanted(new URL(r.url))) return;
  e.respondWith(fetch(r).then(function (res) {
    if (res.ok && !res.redirected) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { c.put(r, copy); });
    }
    return res;
  }, function () {
    return caches.match(r, { ignoreSearch: true }).then(function (hit) { return hit || Response.error(); });
  }));
});
