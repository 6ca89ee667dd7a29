/* Gongjian's page behaviour, loaded by every page (base.html). The pages run under a
 * Content-Security-Policy without 'unsafe-inline' (issue 12: 等保三级), so no template holds
 * a <script> body, an on*= handler or a style="…" attribute; what they did lives here:
 *
 *   <form data-confirm="…">          asks before submitting (was onsubmit="return confirm(…)")
 *   <select data-autosubmit>          submits its form on change (was onchange="this.form.submit()");
 *                                     data-clear="year" empties that field of the form first
 *   <button data-print>               prints the page (was onclick="window.print()")
 *   <span data-width="42.5">          a bar's width in % (was style="width: 42.5%")
 *   <span data-color="#1b7f3b">       a swatch's colour (was style="background: …")
 *
 * Styles set here go through the CSSOM (element.style), which the policy allows, unlike
 * style attributes in markup.
 *
 * It also gives the charts one safe way to show a name: Gongjian.tip builds an ECharts
 * tooltip as DOM nodes whose text is set with textContent, so a name such as
 * "<img src=x onerror=…>" is shown as those characters and never parsed as HTML. */
(function () {
  "use strict";

  function setText(el, text) {
    el.textContent = text === null || text === undefined ? "" : String(text);
    return el;
  }

  /* A tooltip for ECharts' tooltip.formatter (which accepts an element):
   *   tip(title, [line, …]) where a line is a string or {text: …, color: …} (a coloured dot
   *   before the text, as ECharts' own marker). Every piece is text, never HTML. */
  function tip(title, lines) {
    var box = document.createElement("div");
    box.className = "chart-tip";
    if (title !== null && title !== undefined && title !== "") {
      box.appendChild(setText(document.createElement("div"), title)).className = "chart-tip-title";
    }
    (lines || []).forEach(function (line) {
      var row = document.createElement("div");
      var item = typeof line === "object" && line !== null ? line : {text: line};
      if (item.color) {
        var dot = document.createElement("span");
        dot.className = "chart-tip-marker";
        dot.style.backgroundColor = typeof item.color === "string" ? item.color : "";
        row.appendChild(dot);
      }
      row.appendChild(setText(document.createElement("span"), item.text));
      box.appendChild(row);
    });
    return box;
  }

  function number(value) {
    if (value === null || value === undefined || value === "") { return "-"; }
    return typeof value === "number" ? value.toLocaleString("zh-CN") : String(value);
  }

  /* The tooltip of an axis-triggered chart (bars): the category, then one line per series. */
  function axisTip(params) {
    var list = Array.isArray(params) ? params : [params];
    var title = list.length ? (list[0].axisValueLabel || list[0].name) : "";
    return tip(title, list.map(function (p) {
      return {color: p.color, text: p.seriesName + "  " + number(p.value)};
    }));
  }

  // Sizes and colours carried as data attributes, applied to the page and to every piece
  // htmx swaps in.
  function applyData(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var nodes = Array.prototype.slice.call(scope.querySelectorAll("[data-width], [data-color]"));
    if (scope.matches && scope.matches("[data-width], [data-color]")) { nodes.push(scope); }
    nodes.forEach(function (el) {
      var width = parseFloat(el.dataset.width);
      if (!isNaN(width)) { el.style.width = Math.max(0, Math.min(100, width)) + "%"; }
      if (el.dataset.color) { el.style.backgroundColor = el.dataset.color; }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.dataset ? form.dataset.confirm : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field || !field.form || !field.hasAttribute("data-autosubmit")) { return; }
    (field.dataset.clear || "").split(/\s+/).forEach(function (name) {
      if (name && field.form.elements[name]) { field.form.elements[name].value = ""; }
    });
    field.form.submit();
  });

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });

  document.addEventListener("DOMContentLoaded", function () { applyData(document); });
  document.addEventListener("htmx:load", function (event) { applyData(event.target); });

  window.Gongjian = {tip: tip, axisTip: axisTip, number: number};
})();
