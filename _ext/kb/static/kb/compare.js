/* Compare models: two to four side by side, from models.json (the catalogue's open data). The
   choice comes from the address (?m=llama-3-1,mistral-7b), from the catalogue's ticks or a model
   page's link, or from the four menus here, and is written back to the address so it can be
   shared. Every value is set as text, never as markup. Without this script the page lists a link
   to every model (kb.catalogue.uses). */
(function () {
  "use strict";
  var root = document.querySelector(".kb-compare");
  if (!root) return;
  var pagesBase = root.getAttribute("data-pages").replace(/index\.html$/, "");
  var USES = [
    ["commercial", "Commercial use"], ["large-company", "Use by a large company"],
    ["modify", "Fine-tune or modify"], ["redistribute", "Share the weights"],
    ["derivative-name", "Name a derivative freely"], ["train-on-outputs", "Train other models on outputs"],
    ["eu", "Use in the European Union"], ["restricted-uses", "Use restrictions apply"],
    ["attribution", "Notice or credit required"], ["revocable", "Licensor can revoke"]
  ];
  var COMPONENTS = [
    ["weights", "Weights"], ["inference_code", "Inference code"], ["training_code", "Training code"],
    ["training_data", "Training data"], ["data_documentation", "Data documentation"],
    ["paper", "Technical report or paper"], ["model_card", "Model card"],
    ["checkpoints", "Intermediate checkpoints"], ["evaluation_code", "Evaluation code"]
  ];
  var STATUS = { open: "● open", restricted: "◐ restricted", described: "◔ described only",
    "not-released": "○ not released", unknown: "? unknown" };
  var ANSWER = { yes: "Yes", no: "No", conditional: "Conditional" };
  var ASSESSORS = [["osi", "Open Source Initiative"], ["eosai", "European Open Source AI Index"],
    ["mot", "Model Openness Tool"]];
  var el = function (tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  var link = function (href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
  };

  fetch(root.getAttribute("data-src")).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(function (data) {
    var models = data.models.slice().sort(function (a, b) { return a.name.localeCompare(b.name); });
    var byId = {};
    models.forEach(function (m) { byId[m.id] = m; });
    var form = el("form", "", "kb-compare-form");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var selects = [];
    for (var i = 0; i < 4; i += 1) {
      var label = el("label", "Model " + (i + 1) + " ", "kb-model-filter");
      var select = el("select");
      select.id = "kb-compare-" + (i + 1);
      label.htmlFor = select.id;
      var none = el("option", "none");
      none.value = "";
      select.appendChild(none);
      models.forEach(function (m) {
        var option = el("option", m.name);
        option.value = m.id;
        select.appendChild(option);
      });
      label.appendChild(select);
      form.appendChild(label);
      selects.push(select);
    }
    var status = el("p", "", "kb-model-count");
    status.setAttribute("role", "status");
    var output = el("div");
    root.textContent = "";
    root.appendChild(form);
    root.appendChild(status);
    root.appendChild(output);

    var wanted = (new URLSearchParams(window.location.search).get("m") || "").split(",")
      .filter(function (id) { return byId[id]; }).slice(0, 4);
    wanted.forEach(function (id, index) { selects[index].value = id; });

    var render = function (remember) {
      var chosen = [];
      selects.forEach(function (s) { if (s.value && chosen.indexOf(s.value) < 0) chosen.push(s.value); });
      if (remember) {
        window.history.replaceState(null, "", window.location.pathname + (chosen.length ? "?m=" + chosen.join(",") : ""));
      }
      output.textContent = "";
      if (chosen.length < 2) {
        status.textContent = "Choose at least two models to compare (" + chosen.length + " chosen).";
        if (!chosen.length) return;
      } else {
        status.textContent = "Comparing " + chosen.map(function (id) { return byId[id].name; }).join(", ") + ".";
      }
      var items = chosen.map(function (id) { return byId[id]; });
      var region = el("div", "", "kb-scroll");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", "Comparison (scrolls sideways on narrow screens)");
      region.tabIndex = 0;
      var table = el("table", "", "kb-compare-table docutils");
      var thead = el("thead");
      var headRow = el("tr");
      var corner = el("th", "");
      corner.setAttribute("scope", "col");
      corner.appendChild(el("span", "Model", "kb-visually-hidden"));
      headRow.appendChild(corner);
      items.forEach(function (m) {
        var th = el("th");
        th.setAttribute("scope", "col");
        th.appendChild(link(pagesBase + m.id + ".html", m.name));
        headRow.appendChild(th);
      });
      thead.appendChild(headRow);
      table.appendChild(thead);
      var body = el("tbody");
      var section = function (title) {
        var tr = el("tr", "", "kb-compare-section");
        var th = el("th", title);
        th.setAttribute("scope", "colgroup");
        th.colSpan = items.length + 1;
        tr.appendChild(th);
        body.appendChild(tr);
      };
      var row = function (label, fill) {
        var tr = el("tr");
        var th = el("th", label);
        th.setAttribute("scope", "row");
        tr.appendChild(th);
        items.forEach(function (m) {
          var td = el("td");
          fill(td, m);
          tr.appendChild(td);
        });
        body.appendChild(tr);
      };
      section("The model");
      row("Developer", function (td, m) { td.textContent = m.developer + (m.team ? " (" + m.team + ")" : ""); });
      row("First released", function (td, m) { td.textContent = m.released; });
      row("Licence", function (td, m) {
        td.appendChild(link(m.licence_page, m.licence_name));
        td.appendChild(document.createTextNode(", version " + m.licence_version));
      });
      section("What you may do");
      USES.forEach(function (use) {
        row(use[1], function (td, m) {
          var answer = m.uses[use[0]];
          td.className = "kb-answer kb-answer-" + answer.answer;
          td.appendChild(link(answer.clause, ANSWER[answer.answer]));
          if (answer.condition) td.appendChild(el("span", answer.condition, "kb-condition"));
        });
      });
      row("The model's own restrictions", function (td, m) {
        if (!m.restrictions.length) { td.textContent = "none beyond the licence"; return; }
        var list = el("ul");
        m.restrictions.forEach(function (r) {
          var li = el("li");
          li.appendChild(link(r.evidence, r.text));
          list.appendChild(li);
        });
        td.appendChild(list);
      });
      section("What was released");
      COMPONENTS.forEach(function (component) {
        row(component[1], function (td, m) {
          var c = m.components[component[0]];
          td.className = "kb-status-" + c.status;
          if (c.evidence) td.appendChild(link(c.evidence, STATUS[c.status]));
          else td.textContent = STATUS[c.status];
        });
      });
      section("What others concluded");
      ASSESSORS.forEach(function (assessor) {
        row(assessor[1], function (td, m) {
          var a = m.assessments[assessor[0]];
          if (!a) { td.textContent = "no result recorded"; return; }
          td.appendChild(link(a.url, a.result));
          td.appendChild(el("span", "seen " + a.seen, "kb-condition"));
        });
      });
      table.appendChild(body);
      region.appendChild(table);
      output.appendChild(region);
    };
    form.addEventListener("change", function () { render(true); });
    render(false);
  }).catch(function () {
    var note = el("p", "The comparison could not load its data; each model's page has the same facts.", "kb-model-count");
    root.insertBefore(note, root.firstChild);
  });
})();
