/* "Can I use it?": the reader ticks the uses they need; the table keeps the models that allow all
   of them. For the three questions that ask whether a burden applies (use restrictions, credit,
   revocable), what a reader needs is the answer "no". Conditional answers count as allowed unless
   the reader says otherwise; their conditions are in the cells. The choice is kept in the address
   (?need=commercial,eu&strict=1). Without this script the page is the complete table
   (kb.catalogue.uses). */
(function () {
  "use strict";
  var table = document.querySelector("table#use-table");
  if (!table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var NEEDS = [
    ["commercial", "Use it commercially", "yes"],
    ["large-company", "Use it in a large company", "yes"],
    ["modify", "Fine-tune or modify it", "yes"],
    ["redistribute", "Share the weights", "yes"],
    ["derivative-name", "Name a derivative freely", "yes"],
    ["train-on-outputs", "Train another model on its outputs", "yes"],
    ["eu", "Use it in the European Union", "yes"],
    ["restricted-uses", "No use policy to follow", "no"],
    ["attribution", "No credit or notice duty", "no"],
    ["revocable", "A licence that cannot be revoked", "no"]
  ];
  var form = document.createElement("form");
  form.className = "kb-use-needs";
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var fieldset = document.createElement("fieldset");
  var legend = document.createElement("legend");
  legend.textContent = "I need to:";
  fieldset.appendChild(legend);
  var boxes = {};
  NEEDS.forEach(function (need) {
    var label = document.createElement("label");
    label.className = "kb-use-need";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = "kb-need-" + need[0];
    box.value = need[0];
    label.htmlFor = box.id;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + need[1]));
    fieldset.appendChild(label);
    boxes[need[0]] = box;
  });
  form.appendChild(fieldset);
  var strictLabel = document.createElement("label");
  strictLabel.className = "kb-use-need kb-use-strict";
  var strict = document.createElement("input");
  strict.type = "checkbox";
  strict.id = "kb-need-strict";
  strictLabel.htmlFor = strict.id;
  strictLabel.appendChild(strict);
  strictLabel.appendChild(document.createTextNode(" Leave out conditional answers"));
  form.appendChild(strictLabel);
  var count = document.createElement("p");
  count.className = "kb-model-count";
  count.setAttribute("role", "status");
  var region = table.closest(".kb-scroll") || table;
  region.parentNode.insertBefore(form, region);
  region.parentNode.insertBefore(count, region);

  var params = new URLSearchParams(window.location.search);
  (params.get("need") || "").split(",").forEach(function (id) { if (boxes[id]) boxes[id].checked = true; });
  strict.checked = params.get("strict") === "1";

  var apply = function (remember) {
    var needed = NEEDS.filter(function (need) { return boxes[need[0]].checked; });
    var shown = 0;
    rows.forEach(function (row) {
      var ok = needed.every(function (need) {
        var answer = row.getAttribute("data-" + need[0]);
        return answer === need[2] || (answer === "conditional" && !strict.checked);
      });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    Array.prototype.forEach.call(table.querySelectorAll("[data-question]"), function (th) {
      th.classList.toggle("kb-needed", needed.some(function (need) { return need[0] === th.getAttribute("data-question"); }));
    });
    count.textContent = needed.length
      ? shown + " of " + rows.length + " models allow all " + needed.length + " chosen uses" +
        (strict.checked ? " without conditions" : " (conditions in the cells)")
      : "All " + rows.length + " models: tick what you need to narrow the list";
    if (remember) {
      var query = new URLSearchParams();
      if (needed.length) query.set("need", needed.map(function (need) { return need[0]; }).join(","));
      if (strict.checked) query.set("strict", "1");
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search.replace(/%2C/g, ",") : ""));
    }
  };
  form.addEventListener("change", function () { apply(true); });
  apply(false);
})();
