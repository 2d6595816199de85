/* The model catalogue's table: sort by any column and filter by developer, licence family,
   modality and "training data released". The table is complete without this script; the script
   only adds the controls (kb.catalogue.table). */
(function () {
  "use strict";
  var table = document.querySelector("table.kb-model-table");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var column = function (name) {
    return headers.findIndex(function (th) { return th.textContent.trim() === name; });
  };
  var cellText = function (row, index) { return row.cells[index].textContent.trim(); };
  var cols = {
    developer: column("Developer"), family: column("Licence family"),
    modality: column("Modality"), data: column("Training data")
  };

  // Filters, in a labelled group above the table.
  var form = document.createElement("form");
  form.className = "kb-model-filters";
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", "Filter the models");
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var values = function (index, split) {
    var seen = {};
    rows.forEach(function (row) {
      var text = cellText(row, index);
      (split ? text.split(/,\s*/) : [text]).forEach(function (v) { if (v) seen[v] = true; });
    });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
  };
  var select = function (id, label, options) {
    var wrap = document.createElement("label");
    wrap.className = "kb-model-filter";
    wrap.htmlFor = id;
    wrap.textContent = label + " ";
    var control = document.createElement("select");
    control.id = id;
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "all";
    control.appendChild(all);
    options.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      control.appendChild(option);
    });
    wrap.appendChild(control);
    form.appendChild(wrap);
    return control;
  };
  var developer = select("kb-filter-developer", "Developer", values(cols.developer, false));
  var family = select("kb-filter-family", "Licence family", values(cols.family, false));
  var modality = select("kb-filter-modality", "Modality", values(cols.modality, true));
  var dataWrap = document.createElement("label");
  dataWrap.className = "kb-model-filter";
  var dataBox = document.createElement("input");
  dataBox.type = "checkbox";
  dataBox.id = "kb-filter-data";
  dataWrap.htmlFor = dataBox.id;
  dataWrap.appendChild(dataBox);
  dataWrap.appendChild(document.createTextNode(" Training data released"));
  form.appendChild(dataWrap);
  var count = document.createElement("p");
  count.className = "kb-model-count";
  count.setAttribute("role", "status");
  var container = table.closest(".table-wrapper") || table;
  container.parentNode.insertBefore(form, container);
  container.parentNode.insertBefore(count, container);

  var apply = function () {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!developer.value || cellText(row, cols.developer) === developer.value) &&
        (!family.value || cellText(row, cols.family) === family.value) &&
        (!modality.value || cellText(row, cols.modality).split(/,\s*/).indexOf(modality.value) >= 0) &&
        (!dataBox.checked || /\bopen\b/.test(cellText(row, cols.data)));
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " models shown";
  };
  [developer, family, modality, dataBox].forEach(function (control) {
    control.addEventListener("change", apply);
  });

  // Sorting: a button in every header; aria-sort tells the current order.
  headers.forEach(function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kb-sort";
    button.textContent = th.textContent.trim();
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var order = cellText(a, index).localeCompare(cellText(b, index), undefined, { numeric: true });
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
