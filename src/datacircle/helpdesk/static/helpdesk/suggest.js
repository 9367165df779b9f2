// Suggest FAQ entries while a question is typed; the page works the same without this script.
// The form names its endpoint in data-suggest-url; results go into the element named by
// data-suggest-target, an aria-live region, as an HTML fragment rendered by the server. The
// script's own words come from the JavaScript catalogue (/jsi18n/<language>/), loaded before it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form || !window.fetch) { return; }
  // Without the catalogue (it failed to load), the English words are shown.
  var gettext = window.gettext || function (text) { return text; };
  var target = document.getElementById(form.getAttribute("data-suggest-target"));
  var faqLink = document.getElementById("check-faq");
  var title = form.querySelector("[name=title]");
  var body = form.querySelector("[name=body]");
  var language = form.querySelector("[name=language]");
  var timer = null;
  var last = "";
  var controller = null;

  function query() {
    var text = (title ? title.value : "") + " " + (body ? body.value.slice(0, 200) : "");
    return text.trim();
  }

  function refresh() {
    var q = query();
    if (faqLink) {
      var url = new URL(faqLink.getAttribute("data-base"), window.location.href);
      if (title && title.value.trim()) { url.searchParams.set("q", title.value.trim()); }
      faqLink.href = url.pathname + url.search;
    }
    if (q === last) { return; }
    last = q;
    if (q.length < 3) { target.innerHTML = ""; return; }
    if (controller) { controller.abort(); }
    controller = new AbortController();
    var url = new URL(form.getAttribute("data-suggest-url"), window.location.href);
    url.searchParams.set("q", q);
    if (language && language.value) { url.searchParams.set("language", language.value); }
    fetch(url, { signal: controller.signal, credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) { target.innerHTML = html; })
      .catch(function (error) {
        if (error && error.name === "AbortError") { return; }  // a newer request replaced it
        // The network is down or the session ended: say so once, and let the next keystroke
        // try again.
        last = "";
        var note = document.createElement("p");
        note.className = "muted";
        note.textContent = gettext(
          "Suggestions from the FAQ are not available right now; you can still send your question.");
        target.replaceChildren(note);
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 350);
  }

  [title, body].forEach(function (field) { if (field) { field.addEventListener("input", later); } });
  if (language) { language.addEventListener("change", function () { last = ""; later(); }); }
  refresh();
})();
