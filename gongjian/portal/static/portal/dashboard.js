/* Internal dashboard charts. The numbers come from the JSON the server embeds
 * (#dashboard-data, the same figures as the tables below); ECharts is served by the app
 * (no CDN). A click on an area's bar or heat-map row drills down to it. Names reach the
 * page only as text: canvas labels, and tooltips made by Gongjian.tip (gongjian.js). */
(function () {
  "use strict";

  var charts = [];

  function data() {
    var el = document.getElementById("dashboard-data");
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function labels() {
    var box = document.getElementById("dashboard-charts");
    try { return JSON.parse(box.dataset.labels); } catch (e) { return {}; }
  }

  function drill(d, index) {
    if (d.leaf) { return; }
    var params = new URLSearchParams(window.location.search);
    params.set("area", d.keys[index]);
    window.location.search = params.toString();
  }

  function bars(d, series, percent) {
    return {
      animation: false,
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, formatter: window.Gongjian.axisTip},
      legend: {top: 0},
      grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
      xAxis: {type: "value", max: percent ? 100 : null, axisLabel: {hideOverlap: true}},
      yAxis: {type: "category", data: d.names, inverse: true, axisLabel: {width: 96, overflow: "truncate"}},
      series: series.map(function (s) {
        return {name: s.name, type: "bar", data: s.data, itemStyle: {color: s.color}};
      })
    };
  }

  function heat(d, l) {
    var months = [];
    for (var m = 1; m <= 12; m++) { months.push(m + ""); }
    months.push(l.year || "");
    return {
      animation: false,
      tooltip: {
        // Confined to the chart: an unconfined item tooltip shown by showTip gets an arrow
        // that ECharts writes as a style="…" attribute, which the CSP refuses.
        confine: true,
        // Built as text nodes (Gongjian.tip): an organization's name is shown as written,
        // never parsed as HTML (issue 12).
        formatter: function (p) {
          var v = p.data;
          var title = d.names[v[1]] + " · " + months[v[0]];
          if (v[2] === null) { return window.Gongjian.tip(title, ["—"]); }
          return window.Gongjian.tip(title, [
            (l.met || "") + " " + v[2] + "%", (l.at_risk || "") + " " + v[3] + "%", (l.missed || "") + " " + v[4] + "%"
          ]);
        }
      },
      grid: {left: 8, right: 8, top: 8, bottom: 56, containLabel: true},
      xAxis: {type: "category", data: months, splitArea: {show: true}},
      yAxis: {type: "category", data: d.names, inverse: true, axisLabel: {width: 96, overflow: "truncate"}},
      visualMap: {
        dimension: 2, min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120,
        inRange: {color: ["#fde2e2", "#fef3c7", "#1b7f3b"]}, text: ["100%", "0%"]
      },
      series: [{
        type: "heatmap",
        data: d.heat.filter(function (v) { return v[2] !== null; }),
        label: {show: d.names.length <= 20, formatter: function (p) { return Math.round(p.data[2]); }, fontSize: 10}
      }]
    };
  }

  // The city's county map (areamap.js), coloured by signing, where the server found one.
  function drawMap(d, l) {
    var el = document.getElementById("chart-map");
    var source = document.getElementById("dashboard-map");
    if (!el || !source || !window.GongjianMap) { return; }
    var map;
    try { map = JSON.parse(source.textContent); } catch (e) { return; }
    var items = [];
    d.names.forEach(function (name, i) {
      var place = map.places[i];
      if (!place) { return; }
      items.push({name: place, index: i, value: d.signed[i] || 0, lines: [
        name, (l.coverage || "") + " " + d.coverage[i] + "%", (l.signed || "") + " " + d.signed[i] + "%"
      ]});
    });
    el.style.height = "360px";
    window.GongjianMap.draw(el, map.url, items, function (place) {
      var item = items.filter(function (it) { return it.name === place; })[0];
      if (item) { drill(d, item.index); }
    }, function () {
      var box = document.getElementById("chart-map-box");
      if (box) { box.hidden = true; }
    }, {none: l.none});
  }

  function render() {
    var d = data();
    if (!d || !window.echarts) { return; }
    var l = labels();
    drawMap(d, l);
    var rowsHeight = Math.max(240, d.names.length * 26 + 80) + "px";
    var specs = [
      ["chart-coverage", bars(d, [
        {name: l.coverage, data: d.coverage, color: "#1b7f3b"},
        {name: l.signed, data: d.signed, color: "#2563eb"}
      ], true)],
      ["chart-visits", bars(d, [
        {name: l.done, data: d.visits_done, color: "#1b7f3b"},
        {name: l.due, data: d.visits_due, color: "#9ca3af"}
      ], false)],
      ["chart-funds", bars(d, [
        {name: l.pledged, data: d.pledged, color: "#9ca3af"},
        {name: l.paid, data: d.paid, color: "#c8102e"}
      ], false)],
      ["chart-heat", heat(d, l)]
    ];
    specs.forEach(function (spec) {
      var el = document.getElementById(spec[0]);
      if (!el) { return; }
      el.style.height = rowsHeight;
      var chart = window.echarts.init(el);
      chart.setOption(spec[1], true);
      chart.on("click", function (p) {
        var index = spec[0] === "chart-heat" ? (p.data && p.data[1]) : p.dataIndex;
        if (typeof index === "number") { drill(d, index); }
      });
      charts.push(chart);
    });
  }

  document.addEventListener("DOMContentLoaded", render);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
