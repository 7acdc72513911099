// Grantdesk's own behaviour. No inline script anywhere: the Content-Security-Policy forbids it.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function bind(root) {
    // <select data-autosubmit> submits its form when changed (language switcher, filters).
    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      el.addEventListener("change", function () { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); });
    });
    // <form data-confirm="..."> asks before submitting.
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  onReady(function () { bind(document); });
  document.addEventListener("htmx:afterSettle", function (event) { bind(event.target); });
  window.Grantdesk = { bind: bind };
})();
