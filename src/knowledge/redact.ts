/**
 * Redaction: everything forge takes from a transcript passes through here before it is written
 * under `.agents/`. Secrets become typed placeholders (`[REDACTED:openai-key]`) and the text
 * around them is kept, so a learning still reads well. Patterns live in `secret-patterns.ts`.
 *
 * Every scan is linear: regexes start behind a lookbehind or a literal, and key/value pairs are
 * found from a few literal stems and then read by hand, never by nested quantifiers.
 */
import {
  classifyKey,
  isPlaceholder,
  LATE_RULES,
  TOKEN_RULES,
  type SecretKind,
  type TokenRule,
} from './secret-patterns.js';

export type { SecretKind } from './secret-patterns.js';

/** Redacted text and how many secrets of each kind were replaced. */
export interface Redaction {
  text: string;
  found: Partial<Record<SecretKind, number>>;
}

type Found = Partial<Record<SecretKind, number>>;

const placeholder = (kind: SecretKind): string => `[REDACTED:${kind}]`;
const count = (found: Found, kind: SecretKind): void => {
  found[kind] = (found[kind] ?? 0) + 1;
};

/**
 * Replaces every secret in `text` by `[REDACTED:<kind>]`, keeping the text around it
 * (`postgres://app:[REDACTED:url-password]@db/x`, `password = "[REDACTED:password]"`).
 * Idempotent: placeholders are never redacted again.
 */
export function redact(text: string): Redaction {
  const found: Found = {};
  return { text: redactInto(text, found), found };
}

/**
 * A deep copy of strings, arrays and plain objects with every string redacted; other values are
 * returned as they are. A string under a key that names a secret (`{ password: "..." }`,
 * `{ env: { GITHUB_TOKEN: "..." } }`) is replaced whole. Counts go to `found` when given.
 */
export function redactValue<T>(value: T, found: Found = {}): T {
  return copyRedacted(value, undefined, found, new WeakMap()) as T;
}

function copyRedacted(value: unknown, key: string | undefined, found: Found, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') {
    const kind = key === undefined ? null : classifyKey(key);
    if (kind !== null && isLiteralSecret(value, true)) {
      count(found, kind);
      return placeholder(kind);
    }
    return redactInto(value, found);
  }
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copyRedacted(item, undefined, found, seen));
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) out[k] = copyRedacted(v, k, found, seen);
  return out;
}

function redactInto(text: string, found: Found): string {
  let out = text;
  for (const rule of TOKEN_RULES) out = applyRule(out, rule, found);
  out = redactAssignments(out, found);
  for (const rule of LATE_RULES) out = applyRule(out, rule, found);
  return out;
}

function applyRule(text: string, rule: TokenRule, found: Found): string {
  if (rule.hint !== undefined && !text.includes(rule.hint)) return text;
  rule.re.lastIndex = 0;
  return text.replace(rule.re, (match: string, kept: string, secret: string, at: number) => {
    if (secret.includes('[REDACTED:') || (rule.accept !== undefined && !rule.accept(secret))) return match;
    if (rule.boundary === true && at > 0 && isIdent(text.charCodeAt(at - 1)) && text[at - 1] !== '.') return match;
    const kind = typeof rule.kind === 'function' ? rule.kind(kept, secret) : rule.kind;
    count(found, kind);
    return kept + placeholder(kind);
  });
}

// ---- key = value ------------------------------------------------------------------------------

/** Where a key/value pair sits: decides how literally an unquoted value is read. */
type Context = 'env' | 'query' | 'cli' | 'line' | 'code';

const STEMS = /pass|pw|secret|token|key|auth|cred|dsn|cookie|conn/gi;
const isIdent = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
const isQuote = (ch: string | undefined): boolean => ch === '"' || ch === "'" || ch === '`';
const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';

const TYPE_NAMES =
  /^(?:string|number|boolean|bool|any|unknown|never|void|object|str|int|bytes|String|Buffer|Uint8Array|SecretStr|Secret|Option|Optional|Maybe|Promise|Record|Array|Vec|char|u8|binary)$/;
const CHAIN = /^(?:new\s+|await\s+)?[A-Za-z_$][\w$]*(?:(?:\?\.|\.|::|->)[A-Za-z_$][\w$]*)*/;
const CLI_STOPWORDS =
  /^(?:flag|option|argument|arg|parameter|param|value|is|was|the|a|an|to|and|or|with|for|of|in|on|when|if|instead|from|that|this|as|so|but|not|no|only|env|variable|file|set)$/i;
const PROSE_ABOUT_SECRET = /\b(?:password|passphrase|token|secret|key|credentials?)\b/i;
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** Finds `key = value` pairs whose key names a secret; one pass, each character read O(1) times. */
function redactAssignments(text: string, found: Found): string {
  const stems = new RegExp(STEMS.source, 'gi');
  const finder = new QuoteFinder(text);
  let out = '';
  let last = 0;
  for (let m = stems.exec(text); m !== null; m = stems.exec(text)) {
    let start = m.index;
    while (start > last && isIdent(text.charCodeAt(start - 1))) start--;
    let end = stems.lastIndex;
    while (end < text.length && isIdent(text.charCodeAt(end))) end++;
    stems.lastIndex = end;
    const hit = readAssignment(text, start, end, finder);
    if (hit === null) continue;
    out += text.slice(last, hit.start) + placeholder(hit.kind);
    count(found, hit.kind);
    last = hit.end;
    stems.lastIndex = Math.max(end, hit.end);
  }
  return last === 0 ? text : out + text.slice(last);
}

interface Span {
  start: number;
  end: number;
  kind: SecretKind;
}

function readAssignment(text: string, keyStart: number, keyEnd: number, finder: QuoteFinder): Span | null {
  const rawKey = text.slice(keyStart, keyEnd);
  let j = keyEnd;
  if (text[j] === '\\' && isQuote(text[j + 1])) j += 2;
  else if (isQuote(text[j])) j++;
  if (text[j] === ']') j++;
  const opAt = skipBlanks(text, j);
  let k = opAt;
  if (text[k] === '?' && text[k + 1] === ':') k++;
  const op = /^(?::=|=>|={1,3}|:(?![:/\\]))/.exec(text.slice(k, k + 3))?.[0];
  let ctx: Context;
  let v: number;
  if (op !== undefined) {
    v = skipBlanks(text, k + op.length);
    ctx = contextOf(text, keyStart, rawKey, op, opAt > j);
  } else if (rawKey.startsWith('-') && opAt > j) {
    v = opAt;
    ctx = 'cli';
  } else return null;
  const kind = classifyKey(rawKey);
  if (kind === null) return null;
  const value = readValue(text, v, ctx, finder);
  if (value === null) return null;
  const literal = text.slice(value.start, value.end);
  if (value.quoted ? isLiteralSecret(literal, true) : isLiteralValue(text, value, ctx)) {
    // Judged on its head; a literal is replaced whole, however long.
    const end = value.quoted ? value.end : unquotedEnd(text, value.end, ctx, Infinity);
    return { start: value.start, end, kind };
  }
  // `password: str = "hunter2"`: a type annotation, then the value.
  if (!value.quoted && TYPE_NAMES.test(literal)) {
    const eq = skipBlanks(text, value.end);
    if (text[eq] === '=' && text[eq + 1] !== '=' && text[eq + 1] !== '>') {
      const next = readValue(text, skipBlanks(text, eq + 1), ctx, finder);
      if (next?.quoted === true && isLiteralSecret(text.slice(next.start, next.end), true)) {
        return { start: next.start, end: next.end, kind };
      }
    }
  }
  return null;
}

function skipBlanks(text: string, i: number): number {
  while (isBlank(text[i])) i++;
  return i;
}

function contextOf(text: string, keyStart: number, rawKey: string, op: string, spaced: boolean): Context {
  if (rawKey.startsWith('-')) return 'cli';
  const before = text[keyStart - 1];
  if (before === '?' || before === '&') return 'query';
  if (op === '=' && !spaced && /^[A-Z][A-Z0-9_]*$/.test(rawKey)) return 'env';
  let i = keyStart;
  if (isQuote(text[i - 1])) i--;
  while (isBlank(text[i - 1])) i--;
  if (text.slice(Math.max(0, i - 6), i) === 'export') i -= 6;
  else if (text[i - 1] === '-') i--;
  while (isBlank(text[i - 1])) i--;
  return i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r' ? 'line' : 'code';
}

interface ValueSpan {
  start: number;
  end: number;
  quoted: boolean;
}

function readValue(text: string, v: number, ctx: Context, finder: QuoteFinder): ValueSpan | null {
  const c = text[v];
  if (c === undefined) return null;
  if (c === '\\' && isQuote(text[v + 1])) {
    const close = finder.close(v + 2, `\\${text[v + 1]}`);
    if (close >= 0) return { start: v + 2, end: close, quoted: true };
  } else if (isQuote(c)) {
    const close = finder.close(v + 1, c);
    if (close >= 0) return { start: v + 1, end: close, quoted: true };
  }
  const from = isQuote(c) ? v + 1 : c === '\\' && isQuote(text[v + 1]) ? v + 2 : v;
  const end = unquotedEnd(text, from, ctx, from + DECIDE_WITHIN);
  return end > from ? { start: from, end, quoted: false } : null;
}

/**
 * Values are judged on their first characters only, so that a value that is kept (code) costs
 * O(1) however long its line: without a bound, `token=f(token=f(...` would be quadratic.
 */
const DECIDE_WITHIN = 256;

function unquotedEnd(text: string, from: number, ctx: Context, limit: number): number {
  const stops = ctx === 'env' || ctx === 'cli' ? '' : ctx === 'query' ? '&#<>)' : ',;)}]&<>|';
  const max = Math.min(limit, text.length);
  let end = from;
  for (; end < max; end++) {
    const ch = text[end]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || isQuote(ch) || stops.includes(ch)) break;
    if (ch === '\\' && /[nrt"'\\]/.test(text[end + 1] ?? '')) break;
  }
  return end;
}

/** A quoted string literal: a secret unless it is a placeholder, prose or an env var's name. */
function isLiteralSecret(value: string, _quoted: true): boolean {
  if (value.length > DECIDE_WITHIN * 4) return true;
  if (isPlaceholder(value.trim())) return false;
  if (/\s/.test(value.trim()) && PROSE_ABOUT_SECRET.test(value)) return false;
  return !(ENV_NAME.test(value) && /KEY|TOKEN|SECRET|PASS|AUTH|CRED/.test(value));
}

/** An unquoted value: literal in `.env` files, URLs and flags; in code, only if not a name or call. */
function isLiteralValue(text: string, span: ValueSpan, ctx: Context): boolean {
  const value = text.slice(span.start, span.end);
  if (isPlaceholder(value)) return false;
  if (ctx === 'env' || ctx === 'query') return true;
  if (ctx === 'cli') return !value.startsWith('-') && !CLI_STOPWORDS.test(value) && !/^[@<{[(]/.test(value);
  if (/^[{[(@%&*|>!:]/.test(value)) return false;
  const chain = CHAIN.exec(value)?.[0] ?? '';
  if (chain.length === 0) return true;
  const next = value[chain.length] ?? text[span.end];
  if (next === '(' || next === '[' || next === '<') return false;
  if (chain.length < value.length && next !== '!' && next !== '?') return true;
  if (/\.|::|->|\s/.test(chain) || TYPE_NAMES.test(chain)) return false;
  if (/\d/.test(chain)) return true;
  // A bare word: a variable in code; a value on its own line (`password: hunter`) unless a
  // comma or semicolon shows it is an object member or a statement.
  return ctx === 'line' && !/[,;]/.test(text[span.end] ?? '');
}

/**
 * Finds closing quotes without rescanning: remembers, per needle, where the last search ended,
 * so unterminated quotes in a long line cost one scan in total, not one per opening quote.
 */
class QuoteFinder {
  private readonly memo = new Map<string, { from: number; at: number }>();
  constructor(private readonly text: string) {}

  /** Index of the closing `needle` on the same line, not escaped, or -1. */
  close(from: number, needle: string): number {
    const eol = this.next(from, '\n');
    let at = this.next(from, needle);
    // An escaped quote (`\"` inside `"..."`) does not close; give up after a few, as unquoted.
    for (let tries = 0; at >= 0 && needle.length === 1 && isEscaped(this.text, at) && tries < 16; tries++) {
      at = this.next(at + 1, needle);
    }
    if (at < 0 || (eol >= 0 && at > eol) || (needle.length === 1 && isEscaped(this.text, at))) return -1;
    return at;
  }

  private next(from: number, needle: string): number {
    const seen = this.memo.get(needle);
    if (seen !== undefined && seen.from <= from && (seen.at === -1 || seen.at >= from)) return seen.at;
    const at = this.text.indexOf(needle, from);
    this.memo.set(needle, { from, at });
    return at;
  }
}

function isEscaped(text: string, at: number): boolean {
  let n = 0;
  while (text[at - 1 - n] === '\\') n++;
  return n % 2 === 1;
}
