/* Glossary filter (kb extension): narrows a glossary to the terms containing the typed text. */
"use strict";
(() => {
  // A term's text without its permalink ("#") and index anchors.
  const termName = (dt) =>
    [...dt.childNodes]
      .filter((n) => !(n.classList && n.classList.contains("headerlink")))
      .map((n) => n.textContent)
      .join("")
      .trim()
      .toLowerCase()
      .replace(/\s+/g, " ");
  const setUp = (box) => {
    // The glossary follows the box (or the wrapper the box sits in).
    let list = null;
    for (let el = box; el && !list; el = el.parentElement) {
      if (el.nextElementSibling && el.nextElementSibling.matches("dl.glossary")) list = el.nextElementSibling;
    }
    if (!list) return;
    const input = box.querySelector("input");
    const status = box.querySelector("[role=status]");
    // Each entry: its <dt> elements (a term and its aliases) and the <dd> that follows them.
    const entries = [];
    let terms = [];
    for (const el of list.children) {
      if (el.tagName === "DT") terms.push(el);
      else if (el.tagName === "DD") {
        const names = terms.map((dt) => termName(dt));
        entries.push({ elements: [...terms, el], names });
        terms = [];
      }
    }
    const apply = () => {
      const query = input.value.trim().toLowerCase().replace(/\s+/g, " ");
      let shown = 0;
      for (const entry of entries) {
        const match = !query || entry.names.some((n) => n.includes(query));
        for (const el of entry.elements) el.hidden = !match;
        if (match) shown += 1;
      }
      status.textContent = query
        ? `${shown} of ${entries.length} terms match “${input.value.trim()}”.`
        : `All ${entries.length} terms shown.`;
    };
    input.addEventListener("input", apply);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && input.value) {
        input.value = "";
        apply();
        event.stopPropagation();
      }
    });
    box.hidden = false;
  };
  const start = () => document.querySelectorAll("[data-kb-glossary-filter]").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
