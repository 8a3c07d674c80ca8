import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';
import type { FormatId } from './format-ids.js';
import type { AgentName } from './types.js';

/** One thing to read: a transcript file, a database, or a folder tree read as a whole. */
export interface Source {
  path: string;
  format: FormatId;
}

export interface Discovery {
  sources: Source[];
  /** Paths that could not be read (permissions, vanished while walking). */
  unreadable: string[];
  /** Roots that were looked at, for messages like "no sessions found in …". */
  roots: string[];
  /** Files under --source whose format must be told from their content (see sniffPending). */
  pending: string[];
}

export interface DiscoverEnv {
  home?: string;
  env?: NodeJS.ProcessEnv;
  agents?: readonly AgentName[];
  listings?: ListingCache;
}

/**
 * Folder listings kept between runs (in the session cache). Adding, removing or renaming an
 * entry changes a folder's mtime, so an unchanged mtime means an unchanged listing: a warm run
 * stats a folder instead of reading it. Appending to a file does not touch its folder's mtime,
 * which is why every transcript is still stat-ed (load.ts).
 */
export interface ListingCache {
  get(dir: string): Listing | undefined;
  set(dir: string, listing: Listing): void;
}

export interface Listing {
  mtimeMs: number;
  /** Sorted entries, each `d` (folder) or `f` (file) followed by its name, joined by `/`. */
  entries: string;
}

/**
 * A listing is kept only once its folder has been still for this long: mtimes have coarse
 * ticks (a jiffy on Linux, seconds on some file systems), and a change within the tick of the
 * last one would leave the mtime as it was.
 */
const SETTLED_MS = 3000;

const SKIP_DIRS = new Set(['node_modules', '.git']);
const MAX_DEPTH = 8;
const HEAD_BYTES = 64 * 1024;

/** The agents' own default places, honouring their environment overrides. */
export function discoverDefault(options: DiscoverEnv = {}): Discovery {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const want = new Set(options.agents ?? ['claude', 'codex', 'gemini', 'opencode', 'cursor']);
  const out: Discovery = { sources: [], unreadable: [], roots: [], pending: [] };
  const walkRoot = (root: string, classify: (path: string) => FormatId | null): void => {
    out.roots.push(root);
    if (existsSync(root)) walk(out, root, 0, classify, options.listings);
  };

  if (want.has('claude')) {
    const configured = (env.CLAUDE_CONFIG_DIR ?? '')
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    const bases = configured.length > 0 ? configured : [join(home, '.config', 'claude'), join(home, '.claude')];
    for (const base of bases) {
      walkRoot(join(base, 'projects'), (p) => (p.endsWith('.jsonl') ? 'claude' : null));
    }
  }
  if (want.has('codex')) {
    const codexHome = env.CODEX_HOME || join(home, '.codex');
    const live = new Set<string>();
    walkRoot(join(codexHome, 'sessions'), (p) => {
      if (!p.endsWith('.jsonl')) return null;
      live.add(basename(p));
      return 'codex';
    });
    // An archived rollout that also exists under sessions/ is the same session: the live copy wins.
    walkRoot(join(codexHome, 'archived_sessions'), (p) =>
      p.endsWith('.jsonl') && !live.has(basename(p)) ? 'codex' : null,
    );
  }
  if (want.has('gemini')) {
    const geminiHome = env.GEMINI_CLI_HOME ? join(env.GEMINI_CLI_HOME, '.gemini') : join(home, '.gemini');
    walkRoot(join(geminiHome, 'tmp'), (p) => {
      if (!p.includes(`${sep}chats${sep}`)) return null;
      if (p.endsWith('.jsonl')) return 'gemini';
      return p.endsWith('.json') ? 'gemini-json' : null;
    });
  }
  if (want.has('opencode')) {
    const data = env.XDG_DATA_HOME || join(home, '.local', 'share');
    const root = join(data, 'opencode');
    out.roots.push(root);
    const db = join(root, 'opencode.db');
    if (existsSync(db)) out.sources.push({ path: db, format: 'opencode' });
    const storage = join(root, 'storage');
    if (existsSync(join(storage, 'session'))) out.sources.push({ path: storage, format: 'opencode-legacy' });
  }
  if (want.has('cursor')) {
    walkRoot(join(home, '.cursor', 'projects'), (p) =>
      p.endsWith('.jsonl') && p.includes(`${sep}agent-transcripts${sep}`) ? 'cursor' : null,
    );
  }
  return out;
}

/** A folder or file given with --source: every transcript in it, the agent told by content. */
export function discoverPath(path: string, options: { known?: KnownFormat; listings?: ListingCache } = {}): Discovery {
  // Files the cache already knows keep their format; the rest wait for sniffPending, so that
  // the parsers (which sniffing needs) load only when some file is new.
  const sniff = (p: string): FormatId | null => {
    if (!TRANSCRIPT_NAME.test(p)) return null;
    const known = options.known?.(p);
    if (!known) out.pending.push(p);
    return known ?? null;
  };
  const root = resolve(path);
  const out: Discovery = { sources: [], unreadable: [], roots: [root], pending: [] };
  let stats;
  try {
    stats = statSync(root);
  } catch {
    out.unreadable.push(root);
    return out;
  }
  if (stats.isDirectory()) {
    if (isOpenCodeStorage(root)) out.sources.push({ path: root, format: 'opencode-legacy' });
    else walk(out, root, 0, sniff, options.listings);
  } else {
    const format = sniff(root);
    if (format) out.sources.push({ path: root, format });
  }
  return out;
}

const TRANSCRIPT_NAME = /\.(jsonl|json|db|sqlite)$/i;

/** Tells the format of each pending file from its first bytes, with the sniffer of formats.ts. */
export function sniffPending(out: Discovery, sniffHead: (path: string, head: Buffer) => FormatId | null): void {
  for (const path of out.pending) {
    const format = sniffFile(path, sniffHead, out);
    if (format) out.sources.push({ path, format });
  }
  out.pending = [];
}

/** A format already known for a path (from the cache, for an unchanged file), or undefined. */
export type KnownFormat = (path: string) => FormatId | undefined;

export function agentOf(format: FormatId): AgentName {
  if (format.startsWith('gemini')) return 'gemini';
  if (format.startsWith('opencode')) return 'opencode';
  return format as AgentName;
}

function walk(
  out: Discovery,
  dir: string,
  depth: number,
  classify: (path: string) => FormatId | null,
  listings: ListingCache | undefined,
): void {
  const entries = list(dir, listings);
  if (!entries) {
    out.unreadable.push(dir);
    return;
  }
  for (const entry of entries) {
    const name = entry.slice(1);
    // Plain concatenation: `dir` is already normalised, and path.join per entry showed in profiles.
    const path = dir + sep + name;
    if (entry[0] === 'd') {
      if (depth >= MAX_DEPTH || SKIP_DIRS.has(name)) continue;
      // OpenCode keeps its legacy tree in a folder named storage/.
      if (name === 'storage' && isOpenCodeStorage(path)) out.sources.push({ path, format: 'opencode-legacy' });
      else walk(out, path, depth + 1, classify, listings);
    } else {
      const format = classify(path);
      if (format) out.sources.push({ path, format });
    }
  }
}

/**
 * A folder's files and subfolders (`f` or `d` + name), sorted so that files are read and
 * reported in a stable order; null when the folder cannot be read.
 */
function list(dir: string, listings: ListingCache | undefined): string[] | null {
  // Stat before reading: a change after the stat gives a newer mtime than the one kept.
  const st = listings ? statSync(dir, { throwIfNoEntry: false }) : undefined;
  if (st) {
    const kept = listings?.get(dir);
    if (kept && kept.mtimeMs === st.mtimeMs) return kept.entries === '' ? [] : kept.entries.split('/');
  }
  let dirents;
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: string[] = [];
  for (const e of dirents) {
    if (e.isDirectory()) entries.push(`d${e.name}`);
    else if (e.isFile()) entries.push(`f${e.name}`);
  }
  if (st && Date.now() - st.mtimeMs > SETTLED_MS)
    listings?.set(dir, { mtimeMs: st.mtimeMs, entries: entries.join('/') });
  return entries;
}

function isOpenCodeStorage(dir: string): boolean {
  return existsSync(join(dir, 'session')) && existsSync(join(dir, 'message'));
}

/** Tells a transcript's format from its first bytes; null for anything else. */
function sniffFile(
  path: string,
  sniffHead: (path: string, head: Buffer) => FormatId | null,
  out: Discovery,
): FormatId | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.allocUnsafe(HEAD_BYTES);
    const n = readSync(fd, head, 0, HEAD_BYTES, 0);
    return sniffHead(path, head.subarray(0, n));
  } catch {
    out.unreadable.push(path);
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
