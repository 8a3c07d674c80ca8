/**
 * Paths and patterns, without touching the disk: resolving a path against a folder, path globs
 * with the `{root}`, `{home}` and `{tmp}` tokens, word globs for command patterns and host globs.
 */
import { posix } from 'node:path';

/** The folders path globs may name. */
export interface Places {
  root: string;
  home: string;
  tmp: string[];
}

/** `..`, `.` and doubled slashes removed; no trailing slash except on `/` itself. */
export function normalizePath(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** An absolute, normalised path; null for a relative path when the folder is not known. */
export function resolvePath(text: string, cwd: string | null): string | null {
  if (text.startsWith('/')) return normalizePath(text);
  if (cwd === null) return null;
  return normalizePath(posix.join(cwd, text === '' ? '.' : text));
}

/** Whether `p` is `dir` or inside it. */
export function isWithin(p: string, dir: string): boolean {
  if (dir === '/') return p.startsWith('/');
  return p === dir || p.startsWith(`${dir}/`);
}

/** Whether `p` is strictly inside `dir`. */
export function isInside(p: string, dir: string): boolean {
  return p !== dir && isWithin(p, dir);
}

const GLOB_CHARS = /[*?[]/;

/** Whether a path segment is a glob pattern (unquoted `*`, `?` or `[`). */
export function hasGlob(text: string): boolean {
  return GLOB_CHARS.test(text);
}

/**
 * The folder a glob's matches all sit in: the leading segments with no glob character.
 * `/repo/dist/*.js` → `/repo/dist`; the glob segment itself is returned too.
 */
export function splitGlob(path: string): { dir: string; segment: string } {
  const segs = path.split('/');
  const i = segs.findIndex((s) => hasGlob(s));
  if (i === -1) return { dir: path, segment: '' };
  const dir = segs.slice(0, i).join('/') || '/';
  return { dir, segment: segs[i] as string };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const pathCache = new Map<string, RegExp>();

/**
 * A path glob as a regular expression over absolute paths. `**` spans folders, `*` and `?` stay
 * within one, `[…]` and `{a,b}` as in the shell. A glob with no `/` matches a base name anywhere;
 * a relative glob with a `/` is relative to the repository root; `~/` and `{home}/` are the home
 * folder, `{root}` the repository, `{tmp}` any temporary folder. `dir/**` matches `dir` itself too.
 */
export function pathGlob(glob: string, places: Places): RegExp {
  const key = `${glob}\0${places.root}\0${places.home}\0${places.tmp.join('\0')}`;
  const hit = pathCache.get(key);
  if (hit) return hit;
  let g = glob.trim();
  let prefix = '';
  const token = /^\{(root|home|tmp)\}/.exec(g);
  if (token) {
    const name = token[1];
    prefix =
      name === 'root'
        ? escapeRe(places.root)
        : name === 'home'
          ? escapeRe(places.home)
          : `(?:${places.tmp.map(escapeRe).join('|')})`;
    g = g.slice(token[0].length);
  } else if (g === '~' || g.startsWith('~/')) {
    prefix = escapeRe(places.home);
    g = g.slice(1);
  } else if (!g.startsWith('/')) {
    if (!g.includes('/') || g.startsWith('**/')) g = `/**/${g.replace(/^\*\*\//, '')}`;
    else {
      prefix = escapeRe(places.root);
      g = `/${g.replace(/^\.\//, '')}`;
    }
  }
  if (prefix.endsWith('/') && g.startsWith('/')) g = g.slice(1);
  const re = new RegExp(`^${prefix}${globBody(g)}$`);
  if (pathCache.size > 2000) pathCache.clear();
  pathCache.set(key, re);
  return re;
}

function globBody(g: string, dotSafe = false): string {
  let re = '';
  const state = { braces: 0 };
  for (let i = 0; i < g.length; i++) {
    const c = g[i] as string;
    // In the shell, a name starting with `.` is only matched by a pattern starting with `.`.
    if (dotSafe && (c === '*' || c === '?' || c === '[') && (i === 0 || g[i - 1] === '/')) re += '(?!\\.)';
    if (c === '*') {
      if (g[i + 1] === '*') {
        const before = i === 0 || g[i - 1] === '/';
        const after = g[i + 2] === '/' || i + 2 === g.length;
        if (before && g[i + 2] === '/') {
          // `/**/x`: any number of folders, none included.
          re += '(?:[^/]+/)*';
          i += 2;
          continue;
        }
        if (before && after && re.endsWith('/')) {
          // `dir/**` at the end: the folder itself or anything below it.
          re = `${re.slice(0, -1)}(?:/.*)?`;
          i += 1;
          continue;
        }
        re += '.*';
        i += 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else {
      const part = braceOrClass(g, i, state);
      if (part) {
        re += part.re;
        i = part.end;
      } else re += escapeRe(c);
    }
  }
  return re + ')'.repeat(state.braces);
}

/**
 * What path and word globs share: `{a,b}` alternatives (`state` counts the open braces) and
 * `[…]` classes (`!` negates). Null for any other character, and for a `[` never closed.
 */
function braceOrClass(g: string, i: number, state: { braces: number }): { re: string; end: number } | null {
  const c = g[i];
  if (c === '{') {
    state.braces++;
    return { re: '(?:', end: i };
  }
  if (c === '}' && state.braces > 0) {
    state.braces--;
    return { re: ')', end: i };
  }
  if (c === ',' && state.braces > 0) return { re: '|', end: i };
  if (c !== '[') return null;
  const end = g.indexOf(']', i + 2);
  if (end === -1) return null;
  const body = g
    .slice(i + 1, end)
    .replace(/^!/, '^')
    .replace(/\\/g, '\\\\');
  return { re: `[${body}]`, end };
}

const shellCache = new Map<string, RegExp>();

/** An absolute path with unquoted glob characters, as the shell expands it (dot files need a dot). */
export function shellGlob(path: string): RegExp {
  const hit = shellCache.get(path);
  if (hit) return hit;
  const re = new RegExp(`^${globBody(path, true)}$`);
  if (shellCache.size > 2000) shellCache.clear();
  shellCache.set(path, re);
  return re;
}

const anyCache = new Map<string, RegExp>();

/** One expression for a whole list of path globs (compiled once: the built-in lists are long). */
export function pathGlobAny(globs: readonly string[], places: Places): RegExp {
  const key = `${globs.join('\0')}\0\0${places.root}\0${places.home}\0${places.tmp.join('\0')}`;
  const hit = anyCache.get(key);
  if (hit) return hit;
  const body = globs.map((g) => pathGlob(g, places).source.slice(1, -1)).join('|');
  const re = new RegExp(`^(?:${body})$`);
  if (anyCache.size > 100) anyCache.clear();
  anyCache.set(key, re);
  return re;
}

/** Whether an absolute path matches any of the globs; the index of the first match, or -1. */
export function matchPath(path: string, globs: readonly string[], places: Places): number {
  for (let i = 0; i < globs.length; i++) if (pathGlob(globs[i] as string, places).test(path)) return i;
  return -1;
}

/**
 * The fixed folder in front of an anchored glob (`{root}/.claude/settings.json` → that file's
 * path), so that a write to a folder holding a protected file can be caught. Null for globs that
 * match a base name anywhere.
 */
export function globAnchor(glob: string, places: Places): string | null {
  let g = glob.trim();
  const token = /^\{(root|home)\}/.exec(g);
  if (token) g = (token[1] === 'root' ? places.root : places.home) + g.slice(token[0].length);
  else if (g === '~' || g.startsWith('~/')) g = places.home + g.slice(1);
  else if (!g.startsWith('/')) return null;
  const cut = g.search(/[*?[{]/);
  const fixed = cut === -1 ? g : g.slice(0, g.lastIndexOf('/', cut));
  return normalizePath(fixed || '/');
}

const wordCache = new Map<string, RegExp>();

/** A glob over one word (of a command line or a host name): `*` any characters, `?` one, `[…]`, `{a,b}`. */
export function wordGlob(glob: string, ignoreCase = false): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${glob}`;
  const hit = wordCache.get(key);
  if (hit) return hit;
  let re = '';
  const state = { braces: 0 };
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < glob.length) {
      re += escapeRe(glob[i + 1] as string);
      i++;
    } else {
      const part = braceOrClass(glob, i, state);
      if (part) {
        re += part.re;
        i = part.end;
      } else re += escapeRe(c);
    }
  }
  re += ')'.repeat(state.braces);
  const out = new RegExp(`^${re}$`, ignoreCase ? 'is' : 's');
  if (wordCache.size > 2000) wordCache.clear();
  wordCache.set(key, out);
  return out;
}

/** Command patterns: words matched in order, others may come between (`=` first: the whole line). */
export function commandMatches(pattern: string, words: readonly string[]): boolean {
  const exact = pattern.startsWith('=');
  const pw = pattern.replace(/^=\s*/, '').split(/\s+/).filter(Boolean);
  const first = pw[0];
  const cmd = words[0];
  if (first === undefined || cmd === undefined) return false;
  const nameOk = first.includes('/') ? wordGlob(first).test(cmd) : wordGlob(first).test(posix.basename(cmd));
  if (!nameOk) return false;
  if (exact) return matchExact(pw.slice(1), words.slice(1));
  let j = 1;
  for (const p of pw.slice(1)) {
    const g = wordGlob(p);
    while (j < words.length && !g.test(words[j] as string)) j++;
    if (j >= words.length) return false;
    j++;
  }
  return true;
}

function matchExact(pw: string[], words: readonly string[]): boolean {
  if (pw.length === 0) return words.length === 0;
  const [p, ...rest] = pw as [string, ...string[]];
  if (p === '**') {
    for (let k = 0; k <= words.length; k++) if (matchExact(rest, words.slice(k))) return true;
    return false;
  }
  return words.length > 0 && wordGlob(p).test(words[0] as string) && matchExact(rest, words.slice(1));
}

// Quoted `{`, `,`, `*` … are literal: they travel through brace expansion as private-use characters.
const PROTECT: Record<string, string> = {
  '{': '\uE000',
  '}': '\uE001',
  ',': '\uE002',
  '*': '\uE003',
  '?': '\uE004',
  '[': '\uE005',
};

const UNPROTECT = Object.fromEntries(Object.entries(PROTECT).map(([k, v]) => [v, k]));

/** Marks quoted characters so that brace expansion and glob detection leave them alone. */
export function protect(s: string): string {
  return s.replace(/[{},*?[]/g, (c) => PROTECT[c] ?? c);
}

/** Undoes `protect`. */
export function unprotect(s: string): string {
  return s.replace(/[\uE000-\uE005]/g, (c) => UNPROTECT[c] ?? c);
}

/** Bash brace expansion: `a{b,c}d`, `{1..3}`, nested; at most 64 results. */
export function expandBraces(s: string, limit = 64): string[] {
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '{' || s[i - 1] === '$') continue;
    let depth = 0;
    const commas: number[] = [];
    let j = i;
    for (; j < s.length; j++) {
      if (s[j] === '{') depth++;
      else if (s[j] === '}' && --depth === 0) break;
      else if (s[j] === ',' && depth === 1) commas.push(j);
    }
    if (j >= s.length) return [s];
    const pre = s.slice(0, i);
    const post = s.slice(j + 1);
    const inner = s.slice(i + 1, j);
    let alts: string[] | null = null;
    if (commas.length) {
      alts = [];
      let from = i + 1;
      for (const c of [...commas, j]) {
        alts.push(s.slice(from, c));
        from = c + 1;
      }
    } else {
      const range = /^(-?\d+)\.\.(-?\d+)$|^([A-Za-z])\.\.([A-Za-z])$/.exec(inner);
      if (range) alts = rangeValues(range);
    }
    if (!alts) continue;
    const out: string[] = [];
    for (const a of alts) {
      for (const e of expandBraces(pre + a + post, limit)) {
        out.push(e);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
  return [s];
}

function rangeValues(m: RegExpExecArray): string[] {
  const out: string[] = [];
  if (m[1] !== undefined) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const step = a <= b ? 1 : -1;
    for (let k = a; out.length < 64; k += step) {
      out.push(String(k));
      if (k === b) break;
    }
  } else {
    const a = (m[3] as string).charCodeAt(0);
    const b = (m[4] as string).charCodeAt(0);
    const step = a <= b ? 1 : -1;
    for (let k = a; out.length < 64; k += step) {
      out.push(String.fromCharCode(k));
      if (k === b) break;
    }
  }
  return out;
}
