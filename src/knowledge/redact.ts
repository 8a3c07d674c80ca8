/**
 * Redaction: everything forge takes from a transcript passes through here before it is written
 * under `.agents/`. Secrets become typed placeholders (`[REDACTED:openai-key]`) and the text
 * around them is kept, so a learning still reads well.
 *
 * Order matters: whole blocks and structured shapes first (private keys, JWTs, URL passwords,
 * provider formats, auth headers), then values under secret-named keys, then anything that
 * still looks generated. Each pass skips placeholders, which makes the whole idempotent.
 */
import { redactAssignments, secretUnderKey } from './secret-assignments.js';
import { LATE_RULES, TOKEN_RULES, type SecretKind, type TokenRule } from './secret-patterns.js';

export type { SecretKind } from './secret-patterns.js';

/** Redacted text and how many secrets of each kind were replaced. */
export interface Redaction {
  text: string;
  found: Partial<Record<SecretKind, number>>;
}

type Found = Partial<Record<SecretKind, number>>;

/**
 * Replaces every secret in `text` by `[REDACTED:<kind>]`, keeping the text around it
 * (`postgres://app:[REDACTED:url-password]@db/x`, `password = "[REDACTED:password]"`).
 * Idempotent: placeholders are never redacted again. Linear in the length of `text`.
 */
export function redact(text: string): Redaction {
  const found: Found = {};
  return { text: redactInto(text, found), found };
}

/**
 * A deep copy of strings, arrays and plain objects with every string redacted; other values are
 * returned as they are. A string under a key that names a secret (`{ password: "..." }`,
 * `{ env: { GITHUB_TOKEN: "..." } }`) is replaced whole. Counts are added to `found` when given.
 */
export function redactValue<T>(value: T, found: Found = {}): T {
  return copyRedacted(value, undefined, found, new WeakMap()) as T;
}

function copyRedacted(value: unknown, key: string | undefined, found: Found, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') {
    const kind = key === undefined ? null : secretUnderKey(key, value);
    if (kind !== null) return replacer(found)(kind);
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

const replacer =
  (found: Found) =>
  (kind: SecretKind): string => {
    found[kind] = (found[kind] ?? 0) + 1;
    return `[REDACTED:${kind}]`;
  };

function redactInto(text: string, found: Found): string {
  const replace = replacer(found);
  let out = redactPrivateKeys(text, replace);
  for (const rule of TOKEN_RULES) out = applyRule(out, rule, replace);
  out = redactAssignments(out, replace);
  for (const rule of LATE_RULES) out = applyRule(out, rule, replace);
  return out;
}

// Characters that continue a token: a match preceded by one of them is part of a longer word.
const continuesToken = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

function applyRule(text: string, rule: TokenRule, replace: (kind: SecretKind) => string): string {
  if (rule.hint !== undefined && !text.includes(rule.hint)) return text;
  rule.re.lastIndex = 0;
  return text.replace(rule.re, (match: string, kept: string, secret: string, at: number) => {
    if (secret.includes('[REDACTED:') || (rule.accept !== undefined && !rule.accept(secret))) return match;
    if (rule.boundary === true && at > 0 && continuesToken(text.charCodeAt(at - 1))) return match;
    return kept + replace(typeof rule.kind === 'function' ? rule.kind(kept, secret) : rule.kind);
  });
}

const PEM_BEGIN = /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
// The body of a block cut off before its END line: lines (real, or `\n` inside a JSON string)
// of base64 or of headers such as `Proc-Type: 4,ENCRYPTED`.
const PEM_BODY = /(?:(?:\r?\n|\\r\\n|\\n)[ \t]*(?:[A-Za-z-]+: [^\n\\]*|[A-Za-z0-9+/=]{1,100}))*/y;
// No key block is longer: an END further away belongs to another block.
const PEM_MAX = 16_384;

/**
 * Whole PEM private key blocks (RSA, EC, OPENSSH, PGP, PKCS#8), or a block cut off before its
 * END line up to where its body stops. By hand rather than one lazy regex: with many BEGIN
 * lines and no END, a lazy regex would rescan the rest of the text from each of them.
 */
function redactPrivateKeys(text: string, replace: (kind: SecretKind) => string): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let last = 0;
  let endAt: RegExpExecArray | null | undefined;
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m !== null; m = PEM_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    if (endAt === undefined || (endAt !== null && endAt.index < bodyStart)) {
      PEM_END.lastIndex = bodyStart;
      endAt = PEM_END.exec(text);
    }
    let stop: number;
    if (endAt !== null && endAt.index - bodyStart <= PEM_MAX) stop = endAt.index + endAt[0].length;
    else {
      PEM_BODY.lastIndex = bodyStart;
      PEM_BODY.exec(text);
      stop = PEM_BODY.lastIndex;
    }
    out += text.slice(last, m.index) + replace('private-key');
    last = stop;
    PEM_BEGIN.lastIndex = stop;
  }
  return last === 0 ? text : out + text.slice(last);
}
