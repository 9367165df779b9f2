// Live preview and design check in the module editor: posts the form (debounced) to the
// preview address and shows the answer; without JavaScript the "Preview and check" button does
// the same with a page load.
(function () {
  "use strict";
  var form = document.querySelector("form.module-form");
  var panel = document.getElementById("preview-panel");
  if (!form || !panel || !window.fetch) { return; }
  var timer = null;
  var latest = 0;
  function refresh() {
    var ticket = ++latest;
    fetch(form.dataset.preview, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && ticket === latest) { panel.innerHTML = html; }
    }).catch(function () { /* offline or slow: the button still works */ });
  }
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  });
  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  });
})();
