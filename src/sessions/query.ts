import { loadConfig } from '../lib/config.js';
import { UserError } from '../lib/errors.js';
import { sessionCacheDir } from '../lib/paths.js';
import { type SessionCache, openSessionCache } from './cache.js';
import { type LoadResult, loadSessions } from './load.js';
import { type PriceBook, createPriceBook } from './pricing.js';
import { type PricedSession, priceSession } from './report.js';
import { AGENTS, type AgentName, type SessionSummary } from './types.js';

/** What every session-reading command accepts. */
export interface SessionQuery {
  source?: string;
  agent?: string;
  project?: string;
  since?: string;
  until?: string;
  /** Read everything afresh, without the session cache. */
  noCache?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface QueryResult extends LoadResult {
  book: PriceBook;
  timeZone: string | undefined;
  since?: number;
  until?: number;
}

/** Loads sessions, applies the filters and sets up pricing; the one way commands read sessions. */
export async function querySessions(query: SessionQuery): Promise<QueryResult> {
  const agents = parseAgents(query.agent);
  const since = parseDate(query.since, 'since', false);
  const until = parseDate(query.until, 'until', true);
  const config = loadConfig();
  const book = createPriceBook(config.pricing);
  const cache = query.noCache ? null : openCacheOrNull();
  let result: LoadResult;
  try {
    result = await loadSessions({ source: query.source, agents, cache, onProgress: query.onProgress });
  } finally {
    cache?.close();
  }
  if (query.source && result.stats.sources === 0 && result.warnings.unreadablePaths.length > 0) {
    throw new UserError(`cannot read ${query.source}: no such file or folder, or no permission`);
  }
  const project = query.project;
  const sessions = result.sessions.filter(
    (s) =>
      (!project || (s.project ?? '').includes(project)) &&
      (since === undefined || (s.endedAt !== null && Date.parse(s.endedAt) >= since)) &&
      (until === undefined || (s.startedAt !== null && Date.parse(s.startedAt) <= until)),
  );
  return { ...result, sessions, book, timeZone: config.timeZone, since, until };
}

export function priceAll(sessions: SessionSummary[], book: PriceBook): PricedSession[] {
  return sessions.map((s) => priceSession(s, book));
}

/** Finds one session by id, unique id prefix, or subagent suffix (`agent-…`). */
export function findSession(sessions: SessionSummary[], id: string): SessionSummary {
  const exact = sessions.find((s) => s.id === id);
  if (exact) return exact;
  // A subagent's id is `<parent>/agent-…`: a bare prefix names the parent, not its subagents.
  const matches = sessions.filter((s) =>
    s.parentId && !id.includes('/') ? s.id.slice(s.id.lastIndexOf('/') + 1).startsWith(id) : s.id.startsWith(id),
  );
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw new UserError(`no session matches "${id}" (see ao sessions list)`);
  const some = matches
    .slice(0, 5)
    .map((s) => `  ${s.id}`)
    .join('\n');
  throw new UserError(`"${id}" matches ${matches.length} sessions; give more of the id:\n${some}`);
}

function openCacheOrNull(): SessionCache | null {
  try {
    return openSessionCache(sessionCacheDir());
  } catch {
    // A cache that cannot be opened (read-only home, corrupt file) costs speed, not correctness.
    return null;
  }
}

function parseAgents(value: string | undefined): AgentName[] | undefined {
  if (!value) return undefined;
  const names = value.split(',').map((a) => a.trim().toLowerCase());
  for (const name of names) {
    if (!(AGENTS as readonly string[]).includes(name)) {
      throw new UserError(`unknown agent "${name}": use one of ${AGENTS.join(', ')}`);
    }
  }
  return names as AgentName[];
}

/** YYYY-MM-DD (local day; `until` covers the whole day) or a full ISO timestamp. */
export function parseDate(value: string | undefined, name: string, endOfDay: boolean): number | undefined {
  if (!value) return undefined;
  const day = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  if (day) {
    const [, y, m, d] = day;
    const start = new Date(Number(y), Number(m) - 1, Number(d)).getTime();
    return endOfDay ? start + 86_400_000 - 1 : start;
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UserError(`--${name} "${value}" is not a date: use YYYY-MM-DD or an ISO timestamp`);
  return time;
}
