// Inline formsets of the company and project forms: add, remove and reorder rows.
// Without JavaScript the same buttons submit the form and the server makes the change
// (companies.forms.FormsetRows); here they act in the page instead. Rows are reordered by
// dragging their handle (SortableJS, when loaded) or with the up/down buttons; the hidden
// ORDER field of each row follows its position.
(function () {
  "use strict";

  document.documentElement.classList.add("gd-js");

  function rows(body) {
    return Array.prototype.filter.call(body.children, function (el) {
      return el.hasAttribute("data-formset-row");
    });
  }

  function setup(root) {
    if (root.dataset.formsetBound) return;
    root.dataset.formsetBound = "1";
    var prefix = root.dataset.formset;
    var body = root.querySelector("[data-formset-body]");
    var template = root.querySelector("template[data-formset-template]");
    var total = root.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    if (!body || !template || !total) return;

    function renumber() {
      rows(body).forEach(function (row, position) {
        var order = row.querySelector('input[name$="-ORDER"]');
        if (order) order.value = String(position + 1);
      });
    }

    function addRow() {
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      renumber();
      var added = rows(body).pop();
      if (window.Grantdesk) window.Grantdesk.bind(added);
      var first = added && added.querySelector("select, input:not([type=hidden])");
      if (first) first.focus();
    }

    function move(row, direction) {
      if (direction === "up" && row.previousElementSibling) {
        body.insertBefore(row, row.previousElementSibling);
      } else if (direction === "down" && row.nextElementSibling) {
        body.insertBefore(row.nextElementSibling, row);
      }
      renumber();
      var button = row.querySelector('[data-formset-move="' + direction + '"]');
      if (button) button.focus();
    }

    root.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !root.contains(button)) return;
      if (button.hasAttribute("data-formset-add")) {
        event.preventDefault();
        addRow();
      } else if (button.hasAttribute("data-formset-move")) {
        event.preventDefault();
        move(button.closest("[data-formset-row]"), button.getAttribute("data-formset-move"));
      }
    });

    root.addEventListener("change", function (event) {
      var box = event.target;
      if (box.matches('input[type=checkbox][name$="-DELETE"]')) {
        var row = box.closest("[data-formset-row]");
        if (row) row.classList.toggle("formset-removed", box.checked);
      }
    });

    if (window.Sortable) {
      window.Sortable.create(body, {
        handle: ".drag-handle",
        draggable: "[data-formset-row]",
        animation: 150,
        onEnd: renumber,
      });
    }
    renumber();
  }

  function init() {
    document.querySelectorAll("[data-formset]").forEach(setup);
  }

  if (document.readyState !== "loading") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
