/* Service worker for /m/: lets the check-in page open without a network. The personal page
   /m/checkin/ (name, village, today's status; Cache-Control: no-store) is never stored: it
   comes from the network, and offline the worker shows /m/offline/ — the button and the queue,
   no personal data until the user is known again. Check-ins themselves (POST) never pass
   through here: the page's own queue handles them. The cache is dropped on logout (a message
   from the page) and whenever the server no longer knows the user (redirect to the login). */
var CACHE = "zhucun-m-2";
var SHELL = "/m/offline/";
var ASSETS = ["/assets/zhucun.css", "/assets/checkin.js", "/assets/zhucun.js"];
function drop() { return caches.delete(CACHE); }
self.addEventListener("install", function (e) {
  self.skipWaiting();
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return c.addAll([SHELL].concat(ASSETS)).catch(function () {});
  }));
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("message", function (e) {
  if (e.data && e.data.type === "logout") e.waitUntil ? e.waitUntil(drop()) : drop();
});
self.addEventListener("fetch", function (e) {
  var r = e.request, u = new URL(r.url);
  if (r.method !== "GET" || u.origin !== location.origin) return;
  if (u.pathname === "/m/checkin/") {
    e.respondWith(fetch(r).then(function (res) {
      if (res.redirected || res.status === 401 || res.status === 403) drop();  // user unknown
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
