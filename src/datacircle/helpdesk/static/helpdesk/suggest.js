// Suggest FAQ entries while a question is typed; the page works the same without this script.
// The form names its endpoint in data-suggest-url; results go into the element named by
// data-suggest-target, an aria-live region, as an HTML fragment rendered by the server.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form || !window.fetch) { return; }
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
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { target.innerHTML = html; })
      .catch(function () { /* a stale request was cancelled, or the network is down */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 350);
  }

  [title, body].forEach(function (field) { if (field) { field.addEventListener("input", later); } });
  if (language) { language.addEventListener("change", function () { last = ""; later(); }); }
  refresh();
})();
