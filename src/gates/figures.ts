import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Better, FigureSpec } from './types.js';

/**
 * Figures read from a check's output (see FigureSpec). Rules beyond the spec's:
 * - `pattern` is compiled with the `m` flag (`^` and `$` match at line ends). Its number is the
 *   first capture group that took part in the match; when the pattern has groups and none took
 *   part, the number is 0, so that `(\d+) errors|All checks passed` reads a clean run as 0.
 * - `count` tests each line on its own and is always a number (0 when no line matches).
 * - Numbers may have thousands separators and a trailing `%` (`1,234`, `12.5%`).
 * - Nothing throws: a figure that cannot be read is left out with a note saying why.
 */
export interface ExtractedFigures {
  figures: Record<string, number>;
  notes: string[];
}

// Colours and cursor moves (CSI), titles and links (OSC, up to BEL or ST), DCS/PM/APC/SOS strings,
// and the two-character escapes. Built from a string so the source stays free of control characters.
const ANSI = new RegExp(
  [
    '\\u001b\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)?',
    '\\u001b[PX^_][^\\u001b]*(?:\\u001b\\\\)?',
    '(?:\\u001b\\[|\\u009b)[0-?]*[ -/]*[@-~]',
    '\\u001b[ -/]*[0-~]',
  ].join('|'),
  'g',
);

/**
 * A check's output as a person would have seen it: ANSI escape codes removed, CRLF turned into
 * LF, and a line redrawn with `\r` (progress bars) reduced to what it showed last.
 */
export function cleanOutput(text: string): string {
  const plain = text.replace(ANSI, '');
  if (!plain.includes('\r')) return plain;
  return plain
    .split('\n')
    .map((line) => {
      const trimmed = line.replace(/\r+$/, '');
      const at = trimmed.lastIndexOf('\r');
      return at < 0 ? trimmed : trimmed.slice(at + 1);
    })
    .join('\n');
}

/** `1,234` → 1234, `12.5%` → 12.5; null when the text is not a number. */
export function parseFigure(text: string): number | null {
  let s = text.trim().replace(/%$/, '').trim();
  if (/^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

// The text a match stands for: its first group that took part, else 0 (groups, none took part) or the whole match.
function matchedText(m: RegExpMatchArray): string | 0 {
  if (m.length === 1) return m[0];
  for (let i = 1; i < m.length; i++) if (m[i] !== undefined) return m[i]!;
  return 0;
}

function quote(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(short);
}

// Read lazily and once per call: the cleaned output's lines, the JSON it printed, the files read.
class Sources {
  private lineList: string[] | null = null;
  private outputJson: { value: unknown } | null | undefined;
  private readonly files = new Map<string, { value: unknown } | { error: string }>();

  constructor(
    readonly text: string,
    private readonly cwd: string,
  ) {}

  lines(): string[] {
    this.lineList ??= this.text.split('\n');
    return this.lineList;
  }

  json(): { value: unknown } | null {
    if (this.outputJson === undefined) this.outputJson = findLastJson(this.text);
    return this.outputJson;
  }

  file(file: string): { value: unknown } | { error: string } {
    let entry = this.files.get(file);
    if (!entry) {
      entry = readJsonFile(resolve(this.cwd, file), file);
      this.files.set(file, entry);
    }
    return entry;
  }
}

function readJsonFile(path: string, shown: string): { value: unknown } | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${shown} not found` };
    return { error: `${shown} could not be read (${code ?? (err as Error).message})` };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `${shown} is not valid JSON (${(err as Error).message})` };
  }
}

type Read = { value: number } | { none: true } | { note: string };

function numberOf(m: RegExpMatchArray, pattern: string): number | { note: string } {
  const text = matchedText(m);
  if (text === 0) return 0;
  return parseFigure(text) ?? { note: `${quote(text)} matched by /${pattern}/ is not a number` };
}

function readPattern(spec: FigureSpec, pattern: string, src: Sources): Read {
  const re = new RegExp(pattern, 'gm');
  let last: RegExpMatchArray | null = null;
  let total = 0;
  for (const m of src.text.matchAll(re)) {
    if (spec.sum) {
      const n = numberOf(m, pattern);
      if (typeof n !== 'number') return n;
      total += n;
    }
    last = m;
  }
  if (!last) return { none: true };
  if (spec.sum) return { value: total };
  const n = numberOf(last, pattern);
  return typeof n === 'number' ? { value: n } : n;
}

function readCount(pattern: string, src: Sources): Read {
  const re = new RegExp(pattern);
  let n = 0;
  for (const line of src.lines()) if (re.test(line)) n++;
  return { value: n };
}

function readJson(spec: FigureSpec, path: string, src: Sources): Read {
  const where = spec.file ?? 'the output';
  let root: unknown;
  if (spec.file !== undefined) {
    const entry = src.file(spec.file);
    if ('error' in entry) return { note: entry.error };
    root = entry.value;
  } else {
    const found = src.json();
    if (!found) return spec.default === undefined ? { note: 'no JSON object or array in the output' } : { none: true };
    root = found.value;
  }
  let value = root;
  for (const key of path === '' ? [] : path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(key)) value = value[Number(key)];
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key))
      value = (value as Record<string, unknown>)[key];
    else value = undefined;
    if (value === undefined) break;
  }
  if (value === undefined) {
    return spec.default === undefined ? { note: `${path} not found in ${where}` } : { none: true };
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' ? parseFigure(value) : null;
  if (n === null) return { note: `${path} in ${where} is ${describeValue(value)}, not a number` };
  return { value: n };
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

function readFigure(spec: FigureSpec, src: Sources): Read {
  const kinds = [spec.pattern, spec.count, spec.json].filter((k) => k !== undefined).length;
  if (kinds !== 1) return { note: 'needs exactly one of pattern, count and json' };
  try {
    if (spec.pattern !== undefined) return readPattern(spec, spec.pattern, src);
    if (spec.count !== undefined) return readCount(spec.count, src);
    return readJson(spec, spec.json!, src);
  } catch (err) {
    // A pattern that does not compile; files and JSON report their own problems.
    const message = (err as Error).message;
    return { note: err instanceof SyntaxError ? `bad regular expression: ${message}` : message };
  }
}

/**
 * Every figure `specs` declare, read from `output` (a check's stdout and stderr, possibly only
 * their tail) or from the files the check wrote under `cwd`.
 */
export function extractFigures(specs: readonly FigureSpec[], output: string, cwd: string): ExtractedFigures {
  const src = new Sources(cleanOutput(output), cwd);
  const figures: Record<string, number> = {};
  const notes: string[] = [];
  for (const spec of specs) {
    const read = readFigure(spec, src);
    if ('value' in read) figures[spec.name] = read.value;
    else if ('note' in read) notes.push(`${spec.name}: ${read.note}`);
    else if (spec.default !== undefined) figures[spec.name] = spec.default;
  }
  return { figures, notes };
}

const MAX_BLOCK_TRIES = 32;

/**
 * The last JSON object or array in `text`: the whole text, else the later of the last line that
 * parses and the last balanced `{…}`/`[…]` block that parses (a pretty-printed report).
 */
export function findLastJson(text: string): { value: unknown } | null {
  const whole = text.trim();
  if (/^[[{]/.test(whole)) {
    try {
      return { value: JSON.parse(whole) as unknown };
    } catch {
      // Not one document: look for the last one printed.
    }
  }
  const line = lastJsonLine(text);
  const block = lastJsonBlock(text, line ? line.end : -1);
  if (block) return { value: block.value };
  return line ? { value: line.value } : null;
}

function isContainer(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

function lastJsonLine(text: string): { value: unknown; end: number } | null {
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    const open = line[0];
    const close = line[line.length - 1];
    if ((open === '{' && close === '}') || (open === '[' && close === ']')) {
      try {
        const value = JSON.parse(line) as unknown;
        if (isContainer(value)) return { value, end: text.lastIndexOf(close, end - 1) };
      } catch {
        // Not JSON: keep looking upward.
      }
    }
    end = start - 1;
  }
  return null;
}

/** The last balanced block that parses and closes after `after`, trying at most MAX_BLOCK_TRIES closers. */
function lastJsonBlock(text: string, after: number): { value: unknown } | null {
  let tries = 0;
  for (let close = text.length - 1; close > after && tries < MAX_BLOCK_TRIES; close--) {
    const c = text[close];
    if (c !== '}' && c !== ']') continue;
    tries++;
    const open = matchingOpen(text, close);
    if (open < 0) continue;
    try {
      const value = JSON.parse(text.slice(open, close + 1)) as unknown;
      if (isContainer(value)) return { value };
    } catch {
      // A brace in ordinary text: try the closer before it.
    }
  }
  return null;
}

/** Walks back from a closing bracket to its opener, skipping JSON strings; -1 when unbalanced. */
function matchingOpen(text: string, close: number): number {
  const stack: string[] = [];
  for (let i = close; i >= 0; i--) {
    const c = text[i];
    if (c === '"') {
      // Outside a string going backward, a quote closes one: find its opening quote on this line.
      let j = i - 1;
      for (; j >= 0; j--) {
        if (text[j] === '\n') return -1;
        if (text[j] === '"' && !isEscaped(text, j)) break;
      }
      if (j < 0) return -1;
      i = j;
    } else if (c === '}' || c === ']') stack.push(c);
    else if (c === '{' || c === '[') {
      const top = stack.pop();
      if (top !== (c === '{' ? '}' : ']')) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

function isEscaped(text: string, at: number): boolean {
  let slashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

// Presets. Each pattern reads a tool's own summary line, as the tool prints it when its output is
// not a terminal (what a check sees), and as it prints it in colour once the codes are removed.

const figure = (name: string, better: Better, extra: Partial<FigureSpec>): FigureSpec => ({
  name,
  better,
  ...extra,
});

// vitest: `      Tests  2 failed | 1019 passed | 3 skipped (1024)`; `Test Files` has its own line.
const VITEST_LINE = '^ *Tests +';
const VITEST_TOTAL = '.*\\(\\d+\\)\\s*$';

// jest: `Tests:       1 failed, 2 skipped, 5 passed, 8 total` (failed, skipped, todo, passed).
const JEST_LINE = '^Tests: +';

// pytest: `==== 1 failed, 2 passed, 1 skipped in 0.12s ====`, or without the rules under -q.
const PYTEST_ITEM = '\\d+ \\w+';
function pytestFigure(word: string): string {
  const items = `(?:, ${PYTEST_ITEM})*`;
  const end = ' in \\d+\\.\\d\\ds\\b';
  return `^=* ?(?:(?:${PYTEST_ITEM}, )*(\\d+) ${word}${items}|${PYTEST_ITEM}${items})${end}`;
}

// cargo test: `test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; …`, one per test binary.
const CARGO = '^test result: \\w+\\. ';

// The text coverage table of istanbul and v8 (vitest, jest): `All files | stmts | branch | funcs | lines |`.
const COVERAGE_TABLE = '^All files *\\| *[\\d.]+ *\\| *[\\d.]+ *\\| *[\\d.]+ *\\| *([\\d.]+) *\\|';

/**
 * Built-in figure sets, named by `parse:` in gates.yaml. Counts a summary leaves out when they are
 * 0 (vitest, jest, pytest, mocha) read 0 once the summary is there; a run that printed no summary
 * has no test figures. Linters that print nothing when clean (eslint, tsc) read 0.
 */
export const PRESETS: Record<string, FigureSpec[]> = {
  vitest: [
    figure('tests_passed', 'higher', { pattern: `${VITEST_LINE}(?:.*?\\b(\\d+) passed)?${VITEST_TOTAL}` }),
    figure('tests_failed', 'lower', { pattern: `${VITEST_LINE}(?:(\\d+) failed)?${VITEST_TOTAL}` }),
    figure('tests_skipped', 'lower', { pattern: `${VITEST_LINE}(?:.*?\\b(\\d+) skipped)?${VITEST_TOTAL}` }),
    figure('coverage_lines', 'higher', { pattern: COVERAGE_TABLE }),
  ],
  jest: [
    figure('tests_passed', 'higher', { pattern: `${JEST_LINE}(?:.*?\\b(\\d+) passed, )?.*\\b\\d+ total` }),
    figure('tests_failed', 'lower', { pattern: `${JEST_LINE}(?:(\\d+) failed, )?.*\\b\\d+ total` }),
    figure('tests_skipped', 'lower', { pattern: `${JEST_LINE}(?:.*?\\b(\\d+) skipped, )?.*\\b\\d+ total` }),
    figure('coverage_lines', 'higher', { pattern: COVERAGE_TABLE }),
  ],
  // mocha's epilogue: `  3 passing (12ms)`, then `  1 pending` and `  2 failing` only when not 0.
  mocha: [
    figure('tests_passed', 'higher', { pattern: '^ *(\\d+) passing\\b' }),
    figure('tests_failed', 'lower', {
      pattern: '^ *\\d+ passing\\b.*\\n(?: *\\d+ pending\\b.*\\n)?(?: *(\\d+) failing\\b)?',
    }),
    figure('tests_skipped', 'lower', { pattern: '^ *\\d+ passing\\b.*\\n(?: *(\\d+) pending\\b)?' }),
  ],
  // node --test: `# pass 12` (TAP, the default when not on a terminal) or `ℹ pass 12` (spec).
  'node-test': [
    figure('tests_passed', 'higher', { pattern: '^[#ℹ] pass (\\d+)\\s*$' }),
    figure('tests_failed', 'lower', { pattern: '^[#ℹ] fail (\\d+)\\s*$' }),
    figure('tests_skipped', 'lower', { pattern: '^[#ℹ] skipped (\\d+)\\s*$' }),
  ],
  pytest: [
    figure('tests_passed', 'higher', { pattern: pytestFigure('passed') }),
    figure('tests_failed', 'lower', { pattern: pytestFigure('failed') }),
    figure('tests_skipped', 'lower', { pattern: pytestFigure('skipped') }),
  ],
  // go test prints `--- FAIL: TestX (0.00s)` for every failed test, `--- PASS` only under -v, so
  // tests are counted by failures and packages by their `ok` / `FAIL` lines.
  'go-test': [
    figure('tests_failed', 'lower', { count: '^--- FAIL: ' }),
    figure('packages_passed', 'higher', { count: '^ok\\s+\\S' }),
    figure('packages_failed', 'lower', { count: '^FAIL\\s+\\S' }),
  ],
  'cargo-test': [
    figure('tests_passed', 'higher', { pattern: `${CARGO}(\\d+) passed;`, sum: true }),
    figure('tests_failed', 'lower', { pattern: `${CARGO}\\d+ passed; (\\d+) failed;`, sum: true }),
    figure('tests_skipped', 'lower', { pattern: `${CARGO}\\d+ passed; \\d+ failed; (\\d+) ignored;`, sum: true }),
  ],
  // eslint's stylish format: `✖ 12 problems (3 errors, 9 warnings)`, nothing at all when clean.
  eslint: [
    figure('lint_errors', 'lower', {
      pattern: '^[✖×] \\d+ problems? \\((\\d+) errors?, \\d+ warnings?\\)',
      default: 0,
    }),
    figure('lint_warnings', 'lower', {
      pattern: '^[✖×] \\d+ problems? \\(\\d+ errors?, (\\d+) warnings?\\)',
      default: 0,
    }),
  ],
  // tsc: `src/a.ts(3,7): error TS2322: …`, or `src/a.ts:3:7 - error TS2322: …` with --pretty.
  tsc: [figure('type_errors', 'lower', { count: '\\berror TS\\d+: ' })],
  // ruff check: `Found 3 errors.`, `Found 4 errors (1 fixed, 3 remaining).` or `All checks passed!`.
  ruff: [
    figure('lint_errors', 'lower', {
      pattern: '^Found \\d+ errors? \\(\\d+ fixed, (\\d+) remaining\\)|^Found (\\d+) errors?\\.|^All checks passed!',
    }),
  ],
  // mypy: `Found 2 errors in 1 file (checked 10 source files)` or `Success: no issues found in 10 source files`.
  mypy: [
    figure('type_errors', 'lower', { pattern: '^Found (\\d+) errors? in \\d+ files?\\b|^Success: no issues found\\b' }),
  ],
  'coverage-istanbul': [
    figure('coverage_lines', 'higher', { json: 'total.lines.pct', file: 'coverage/coverage-summary.json' }),
  ],
};

/** The presets' names, for `parse:` error messages. */
export function presetNames(): string[] {
  return Object.keys(PRESETS).sort();
}
