/* The knowledge base's search page, on Pagefind's index (built by _ext/kb/search.py).
 *
 * A query is understood before it is sent:
 * - names: what the site calls a model, a licence, a glossary term or a topic (their names and
 *   aliases, embedded in the page as JSON) are recognized in the query; a model or licence named
 *   is the first result (each of them, in the order named), and so is a term or topic when the
 *   query names nothing else ("what is openwashing").
 * - words that carry no meaning in a search here ("can", "I", "the", "difference", "between") are
 *   dropped, unless nothing else is left;
 * - the rest runs as typed and in its other forms (forms.js: synonyms, acronyms, spellings, words
 *   run together); results of all runs are merged by page, best score first. When that finds
 *   little, each word runs alone; when it finds nothing, a word the site never uses is replaced
 *   by the nearest one it does ("did you mean"), from the site's own vocabulary
 *   (pagefind/kb-words/, the part for the word's first two letters).
 * Each result shows its best-matching sections with their own snippets, linked to the section.
 * The count is the true number of results; the first 20 are shown, and a button shows the rest.
 * Pagefind itself is loaded from the site (pagefind/pagefind.js); nothing comes from another host.
 */
"use strict";

const KBSearch = (() => {
  const PAGE_SIZE = 20;
  const MAX_SECTIONS = 3;
  const FEW = 3; // fewer results than this, and each word also runs alone
  const EXACT_WINDOW = 10;
  // Sections that list other pages or sources: a match there is not where the answer is.
  const LISTS = new Set(["sources", "see also", "referenced by", "references"]);
  // Words that say how a question is asked, not what it is about.
  const STOP = new Set(
    ("a an and are as at be between by can could difference differences do does doing for from " +
      "how i if in into is it its me my of on or should than that the their them there these they " +
      "this those to vs versus was we what when where which who whom why will with would you your " +
      "use using used allowed allow permitted may mean means meaning explain explained tell about").split(" "),
  );
  // Words readers add to a name ("Llama 2 licence"): a result whose title is exactly the rest of
  // the query goes first.
  const ASIDE = new Set(["licence", "license", "licences", "licenses", "licensing", "terms", "model", "weights"]);

  const singular = (word) => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word);

  /** name index: first word -> [{words, url, kind, name}], longest first; each name also under
      its other forms (a "licence" is found as "license") */
  function nameIndex(names, groups) {
    const index = new Map();
    for (const [name, url, kind] of names || []) {
      const entry = { url, kind, name };
      for (const form of KBForms.alternatives(name, groups)) {
        const list = form.split(" ").map(singular);
        if (!list.length || !list[0]) continue;
        if (!index.has(list[0])) index.set(list[0], []);
        index.get(list[0]).push({ ...entry, words: list, entry });
      }
    }
    for (const entries of index.values()) entries.sort((a, b) => b.words.length - a.words.length);
    return index;
  }

  /** The query understood: its words, the names in it, and the words that carry its meaning. */
  function understand(query, index) {
    const list = KBForms.words(query);
    const keys = list.map(singular);
    const named = [];
    const covered = new Array(list.length).fill(false);
    // a word of a name matches as written, or (four letters or more) with one slip ("lama 4")
    const same = (typed, word) => typed === word ||
      (typed !== undefined && word.length >= 4 && /^\p{L}+$/u.test(typed) && KBForms.distance(typed, word, 1) <= 1);
    const spelled = [];
    for (let i = 0; i < list.length; i++) {
      let match = (index.get(keys[i]) || []).find((entry) => entry.words.every((word, k) => keys[i + k] === word));
      if (!match && keys[i].length >= 4) {
        for (const [first, entries] of index) {
          if (!same(keys[i], first)) continue;
          match = entries.find((entry) => entry.words.length > 1 && entry.words.every((word, k) => same(keys[i + k], word)));
          if (match) break;
        }
        if (match) spelled.push([list.slice(i, i + match.words.length).join(" "), match.words.join(" ")]);
      }
      if (!match) continue;
      // a one-word name that is also a question word ("use") is not a name
      if (match.words.length === 1 && STOP.has(list[i])) continue;
      if (!named.some((n) => n.url === match.url)) named.push(match.entry);
      for (let k = 0; k < match.words.length; k++) covered[i + k] = true;
      i += match.words.length - 1;
    }
    let content = list.filter((word, i) => covered[i] || !STOP.has(word));
    if (!content.length) content = list;
    const rest = list.filter((word, i) => !covered[i] && !STOP.has(word));
    let text = content.join(" ");
    for (const [typed, meant] of spelled) text = text.replace(typed, meant);
    return { words: list, content: text, named, rest, spelled };
  }

  async function merged(pagefind, queries, factor = 1, into = new Map()) {
    const runs = await Promise.all(queries.map((q) => pagefind.search(q)));
    for (const run of runs) {
      for (const result of run.results) {
        const score = result.score * factor;
        const seen = into.get(result.id);
        if (!seen || score > seen.score) into.set(result.id, { ...result, score, data: result.data });
      }
    }
    return into;
  }

  // The site's words by their first two letters (pagefind/kb-words/<hex codes>.json, written by
  // kb.search): fetched only for the beginnings of a query's words.
  const vocabularies = new Map();
  function vocabulary(root, word) {
    const name = [...word].slice(0, 2).map((c) => c.codePointAt(0).toString(16)).join("-");
    if (!vocabularies.has(name)) {
      vocabularies.set(name, fetch(`${root}pagefind/kb-words/${name}.json`)
        .then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
    }
    return vocabularies.get(name);
  }

  /** The query with each word the site never uses replaced by the nearest word it does use
      (from the site's vocabulary, by first two letters), or "" when every word is the site's. */
  async function correction(understood, root, kept = new Set()) {
    const fixed = await Promise.all(understood.words.map(async (word) => {
      if (word.length < 4 || !/^\p{L}+$/u.test(word) || STOP.has(word) || kept.has(word)) return word;
      return KBForms.correct(word, await vocabulary(root, word)) || word;
    }));
    return fixed.join(" ") !== understood.words.join(" ") ? fixed.join(" ") : "";
  }

  /** Every result for a query, best first: {results, understood, corrected}. A query with a word
      the site never uses runs as corrected, unless `exact` asks for it as typed. */
  async function search(pagefind, query, groups, names, root = "", exact = false) {
    const index = nameIndex(names, groups);
    let understood = understand(query, index);
    // words a reader wrote in capitals are acronyms, and words of the synonym list are known forms
    const kept = new Set([...String(query).matchAll(/\b\p{Lu}{2,}\b/gu)].map((m) => m[0].toLowerCase())
      .concat((groups || []).flat().flatMap((form) => KBForms.words(form))));
    // a word that is part of a name the query names (even misspelt) is the name's, not a typo
    for (const [typed] of understood.spelled) KBForms.words(typed).forEach((word) => kept.add(word));
    const corrected = root && !exact ? await correction(understood, root, kept) : "";
    if (corrected) understood = understand(corrected, index);
    const found = await run(pagefind, understood, groups);
    const results = [...found.values()].sort((a, b) => b.score - a.score);
    return { results, understood, corrected };
  }

  async function run(pagefind, understood, groups) {
    const found = await merged(pagefind, KBForms.alternatives(understood.content, groups));
    const words = understood.content.split(" ");
    if (found.size < FEW && words.length > 1) {
      // each meaningful word alone, counting for less than the whole query
      const alone = words.filter((w) => !STOP.has(w) && w.length > 1);
      for (const word of alone) await merged(pagefind, KBForms.alternatives(word, groups), 0.5, found);
    }
    // the words besides the names: where they occur on a named page is the answer to show there
    const rest = understood.rest.length ? await pagefind.search(understood.rest.join(" ")) : { results: [] };
    const answers = new Map(rest.results.map((result) => [result.id, result]));
    // names are results even where Pagefind ranks them low: each named page's own record
    for (const entry of understood.named) {
      const hits = await pagefind.search(KBForms.words(entry.name).join(" "));
      for (const result of hits.results.slice(0, 8)) {
        const data = await result.data();
        if (target(data) === `/${entry.url}`) {
          if (!found.has(result.id)) found.set(result.id, { ...result, data: result.data });
          found.get(result.id).named = entry;
          if (answers.has(result.id)) found.get(result.id).answer = answers.get(result.id);
          break;
        }
      }
    }
    return found;
  }

  const target = (data) => (data.meta && data.meta.target) || data.url;

  /** A title or query reduced to its words, without the words readers add to a name. */
  function titleKey(text) {
    return KBForms.words(text).filter((word) => !ASIDE.has(word)).join(" ").replace(/\.$/, "");
  }

  /** A page whose title shares the query's words is about them: its score counts for up to
      60% more (a page's words weigh by how often they occur, its title's no more than others). */
  function titleBoost(item, understood) {
    const wanted = new Set(understood.content.split(" ").filter((w) => !STOP.has(w)).map(singular));
    // a glossary entry's title is its term, already weighed as its heading
    if (!item.data || !wanted.size || item.data.meta.kind) return 1;
    const share = (text) => {
      const have = new Set(KBForms.words(text).filter((w) => !STOP.has(w)).map(singular));
      return [...wanted].filter((w) => have.has(w)).length / wanted.size;
    };
    // a section heading that names the query's words counts too, for less
    const headings = (item.data.sub_results || []).filter((sub) => !LISTS.has((sub.title || "").toLowerCase()));
    const heading = Math.max(0, ...headings.map((sub) => share(sub.title)));
    return 1 + Math.max(0.6 * share(item.data.meta.title), 0.4 * heading);
  }

  /** Named models and licences first, in the order named; a term or topic when it is all the
      query names; then a page whose title is the query itself; then the rest by score, the
      titles of the first page of results weighed in. */
  function ordered(items, understood, query) {
    const top = items.slice(0, PAGE_SIZE).sort((a, b) =>
      b.result.score * titleBoost(b, understood) - a.result.score * titleBoost(a, understood));
    items = [...top, ...items.slice(PAGE_SIZE)];
    const first = [];
    const specific = understood.named.filter((n) => n.kind === "Model" || n.kind === "Licence");
    const alone = understood.named.length === 1 && understood.rest.length === 0 ? understood.named : [];
    for (const entry of [...specific, ...alone]) {
      const i = items.findIndex((item) => item.result.named === entry);
      if (i >= 0) first.push(...items.splice(i, 1));
    }
    const wanted = titleKey(query);
    const exact = items.slice(0, EXACT_WINDOW).findIndex((item) => item.data && titleKey(item.data.meta.title) === wanted);
    if (exact > 0) items.unshift(...items.splice(exact, 1));
    // among the first results, one glossary entry: the others follow the first pages
    const glossary = (item) => item.data && item.data.meta.kind === "Glossary";
    const head = [];
    const later = [];
    for (const item of items.slice(0, EXACT_WINDOW)) {
      (glossary(item) && [...first, ...head].some(glossary) ? later : head).push(item);
    }
    return [...first, ...head.slice(0, FEW), ...later, ...head.slice(FEW), ...items.slice(EXACT_WINDOW)];
  }

  /** Pagefind's excerpt marks matches with <mark>; rebuild it from text so no markup gets in. */
  function excerptNode(excerpt) {
    const p = document.createElement("p");
    p.className = "kb-search-excerpt";
    const parse = new DOMParser().parseFromString(`<p>${excerpt || ""}</p>`, "text/html").body.firstChild;
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

  /** The sections of a page that match best (by Pagefind's weighted matches), best first. */
  function bestSections(data) {
    const score = (sub) => (sub.weighted_locations || []).reduce((sum, w) => sum + (w.balanced_score || w.weight || 1), 0);
    return (data.sub_results || [])
      .filter((sub) => sub.url.includes("#") && (sub.locations || []).length > 0 && sub.title !== data.meta.title &&
        !LISTS.has((sub.title || "").toLowerCase()))
      .sort((a, b) => score(b) - score(a))
      .slice(0, MAX_SECTIONS);
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
    link.href = href(target(data));
    link.textContent = data.meta.title || data.url;
    heading.append(link);
    li.append(heading);
    const sections = bestSections(data);
    if (!sections.length) {
      li.append(excerptNode(data.excerpt));
      return li;
    }
    const list = document.createElement("ul");
    list.className = "kb-search-sections";
    for (const section of sections) {
      const item = document.createElement("li");
      const sectionLink = document.createElement("a");
      sectionLink.className = "kb-search-section-link";
      sectionLink.href = href(section.url);
      sectionLink.textContent = section.title;
      item.append(sectionLink, excerptNode(section.excerpt));
      list.append(item);
    }
    li.append(list);
    return li;
  }

  function link(text, url) {
    const a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }

  async function show() {
    const form = document.getElementById("kb-search-form");
    if (!form) return;
    const input = form.querySelector("input[name=q]");
    const status = document.getElementById("kb-search-status");
    const suggestion = document.getElementById("kb-search-suggestion");
    const container = document.getElementById("search-results");
    const list = container.querySelector("ol");
    const more = document.getElementById("kb-search-more");
    const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    // Fill every search box on the page (Furo's sidebar box too) with the query.
    document.querySelectorAll("input[name=q]").forEach((el) => (el.value = query));
    if (!query) {
      container.dataset.searchState = "done";
      status.textContent = "Type one or more words, or a question, and press Enter.";
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
    const names = JSON.parse(document.getElementById("kb-search-names").textContent);
    const searchUrl = (q) => `${prefix}search.html?q=${encodeURIComponent(q)}`;
    try {
      const pagefind = await import(`${root}pagefind/pagefind.js`);
      // baseUrl "/": result URLs as indexed, relative to the site's root, whatever its path on the
      // host. noWorker: starting a worker costs more than the few milliseconds a search takes.
      await pagefind.options({ basePath: `${root}pagefind/`, baseUrl: "/", excerptLength: 24, noWorker: true });
      const exact = new URLSearchParams(window.location.search).get("exact") === "1";
      const { results, understood, corrected } = await search(pagefind, query, groups, names, root, exact);
      const head = await Promise.all(results.slice(0, PAGE_SIZE).map((r) => r.data()));
      let items = results.map((result, i) => ({ result, data: head[i] }));
      items = ordered(items, understood, corrected || query);
      const shown = corrected || query;
      const respelled = !corrected && understood.spelled.length
        ? understood.spelled.reduce((text, [typed, meant]) => text.replace(typed, meant), understood.words.join(" ")) : "";
      if (respelled) {
        suggestion.replaceChildren("Did you mean ", link(respelled, searchUrl(respelled)), "? Results for it are shown first.");
      } else if (corrected) {
        suggestion.replaceChildren(
          "Did you mean ", link(corrected, searchUrl(corrected)), "? Showing results for it; search instead for ",
          link(query, `${searchUrl(query)}&exact=1`), ".",
        );
      }
      const render = async (from, to) => {
        for (const item of items.slice(from, to)) {
          item.data ??= await item.result.data();
          // a page the query names shows where the query's other words occur on it
          const shown = item.result.answer ? await item.result.answer.data() : item.data;
          list.append(resultItem(shown, prefix));
        }
      };
      await render(0, PAGE_SIZE);
      if (items.length > PAGE_SIZE) {
        more.hidden = false;
        more.textContent = `Show all ${items.length} results`;
        more.addEventListener("click", async () => {
          more.hidden = true;
          await render(PAGE_SIZE, items.length);
          status.textContent = `All ${items.length} results for “${shown}” shown.`;
        }, { once: true });
      }
      if (items.length === 0) {
        status.textContent = `No results for “${query}”.`;
        suggestion.replaceChildren(
          "Try fewer or other words, look the term up in the ",
          link("glossary", `${prefix}glossary.html`),
          ", or browse the ",
          link("topics", `${prefix}index.html`),
          ".",
        );
      } else {
        status.textContent = items.length > PAGE_SIZE
          ? `${items.length} results for “${shown}”; the first ${PAGE_SIZE} are shown.`
          : `${items.length} result${items.length === 1 ? "" : "s"} for “${shown}”.`;
      }
    } catch (error) {
      status.textContent = "Search is unavailable: the search index could not be loaded.";
      console.warn("search failed", error);
    }
    container.dataset.searchState = "done";
  }

  // The script is loaded async after the search form and results list, so they exist already.
  if (document.getElementById("kb-search-form")) show();
  else document.addEventListener("DOMContentLoaded", show);

  return { alternatives: KBForms.alternatives, understand, nameIndex, search };
})();
