import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { appendLine } from './atomic.js';
import { aoHome } from './paths.js';

/** The `.agents/` folders a command works with: the repository's own and the user's. */
export interface Workspace {
  /** Root of the repository (the folder holding `.agents/` or `.git`); null outside any. */
  root: string | null;
  /** The repository's `.agents/`, whether it exists yet or not; null outside a repository. */
  repoAgents: string | null;
  /** The user's store (`AO_HOME`, default `~/.agents`). */
  userAgents: string;
}

/**
 * Finds the repository around `cwd`: the nearest folder with `.agents/` or `.git`. The user's
 * own `AO_HOME` is never taken for a repository's `.agents/`.
 */
export function findWorkspace(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Workspace {
  const userAgents = resolve(aoHome(env));
  let dir = resolve(cwd);
  for (;;) {
    const agents = join(dir, '.agents');
    if (existsSync(agents) && agents !== userAgents) return { root: dir, repoAgents: agents, userAgents };
    if (existsSync(join(dir, '.git'))) return { root: dir, repoAgents: agents, userAgents };
    const parent = dirname(dir);
    if (parent === dir) return { root: null, repoAgents: null, userAgents };
    dir = parent;
  }
}

/** The `.agents/` a command writes to: the repository's, or the user's outside a repository. */
export function writableAgentsDir(ws: Workspace): string {
  return ws.repoAgents ?? ws.userAgents;
}

const GITATTRIBUTES = ['ledger/*.jsonl merge=union'];
const GITIGNORE = ['.cache/', '.tmp-*'];

/**
 * Creates `.agents/` on first write, with the entries git needs: ledgers merge by union (they are
 * append-only), and the derived cache is never committed. Existing files keep their other lines.
 */
export function ensureAgentsDir(agents: string): void {
  // Commands save many files; the folder is set up once per process.
  if (ensured.has(agents)) return;
  ensured.add(agents);
  mkdirSync(join(agents, 'learnings'), { recursive: true });
  mkdirSync(join(agents, 'ledger'), { recursive: true });
  ensureLines(join(agents, '.gitattributes'), GITATTRIBUTES);
  ensureLines(join(agents, '.gitignore'), GITIGNORE);
}

const ensured = new Set<string>();

function ensureLines(file: string, lines: string[]): void {
  let have = '';
  try {
    have = readFileSync(file, 'utf8');
  } catch {
    // A new file.
  }
  const present = new Set(have.split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((l) => !present.has(l));
  if (missing.length === 0) return;
  const prefix = have !== '' && !have.endsWith('\n') ? '\n' : '';
  appendLine(file, prefix + missing.join('\n'));
}
