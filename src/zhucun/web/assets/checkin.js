/* 签到 (MGT.1.CHECKIN): one tap, position, POST. Queued per user in localStorage until the
   server answers (one row per client key); the queue goes in one request, each check-in
   answered on its own. A device_time 400 stays queued (held). */
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };
  var UK = "zhucun.checkin.user", DK = "zhucun.checkin.device";
  var shell = root.getAttribute("data-shell") === "1";
  var SAVED = "已保存,待网络恢复后自动上传";
  var btn = $("checkin-button"), msg = $("checkin-message"), list = $("checkin-findings");
  var np = $("no-position-form"), busy = false, again = false;

  function get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } }
  function put(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private */ } }
  var user = root.getAttribute("data-user") || (shell ? get(UK) : "");
  if (!shell && user) put(UK, user);
  var QK = "zhucun.checkin.queue." + user;
  function queue() { try { return JSON.parse(get(QK) || "[]") || []; } catch (e) { return []; } }
  function save(q) { put(QK, JSON.stringify(q)); shown(); }
  function shown() {
    var q = queue();
    $("queue-count").textContent = q.length; $("checkin-queue").hidden = !q.length;
    $("checkin-discard").hidden = !q.some(function (x) { return x.held; });
  }
  function hex(n) { return (n < 16 ? "0" : "") + n.toString(16); }
  function uuid() {
    var c = window.crypto, b = new Uint8Array(16), s = "", i;
    if (c && c.randomUUID) return c.randomUUID();
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (i = 0; i < 16; i++) b[i] = Math.random() * 256 | 0;
    b[6] = b[6] & 15 | 64; b[8] = b[8] & 63 | 128;
    for (i = 0; i < 16; i++) s += hex(b[i]) + (i === 3 || i === 5 || i === 7 || i === 9 ? "-" : "");
    return s;
  }
  function device() { var d = get(DK); if (!d) { d = uuid(); put(DK, d); } return d; }
  function p2(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) {
    var o = -d.getTimezoneOffset(), a = Math.abs(o);
    return d.getFullYear() + "-" + p2(d.getMonth() + 1) + "-" + p2(d.getDate()) + "T" +
      p2(d.getHours()) + ":" + p2(d.getMinutes()) + ":" + p2(d.getSeconds()) +
      (o < 0 ? "-" : "+") + p2(a / 60 | 0) + ":" + p2(a % 60);
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : root.getAttribute("data-csrf");
  }
  function say(text, kind, findings) {
    msg.textContent = text || ""; msg.className = "checkin-msg " + (kind || ""); msg.hidden = !text;
    list.textContent = "";
    (findings || []).forEach(function (f) {
      var li = document.createElement("li");
      li.textContent = "[" + f.clause + "] " + f.message; list.appendChild(li);
    });
    list.hidden = !list.firstChild;
  }
  // Today's line (issue 16): shown by the server online; kept on this phone under its owner's
  // key so that the offline page can say it again (the owner's own status only; erased on
  // logout by zhucun.js). A check-in still in the queue today reads as saved, not yet sent.
  var TK = "zhucun.checkin.today." + user;
  function today() { var d = new Date(); return d.getFullYear() + "-" + p2(d.getMonth() + 1) + "-" + p2(d.getDate()); }
  function status(t, keep) {
    if (!t) return;
    var s = $("checkin-status"), d = $("today-detail"), box = $("today-status");
    s.textContent = t.label; s.className = "checkin-status " + t.code;
    if (d) { d.textContent = t.detail || ""; d.hidden = !t.detail; }
    if (box) box.className = "today-status " + t.code;
    if (t.code === "done") btn.textContent = "今日已签到";
    if (keep !== false && user) put(TK, JSON.stringify({ day: today(), code: t.code, label: t.label, detail: t.detail || "" }));
  }
  function remembered() {
    var t = null;
    try { t = JSON.parse(get(TK) || "null"); } catch (e) { t = null; }
    var queued = queue().some(function (x) { return (x.device_time || "").slice(0, 10) === today(); });
    if (queued && !(t && t.day === today() && t.code === "done")) {
      return { code: "pending", label: "今日已签到(待上传)", detail: "签到保存在本机,联网后自动上传" };
    }
    if (t && t.day === today()) { t.detail = (t.detail ? t.detail + " · " : "") + "离线显示,以联网后为准"; return t; }
    return null;
  }

  // What one answer means for its check-in: "done" (answered for good), "held" (the phone's
  // clock is wrong: kept until fixed or discarded) or "keep" (try again later).
  function judge(code, j, item) {
    if (code === 200 || code === 201) {
      if (j.today) status(j.today);
      say((item.offline ? "离线保存的签到已上传。" : "") + j.message, j.counts ? "ok" : "warn", j.findings);
      return "done";
    }
    if (code === 400 && j.errors && j.errors.device_time) {
      say(j.errors.device_time + "(签到仍保存在本机)", "error"); return "held";
    }
    if (code === 400) {
      say((j.message || "签到数据无效") + ":" + (j.error_rows || []).map(function (e) {
        return e.label + ":" + e.message; }).join(";"), "error");
      return "done";
    }
    if ((code === 403 || code === 404) && j.status === "error") {  // refused for good
      say(j.message, "error"); return "done";
    }
    say((j.message || (code === 403 ? "页面已过期,请刷新页面" : "服务器暂时无法处理")) + "。" + SAVED, "warn");
    return "keep";
  }

  // The whole queue in one request (issue 17): each check-in is answered on its own.
  function flush(force) {
    if (busy) { again = true; return; }
    busy = true; again = false;
    var q = queue().filter(function (x) { return force === true || !x.held; }).slice(0, 100);
    if (!q.length) { end(); return; }
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = ctl && setTimeout(function () { ctl.abort(); }, 20000);
    var outcome = {};
    function apply() {
      var now = queue().filter(function (x) { return outcome[x.client_key] !== "done"; });
      now.forEach(function (x) {
        if (outcome[x.client_key] === "held") x.held = 1;
        else if (outcome[x.client_key] === "keep") x.offline = true;
      });
      save(now);
    }
    fetch(root.getAttribute("data-queue"), {
      method: "POST", credentials: "same-origin", signal: ctl && ctl.signal,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ items: q })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (r.ok && j.results && j.results.length === q.length) {
          j.results.forEach(function (x, i) { outcome[q[i].client_key] = judge(x.status, x.body || {}, q[i]); });
          if (j.today) status(j.today);
          if (q.length > 1) msg.textContent = "已上传本机保存的" + q.length + "条签到。" + msg.textContent;
        } else {  // not taken as a whole (session or page expired, server busy): all kept
          judge(r.status >= 300 ? r.status : 503, j, q[0]);
          q.forEach(function (x) { outcome[x.client_key] = "keep"; });
        }
        apply();
      });
    }, function () {
      say(SAVED, "warn"); q.forEach(function (x) { outcome[x.client_key] = "keep"; }); apply();
    }).then(function () { if (timer) clearTimeout(timer); end(); });
    function end() { busy = false; if (again) flush(); }
  }

  function record(extra) {
    var item = { client_key: uuid(), user: user,
      device_time: iso(new Date()), device_id: device(),
      offline: !navigator.onLine, lat: null, lng: null, accuracy_m: null, no_position_reason: "" };
    for (var k in extra) item[k] = extra[k];
    var q = queue(); q.push(item); save(q);
    say(navigator.onLine ? "正在上传…" : SAVED, navigator.onLine ? "" : "warn");
    flush();
  }
  function noPosition(why) {
    say(why + "也可以填写无法定位的原因后提交(记为无法定位,须乡镇党委认可后计入在岗)。", "warn");
    np.hidden = false;
  }

  btn.addEventListener("click", function () {
    if (!navigator.geolocation) { noPosition("本机浏览器不支持定位。"); return; }
    btn.disabled = true; say("正在获取位置,请稍候…");
    navigator.geolocation.getCurrentPosition(function (p) {
      btn.disabled = false; np.hidden = true;
      record({ lat: +p.coords.latitude.toFixed(6), lng: +p.coords.longitude.toFixed(6),
        accuracy_m: Math.round(p.coords.accuracy * 10) / 10 });
    }, function (e) {
      btn.disabled = false;
      noPosition(e.code === 1 ? "未允许本页使用位置信息(定位权限被拒绝),请在浏览器设置中允许后重试;"
        : e.code === 3 ? "定位超时(15秒内未取得位置),请到开阔处重试;" : "无法取得位置,请稍后重试;");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
  });
  np.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var why = $("no-position-reason").value.trim();
    if (!why) { say("请填写无法定位的原因", "error"); return; }
    np.hidden = true; record({ no_position_reason: why });
  });
  $("checkin-flush").addEventListener("click", function () { flush(true); });
  $("checkin-discard").addEventListener("click", function () {
    if (!window.confirm("放弃时间有误的签到?")) return;
    save(queue().filter(function (x) { return !x.held; })); say("");
  });
  window.addEventListener("online", function () {
    flush();
    if (shell) window.location.replace("/m/checkin/");
  });
  setInterval(function () { if (queue().length) flush(); }, 30000);
  if (!user) { say("请联网登录后签到", "warn"); return; }
  btn.disabled = false; shown();
  if (shell) status(remembered(), false);
  else status({ code: $("checkin-status").className.replace("checkin-status", "").trim(),
    label: $("checkin-status").textContent, detail: $("today-detail").textContent });
  if (queue().length) flush();
  // The service worker (scope "/": the cadre's home and /m/ pages work offline as an app);
  // a worker registered before with scope "/m/" is retired.
  var sw = root.getAttribute("data-sw");
  if (sw && navigator.serviceWorker) {
    navigator.serviceWorker.register(sw, { scope: "/" }).catch(function () {});
    if (navigator.serviceWorker.getRegistrations) navigator.serviceWorker.getRegistrations().then(function (rs) {
      rs.forEach(function (r) { if (/\/m\/$/.test(r.scope)) r.unregister(); });
    }).catch(function () {});
  }
})();
