import { existsSync, readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { BuilderState } from './builder.js';
import { type DedupeInput, anyRepeated, dedupeAcrossFiles, hashKeys } from './dedupe.js';
import { type CachedSource, type SessionCache, keyHashesOf } from './cache.js';
import {
  type Discovery,
  type KnownFormat,
  type Source,
  agentOf,
  discoverDefault,
  discoverPath,
  sniffPending,
} from './discover.js';
import { FORMAT_KIND, type FormatId } from './format-ids.js';
import type { ParsedSource } from './parser.js';
import type { ReadJob, ReadResult, StoredState } from './read-source.js';
import { readTail } from './tail.js';
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

/** Finds every session, reading only what changed since the cache last saw it. */
export async function loadSessions(options: LoadOptions = {}): Promise<LoadResult> {
  const cache = options.cache ?? null;
  const cached = cache ? cache.all() : new Map<string, CachedSource>();
  // An unchanged file keeps the format it was read as: no need to sniff it again.
  const statOf = new Map<string, Stat>();
  const known = (path: string): FormatId | undefined => {
    const prior = cached.get(path);
    if (!prior) return undefined;
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return undefined;
    // A database's fingerprint also carries its -wal file; the file's own part decides here.
    const own = fileFingerprint(st);
    statOf.set(path, { st, own });
    return prior.fingerprint === own || prior.fingerprint.startsWith(`${own}:wal:`)
      ? (prior.format as FormatId)
      : undefined;
  };
  const discovery = discover(options, known);
  // Parsers load only when something must be sniffed or parsed: a warm run needs none of them.
  if (discovery.pending.length > 0) sniffPending(discovery, (await import('./formats.js')).sniffHead);
  if (options.agents) {
    const want = new Set(options.agents);
    discovery.sources = discovery.sources.filter((s) => want.has(agentOf(s.format)));
  }
  const stats: LoadStats = { sources: discovery.sources.length, cached: 0, resumed: 0, parsed: 0, bytesRead: 0 };
  const warnings: LoadWarnings = { ...emptyWarnings(), files: [], unreadablePaths: [...discovery.unreadable] };

  // Plan first, so that progress knows the total before reading starts.
  const plans: Plan[] = [];
  for (const source of discovery.sources) {
    const plan = planSource(source, cached.get(source.path), statOf.get(source.path));
    if (plan) plans.push(plan);
    else warnings.unreadablePaths.push(source.path);
  }
  const total = plans.reduce((n, p) => n + (p.hit ? 0 : p.size - p.offset), 0);
  let done = 0;

  const jobs: ReadJob[] = [];
  for (const plan of plans) {
    if (plan.hit) continue;
    const resume = plan.resume ? (cache?.state(plan.source.path, plan.offset) as StoredState | undefined) : undefined;
    jobs.push({
      source: plan.source,
      fingerprint: plan.fingerprint,
      size: plan.size,
      offset: resume ? plan.offset : 0,
      lineNo: resume ? plan.lineNo : 0,
      resume,
    });
  }
  const progress = new Array<number>(jobs.length).fill(0);
  // The read pool (and the parsers behind it) loads only when something must be read.
  const { readAll } = jobs.length > 0 ? await import('./read-pool.js') : { readAll: () => Promise.resolve([]) };
  const results: (ReadResult | null)[] = await readAll(jobs, (index, bytes) => {
    const job = jobs[index];
    if (!job || !options.onProgress) return;
    done += bytes - job.offset - (progress[index] ?? 0);
    progress[index] = bytes - job.offset;
    options.onProgress(done, total);
  });

  // Sorting every reply hash takes milliseconds: unchanged files checked together before are not
  // checked again (see CachedSource.distinctGroup), and their hashes are not even unpacked.
  const group = plans[0]?.hit?.distinctGroup;
  const distinct = jobs.length === 0 && group !== undefined && plans.every((p) => p.hit?.distinctGroup === group);
  const found: DedupeInput[] = [];
  const freshStates = new Map<string, StoredState | null>();
  for (const plan of plans) {
    if (plan.hit) {
      stats.cached++;
      plan.hit.summaries.forEach((session, i) =>
        found.push({ session, hashes: i === 0 && !distinct ? keyHashesOf(plan.hit!) : NO_KEYS }),
      );
      addWarnings(warnings, plan.hit);
    }
  }
  jobs.forEach((job, i) => {
    const result = results[i];
    if (!result) {
      warnings.unreadablePaths.push(job.source.path);
      return;
    }
    if (job.resume) stats.resumed++;
    else stats.parsed++;
    stats.bytesRead += result.entry.size - job.offset;
    freshStates.set(result.entry.path, result.state);
    cache?.put(result.entry, result.state);
    for (const session of result.entry.summaries) found.push({ session, hashes: hashKeys(session.replyKeys) });
    addWarnings(warnings, result.entry);
  });
  if (options.onProgress && total > 0) options.onProgress(total, total);

  const repeated = !distinct && anyRepeated(found);
  if (cache && !distinct && !repeated) cache.markDistinct(checkedSources(plans, results));
  const sessions = dedupeSameSession(
    repeated ? await dedupeWithStates(found, plans, results, freshStates, cache) : found.map((x) => x.session),
  );
  warnings.unreadable = warnings.unreadablePaths.length;
  return { sessions, warnings, stats, roots: discovery.roots };
}

/** Reads one session in full (timeline included), for `ao sessions show`. */
export async function loadSessionDetail(summary: SessionSummary): Promise<SessionDetail | null> {
  const { FORMATS, sniffHead } = await import('./formats.js');
  const found = discoverPath(summary.file);
  sniffPending(found, sniffHead);
  const source = found.sources[0] ?? { path: summary.file, format: formatOfAgent(summary.agent) };
  const format = FORMATS[source.format];
  let parsed: ParsedSource;
  if (format.kind === 'whole') {
    parsed = await format.read({ file: source.path, detail: true });
  } else {
    const { readLines } = await import('./line-reader.js');
    const parser = format.create({ file: source.path, detail: true });
    readLines(source.path, (buf, s, e, n) => parser.line(buf.toString('utf8', s, e), n));
    parsed = parser.finish();
  }
  return parsed.details.find((d) => d.summary.id === summary.id) ?? parsed.details[0] ?? null;
}

function formatOfAgent(agent: AgentName): FormatId {
  return agent === 'opencode' ? 'opencode' : agent;
}

function discover(options: LoadOptions, known: KnownFormat): Discovery {
  const listings = options.cache?.listings();
  if (options.source) return discoverPath(options.source, { known, listings });
  return discoverDefault({ env: options.env, home: options.home, agents: options.agents, listings });
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

/** A stat taken while discovering, with the file's own fingerprint. */
interface Stat {
  st: Stats;
  own: string;
}

function planSource(source: Source, prior: CachedSource | undefined, st: Stat | undefined): Plan | null {
  const id = identify(source, st);
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
  if (FORMAT_KIND[source.format] === 'lines' && sameFile && id.size >= prior.offset && prior.offset > 0) {
    if (readTail(source.path, prior.offset) === prior.tail) {
      return { ...fresh, offset: prior.offset, lineNo: prior.lineNo, resume: true };
    }
  }
  return fresh;
}

/** A file's identity for the cache: same device, inode, size and mtime means unchanged. */
function fileFingerprint(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
}

function identify(source: Source, known?: Stat): { fingerprint: string; size: number } | null {
  let st: Stats;
  try {
    st = known?.st ?? statSync(source.path);
  } catch {
    return null;
  }
  if (st.isDirectory()) {
    const tree = treeFingerprint(source.path);
    return { fingerprint: `tree:${tree.files}:${tree.bytes}:${tree.mtime}`, size: tree.bytes };
  }
  let fingerprint = known?.own ?? fileFingerprint(st);
  // SQLite in WAL mode keeps recent writes in the -wal file: it is part of the database's state.
  const wal = `${source.path}-wal`;
  if (FORMAT_KIND[source.format] === 'whole' && existsSync(wal)) {
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

const NO_KEYS = new Uint32Array(0);

/** Cross-file de-duplication, with the parser states it rebuilds losing sessions from. */
async function dedupeWithStates(
  found: DedupeInput[],
  plans: Plan[],
  results: (ReadResult | null)[],
  freshStates: Map<string, StoredState | null>,
  cache: SessionCache | null,
): Promise<SessionSummary[]> {
  const { readWholeState } = await import('./read-source.js');
  const entries = new Map<string, CachedSource>();
  for (const plan of plans) if (plan.hit) entries.set(plan.source.path, plan.hit);
  for (const r of results) if (r) entries.set(r.entry.path, r.entry);
  const stateOf = (path: string): BuilderState | undefined => {
    const entry = entries.get(path);
    // The saved state stops before an unterminated last line; rebuild from the whole file then.
    const parser =
      entry && entry.offset < entry.size
        ? readWholeState({ path, format: entry.format as FormatId })
        : (
            (freshStates.has(path) ? freshStates.get(path) : entry && cache?.state(path, entry.offset)) as
              | StoredState
              | undefined
          )?.parser;
    return (parser as { builder?: BuilderState } | undefined)?.builder;
  };
  return dedupeAcrossFiles(found, stateOf);
}

/** The sources whose sessions were found, as fingerprinted: what the repeat check covered. */
function checkedSources(plans: Plan[], results: (ReadResult | null)[]): { path: string; fingerprint: string }[] {
  const out: { path: string; fingerprint: string }[] = [];
  let job = 0;
  for (const plan of plans) {
    // Jobs were made from the plans that were not hits, in order; a source not read is left out.
    if (!plan.hit && !results[job++]) continue;
    out.push({ path: plan.source.path, fingerprint: plan.fingerprint });
  }
  return out;
}

/**
 * An OpenCode session read from two sources (the database and the legacy tree it migrated
 * from) is listed once: the copy with more replies, then the later end, wins. Other agents
 * keep one file per session, and two files are two transcripts whatever ids they carry.
 */
function dedupeSameSession(sessions: SessionSummary[]): SessionSummary[] {
  const best = new Map<string, SessionSummary>();
  for (const s of sessions) {
    if (s.agent !== 'opencode') continue;
    const key = s.id;
    const prior = best.get(key);
    if (!prior || s.turns > prior.turns || (s.turns === prior.turns && (s.endedAt ?? '') > (prior.endedAt ?? ''))) {
      best.set(key, s);
    }
  }
  return sessions.filter((s) => s.agent !== 'opencode' || best.get(s.id) === s);
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

export { agentOf };
