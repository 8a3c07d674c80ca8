/**
 * Error signatures: the first meaningful error line of a tool's output, and a normal form of it
 * (paths cut to their base name, line numbers, hex, ids, times and counts removed) so that the
 * same error in two runs has the same signature.
 */

/** ANSI colour codes, with or without their escape byte (some tools' logs lose it). */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]|\\[[0-9;]*m`, 'g');

/** Lines that carry no error: build chatter, exit-code headers, box drawing, warnings. */
const NOISE =
  /^(?:exit code:? -?\d+|process exited with code|command exited with code -?\d+\s*$|wall time|output:$|==>|compiling \d+|generated \w+ app|running |getting extensions|finished in|randomized with seed|checking \d+ source files?|analysis took|please report incorrect|showing priority|software design|code readability|refactoring opportunities|consistency|warnings?$|warning:|\d+ (?:mods?\/funs?|files?)|<\/?[a-z_]+>$|[\s│┃|└─~^]*$|command: |directory: |stdout:$|stderr:$)/i;

/** Lines that say what went wrong, in tiers: the first line matching the best tier wins. */
const TIERS: RegExp[][] = [
  [
    /^\*\* \(\w[\w.]*\)/, // Elixir exception
    /\b(?:error|fatal)(?:\[\w+\])?:\s*\S/i,
    /\b\w*(?:Error|Exception)\b(?::|\s-\s|\s\()/,
    /✘ \[ERROR\]/,
    /^\S.*\b(?:validation|checks?|hook|build|compilation|tests?)\s+failed\b/i,
    /^\[[A-Z]\]\s/, // credo issue
    /^\[[A-Z]+\]\s*\S/, // pre-commit section
    /\b\d+ (?:failing|failed)\s*:\s*\S/i, // "1 failing: health is not defined"
  ],
  [/\bFAIL(?:ED)?\b/, /\b(?:assertion|assert)\b.*\bfailed\b/i, /\b\d+ (?:failing|failed)\b/i],
  [
    /\b(?:not found|no such file|permission denied|does not exist|is not defined|undefined|cannot|can't|could not|unable to|invalid|unknown|refused|denied|rejected|missing|ignored by)\b/i,
    /\bfailed\b/i,
  ],
];

/**
 * The first meaningful error line of a command's output, or null when nothing looks like an
 * error. A short header ending in a colon ("Pre-commit validation failed:") takes the next line.
 */
export function errorLine(output: string): string | null {
  const lines = splitOutput(output);
  for (const tier of TIERS) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (NOISE.test(line) || !tier.some((re) => re.test(line))) continue;
      return withNextIfHeader(line, lines, i);
    }
  }
  const first = lines.find((l) => !NOISE.test(l));
  return first ?? null;
}

function withNextIfHeader(line: string, lines: string[], i: number): string {
  if (!line.endsWith(':') || line.length > 60) return line;
  const next = lines.slice(i + 1).find((l) => !NOISE.test(l));
  return next ? `${line} ${next}` : line;
}

/** Output lines without ANSI colours, box-drawing prefixes or escaped newlines; at most 200. */
function splitOutput(output: string): string[] {
  let text = output.replace(ANSI, '');
  // Some hooks print their message JSON-escaped: "failed:\n\n[FORMAT] ..." on one line.
  if (text.includes('\\n')) text = text.replace(/\\n/g, '\n');
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw
      .replace(/^[\s┃│|>]+/, '')
      .replace(/[↘↗→]\s*/g, '')
      .trim();
    if (line) lines.push(line);
    if (lines.length >= 200) break;
  }
  return lines;
}

/** Normal form of an error line: stable across runs, machines and checkouts. */
export function normaliseSignature(line: string): string {
  return line
    .slice(0, 500)
    .replace(ANSI, '')
    .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>')
    .replace(/\b\d{2}:\d{2}:\d{2}(?:\.\d+)?\b/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>')
    .replace(/(?:[A-Za-z]:)?[~.]{0,2}\/?(?:[\w.@+-]+\/)+([\w.@+-]+)/g, baseName)
    .replace(/(\.\w+):\d+(?::\d+)?/g, '$1')
    .replace(/\b(line|col(?:umn)?) \d+/gi, '$1 N')
    .replace(/(?<![/\w.])\d+(?![\w.])/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

/** A path's base name (`lib/a/b.ex` → `b.ex`); URLs, `get/2` and `origin/main` stay as they are. */
function baseName(match: string, base: string, offset: number, whole: string): string {
  if (/:\/{0,2}$/.test(whole.slice(Math.max(0, offset - 3), offset))) return match;
  const slashes = match.split('/').length - 1;
  return (base.includes('.') && /[A-Za-z]/.test(base)) || slashes >= 2 ? base : match;
}

/** The normalised error signature of an output, or null. */
export function signatureOf(output: string | null): string | null {
  if (!output) return null;
  const line = errorLine(output);
  return line ? normaliseSignature(line) : null;
}
