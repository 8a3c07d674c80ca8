import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitTry } from '../git.js';
import { splitDiff } from './diff-sections.js';
import type { ResolvedTarget, TargetPath, TargetRange } from './target.js';

/** One part of the evidence before it is bounded: a file, a file's diff, the commit log. */
export interface EvidenceSection {
  title: string;
  /** The repository-relative file it shows; null for the commit log. */
  file: string | null;
  lines: string[];
}

export interface EvidenceSources {
  sections: EvidenceSection[];
  /** Files named by the target but not shown, and why. */
  omitted: { file: string; reason: string }[];
}

/** Files above this size are not read at all: no review reads 8 MB of one file. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** A folder with more files than this is a mistake in the target; the rest are listed as omitted. */
const MAX_FILES = 2000;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.cache']);
/** What councils write: earlier reports and evidence are not the work under review. */
const isCouncilOutput = (file: string): boolean =>
  file.startsWith('.agents/council/') || file === '.agents/ledger/council.jsonl';

/** The raw material of the evidence for a target, in a stable order. */
export function collectSections(root: string, target: ResolvedTarget): EvidenceSources {
  if (target.kind === 'plan') {
    const read = readNumbered(target.plan.abs);
    if (typeof read === 'string') return { sections: [], omitted: [{ file: target.plan.rel, reason: read }] };
    return { sections: [{ title: `Plan ${target.plan.rel}`, file: target.plan.rel, lines: read }], omitted: [] };
  }
  if (target.kind === 'paths') return pathSections(root, target.paths);
  return rangeSections(root, target.range);
}

function pathSections(root: string, paths: readonly TargetPath[]): EvidenceSources {
  const files = new Set<string>();
  for (const p of paths) {
    if (!p.folder) {
      files.add(p.rel);
      continue;
    }
    for (const f of listFolder(root, p.rel)) if (!isCouncilOutput(f)) files.add(f);
  }
  const sorted = [...files].sort();
  const sources: EvidenceSources = { sections: [], omitted: [] };
  for (const [i, file] of sorted.entries()) {
    if (i >= MAX_FILES) {
      sources.omitted.push({ file, reason: `more than ${MAX_FILES} files` });
      continue;
    }
    const read = readNumbered(join(root, file));
    if (typeof read === 'string') sources.omitted.push({ file, reason: read });
    else sources.sections.push({ title: `File ${file}`, file, lines: read });
  }
  return sources;
}

/** Files under a folder: those git tracks or would track (ignored files left out), else a walk. */
function listFolder(root: string, rel: string): string[] {
  const listed = gitTry(root, ['ls-files', '-z', '-c', '-o', '--exclude-standard', '--', rel === '.' ? '.' : rel]);
  if (listed !== null) {
    return listed.split('\0').filter((f) => f !== '' && isFile(join(root, f)));
  }
  const found: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(join(root, dir)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const child = dir === '.' ? name : `${dir}/${name}`;
      const abs = join(root, child);
      let stat;
      try {
        stat = statSync(abs);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(name)) walk(child);
      } else if (stat.isFile()) found.push(child);
      if (found.length > MAX_FILES) return;
    }
  };
  walk(rel);
  return found;
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

/** A text file's lines, numbered from 1 (`  12 | text`), or why it cannot be shown. */
export function readNumbered(abs: string): string[] | string {
  let text: string;
  try {
    const size = statSync(abs).size;
    if (size > MAX_FILE_BYTES) return `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`;
    if (looksBinary(abs)) return 'binary';
    text = readFileSync(abs, 'utf8');
  } catch (error) {
    return `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const width = Math.max(4, String(lines.length).length);
  return lines.map((line, i) => `${String(i + 1).padStart(width)} | ${line.replace(/\r$/, '')}`);
}

function looksBinary(abs: string): boolean {
  const fd = openSync(abs, 'r');
  try {
    const head = Buffer.alloc(8000);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).includes(0);
  } finally {
    closeSync(fd);
  }
}

function rangeSections(root: string, range: TargetRange): EvidenceSources {
  const log = git(root, [
    '-c',
    'log.showSignature=false',
    'log',
    '--no-color',
    '--date=short',
    '--format=commit %h %ad %an%n%w(0,4,4)%B',
    range.log,
    '--',
  ]);
  const diffArgs = ['--no-color', '--no-ext-diff', '-M', '--src-prefix=a/', '--dst-prefix=b/', range.from, range.to];
  const stat = git(root, ['-c', 'core.quotePath=false', 'diff', '--stat=160', ...diffArgs, '--']);
  const diff = git(root, ['-c', 'core.quotePath=false', 'diff', ...diffArgs, '--']);
  const commits = [...trimLines(log), '', ...trimLines(stat)];
  const sources: EvidenceSources = { sections: [{ title: 'Commits', file: null, lines: commits }], omitted: [] };
  for (const entry of splitDiff(diff)) {
    if (entry.binary) sources.omitted.push({ file: entry.file, reason: 'binary' });
    else sources.sections.push({ title: `Diff ${entry.file} (${entry.change})`, file: entry.file, lines: entry.lines });
  }
  return sources;
}

function trimLines(text: string): string[] {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}
