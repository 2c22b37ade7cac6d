/* Every page: on logout, forget which user this phone's offline check-in page belongs to and
   empty this site's service-worker caches before the form is sent (Clear-Site-Data "cache"
   clears only the HTTP cache; check-ins queued on the phone and not yet uploaded stay, under
   their owner's key, and are sent when that user logs in again). No inline script anywhere:
   the Content-Security-Policy forbids it. */
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  if (!form) return;
  var done = false;
  form.addEventListener("submit", function (ev) {
    if (done) return;
    done = true;
    try { localStorage.removeItem("zhucun.checkin.user"); } catch (e) { /* private mode */ }
    var sw = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (sw) sw.postMessage({ type: "logout" });
    if (!window.caches) return;
    ev.preventDefault();
    var go = function () { form.submit(); };
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("zhucun-") === 0; })
        .map(function (k) { return caches.delete(k); }));
    }).then(go, go);
  });
})();
