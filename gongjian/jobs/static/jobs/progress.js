/* The job progress page: poll the job's status and move the bar without reloading.
   No inline script (the Content-Security-Policy allows scripts from our origin only): the
   element #job-progress carries the status address and whether to open the result. */
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "1") { return; }
  var bar = box.querySelector("progress");
  var stage = box.querySelector("[data-role=stage]");
  var figures = box.querySelector("[data-role=figures]");
  var state = box.querySelector("[data-role=state]");
  var every = parseInt(box.dataset.pollMs || "500", 10);
  var openResult = box.dataset.openResult === "1";

  function show(s) {
    if (s.percent === null || s.percent === undefined) {
      bar.removeAttribute("value");  /* indeterminate: the total is not known yet */
    } else {
      bar.value = Math.min(100, s.percent);
    }
    box.dataset.percent = s.percent === null ? "" : String(s.percent);
    box.dataset.state = s.state;
    stage.textContent = s.stage || "";
    state.textContent = s.state_label || "";
    figures.textContent = s.total ? (s.done + " / " + s.total) : "";
  }

  function finish(s) {
    /* Only a page of this site is opened (the address comes from the server, but a
       relative path is all it may be). */
    if (s.state === "done" && openResult && typeof s.result_url === "string" &&
        s.result_url.charAt(0) === "/" && s.result_url.charAt(1) !== "/") {
      window.location.assign(s.result_url);
    } else {
      window.location.reload();
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) { show(s); if (s.finished) { finish(s); } else { window.setTimeout(poll, every); } })
      .catch(function () { window.setTimeout(poll, every * 4); });
  }
  window.setTimeout(poll, every);
})();
