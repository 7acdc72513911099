// Application pages: the transition modal and drag-and-drop uploads into the checklist.
// Without JavaScript every button is a link to a form page and every upload a plain form.
(function () {
  "use strict";

  var SPINNER = '<div class="modal-body text-center py-5"><span class="spinner-border" role="status"></span></div>';

  // The transition modal is filled by htmx (hx-get on the buttons); empty it when it closes so
  // the next button never shows the previous form.
  document.addEventListener("hidden.bs.modal", function (event) {
    var body = event.target.querySelector("#transition-modal-body");
    if (body) body.innerHTML = SPINNER;
  });

  function replaceChecklist(html) {
    var current = document.getElementById("checklist");
    if (!current) return;
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.querySelector("#checklist");
    if (fresh) current.replaceWith(fresh);
  }

  function upload(form, file) {
    var data = new FormData(form);
    if (file) data.set("file", file);
    form.classList.add("gd-uploading");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" }
    })
      .then(function (response) { return response.text(); })
      .then(replaceChecklist)
      .catch(function () { form.submit(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("gd-dropzone")) return;
    if (!window.fetch || !window.FormData) return; // plain form post
    event.preventDefault();
    upload(form);
  });

  function zoneOf(event) {
    return event.target.closest ? event.target.closest(".gd-dropzone") : null;
  }

  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var zone = zoneOf(event);
      if (!zone) return;
      event.preventDefault();
      zone.classList.add("gd-dragover");
    });
  });
  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("gd-dragover");
  });
  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("gd-dragover");
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) upload(zone, files[0]);
  });
})();
