import { closeSync, existsSync, openSync, readSync, readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { SessionBuilder, type BuilderState } from './builder.js';
import type { CachedSource, SessionCache } from './cache.js';
import { type Discovery, type Source, agentOf, discoverDefault, discoverPath } from './discover.js';
import { FORMATS } from './formats.js';
import { type LineSink, readLines } from './line-reader.js';
import type { LineFormat, ParsedSource } from './parser.js';
import { type AgentName, type ParseWarnings, type SessionDetail, type SessionSummary, emptyWarnings } from './types.js';

export interface LoadOptions {
  /** A folder or file to read instead of the agents' default places. */
  source?: string;
  agents?: readonly AgentName[];
  /** The session cache, or null to read everything afresh. */
  cache?: SessionCache | null;
  /** Called as bytes are read; `total` is what this run has to read, cached files excluded. */
  onProgress?: (done: number, total: number) => void;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export interface FileWarning extends ParseWarnings {
  path: string;
}

export interface LoadWarnings extends ParseWarnings {
  files: FileWarning[];
  unreadablePaths: string[];
}

export interface LoadStats {
  sources: number;
  cached: number;
  resumed: number;
  parsed: number;
  bytesRead: number;
}

export interface LoadResult {
  sessions: SessionSummary[];
  warnings: LoadWarnings;
  stats: LoadStats;
  roots: string[];
}

interface StoredState {
  parser: unknown;
  oversized: number;
}

const TAIL_BYTES = 32;

/** Finds every session, reading only what changed since the cache last saw it. */
export async function loadSessions(options: LoadOptions = {}): Promise<LoadResult> {
  const discovery = discover(options);
  const cache = options.cache ?? null;
  const cached = cache ? cache.all() : new Map<string, CachedSource>();
  const stats: LoadStats = { sources: discovery.sources.length, cached: 0, resumed: 0, parsed: 0, bytesRead: 0 };
  const warnings: LoadWarnings = { ...emptyWarnings(), files: [], unreadablePaths: [...discovery.unreadable] };

  // Plan first, so that progress knows the total before reading starts.
  const plans: Plan[] = [];
  for (const source of discovery.sources) {
    const plan = planSource(source, cached.get(source.path));
    if (plan) plans.push(plan);
    else warnings.unreadablePaths.push(source.path);
  }
  const total = plans.reduce((n, p) => n + (p.hit ? 0 : p.size - p.offset), 0);
  let done = 0;

  const summaries: SessionSummary[] = [];
  const freshStates = new Map<string, unknown>();
  for (const plan of plans) {
    let entry: CachedSource;
    if (plan.hit) {
      stats.cached++;
      entry = plan.hit;
    } else {
      const resumeState = plan.resume ? (cache?.state(plan.source.path) as StoredState | undefined) : undefined;
      const base = done;
      const result = await readSource(plan, resumeState, (bytes) => {
        done = base + bytes - plan.offset;
        options.onProgress?.(done, total);
      });
      done = base + plan.size - plan.offset;
      if (!result) {
        warnings.unreadablePaths.push(plan.source.path);
        continue;
      }
      if (resumeState && plan.offset > 0) stats.resumed++;
      else stats.parsed++;
      stats.bytesRead += result.entry.size - plan.offset;
      entry = result.entry;
      freshStates.set(entry.path, result.state);
      cache?.put(entry, result.state);
    }
    summaries.push(...entry.summaries);
    addWarnings(warnings, entry);
  }
  if (options.onProgress && total > 0) options.onProgress(total, total);

  const sessions = dedupeAcrossFiles(summaries, (path) => freshStates.get(path) ?? cache?.state(path));
  warnings.unreadable = warnings.unreadablePaths.length;
  return { sessions, warnings, stats, roots: discovery.roots };
}

/** Reads one session in full (timeline included), for `ao sessions show`. */
export async function loadSessionDetail(summary: SessionSummary): Promise<SessionDetail | null> {
  const source = discoverPath(summary.file).sources[0] ?? { path: summary.file, format: formatOfAgent(summary.agent) };
  const format = FORMATS[source.format];
  let parsed: ParsedSource;
  if (format.kind === 'whole') {
    parsed = await format.read({ file: source.path, detail: true });
  } else {
    const parser = format.create({ file: source.path, detail: true });
    readLines(source.path, (buf, s, e, n) => parser.line(buf.toString('utf8', s, e), n));
    parsed = parser.finish();
  }
  return parsed.details.find((d) => d.summary.id === summary.id) ?? parsed.details[0] ?? null;
}

function formatOfAgent(agent: AgentName): keyof typeof FORMATS {
  return agent === 'opencode' ? 'opencode' : agent;
}

function discover(options: LoadOptions): Discovery {
  if (options.source) return discoverPath(options.source, { agents: options.agents });
  const found = discoverDefault({ env: options.env, home: options.home, agents: options.agents });
  return found;
}

interface Plan {
  source: Source;
  fingerprint: string;
  size: number;
  /** Where reading starts: 0, or the cached offset of an appended file. */
  offset: number;
  lineNo: number;
  resume: boolean;
  /** The cached entry, when the source is unchanged. */
  hit: CachedSource | null;
}

function planSource(source: Source, prior: CachedSource | undefined): Plan | null {
  const id = identify(source);
  if (!id) return null;
  const fresh: Plan = {
    source,
    fingerprint: id.fingerprint,
    size: id.size,
    offset: 0,
    lineNo: 0,
    resume: false,
    hit: null,
  };
  if (!prior || prior.format !== source.format) return fresh;
  if (prior.fingerprint === id.fingerprint) return { ...fresh, hit: prior };
  // Same file grown, with the bytes before the old offset unchanged: resume where we stopped.
  const sameFile =
    prior.fingerprint.split(':').slice(0, 2).join(':') === id.fingerprint.split(':').slice(0, 2).join(':');
  if (FORMATS[source.format].kind === 'lines' && sameFile && id.size >= prior.offset && prior.offset > 0) {
    if (readTail(source.path, prior.offset) === prior.tail) {
      return { ...fresh, offset: prior.offset, lineNo: prior.lineNo, resume: true };
    }
  }
  return fresh;
}

function identify(source: Source): { fingerprint: string; size: number } | null {
  let st: Stats;
  try {
    st = statSync(source.path);
  } catch {
    return null;
  }
  if (st.isDirectory()) {
    const tree = treeFingerprint(source.path);
    return { fingerprint: `tree:${tree.files}:${tree.bytes}:${tree.mtime}`, size: tree.bytes };
  }
  let fingerprint = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  // SQLite in WAL mode keeps recent writes in the -wal file: it is part of the database's state.
  const wal = `${source.path}-wal`;
  if (FORMATS[source.format].kind === 'whole' && existsSync(wal)) {
    const w = statSync(wal, { throwIfNoEntry: false });
    if (w) fingerprint += `:wal:${w.size}:${w.mtimeMs}`;
  }
  return { fingerprint, size: st.size };
}

function treeFingerprint(dir: string): { files: number; bytes: number; mtime: number } {
  const acc = { files: 0, bytes: 0, mtime: 0 };
  const visit = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) {
        const st = statSync(p, { throwIfNoEntry: false });
        if (!st) continue;
        acc.files++;
        acc.bytes += st.size;
        acc.mtime = Math.max(acc.mtime, st.mtimeMs);
      }
    }
  };
  visit(dir);
  return acc;
}

function readTail(path: string, offset: number): string {
  const from = Math.max(0, offset - TAIL_BYTES);
  const buf = Buffer.alloc(offset - from);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, buf, 0, buf.length, from);
    return buf.toString('hex');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function readSource(
  plan: Plan,
  resume: StoredState | undefined,
  onBytes: (bytes: number) => void,
): Promise<{ entry: CachedSource; state: StoredState | null } | null> {
  const { source } = plan;
  const format = FORMATS[source.format];
  try {
    if (format.kind === 'whole') {
      const parsed = await format.read({ file: source.path, detail: false });
      onBytes(plan.size);
      return { entry: entryOf(plan, parsed, plan.size, 0, ''), state: null };
    }
    return readLineSource(format, plan, resume, onBytes);
  } catch {
    return null;
  }
}

function readLineSource(
  format: LineFormat,
  plan: Plan,
  resume: StoredState | undefined,
  onBytes: (bytes: number) => void,
): { entry: CachedSource; state: StoredState } {
  const path = plan.source.path;
  const useResume = plan.resume && resume !== undefined;
  const parser = format.create({ file: path, detail: false }, useResume ? resume.parser : undefined);
  const sink: LineSink = parser.bytes
    ? (buf, s, e, n) => parser.bytes?.(buf, s, e, n)
    : (buf, s, e, n) => parser.line(buf.toString('utf8', s, e), n);
  const start = useResume ? { offset: plan.offset, lineNo: plan.lineNo } : { offset: 0, lineNo: 0 };
  // Hold back an unterminated last line (the agent may be writing it): the saved state ends
  // before it, and it is read again, whole, next time. This run still counts it.
  const held = readLines(path, sink, { ...start, trailing: 'hold', onBytes });
  const oversized = (useResume ? resume.oversized : 0) + held.oversizedLines;
  const state: StoredState = JSON.parse(JSON.stringify({ parser: parser.snapshot(), oversized })) as StoredState;
  let extraOversized = 0;
  if (held.size > held.offset) {
    extraOversized = readLines(path, sink, {
      offset: held.offset,
      lineNo: held.lineNo,
      trailing: 'parse',
    }).oversizedLines;
  }
  const parsed = parser.finish();
  parsed.warnings.oversizedLines += oversized + extraOversized;
  const entry = entryOf({ ...plan, size: held.size }, parsed, held.offset, held.lineNo, readTail(path, held.offset));
  return { entry, state };
}

function entryOf(plan: Plan, parsed: ParsedSource, offset: number, lineNo: number, tail: string): CachedSource {
  return {
    path: plan.source.path,
    format: plan.source.format,
    fingerprint: plan.fingerprint,
    size: plan.size,
    offset,
    lineNo,
    tail,
    summaries: parsed.sessions,
    warnings: parsed.warnings,
  };
}

function addWarnings(into: LoadWarnings, entry: CachedSource): void {
  const w = entry.warnings;
  const any = w.malformedLines + w.unknownRecords + w.oversizedLines + w.binaryLines + w.unreadable;
  if (any === 0) return;
  into.malformedLines += w.malformedLines;
  into.unknownRecords += w.unknownRecords;
  into.oversizedLines += w.oversizedLines;
  into.binaryLines += w.binaryLines;
  into.files.push({ path: entry.path, ...w });
}

/**
 * The same Claude reply can sit in two files (a resumed session copies its history; a
 * sidechain replays its parent's messages). Each reply is counted once: in a main session
 * rather than a subagent, then in the earliest session.
 */
function dedupeAcrossFiles(sessions: SessionSummary[], stateOf: (path: string) => unknown): SessionSummary[] {
  const owner = new Map<string, number>();
  const losers = new Map<number, Set<string>>();
  const order = sessions
    .map((s, i) => i)
    .filter((i) => sessions[i]?.agent === 'claude')
    .sort((a, b) => rank(sessions[a]) - rank(sessions[b]) || a - b);
  for (const i of order) {
    const session = sessions[i];
    if (!session) continue;
    for (const key of session.replyKeys) {
      if (!owner.has(key)) owner.set(key, i);
      else {
        let set = losers.get(i);
        if (!set) losers.set(i, (set = new Set()));
        set.add(key);
      }
    }
  }
  if (losers.size === 0) return sessions;
  return sessions.map((session, i) => {
    const exclude = losers.get(i);
    if (!exclude) return session;
    const stored = stateOf(session.file) as StoredState | undefined;
    const builder = (stored?.parser as { builder?: BuilderState } | undefined)?.builder;
    if (!builder) return session;
    return new SessionBuilder({ id: session.id, agent: session.agent, file: session.file }, false, builder).toSummary(
      exclude,
    );
  });
}

function rank(session: SessionSummary | undefined): number {
  if (!session) return Infinity;
  const start = session.startedAt ? Date.parse(session.startedAt) : Number.MAX_SAFE_INTEGER / 2;
  return (session.parentId ? Number.MAX_SAFE_INTEGER / 2 : 0) + start;
}

export { agentOf };
