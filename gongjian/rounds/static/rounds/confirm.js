// Round pages: a form with data-confirm="…" asks before it is sent (the publish dialog
// names what publishing ends; declining a renewal says the village chooses again).
// A static file, not an inline handler, so that the pages keep a strict Content-Security-Policy.
document.addEventListener(
  "submit",
  function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true
);
