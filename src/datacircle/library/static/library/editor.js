// Live preview and design check in the module editor: posts the form (debounced) to the
// preview address and shows the answer; without JavaScript the "Preview and check" button does
// the same with a page load. A short status line says what the check found, in the reader's
// language (the page loads the JavaScript catalogue, /jsi18n/<language>/, before this script),
// and is what screen readers announce, rather than the whole preview at every pause in typing.
(function () {
  "use strict";
  var form = document.querySelector("form.module-form");
  var panel = document.getElementById("preview-panel");
  if (!form || !panel || !window.fetch) { return; }
  // Without the catalogue (it failed to load), the English words are shown.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_all, name) { return String(values[name]); });
  };

  var region = panel.closest("[aria-live]");
  if (region) { region.removeAttribute("aria-live"); }
  var status = document.createElement("p");
  status.className = "live-status muted";
  status.setAttribute("role", "status");
  panel.parentNode.insertBefore(status, panel);

  function say(text) { status.textContent = text; }

  function summary() {
    var blocking = panel.querySelectorAll(".errors li").length;
    var errors = panel.querySelectorAll(".finding.error").length;
    var warnings = panel.querySelectorAll(".finding.warning").length;
    if (!blocking && !errors && !warnings) {
      return gettext("Checked: the module follows every design rule.");
    }
    var parts = [];
    if (blocking) {
      parts.push(interpolate(ngettext(
        "%(count)s problem keeps the module from being saved.",
        "%(count)s problems keep the module from being saved.", blocking),
        { count: blocking }, true));
    }
    if (errors) {
      parts.push(interpolate(ngettext(
        "%(count)s design finding must be fixed.",
        "%(count)s design findings must be fixed.", errors),
        { count: errors }, true));
    }
    if (warnings) {
      parts.push(interpolate(ngettext(
        "%(count)s design finding to consider.",
        "%(count)s design findings to consider.", warnings),
        { count: warnings }, true));
    }
    return parts.join(" ");
  }

  var timer = null;
  var latest = 0;
  function refresh() {
    var ticket = ++latest;
    say(gettext("Checking…"));
    fetch(form.dataset.preview, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (ticket !== latest) { return; }
      if (html === null) { throw new Error("refused"); }
      panel.innerHTML = html;
      say(summary());
    }).catch(function () {
      // Offline, slow or signed out: the button still works.
      if (ticket === latest) {
        say(gettext("The live check is not available right now: press “Preview and check”."));
      }
    });
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
