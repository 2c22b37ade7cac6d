/* 统计图表: draws each chart of the page with Apache ECharts from its JSON (same origin, the
   session's login). The tables under the charts hold the same numbers and need no script.
   No inline script or style attribute (the Content-Security-Policy forbids them): tooltips are
   drawn on the canvas (renderMode "richText"). Loaded on the charts page only. */
(function () {
  "use strict";
  var echarts = window.echarts;
  if (!echarts) return;
  var COLORS = {
    "已覆盖·符合要求": "#2e7d32",
    "已覆盖·组成不符合": "#ef6c00",
    "已覆盖·选派调整": "#1565c0",
    "未覆盖": "#c62828",
    "月度工作报告·逾期未报送": "#c62828",
    "月度工作报告·逾期报送": "#ef9a9a",
    "党组织关系转接·逾期未转接": "#6a1b9a",
    "党组织关系转接·逾期转接": "#ce93d8",
    "无结账数据": "#9e9e9e"
  };
  var BANDS = ["#1b5e20", "#66bb6a", "#c0ca33", "#fbc02d", "#fb8c00", "#c62828"];
  var drawn = [];

  function narrow() { return window.innerWidth < 600; }

  function base(d) {
    var small = narrow();
    return {
      animation: !small,
      textStyle: { fontFamily: "sans-serif" },
      tooltip: { trigger: d.kind === "scatter" ? "item" : "axis", renderMode: "richText", confine: true },
      legend: { type: "scroll", top: 0, left: 0, right: 0, textStyle: { fontSize: small ? 11 : 12 } },
      grid: { left: 8, right: small ? 12 : 24, top: small ? 56 : 48, bottom: 8, containLabel: true }
    };
  }

  function categoryAxis(d) {
    var small = narrow();
    var many = d.categories.length > (small ? 4 : 10);
    return {
      type: "category",
      data: d.categories,
      axisLabel: { interval: 0, rotate: many ? 40 : 0, fontSize: small ? 10 : 12, hideOverlap: false }
    };
  }

  function lineOrBar(d) {
    var opt = base(d);
    opt.xAxis = categoryAxis(d);
    opt.yAxis = { type: "value", name: d.y_label, scale: d.kind === "line", minInterval: d.kind === "bar" ? 1 : 0 };
    var last = d.series.length - 1;
    opt.series = d.series.map(function (s, i) {
      var one = { name: s.name, type: d.kind, data: s.data };
      if (d.kind === "bar" && s.stack) one.stack = s.stack;
      if (d.kind === "line") {
        one.connectNulls = false;
        one.symbolSize = 6;
        if (i === last && /合计$/.test(s.name)) one.lineStyle = { width: 3, type: "dashed" };
      }
      if (COLORS[s.name]) one.itemStyle = { color: COLORS[s.name] };
      return one;
    });
    return opt;
  }

  function scatter(d) {
    var opt = base(d);
    opt.xAxis = { type: "value", name: narrow() ? "" : d.x_label, scale: true, axisLabel: { fontSize: 10 } };
    opt.yAxis = { type: "value", name: d.y_label, scale: true, axisLabel: { fontSize: 10 } };
    opt.tooltip.formatter = function (p) {
      var v = p.data;
      var text = v[3] + "(" + v[4] + ")\n" + v[5];
      if (v[2] !== null && v[2] !== undefined) text += "\n出勤率 " + v[2] + "%";
      return text + "\n" + v[0] + ", " + v[1];
    };
    opt.series = d.series.map(function (s, i) {
      var c = COLORS[s.name] || BANDS[i % BANDS.length];
      return { name: s.name, type: "scatter", data: s.data, symbolSize: narrow() ? 6 : 8, itemStyle: { color: c } };
    });
    return opt;
  }

  function draw(el) {
    fetch(el.getAttribute("data-chart-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (d) {
        var chart = echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(d.kind === "scatter" ? scatter(d) : lineOrBar(d));
        el.setAttribute("data-ready", "1");
        drawn.push({ chart: chart, data: d });
      })
      .catch(function () {
        el.textContent = "图表未能加载,数据见下表。";
        el.setAttribute("data-ready", "error");
      });
  }

  var nodes = document.querySelectorAll("[data-chart-src]");
  for (var i = 0; i < nodes.length; i++) draw(nodes[i]);

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      drawn.forEach(function (x) {
        x.chart.setOption(x.data.kind === "scatter" ? scatter(x.data) : lineOrBar(x.data), true);
        x.chart.resize();
      });
    }, 150);
  });
})();
