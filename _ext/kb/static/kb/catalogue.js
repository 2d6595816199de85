/* The model catalogue's table: sort by any column; filter by words (name, other names, developer,
   licence), developer, licence family, modality and "training data released"; tick models to
   compare. The table is complete without this script; the script only adds the controls
   (kb.catalogue.table). Each row carries its values in data- attributes. */
(function () {
  "use strict";
  var table = document.querySelector("table.kb-model-table");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var cellText = function (row, index) { return row.cells[index].textContent.trim(); };

  var form = document.createElement("form");
  form.className = "kb-model-filters";
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", "Filter the models");
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var values = function (key, split) {
    var seen = {};
    rows.forEach(function (row) {
      var text = row.getAttribute("data-" + key) || "";
      (split ? text.split(/,\s*/) : [text]).forEach(function (v) { if (v) seen[v] = true; });
    });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
  };
  var labelled = function (id, label, control) {
    var wrap = document.createElement("label");
    wrap.className = "kb-model-filter";
    wrap.htmlFor = id;
    wrap.textContent = label + " ";
    control.id = id;
    wrap.appendChild(control);
    form.appendChild(wrap);
    return control;
  };
  var select = function (id, label, options) {
    var control = document.createElement("select");
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
    return labelled(id, label, control);
  };
  var words = document.createElement("input");
  words.type = "search";
  words.autocomplete = "off";
  labelled("kb-filter-text", "Name or licence", words);
  var developer = select("kb-filter-developer", "Developer", values("maker", false));
  var family = select("kb-filter-family", "Licence family", values("family", false));
  var modality = select("kb-filter-modality", "Modality", values("modality", true));
  var dataBox = document.createElement("input");
  dataBox.type = "checkbox";
  var dataWrap = document.createElement("label");
  dataWrap.className = "kb-model-filter";
  dataBox.id = "kb-filter-data";
  dataWrap.htmlFor = dataBox.id;
  dataWrap.appendChild(dataBox);
  dataWrap.appendChild(document.createTextNode(" Training data released"));
  form.appendChild(dataWrap);
  var count = document.createElement("p");
  count.className = "kb-model-count";
  count.setAttribute("role", "status");

  // Compare: a box in each row's first cell, and a link that opens the comparison with them.
  var compareBar = document.createElement("p");
  compareBar.className = "kb-compare-bar";
  var compareLink = document.createElement("a");
  compareLink.className = "kb-compare-go";
  compareBar.appendChild(compareLink);
  var compareTarget = "../compare.html";
  Array.prototype.forEach.call(document.querySelectorAll("article a[href]"), function (a) {
    if (/(^|\/)compare\.html$/.test(a.getAttribute("href"))) compareTarget = a.getAttribute("href");
  });
  var chosen = [];
  var updateCompare = function () {
    compareLink.textContent = chosen.length < 2
      ? "Tick two to four models to compare them (" + chosen.length + " ticked)"
      : "Compare the " + chosen.length + " ticked models";
    if (chosen.length >= 2) compareLink.href = compareTarget.split("?")[0] + "?m=" + chosen.join(",");
    else compareLink.removeAttribute("href");
  };
  rows.forEach(function (row) {
    var id = row.getAttribute("data-id");
    var name = row.cells[0].textContent.trim();
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "kb-compare-box";
    box.setAttribute("aria-label", "Compare " + name);
    box.addEventListener("change", function () {
      if (box.checked) {
        if (chosen.length >= 4) { box.checked = false; return; }
        chosen.push(id);
      } else {
        chosen = chosen.filter(function (other) { return other !== id; });
      }
      updateCompare();
    });
    row.cells[0].insertBefore(box, row.cells[0].firstChild);
  });
  updateCompare();

  var container = table.closest(".kb-scroll") || table;
  container.parentNode.insertBefore(form, container);
  container.parentNode.insertBefore(count, container);
  container.parentNode.insertBefore(compareBar, container);

  var apply = function () {
    var shown = 0;
    var needle = words.value.trim().toLowerCase();
    rows.forEach(function (row) {
      var ok = (!needle || (row.getAttribute("data-search") || "").indexOf(needle) >= 0) &&
        (!developer.value || row.getAttribute("data-maker") === developer.value) &&
        (!family.value || row.getAttribute("data-family") === family.value) &&
        (!modality.value || row.getAttribute("data-modality").split(/,\s*/).indexOf(modality.value) >= 0) &&
        (!dataBox.checked || row.getAttribute("data-data") === "open");
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " models shown";
  };
  [developer, family, modality, dataBox].forEach(function (control) {
    control.addEventListener("change", apply);
  });
  words.addEventListener("input", apply);

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
