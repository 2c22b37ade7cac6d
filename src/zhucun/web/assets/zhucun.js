/* Every page: on logout, forget which user this phone's offline check-in page belongs to (and
   the today's status it kept for them) and empty this site's service-worker caches before the
   form is sent (Clear-Site-Data "cache" clears only the HTTP cache; check-ins queued on the
   phone and not yet uploaded stay, under their owner's key, and are sent when that user logs
   in again). No inline script anywhere: the Content-Security-Policy forbids it. */
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  if (!form) return;
  var done = false;
  form.addEventListener("submit", function (ev) {
    if (done) return;
    done = true;
    try {
      localStorage.removeItem("zhucun.checkin.user");
      Object.keys(localStorage).forEach(function (k) {
        if (k.indexOf("zhucun.checkin.today.") === 0) localStorage.removeItem(k);
      });
    } catch (e) { /* private mode */ }
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
/* 打印 (issue 16): every list (table.list) and every printable form (.print-page) gets a
   打印 button next to its title, unless the page has its own ([data-print]); the print
   stylesheet in zhucun.css does the rest. */
(function () {
  "use strict";
  var main = document.querySelector("main.main");
  if (!main) return;
  if (!document.querySelector("[data-print]") &&
      main.querySelector("table.list, .print-page, [data-printable]")) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "print-button no-print"; b.id = "print-button";
    b.setAttribute("data-print", ""); b.textContent = "打印";
    var row = main.querySelector(".title-row"), h1 = main.querySelector("h1");
    if (row && (!h1 || row.contains(h1))) row.appendChild(b);
    else if (h1) {
      var wrap = document.createElement("div"); wrap.className = "title-row";
      h1.parentNode.insertBefore(wrap, h1); wrap.appendChild(h1); wrap.appendChild(b);
    } else main.insertBefore(b, main.firstChild);
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target && ev.target.closest ? ev.target.closest("[data-print]") : null;
    if (!t) return;
    ev.preventDefault();
    window.print();
  });
})();
