/**
 * Identifier-aware terms. SQLite's unicode61 tokenizer already splits snake_case, kebab-case and
 * paths at their punctuation, but keeps `getUserName` as one token; we add the parts of such
 * identifiers to the indexed text and to queries, so `user name`, `getUserName` and
 * `get_user_name` find each other.
 */

const CAMEL = /\b[A-Za-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+[A-Za-z0-9]*\b/g;

/** Extra words to index beside `text`: the parts of its camelCase and PascalCase identifiers. */
export function identifierParts(text: string): string {
  const parts: string[] = [];
  for (const m of text.matchAll(CAMEL)) {
    const words = splitCamel(m[0]);
    if (words.length > 1) parts.push(...words);
  }
  return parts.join(' ');
}

function splitCamel(word: string): string[] {
  return word
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .filter((w) => w.length > 1);
}

const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does doing for from had has have how i if in into is it its ' +
    'just let me my no not of on or our please so some than that the their them then there these they this to ' +
    'too up us was we were what when where which while who why will with would you your should must also about ' +
    'after again all any before being both each few more most other over same such only own very s t don now get ' +
    'got make made new use using used want need like one two way sure yes ok okay thing things here'
  ).split(' '),
);

/** Whether a lower-case word carries no meaning for search. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/**
 * Query terms of a text: lower-case words and identifier parts, stopwords and one-letter words
 * dropped, repeats removed, in order of appearance, at most `max`.
 */
export function queryTerms(text: string, max = 48): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (w: string): void => {
    if (w.length < 2 || w.length > 60 || isStopword(w) || /^\d+$/.test(w) || seen.has(w)) return;
    seen.add(w);
    out.push(w);
  };
  const expanded = `${text} ${identifierParts(text)}`;
  for (const m of expanded.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    add(m[0]);
    if (out.length >= max) break;
  }
  return out;
}
