/* The "tuned Sphinx" candidate of tools/search_eval.py --compare (not used by the site): runs
 * Sphinx's search once for the query as typed and once for each alternative form that the site's
 * own search would also try (KBSearch.alternatives: synonyms, acronyms, British and American
 * spellings), and merges the results, each page once with its best score. */
(() => {
  const groups = JSON.parse(document.getElementById("kb-search-synonyms").textContent);
  const original = Search._performSearch;
  Search._performSearch = (query) => {
    const best = new Map();
    for (const alternative of KBSearch.alternatives(query, groups)) {
      for (const result of original(...Search._parseQuery(alternative))) {
        const key = result[0] + result[2];
        if (!best.has(key) || best.get(key)[4] < result[4]) best.set(key, result);
      }
    }
    // Sphinx shows the last entry first: ascending by score.
    return [...best.values()].sort((a, b) => a[4] - b[4] || (a[1] > b[1] ? -1 : 1));
  };
})();
