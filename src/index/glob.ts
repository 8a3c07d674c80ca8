/**
 * Path globs for learning scopes (`lib/**`, `*.ex`, `src/{a,b}/*.ts`). Node 20 has no glob
 * matcher of its own; this one covers what scopes use: `**`, `*`, `?`, `{a,b}` and `[...]`.
 * A glob without a slash matches the base name anywhere, as in .gitignore.
 */

const cache = new Map<string, RegExp>();

/** A glob as written, without surrounding blanks or a leading `./`. */
const cleanGlob = (glob: string): string => glob.trim().replace(/^\.\//, '');

/** A path relative to the repository, `/`-separated, without a leading `./`. */
const repoPath = (path: string): string => path.replace(/\\/g, '/').replace(/^\.\//, '');

/** Characters that may not stand for themselves in a glob (a lone `]` does; counting it is safe). */
const WILDCARD = /[*?[\]{}]/;

/** Text that matches only itself as a glob. */
const isLiteral = (text: string): boolean => text !== '' && !WILDCARD.test(text);

export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob);
  if (hit) return hit;
  let g = cleanGlob(glob);
  if (!g.includes('/')) g = `**/${g}`;
  if (g.endsWith('/')) g += '**';
  let re = '';
  let braces = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i] as string;
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '[') {
      const end = g.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        re += `[${g
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  const out = new RegExp(`^${re}(?:/.*)?$`);
  cache.set(glob, out);
  return out;
}

/** Whether any of `paths` (relative to the repository, `/`-separated) falls under `glob`. */
export function matchesAny(glob: string, paths: readonly string[]): boolean {
  // The common scopes (`dir/**`, a plain path) need no regular expression.
  const g = cleanGlob(glob);
  const dir = g.endsWith('/**') ? g.slice(0, -3) : g.endsWith('/') ? g.slice(0, -1) : null;
  const prefix = dir !== null && isLiteral(dir) ? dir : isLiteral(g) ? g : null;
  if (prefix !== null && g.includes('/')) {
    return paths.some((p) => {
      const q = repoPath(p);
      return q === prefix || q.startsWith(`${prefix}/`);
    });
  }
  const re = globToRegExp(glob);
  return paths.some((p) => re.test(repoPath(p)));
}

/**
 * The index's key for a glob: every path the glob matches yields that key among its pathKeys,
 * so a search looks up the learnings scoped to its files by key, then checks each glob in full.
 *
 * - `p:<dirs>`: a glob with a slash is anchored at the start of the path; its leading literal
 *   segments (`src/auth` of `src/auth/**`, all of a plain path) are an ancestor of the path.
 * - `n:<name>`: a glob without a slash matches a segment anywhere; a literal one (`Makefile`)
 *   equals that segment.
 * - `s:<suffix>`: one star then a literal (`*.ts`) ends a segment.
 * - `*`: anything else (`**\/*.ts`, `file?.md`) is checked for every search with files in play.
 */
export function scopeKey(glob: string): string {
  const g = cleanGlob(glob);
  if (g.includes('/')) {
    const literal: string[] = [];
    for (const segment of g.split('/')) {
      if (!isLiteral(segment)) break;
      literal.push(segment);
    }
    return literal.length > 0 ? `p:${literal.join('/')}` : '*';
  }
  if (isLiteral(g)) return `n:${g}`;
  return g.startsWith('*') && isLiteral(g.slice(1)) ? `s:${g.slice(1)}` : '*';
}

/** The keys (see scopeKey) of every glob that may match one of `paths`. */
export function pathKeys(paths: readonly string[]): string[] {
  const keys = new Set<string>(['*']);
  for (const p of paths) {
    const segments = repoPath(p).split('/');
    for (let i = 0; i < segments.length; i++) {
      keys.add(`p:${segments.slice(0, i + 1).join('/')}`);
      const segment = segments[i]!;
      keys.add(`n:${segment}`);
      for (let j = 0; j < segment.length; j++) keys.add(`s:${segment.slice(j)}`);
    }
  }
  return [...keys];
}
