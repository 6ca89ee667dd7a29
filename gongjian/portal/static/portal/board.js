/* Status board charts. The numbers come from the JSON the server embeds in the polled
 * partial (#board-data); every htmx swap of #board-live redraws the charts with
 * chart.setOption, so the page updates without a reload. No third-party code here:
 * ECharts is served by the app from node_modules. Names reach the page only as text
 * (canvas labels, and tooltips made by Gongjian.tip from gongjian.js, loaded before). */
(function () {
  "use strict";

  var bar = null;
  var map = null;
  var zoomed = null;  // the county the treemap is zoomed into, kept across polls

  function readData() {
    var el = document.getElementById("board-data");
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function live() { return document.getElementById("board-live"); }

  // The tooltip's words come translated from the template (data-tip), numbers filled in here.
  function tip(d) {
    var section = live();
    var text = (section && section.dataset.tip) || "{total} / {coverage}% / {signed}%";
    return text.replace("{total}", d.total || 0).replace("{coverage}", d.coverage_pct || 0)
      .replace("{signed}", d.signed_pct || 0);
  }

  // White at 0 % coverage to the product's deep green at 100 %.
  function coverageColour(pct) {
    var t = Math.max(0, Math.min(1, pct / 100));
    var from = [254, 226, 226], to = [27, 127, 59];
    var c = from.map(function (f, i) { return Math.round(f + (to[i] - f) * t); });
    return "rgb(" + c.join(",") + ")";
  }

  function drill(kind, params) {
    var section = live();
    if (!section || !window.htmx) { return; }
    var url = section.dataset[kind + "Url"] + "?" + new URLSearchParams(params).toString();
    var target = kind === "town" && document.getElementById("drill-town") ? "#drill-town" : "#drill";
    if (kind === "town" && target === "#drill") {
      // Load the county first so the town's villages appear below its towns.
      window.htmx.ajax("GET", section.dataset.countyUrl + "?" + new URLSearchParams({county: params.county}), "#drill")
        .then(function () { window.htmx.ajax("GET", url, "#drill-town"); });
      return;
    }
    window.htmx.ajax("GET", url, target);
  }

  function barOption(data) {
    var counties = data.counties.map(function (c) { return c.name; });
    return {
      animation: false,
      // Tooltips are built as text nodes (Gongjian.tip in gongjian.js): a county's or
      // town's name is shown as written, never parsed as HTML (issue 12).
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, formatter: window.Gongjian.axisTip},
      legend: {top: 0, data: data.stages.map(function (s) { return s.label; })},
      grid: {left: 8, right: 16, top: 32, bottom: 8, containLabel: true},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", data: counties, inverse: true},
      series: data.stages.map(function (s) {
        return {
          name: s.label, type: "bar", stack: "villages", itemStyle: {color: s.color},
          emphasis: {focus: "series"},
          data: data.counties.map(function (c) { return c[s.code]; })
        };
      })
    };
  }

  function mapOption(data) {
    return {
      animation: false,
      tooltip: {
        // Confined to the chart: an unconfined item tooltip shown by showTip gets an arrow
        // that ECharts writes as a style="…" attribute, which the CSP refuses.
        confine: true,
        formatter: function (info) {
          // A tip raised without a tree path (showTip, a redraw under the mouse) still names its tile.
          var path = (info.treePathInfo || []).slice(1).map(function (p) { return p.name; }).join(" / ") || info.name;
          return window.Gongjian.tip(path, [tip(info.data || {})]);
        }
      },
      series: [{
        // Counties first (one tile each, coloured by coverage); a click zooms into its towns.
        type: "treemap", roam: false, nodeClick: "zoomToNode", leafDepth: 1,
        breadcrumb: {show: true, bottom: 0, itemStyle: {color: "#6b7280"}},
        width: "100%", top: 0, left: 0, bottom: 28,
        label: {formatter: function (p) { return p.name + "\n" + (p.data.coverage_pct || 0) + "%"; }, color: "#1f2329"},
        levels: [
          {itemStyle: {borderWidth: 0, gapWidth: 2}},
          {itemStyle: {borderColor: "#fff", borderWidth: 1, gapWidth: 1}},
          {itemStyle: {borderColor: "#fff", borderWidth: 1, gapWidth: 0}}
        ],
        data: data.counties.map(function (c) {
          return {
            id: "c:" + c.name, name: c.name, value: c.total, total: c.total, coverage_pct: c.coverage_pct, signed_pct: c.signed_pct,
            itemStyle: {color: coverageColour(c.coverage_pct)},
            children: c.towns.map(function (t) {
              return {
                name: t.name, county: c.name, value: t.total, total: t.total, coverage_pct: t.coverage_pct,
                signed_pct: t.signed_pct, itemStyle: {color: coverageColour(t.coverage_pct)}
              };
            })
          };
        })
      }]
    };
  }

  // The city's county map (areamap.js), where the server found one; without it the
  // treemap below stays the overview.
  function drawAreaMap(data) {
    var el = document.getElementById("board-area-map");
    if (!el || !window.GongjianMap) { return; }
    var items = data.counties.map(function (c) {
      return {name: c.name, value: c.coverage_pct || 0, lines: [tip(c)]};
    });
    window.GongjianMap.draw(el, el.dataset.mapUrl, items, function (name) {
      drill("county", {county: name});
    }, function () {
      var box = document.getElementById("board-area-map-box");
      if (box) { box.hidden = true; }
    }, {none: el.dataset.none});
  }

  function render() {
    var data = readData();
    if (!data || !window.echarts) { return; }
    drawAreaMap(data);
    var barEl = document.getElementById("board-bar");
    var mapEl = document.getElementById("board-map");
    if (barEl) {
      // One bar per county: let the chart grow with the number of counties.
      var height = Math.max(320, data.counties.length * 24 + 80) + "px";
      if (barEl.style.height !== height) {
        barEl.style.height = height;
        if (bar) { bar.resize(); }
      }
      if (!bar) {
        bar = window.echarts.init(barEl);
        bar.on("click", function (p) { drill("county", {county: p.name}); });
      }
      bar.setOption(barOption(data), true);
    }
    if (mapEl) {
      if (!map) {
        map = window.echarts.init(mapEl);
        map.on("click", function (p) {
          if (p.selfType === "breadcrumb") { zoomed = null; return; }
          if (p.data && p.data.county) { drill("town", {county: p.data.county, town: p.name}); }
          else if (p.data) { zoomed = p.data.id; drill("county", {county: p.name}); }
        });
      }
      map.setOption(mapOption(data), true);
      if (zoomed) {
        map.dispatchAction({type: "treemapZoomToNode", seriesIndex: 0, targetNodeId: zoomed});
      }
    }
  }

  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "board-live") { render(); }
  });
  window.addEventListener("resize", function () {
    if (bar) { bar.resize(); }
    if (map) { map.resize(); }
  });
})();
