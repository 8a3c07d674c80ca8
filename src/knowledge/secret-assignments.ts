/**
 * Secrets next to the name of what they are: `KEY=value`, `key: value`, `"key": "value"`,
 * `--password value`, `?token=...`. Key/value pairs are found from a few literal stems, then read
 * by hand; the value is judged on its first characters (a literal in `.env` files, URLs and
 * flags; in code, a literal unless it is a name, a call or a type), so each scan stays linear.
 */
import { isPlaceholder, type SecretKind } from './secret-patterns.js';

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

/** Replaces the values of `key = value` pairs whose key names a secret by `replace(kind)`. */
export function redactAssignments(text: string, replace: (kind: SecretKind) => string): string {
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
    out += text.slice(last, hit.start) + replace(hit.kind);
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
  const op = /^(?::=|=>|={1,3}|:(?![:/]))/.exec(text.slice(k, k + 3))?.[0];
  let ctx: Context;
  let v: number;
  if (op !== undefined) {
    v = skipBlanks(text, k + op.length);
    ctx = contextOf(text, keyStart, rawKey, op, opAt > j);
  } else if (rawKey.startsWith('-') && opAt > j) {
    v = opAt;
    ctx = 'cli';
  } else return null;
  const info = keyInfoCached(rawKey);
  if (info === null) return null;
  const { kind } = info;
  const value = readValue(text, v, ctx, finder);
  if (value === null) return null;
  const literal = text.slice(value.start, value.end);
  if (isSettingOf(rawKey, info, literal)) return null;
  if (value.quoted ? isLiteralSecret(literal) : isLiteralValue(text, value, ctx)) {
    // Judged on its head; a literal is replaced whole, however long.
    const end = value.quoted ? value.end : unquotedEnd(text, value.end, ctx, Infinity);
    return { start: value.start, end, kind };
  }
  // `password: str = "hunter2"`: a type annotation, then the value.
  if (!value.quoted && TYPE_NAMES.test(literal)) {
    const eq = skipBlanks(text, value.end);
    if (text[eq] === '=' && text[eq + 1] !== '=' && text[eq + 1] !== '>') {
      const next = readValue(text, skipBlanks(text, eq + 1), ctx, finder);
      if (next?.quoted === true && isLiteralSecret(text.slice(next.start, next.end))) {
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
const DECIDE_WITHIN = 64;

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

/**
 * The kind of secret a value under `key` is (`{ password: "..." }`, `GITHUB_TOKEN: "..."`), or
 * null when the key names no secret or the value is a placeholder or a setting.
 */
export function secretUnderKey(key: string, value: string): SecretKind | null {
  const info = keyInfoCached(key);
  if (info === null || isSettingOf(key, info, value) || !isLiteralSecret(value)) return null;
  return info.kind;
}

function isSettingOf(rawKey: string, info: KeyInfo, literal: string): boolean {
  // `PWD=/home/me` is the shell's working directory; `Pwd=...;` in an ODBC string is not.
  if (/^(?:old)?pwd$/i.test(rawKey) && /^[/~]/.test(literal)) return true;
  // `TOKEN_TTL=300`, `AUTH_SERVER=https://auth.example.com`: settings about a secret.
  return !info.strong && /^(?:\d+(?:\.\d+)?[a-z]{0,2}|[a-z][a-z0-9+.-]*:\/\/[^@\s]*)$/i.test(literal);
}

/** A string literal under a secret key: a secret unless it is a placeholder, prose or an env var's name. */
function isLiteralSecret(value: string): boolean {
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
  // `token!` / `token?` are TypeScript; `Str0ng!Pass` is a password.
  const tail = value.slice(chain.length);
  if (tail !== '' && tail !== '!' && tail !== '?') return true;
  if (/\.|::|->|\s/.test(chain) || TYPE_NAMES.test(chain)) return false;
  if (/\d/.test(chain)) return true;
  // A bare word: a variable in code, a word of prose (`Password: the user types it`), or a
  // value when it ends its line (`password: hunter` in YAML, INI, .properties).
  const after = text[skipBlanks(text, span.end)];
  return ctx === 'line' && (after === undefined || after === '\n' || after === '\r' || after === '#');
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

// A key names a secret when one of its words is a secret word and nothing but "form" words
// (`SECRET_KEY_BASE`, `password_confirmation`, `API_KEY_PROD`) follow it: `password_hint`,
// `token_count`, `max_tokens` and `auth_url` are about a secret without holding one.
const PASSWORD_WORD = /(?:password|passwd|passphrase|passcode)$|^(?:pwd|pass|pw)$/;
const SECRET_WORD =
  /(?:secret|token|credentials?|apikey|accesskey|secretkey|privatekey|authkey)$|^(?:auth|dsn|cookie|connstr|connectionstring)$/;
const KEY_QUALIFIER = new Set(
  (
    'api access secret private client signing sign encryption encrypt decryption master account auth service ' +
    'license app consumer shared subscription webhook admin deploy ssh gpg pgp rsa hmac jwt crypto root session ' +
    'storage write read ingest management'
  ).split(' '),
);
const FORM_WORD =
  /^(?:base|value|string|str|b64|base64|hex|raw|plain|plaintext|data|text|bytes|hash|hashed|digest|enc|encrypted|old|new|prod|production|dev|development|staging|test|live|confirm|confirmation|again|override|current|v?\d+)$/;
// In UPPER_SNAKE environment names any secret word counts (the brief of `.env` redaction),
// unless the name plainly holds something else.
const ENV_BENIGN_LAST =
  /^(?:path|file|dir|url|uri|host|hostname|port|name|user|username|region|enabled|disabled|enable|disable|mode|type|ttl|timeout|interval|delay|duration|lifetime|expiry|expires|seconds|secs|ms|minutes|hours|days|retries|attempts|limit|threshold|level|length|size|count|max|min|version|format|header|prefix|sock|socket|endpoint|domain|issuer|audience|algorithm|alg|scope|scopes|provider|method|strategy|helper|cache|location|bucket|table|queue|topic|regex|regexp|pattern|tokens)$/;

function splitWords(key: string): string[] {
  return key
    .replace(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/g, '_')
    .toLowerCase()
    .split(/[_-]+/)
    .filter((w) => w.length > 0);
}

function isSecretWord(words: string[], i: number, env: boolean): boolean {
  const w = words[i] ?? '';
  if (PASSWORD_WORD.test(w) || SECRET_WORD.test(w)) return true;
  if (w === 'connection' && /^strings?$/.test(words[i + 1] ?? '')) return true;
  if (w === 'key' || w === 'keys') return env ? words.length > 1 : KEY_QUALIFIER.has(words[i - 1] ?? '');
  return env && w === 'private';
}

/** What a key name says about its value. */
interface KeyInfo {
  kind: SecretKind;
  /** The name ends with its secret word (`DB_PASSWORD`), not merely contains one (`TOKEN_TTL_SECS`). */
  strong: boolean;
}

// The same few keys recur throughout a transcript.
const keyCache = new Map<string, KeyInfo | null>();
function keyInfoCached(rawKey: string): KeyInfo | null {
  let info = keyCache.get(rawKey);
  if (info === undefined) {
    if (keyCache.size > 2000) keyCache.clear();
    info = keyInfo(rawKey);
    keyCache.set(rawKey, info);
  }
  return info;
}

/**
 * What a key name holds (`DB_PASSWORD` → password, `apiKey` → generic-secret), or null. In
 * UPPER_SNAKE names any secret word counts; elsewhere it must end the name, form words such as
 * `_base` or `_confirmation` aside.
 */
function keyInfo(rawKey: string): KeyInfo | null {
  if (rawKey.length > 200) return null;
  // `process.env.API_KEY`, `config.db.password`, `--api-key`: the last segment names the value.
  const key = rawKey.replace(/^-+|[.-]+$/g, '').replace(/^.*\./, '');
  if (key.length === 0 || key.length > 80) return null;
  const env = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(key);
  const words = splitWords(key);
  let last = words.length - 1;
  while (last > 0 && FORM_WORD.test(words[last] ?? '')) last--;
  const strong = isSecretWord(words, last, env) || (words[last] === 'string' && words[last - 1] === 'connection');
  if (env) {
    if (ENV_BENIGN_LAST.test(words[words.length - 1] ?? '')) return null;
    if (!words.some((_, i) => isSecretWord(words, i, true))) return null;
  } else if (!strong) return null;
  let kind: SecretKind = env ? 'env-value' : 'generic-secret';
  if (words.some((w) => PASSWORD_WORD.test(w))) kind = 'password';
  else if (words.includes('aws') && words.some((w) => w.endsWith('secret'))) kind = 'aws-secret';
  else if (/^(?:account|shared_?access)_?key$/.test(words.join('_'))) kind = 'azure-key';
  return { kind, strong };
}
