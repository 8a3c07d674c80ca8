/**
 * A unified diff (`git diff`) split per file, each line numbered with its line in the new version,
 * so that a judge can cite `file:line` without counting from hunk headers.
 */

export interface FileDiff {
  /** The path after the change (before it, for a deletion), repository-relative. */
  file: string;
  /** What happened to it: `modified`, `added`, `deleted`, `renamed from x`, `binary`. */
  change: string;
  binary: boolean;
  /** The annotated lines: `  12 +added`, `  13  context`, `     -removed`, hunk headers as they are. */
  lines: string[];
}

/** Splits `git diff` output (with `a/` and `b/` prefixes) into one annotated entry per file. */
export function splitDiff(text: string): FileDiff[] {
  const files: FileDiff[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (block.length > 0) files.push(readBlock(block));
    block = [];
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) flush();
    if (block.length > 0 || line.startsWith('diff --git ')) block.push(line);
  }
  flush();
  return files;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

function readBlock(block: string[]): FileDiff {
  let oldPath: string | null = null;
  let newPath: string | null = null;
  let renamedFrom: string | null = null;
  let added = false;
  let deleted = false;
  let binary = false;
  const head: string[] = [];
  const body: { num: number | null; text: string }[] = [];
  let next = 0;
  let inHunks = false;
  for (const line of block.slice(1)) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      inHunks = true;
      next = Number(hunk[1]);
      body.push({ num: null, text: line });
      continue;
    }
    if (!inHunks) {
      if (line.startsWith('--- ')) oldPath = pathOf(line.slice(4), 'a/');
      else if (line.startsWith('+++ ')) newPath = pathOf(line.slice(4), 'b/');
      else {
        if (line.startsWith('rename from ')) renamedFrom = unquote(line.slice('rename from '.length));
        else if (line.startsWith('rename to ')) newPath = unquote(line.slice('rename to '.length));
        else if (line.startsWith('new file mode')) added = true;
        else if (line.startsWith('deleted file mode')) deleted = true;
        else if (line.startsWith('Binary files ')) binary = true;
        if (!line.startsWith('index ') && line !== '') head.push(line);
      }
      continue;
    }
    if (line.startsWith('+')) body.push({ num: next++, text: line });
    else if (line.startsWith(' ')) body.push({ num: next++, text: line });
    else if (line.startsWith('-') || line.startsWith('\\')) body.push({ num: null, text: line });
    // The empty string after the last newline of the diff ends nothing.
  }
  const file = newPath ?? oldPath ?? pathFromHeader(block[0] ?? '');
  const change = binary
    ? 'binary'
    : renamedFrom !== null
      ? `renamed from ${renamedFrom}`
      : added
        ? 'added'
        : deleted
          ? 'deleted'
          : 'modified';
  const width = Math.max(4, String(Math.max(0, next - 1)).length);
  const lines = [
    ...head.filter((l) => !l.startsWith('rename ') && !l.startsWith('similarity ')),
    ...body.map(({ num, text }) =>
      HUNK.test(text) ? text : `${num === null ? ' '.repeat(width) : String(num).padStart(width)} ${text}`,
    ),
  ];
  return { file, change, binary, lines };
}

/** `b/src/a.ts`, `"b/t\303\251st"` or `/dev/null` (null); git adds a tab after names with spaces. */
function pathOf(raw: string, prefix: string): string | null {
  const name = unquote(raw.replace(/\t$/, ''));
  if (name === '/dev/null') return null;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** The path of a `diff --git a/x b/x` line, for entries with no `---`/`+++` lines (mode changes, binaries). */
function pathFromHeader(line: string): string {
  const rest = line.slice('diff --git '.length);
  // Both sides name the same path unless it was renamed (then `rename to` said so already).
  const half = (rest.length - 1) / 2;
  const right = Number.isInteger(half) ? rest.slice(half + 1) : (rest.split(' b/').pop() ?? rest);
  const name = unquote(right);
  return name.startsWith('b/') ? name.slice(2) : name;
}

/** Undoes git's C-style quoting of unusual path names. */
function unquote(name: string): string {
  if (!(name.startsWith('"') && name.endsWith('"') && name.length >= 2)) return name;
  const bytes: number[] = [];
  const inner = name.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charAt(i);
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = inner.charAt(i + 1);
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(inner.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
