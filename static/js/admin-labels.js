// Django admin draws the editable cells of a changelist (list_editable) and of
// a tabular inline without a <label>, and names neither its autocomplete
// boxes nor the filter widgets' search icons. Each such field is named here by
// its column and its row ("Position (Role clarity)"), so a screen reader says
// what it edits.
(function () {
  "use strict";

  function named(field) {
    return (
      (field.labels && field.labels.length > 0) ||
      field.hasAttribute("aria-label") ||
      field.hasAttribute("aria-labelledby")
    );
  }

  function columnName(cell) {
    const table = cell.closest("table");
    const headers = table ? table.querySelectorAll("thead tr:last-child th") : [];
    let index = 0;
    for (let previous = cell.previousElementSibling; previous; previous = previous.previousElementSibling) {
      index += previous.colSpan || 1;
    }
    let position = 0;
    for (const header of headers) {
      if (position === index) return header.textContent.trim();
      position += header.colSpan || 1;
    }
    return "";
  }

  function rowName(row) {
    const heading = row.querySelector("th a, th, td.original p");
    const text = heading ? heading.textContent.trim() : "";
    return text || "new row";
  }

  function labelCells(root) {
    const rows = root.querySelectorAll("#result_list tbody tr, .inline-group .tabular tbody tr");
    for (const row of rows) {
      for (const field of row.querySelectorAll("input:not([type=hidden]), select, textarea")) {
        if (named(field)) continue;
        const cell = field.closest("td, th");
        const column = cell ? columnName(cell) : "";
        if (column) field.setAttribute("aria-label", `${column} (${rowName(row)})`);
      }
    }
  }

  // Select2 names its combobox by the box showing the choice, which is empty
  // until something is chosen: name both by the field's label as well.
  function labelAutocompletes(root) {
    for (const box of root.querySelectorAll(".select2-selection[role=combobox]")) {
      const container = box.closest(".select2");
      const select = container ? container.previousElementSibling : null;
      if (!select || select.tagName !== "SELECT") continue;
      const label = select.labels && select.labels.length ? select.labels[0] : null;
      const name = select.getAttribute("aria-label") ||
        (label ? label.textContent.trim().replace(/:$/, "") : "");
      if (!name) continue;
      const choice = box.querySelector("[role=textbox]");
      if (choice) choice.setAttribute("aria-label", name);
      if (label && choice && choice.id) {
        if (!label.id) label.id = `${select.id}-label`;
        box.setAttribute("aria-labelledby", `${label.id} ${choice.id}`);
      } else {
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", name);
      }
    }
  }

  function nameIcons(root) {
    for (const icon of root.querySelectorAll(".help-tooltip[aria-label]:not([role])")) {
      icon.setAttribute("role", "img");
    }
  }

  function run() {
    labelCells(document);
    labelAutocompletes(document);
    nameIcons(document);
  }

  // Select2, the filter widgets and new inline rows are built by other
  // scripts, some after the page has loaded: name whatever they add as soon
  // as it is in the page.
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      run();
    });
  });

  document.addEventListener("DOMContentLoaded", () => {
    run();
    observer.observe(document.body, { childList: true, subtree: true });
  });
})();
