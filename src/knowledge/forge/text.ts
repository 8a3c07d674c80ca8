/**
 * Text helpers shared by the forge extractors: sentence splitting over markdown, cleaning,
 * specificity checks and title shaping. Pure functions, linear in their input.
 */

import { detectTags } from './tags.js';

export const MAX_TITLE = 90;

/**
 * Markdown → plain sentences: code fences dropped, list markers stripped, one sentence each.
 * With `only`, lines that do not match it are skipped unsplit (a cheap pre-filter).
 */
export function splitSentences(text: string, only?: RegExp): string[] {
  const out: string[] = [];
  for (const raw of stripFences(text).replace(/[‘’]/g, "'").split('\n')) {
    if (only && !only.test(raw)) continue;
    const line = stripLineMarkup(raw);
    if (!line || isTableRow(raw)) continue;
    for (const part of splitLine(line)) {
      const sentence = part.trim();
      if (sentence) out.push(sentence);
    }
  }
  return out;
}

/** Splits one line at sentence ends (`. `, `! `, `? ` before a capital), never inside inline code. */
function splitLine(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inCode = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '`') inCode = !inCode;
    else if (!inCode && (ch === '.' || ch === '!' || ch === '?') && line[i + 1] === ' ') {
      const next = line[i + 2] ?? '';
      if (/[A-Z`"'([*_]/.test(next) && !/\b(?:e\.g|i\.e|etc|vs|cf|approx)$/i.test(line.slice(start, i))) {
        parts.push(line.slice(start, i + 1));
        start = i + 2;
      }
    }
  }
  parts.push(line.slice(start));
  return parts;
}

/** Removes fenced code blocks (``` … ```), which are code, not prose. */
export function stripFences(text: string): string {
  return text.replace(/```[\s\S]*?(?:```|$)/g, '\n');
}

function isTableRow(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line);
}

/** Strips a line's markdown framing: headings, quotes, list markers, bold markers. */
function stripLineMarkup(line: string): string {
  return line
    .replace(/^\s*(?:#{1,6}\s+|>\s*)+/, '')
    .replace(/^\s*(?:[-*+•]|\d+[.)])\s+/, '')
    .replace(/\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Collapses whitespace and markdown emphasis; keeps inline code backticks. */
export function cleanText(text: string): string {
  return text
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Shortens to `max` characters at a word boundary, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  // Only the head can survive: collapse whitespace in a bounded prefix, not a whole transcript.
  const clean = (text.length > max * 4 + 64 ? text.slice(0, max * 4 + 64) + ' …' : text).replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const head = (space > max * 0.6 ? cut.slice(0, space) : cut)
    .replace(/[\s,;:—–-]+$/, '')
    .replace(/\s+(?:a|an|the|to|for|of|in|on|at|by|with|and|or|but|from|as|that|is|are|was)$/i, '');
  return `${head}…`;
}

/** First line of a text, trimmed. */
export function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return (nl === -1 ? text : text.slice(0, nl)).trim();
}

const CODE = /`[^`]+`/;
const PATH =
  /(?:^|[\s(`'"])(?:[\w.@-]+\/)+[\w.@-]+|\b[\w-]+\.(?:[cm]?[jt]sx?|exs?|heex|eex|py|rb|rs|go|java|kt|swift|c|h|cpp|cs|php|sql|sh|ya?ml|toml|json|md|css|scss|html|lock|cfg|ini|env)\b/;
const IDENT =
  /\b[a-z]+_[a-z_]+\b|\b[A-Z][a-z]+[A-Z]\w*\b|\b[A-Z]\w*\.[A-Z]\w*|\b\w+\(\)|\b\w+\/\d\b|(?:^|\s)--?[a-z][\w-]+/;

/** Whether a sentence names something concrete: inline code, a path, an identifier or a flag. */
export function namesSomething(text: string): boolean {
  return CODE.test(text) || PATH.test(text) || IDENT.test(text);
}

/** Sentences that narrate the agent's own progress rather than state anything durable. */
const NARRATION =
  /^(?:let me|let's|now\b|next\b|first\b|then\b|ok(?:ay)?\b|good\b|great\b|perfect\b|excellent\b|done\b|all (?:\d+ )?(?:tests?|green|clean|done|set)|clean compile|still\b|i'll\b|i will\b|i'm going to|i am going to|i see\b|i have\b|i've\b|i now\b|looks? (?:good|like)|here(?:'s| is| are)\b|sure\b|thanks?\b|you're welcome|right\b|alright\b|got it\b|wait\b|hmm\b|checking\b|running\b|continuing\b)/i;

export function isNarration(sentence: string): boolean {
  return NARRATION.test(sentence.replace(/^[^A-Za-z`]+/, ''));
}

/** Hedged guesses are not learnings: the agent did not know yet. */
export function isHedged(sentence: string): boolean {
  return /\b(?:might|maybe|perhaps|possibly|probably|likely|i think|i guess|i suspect|seems to|could be)\b/i.test(
    sentence,
  );
}

/**
 * Shapes a sentence into a title: no trailing period, leading filler removed, first letter
 * upper-case, at most MAX_TITLE characters (cut at a clause boundary when possible).
 */
export function toTitle(sentence: string): string {
  let t = cleanText(sentence)
    .replace(/^(?:so|also|and|but|ah|oh|ok(?:ay)?|well|actually|note(?: that)?|important|nb|ps)\b[\s,:;—–-]*/i, '')
    .replace(/^(?:no|nope|wrong)\b[\s,:;.!—–-]+/i, '')
    .replace(/^please\s+/i, '')
    .replace(/^i see\b[\s,:;.!—–-]*/i, '')
    .replace(LEAD_IN, '')
    .replace(/^(?:clear|simple|this|here)\s*(?:—|–|-|:)\s*/i, '')
    .replace(/^[A-Z][\w ]{2,28}:\s+(?=[A-Z`])/, '')
    .replace(LABEL, '')
    .replace(/[.!:;,\s]+$/, '');
  t = preferSpecificPart(t);
  if (t.length > MAX_TITLE) t = cutAtClause(t);
  if (t.length > MAX_TITLE) t = truncate(t, MAX_TITLE);
  return capitalise(t);
}

/** A label before the statement proper: "Rule for this repo: always …", "Note: …". */
const LABEL =
  /^(?:(?:house |repo |project |team )?rules?(?: for (?:this|the|our) (?:repo|repository|project|codebase))?|note|nb|fyi|tip|reminder|heads up|important|key (?:fix|point|learning)[\w ]{0,20})\s*:\s+/i;

/** "The real issue is that X" → "X": the lead-in adds words, not meaning. */
const LEAD_IN =
  /^(?:the (?:real |actual |fundamental |underlying |root )?(?:issue|problem|cause|root cause|bug|reason) (?:here )?(?:is|was)(?: that)?|(?:it )?turns out(?: that)?|that's because|this is because)[\s:,]+(?=\S)/i;

/**
 * "Vague head — specific tail" (a dash, or ", but"): the tail when it names something and the
 * head does not ("This is a known compiler bug — aliases used only inside `rescue` …").
 */
function preferSpecificPart(text: string): string {
  const m = /\s(?:—|–|-)\s|,\s+but\s+/.exec(text);
  if (!m) return text;
  const head = text.slice(0, m.index);
  const tail = text.slice(m.index + m[0].length);
  const vagueHead =
    /^(?:this|that|it|here|there)\b/i.test(head) || (!namesSomething(head) && detectTags([head]).length === 0);
  const clause = !/^(?:a|an|which|and|or|but|so|as)\b/i.test(tail);
  const fits = tail.length >= 20 && tail.length <= MAX_TITLE && clause && !CODE.test(head) && CODE.test(tail);
  if (fits && (vagueHead || text.length > MAX_TITLE)) return tail;
  if (text.length > MAX_TITLE && tail.length >= 25 && tail.length <= MAX_TITLE && /,\s+but\s+/.test(m[0])) return tail;
  return text;
}

/** The first clause, when the sentence has one long enough to stand alone. */
function cutAtClause(text: string): string {
  const re = /\s(?:—|–|-)\s|;\s|:\s|,\s(?:so|but|because|since|and then)\b|\s(?:since|because|so that)\s|\s\((?!`)/g;
  let best = text;
  for (const match of text.matchAll(re)) {
    const head = text.slice(0, match.index).trim();
    if (head.length > MAX_TITLE) break;
    if (head.length >= 30) best = head;
  }
  return best;
}

export function capitalise(text: string): string {
  const first = text.charAt(0);
  return first >= 'a' && first <= 'z' ? first.toUpperCase() + text.slice(1) : text;
}

/** Key for de-duplication: lower-case letters and digits only. */
export function normaliseKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Wraps text in backticks for markdown, choosing a fence that the text does not contain. */
export function code(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

/** A markdown quote block of a short excerpt. */
export function quote(text: string, max = 300): string {
  return `> ${truncate(text, max)}`;
}
