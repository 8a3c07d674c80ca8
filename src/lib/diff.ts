/**
 * A unified diff of two texts, for `--dry-run` previews. Line-based, from the longest common
 * subsequence; files too large for that (over ~4 million line pairs) show as replaced whole.
 */
export function unifiedDiff(path: string, before: string | null, after: string | null, context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = a.length * b.length > 4_000_000 ? replaceAll(a, b) : lcsOps(a, b);
  const header = `--- ${before === null ? '/dev/null' : `a/${path}`}\n+++ ${after === null ? '/dev/null' : `b/${path}`}\n`;
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before the first change to `context` after the last change
    // that is no more than 2 × context lines from the next.
    let start = i;
    while (start > 0 && i - start < context && ops[start - 1]!.kind === ' ') start--;
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let gap = end;
      while (gap < ops.length && ops[gap]!.kind === ' ') gap++;
      if (gap < ops.length && gap - end <= context * 2) end = gap;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const slice = ops.slice(start, end);
    const aStart = slice[0]!.a;
    const bStart = slice[0]!.b;
    const aLen = slice.filter((o) => o.kind !== '+').length;
    const bLen = slice.filter((o) => o.kind !== '-').length;
    hunks.push(
      `@@ -${aLen === 0 ? aStart : aStart + 1},${aLen} +${bLen === 0 ? bStart : bStart + 1},${bLen} @@\n` +
        slice.map((o) => `${o.kind}${o.text}\n`).join(''),
    );
    i = end;
  }
  return hunks.length === 0 ? '' : header + hunks.join('');
}

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
  /** Lines of a and b before this one. */
  a: number;
  b: number;
}

function splitLines(text: string | null): string[] {
  if (text === null || text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function replaceAll(a: string[], b: string[]): Op[] {
  return [
    ...a.map((text, i) => ({ kind: '-' as const, text, a: i, b: 0 })),
    ...b.map((text, j) => ({ kind: '+' as const, text, a: a.length, b: j })),
  ];
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: the LCS of a[i..] and b[j..].
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i]!, a: i, b: j });
      i++;
      j++;
    } else if (i < n && (j === m || lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) {
      ops.push({ kind: '-', text: a[i]!, a: i, b: j });
      i++;
    } else {
      ops.push({ kind: '+', text: b[j]!, a: i, b: j });
      j++;
    }
  }
  return ops;
}
