/* What a reader types, understood the same way by the site search (search.js) and the glossary
 * filter (glossary-filter.js): words and their other forms.
 *
 * - words(): the text in lower case, split into words; hyphens and slashes separate words, so
 *   "mixture-of-experts" is "mixture of experts"; dots and plus signs inside a word stay ("qwen2.5").
 * - alternatives(): the words as typed, then their other forms: synonyms and acronyms from the
 *   site's list (kb_search_synonyms), British/American spellings by rule, and two words run
 *   together ("open washing" -> "openwashing").
 * - correct(): a word the site never uses, replaced by the nearest word it does use (at most one
 *   edit for short words, two for longer ones; the more frequent wins a tie), for "did you mean".
 *
 * Written for this site (no dependency): about a hundred lines, and the same rules must hold in
 * two scripts and in the tests.
 */
"use strict";

const KBForms = (() => {
  const MAX_ALTERNATIVES = 10;

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

  /** Lower-case words: letters and digits, with inner dots, plus signs and apostrophes kept. */
  function words(text) {
    return String(text || "")
      .toLowerCase()
      .replace(/[‘’]/g, "'")
      .split(/[^\p{L}\p{N}.+']+/u)
      .map((word) => word.replace(/^[.+']+|[.']+$/g, ""))
      .filter(Boolean);
  }

  /** The words as typed, then their other forms (at most MAX_ALTERNATIVES in all). */
  function alternatives(query, groups) {
    const typed = words(query).join(" ");
    const options = [typed];
    const add = (option) => {
      if (option && !options.includes(option)) options.push(option);
    };
    for (const group of groups || []) {
      const forms = group.map((form) => words(form).join(" "));
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
      const list = current.split(" ");
      list.forEach((word, i) => {
        for (const [rule, replacement] of SPELLING_RULES) {
          if (!rule.test(word)) continue;
          const copy = [...list];
          copy[i] = word.replace(rule, replacement);
          add(copy.join(" "));
        }
      });
    }
    // two words written as one ("open washing" -> "openwashing")
    const list = typed.split(" ");
    for (let i = 0; i + 1 < list.length; i++) {
      if (/^\p{L}+$/u.test(list[i]) && /^\p{L}+$/u.test(list[i + 1])) {
        add([...list.slice(0, i), list[i] + list[i + 1], ...list.slice(i + 2)].join(" "));
      }
    }
    return options.slice(0, MAX_ALTERNATIVES);
  }

  /** Edit distance with transpositions (optimal string alignment), stopping above `limit`. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      let best = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, before[j - 2] + 1);
        }
        current.push(value);
        best = Math.min(best, value);
      }
      if (best > limit) return limit + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  /** The nearest word of `vocabulary` (word -> count) to a word it lacks, or null. */
  function correct(word, vocabulary) {
    if (word.length < 3 || !/^\p{L}+$/u.test(word) || Object.hasOwn(vocabulary, word)) return null;
    const limit = word.length <= 4 ? 1 : 2;
    let best = null;
    for (const [candidate, count] of Object.entries(vocabulary)) {
      if (Math.abs(candidate.length - word.length) > limit) continue;
      const d = distance(word, candidate, limit);
      if (d > limit) continue;
      if (!best || d < best.d || (d === best.d && count > best.count)) best = { word: candidate, d, count };
    }
    return best ? best.word : null;
  }

  return { words, alternatives, distance, correct };
})();
