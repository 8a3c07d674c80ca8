/**
 * Front matter of learning files. Files that ao writes use a small subset of YAML (plain or
 * JSON-quoted scalars, flow lists, one nested mapping), which `readFrontMatter` parses itself:
 * loading the full YAML parser for 10,000 files would cost seconds. Anything outside the subset
 * (a hand edit, an import) falls back to the real YAML parser.
 */

export interface FrontMatter {
  /** The parsed mapping. */
  data: Record<string, unknown>;
  /** The markdown after the closing `---`. */
  body: string;
  /** 1-based line of the body's first line. */
  bodyLine: number;
}

export class FrontMatterError extends Error {
  /** 1-based line in the file. */
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'FrontMatterError';
    this.line = line;
  }
}

type YamlParse = (text: string) => unknown;

/** Splits and parses a file's front matter. `yamlParse` is the fallback for the full grammar. */
export function readFrontMatter(text: string, yamlParse?: YamlParse): FrontMatter {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (!/^---[ \t]*\r?\n/.test(src))
    throw new FrontMatterError('no front matter: the file must start with a `---` line', 1);
  const start = src.indexOf('\n') + 1;
  // `...` ends a YAML document too; some stores close their front matter with it.
  const close = /^(?:---|\.\.\.)[ \t]*\r?$/m;
  close.lastIndex = 0;
  const rest = src.slice(start);
  const m = close.exec(rest);
  if (!m) throw new FrontMatterError('front matter is not closed: add a `---` line after it', 1);
  const yamlText = rest.slice(0, m.index);
  const afterClose = start + m.index + m[0].length;
  const body = src.slice(afterClose).replace(/^\r?\n/, '');
  // The closing line is line countLines + 1; the body starts on the next one.
  const bodyLine = countLines(src.slice(0, afterClose)) + 2;
  const fast = parseSubset(yamlText);
  if (fast) return { data: fast, body, bodyLine };
  if (!yamlParse) throw new FrontMatterError('front matter needs the full YAML parser', 2);
  let doc: unknown;
  try {
    doc = yamlParse(yamlText);
  } catch (error) {
    const pos = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
    // The parser counts lines from the start of the front matter: keep only its column, so the
    // message does not contradict the line reported for the file.
    const message = (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).replace(
      / at line \d+, column (\d+):?$/,
      ' (column $1)',
    );
    throw new FrontMatterError(`invalid YAML in front matter: ${message}`, pos + 1);
  }
  if (doc === null || doc === undefined) return { data: {}, body, bodyLine };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    const found = Array.isArray(doc) ? 'a list' : `a ${typeof doc}`;
    const first = yamlText.split('\n').findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    throw new FrontMatterError(`front matter is ${found}, not a mapping of keys`, first + 2);
  }
  return { data: doc as Record<string, unknown>, body, bodyLine };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const KEY_LINE = /^([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*\r?$/;
const NESTED_LINE = /^ {2}([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*\r?$/;

/** The subset ao writes; null when the text uses anything else. */
function parseSubset(text: string): Record<string, unknown> | null {
  const data: Record<string, unknown> = {};
  let nested: Record<string, unknown> | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const n = NESTED_LINE.exec(line);
    if (n) {
      if (!nested || Object.hasOwn(nested, n[1] as string)) return null;
      const value = parseScalar(n[2] ?? '');
      if (value === undefined) return null;
      nested[n[1] as string] = value;
      continue;
    }
    const m = KEY_LINE.exec(line);
    if (!m) return null;
    const key = m[1] as string;
    // A repeated key is an error in YAML: the real parser reports it.
    if (Object.hasOwn(data, key)) return null;
    if (m[2] === undefined || m[2] === '') {
      nested = {};
      data[key] = nested;
      continue;
    }
    nested = null;
    const value = parseScalar(m[2]);
    if (value === undefined) return null;
    data[key] = value;
  }
  for (const [key, value] of Object.entries(data)) {
    // `key:` with nothing under it is null in YAML.
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) {
      data[key] = null;
    }
  }
  return data;
}

const PLAIN_UNSAFE = /^[-?:,[\]{}#&*!|>'"%@`]|: | #|^\s|\s$/;

function parseScalar(raw: string): unknown {
  if (raw.startsWith('"')) return parseJsonString(raw);
  if (raw.startsWith('[')) return parseFlowList(raw);
  if (raw.startsWith("'") || raw.startsWith('{') || raw.startsWith('|') || raw.startsWith('>')) return undefined;
  if (raw.startsWith('&') || raw.startsWith('*') || raw.startsWith('!') || raw.includes(' #')) return undefined;
  if (raw === 'null' || raw === '~') return null;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (/^[-+]?(\.inf|\.nan|0x|0o)/i.test(raw) || raw.includes(': ')) return undefined;
  return raw;
}

function parseJsonString(raw: string): unknown {
  try {
    const value = JSON.parse(raw) as unknown;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseFlowList(raw: string): unknown[] | undefined {
  if (!raw.endsWith(']')) return undefined;
  const inner = raw.slice(1, -1).trim();
  if (inner === '') return [];
  if (inner.includes('"')) {
    try {
      const value = JSON.parse(raw) as unknown;
      return Array.isArray(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }
  const items: unknown[] = [];
  for (const part of inner.split(',')) {
    const item = part.trim();
    // Only flow indicators end a plain item; `'&*!|>` matter at its start (parseScalar checks).
    if (item === '' || /[[\]{}]/.test(item)) return undefined;
    items.push(parseScalar(item));
  }
  return items.includes(undefined) ? undefined : items;
}

/** Renders a scalar so both `readFrontMatter` and any YAML parser read it back unchanged. */
export function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // Every number form of YAML 1.2 (`.5`, `+1` and `1.` too), or a YAML parser reads a number.
  const looksOther =
    /^(null|~|true|false|yes|no|on|off|[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[-+]?\.(inf|nan)|0x.*|0o.*)$/i;
  if (
    text === '' ||
    PLAIN_UNSAFE.test(text) ||
    looksOther.test(text) ||
    /[\n\r\t\\]/.test(text) ||
    text.includes(',')
  ) {
    return JSON.stringify(text);
  }
  return text;
}

/** A flow list: `[a, b]`, items quoted where needed. */
export function yamlList(values: readonly unknown[]): string {
  const plain = values.map((v) => yamlScalar(v));
  // One quoted item makes the whole list JSON, which the fast reader parses in one go. So does an
  // item with a flow indicator: plain, `src/[ab]/*.ts` would break the list.
  if (plain.some((v) => v.startsWith('"') || /[[\]{}]/.test(v)))
    return `[${values.map((v) => JSON.stringify(v ?? null)).join(', ')}]`;
  return `[${plain.join(', ')}]`;
}
