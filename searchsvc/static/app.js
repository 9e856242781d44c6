// Progressive enhancement only: the page works without this file.
// Ticking a facet or changing the sort submits the search form at once
// (the "Apply filters" button does the same without JavaScript).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el || !el.hasAttribute || !el.hasAttribute("data-autosubmit") || !el.form) {
      return;
    }
    var page = el.form.querySelector("input[name=page]");
    if (page) { page.disabled = true; }
    if (typeof el.form.requestSubmit === "function") {
      el.form.requestSubmit();
    } else {
      el.form.submit();
    }
  });
  // Empty inputs would only clutter the URL (state lives in the URL, so keep it short).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.id !== "search") { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && (el.type === "date" || el.type === "search") && !el.value) {
        el.disabled = true;
      }
      if (el.name === "sort" && el.value === "relevance") { el.disabled = true; }
    });
  });
})();
