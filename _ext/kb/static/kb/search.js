/* The knowledge base's search page, on Pagefind's index (built by _ext/kb/search.py).
 *
 * A query runs as typed and once for each alternative form of it: synonyms and acronyms from the
 * site's synonym list (embedded in the page as JSON) and British/American spellings by rule.
 * Results of all runs are merged by page, best score first, and shown with a snippet of the
 * matching text and, for a long page, the section that matches best. Pagefind itself is loaded
 * from the site (pagefind/pagefind.js); nothing comes from another host.
 */
"use strict";

const KBSearch = (() => {
  const MAX_ALTERNATIVES = 8;
  const MAX_RESULTS = 20;

  // British and American spellings: organise/organize, analyse/analyze, behaviour/behavior.
  // A rule may produce a word that exists nowhere; its run then simply finds nothing.
  const SPELLING_RULES = [
    [/^(.{2,})is(e|es|ed|ing|ation|ations|er|ers|able)$/, "$1iz$2"],
    [/^(.{2,})iz(e|es|ed|ing|ation|ations|er|ers|able)$/, "$1is$2"],
    [/^(.{2,})ys(e|es|ed|ing)$/, "$1yz$2"],
    [/^(.{2,})yz(e|es|ed|ing)$/, "$1ys$2"],
    [/^(.{4,})our(s|ed|ing|al|able)?$/, "$1or$2"],
    [/^(.{4,})or(s|ed|ing|al|able)?$/, "$1our$2"],
  ];

  const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  /** The query as typed, then its alternative forms (at most MAX_ALTERNATIVES in all). */
  function alternatives(query, groups) {
    const typed = query.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
    const options = [typed];
    const add = (option) => {
      if (!options.includes(option)) options.push(option);
    };
    for (const group of groups) {
      const forms = group.map((form) => String(form).toLowerCase());
      for (const form of forms) {
        const pattern = new RegExp(`(^| )${escapeRegExp(form)}(?= |$)`);
        for (const current of [...options]) {
          if (!pattern.test(current)) continue;
          for (const other of forms) {
            if (other !== form) add(current.replace(pattern, `$1${other}`));
          }
        }
      }
    }
    for (const current of [...options]) {
      const words = current.split(" ");
      words.forEach((word, i) => {
        for (const [rule, replacement] of SPELLING_RULES) {
          if (!rule.test(word)) continue;
          const copy = [...words];
          copy[i] = word.replace(rule, replacement);
          add(copy.join(" "));
        }
      });
    }
    return options.slice(0, MAX_ALTERNATIVES);
  }

  /** Run every alternative and merge: each page once, with its best score. */
  async function search(pagefind, query, groups) {
    const runs = await Promise.all(alternatives(query, groups).map((q) => pagefind.search(q)));
    const best = new Map();
    for (const run of runs) {
      for (const result of run.results) {
        const seen = best.get(result.id);
        if (!seen || result.score > seen.score) best.set(result.id, result);
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, MAX_RESULTS);
  }

  /** A title or query reduced to its words, without the words readers add to a name ("Llama 2
      licence"): a result whose title is exactly what was asked for goes first. */
  const ASIDE = new Set(["licence", "license", "licences", "licenses", "licensing", "terms", "model", "weights"]);
  function titleKey(text) {
    return (text || "").toLowerCase().replace(/[^\p{L}\p{N}.+ ]+/gu, " ").split(/\s+/)
      .filter((word) => word && !ASIDE.has(word)).join(" ").replace(/\.$/, "");
  }
  const EXACT_WINDOW = 10;

  /** Pagefind's excerpt marks matches with <mark>; rebuild it from text so no markup gets in. */
  function excerptNode(excerpt) {
    const p = document.createElement("p");
    p.className = "kb-search-excerpt";
    const parse = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html").body.firstChild;
    for (const node of parse.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.append(mark);
      } else {
        p.append(node.textContent);
      }
    }
    return p;
  }

  /** The section of a page that matches best (most matched words), if it is not the page top. */
  function bestSection(data) {
    let best = null;
    for (const sub of data.sub_results || []) {
      if (!sub.url.includes("#")) continue;
      if (!best || (sub.locations || []).length > (best.locations || []).length) best = sub;
    }
    return best;
  }

  function resultItem(data, prefix) {
    const href = (url) => prefix + url.replace(/^\//, "");
    const li = document.createElement("li");
    li.className = "kb-search-result";
    const heading = document.createElement("p");
    heading.className = "kb-search-result-title";
    if (data.meta.kind) {
      const kind = document.createElement("span");
      kind.className = "kb-search-kind";
      kind.textContent = data.meta.kind;
      heading.append(kind, " ");
    }
    const link = document.createElement("a");
    link.className = "search-result-link";
    // A glossary entry is indexed on its own; its target is its anchor on the glossary page.
    link.href = href(data.meta.target || data.url);
    link.textContent = data.meta.title || data.url;
    heading.append(link);
    li.append(heading);
    const section = bestSection(data);
    if (section && section.title && section.title !== data.meta.title) {
      const where = document.createElement("p");
      where.className = "kb-search-section";
      const sectionLink = document.createElement("a");
      sectionLink.href = href(section.url);
      sectionLink.textContent = section.title;
      where.append("Section: ", sectionLink);
      li.append(where);
    }
    li.append(excerptNode((section || data).excerpt || data.excerpt));
    return li;
  }

  async function run() {
    const form = document.getElementById("kb-search-form");
    if (!form) return;
    const input = form.querySelector("input[name=q]");
    const status = document.getElementById("kb-search-status");
    const container = document.getElementById("search-results");
    const list = container.querySelector("ol");
    const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    // Fill every search box on the page (Furo's sidebar box too) with the query.
    document.querySelectorAll("input[name=q]").forEach((el) => (el.value = query));
    if (!query) {
      container.dataset.searchState = "done";
      status.textContent = "Type one or more words and press Enter.";
      input.focus();
      return;
    }
    container.dataset.searchState = "searching";
    status.textContent = "Searching…";
    // Links relative to this page, like every other link of the site; Pagefind by absolute URL,
    // since import() resolves against this script's address, not the page's.
    const contentRoot = document.documentElement.dataset.content_root || "";
    const prefix = contentRoot === "./" ? "" : contentRoot;
    const root = new URL(contentRoot || "./", document.baseURI).href;
    const groups = JSON.parse(document.getElementById("kb-search-synonyms").textContent);
    try {
      const pagefind = await import(`${root}pagefind/pagefind.js`);
      // baseUrl "/": result URLs as indexed, relative to the site's root, whatever its path on the
      // host. noWorker: starting a worker costs more than the few milliseconds a search takes.
      await pagefind.options({ basePath: `${root}pagefind/`, baseUrl: "/", excerptLength: 24, noWorker: true });
      const results = await search(pagefind, query, groups);
      // Show each result as soon as it and those above it have loaded; among the first few, a
      // page whose title is the query itself (a model's or a term's name) is shown first.
      const pending = results.map((r) => r.data());
      const head = await Promise.all(pending.slice(0, EXACT_WINDOW));
      const wanted = titleKey(query);
      const exact = head.findIndex((d) => titleKey(d.meta && d.meta.title) === wanted);
      if (exact > 0) pending.unshift(...pending.splice(exact, 1));
      const data = [];
      for (const item of pending) {
        data.push(await item);
        list.append(resultItem(data[data.length - 1], prefix));
      }
      status.textContent =
        data.length === 0
          ? `No results for “${query}”. Try another word, or browse the glossary.`
          : `${data.length} result${data.length === 1 ? "" : "s"} for “${query}”.`;
    } catch (error) {
      status.textContent = "Search is unavailable: the search index could not be loaded.";
      console.warn("search failed", error);
    }
    container.dataset.searchState = "done";
  }

  // The script is loaded async after the search form and results list, so they exist already.
  if (document.getElementById("kb-search-form")) run();
  else document.addEventListener("DOMContentLoaded", run);

  return { alternatives, search };
})();
