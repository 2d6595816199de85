/* The "tuned Sphinx" candidate of tools/search_eval.py --compare (not used by the site): Sphinx's
 * own search with titles and glossary entries (objects) weighted far more, topic pages preferred
 * over lists, and the generated index never first. Loaded after any html_search_scorer. */
var Scorer = {
  score: (result) => {
    const [docname, , , , score] = result;
    let s = score;
    if (docname.startsWith("topics/")) s += 3;
    if (docname === "genindex" || docname === "search") s -= 20;
    return s;
  },
  objNameMatch: 30,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 10, 2: -5 },
  objPrioDefault: 0,
  title: 30,
  partialTitle: 12,
  term: 5,
  partialTerm: 1,
};
