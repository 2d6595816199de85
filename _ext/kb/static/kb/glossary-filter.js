/* Glossary filter (kb extension): narrows a glossary to the terms that match the typed text.
 *
 * A term matches when its name contains the text as typed, or when it contains every word of one
 * of the text's other forms (forms.js: the search's synonyms and acronyms, British and American
 * spellings, hyphens, singular and plural), so "GPAI" finds "general-purpose AI model" and
 * "licenses" finds "permissive licence". When nothing matches, a link offers the same words to
 * the site search.
 */
"use strict";
(() => {
  const singular = (word) => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word);
  const wordsOf = (text) => KBForms.words(text).map(singular);
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
    const elsewhere = box.querySelector(".kb-glossary-filter-elsewhere");
    const synonyms = box.querySelector(".kb-glossary-synonyms");
    const groups = synonyms ? JSON.parse(synonyms.textContent) : [];
    const root = document.documentElement.dataset.content_root || "";
    const searchPage = `${root === "./" ? "" : root}search.html`;
    // Each entry: its <dt> elements (a term and its aliases) and the <dd> that follows them.
    const entries = [];
    let terms = [];
    for (const el of list.children) {
      if (el.tagName === "DT") terms.push(el);
      else if (el.tagName === "DD") {
        const names = terms.map((dt) => termName(dt));
        entries.push({ elements: [...terms, el], names, words: names.map((n) => new Set(wordsOf(n))) });
        terms = [];
      }
    }
    const matches = (entry, typed, forms) =>
      entry.names.some((name) => name.includes(typed)) ||
      forms.some((form) => form.length && entry.words.some((have) => form.every((word) => have.has(word))));
    const apply = () => {
      const typed = input.value.trim().toLowerCase().replace(/\s+/g, " ");
      const forms = typed ? KBForms.alternatives(typed, groups).map(wordsOf) : [];
      let shown = 0;
      for (const entry of entries) {
        const match = !typed || matches(entry, typed, forms);
        for (const el of entry.elements) el.hidden = !match;
        if (match) shown += 1;
      }
      status.textContent = typed
        ? `${shown} of ${entries.length} terms match “${input.value.trim()}”.`
        : `All ${entries.length} terms shown.`;
      elsewhere.hidden = !(typed && shown === 0);
      if (!elsewhere.hidden) {
        const link = document.createElement("a");
        link.href = `${searchPage}?q=${encodeURIComponent(input.value.trim())}`;
        link.textContent = `Search the whole site for “${input.value.trim()}”`;
        elsewhere.replaceChildren("No term matches. ", link, ".");
      }
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
