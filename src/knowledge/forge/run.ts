import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { loadSessionDetail } from '../../sessions/load.js';
import type { SessionSummary } from '../../sessions/types.js';
import type { Runtime } from '../../runtimes/runtime.js';
import { findCitations } from '../cite.js';
import { gateCandidate, type GateDecision, type Neighbour } from '../gate.js';
import { mintId } from '../id.js';
import { appendEvents, nowIso, type CiteEvent, type InjectEvent, type LedgerEvent } from '../ledger.js';
import { redact, redactValue } from '../redact.js';
import { saveLearning } from '../store.js';
import type { Candidate, Learning } from '../types.js';
import { extractCandidates } from './extract.js';
import { extractWithRuntime } from './llm-extract.js';

/**
 * The forge pipeline for a set of sessions: extract candidates, redact them, gate them against
 * the store, then write the accepted ones to `learnings/`, the held ones to `review/`, and a
 * forge event per session to the ledger; citations found in the same sessions go there too.
 * Nothing from a transcript is written before `redact` has seen it.
 */
export interface ForgeDeps {
  /** The `.agents/` folder written to. */
  agents: string;
  /** Stored learnings nearest to a text (from the index), for the gate's novelty check. */
  neighbours(text: string): Neighbour[];
  /** Every stored learning, for citations. */
  learnings: ReadonlyMap<string, Pick<Learning, 'id' | 'title' | 'body'> & { sessions?: string[] }>;
  injections: readonly InjectEvent[];
  /** `${id}\0${session}` pairs already cited. */
  alreadyCited: ReadonlySet<string>;
  /** Ledger keys of sessions forged before, with the transcript fingerprint they had. */
  forged: ReadonlyMap<string, string>;
  runtime?: Runtime | undefined;
  projectRoot?: string | undefined;
  dryRun?: boolean | undefined;
  /** Forge sessions again even when their transcript has not changed. */
  again?: boolean | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface CandidateReport {
  session: string;
  title: string;
  type: string;
  extractor: string;
  verdict: GateDecision['verdict'];
  score: number;
  scores: GateDecision['scores'];
  reasons: string[];
  /** The learning written (accepted or held), or the one it duplicates (merged). */
  id: string | null;
  duplicateOf: string | null;
  source: Candidate['source'];
}

export interface ForgeReport {
  sessions: { id: string; agent: string; file: string; candidates: number; skipped?: string }[];
  candidates: CandidateReport[];
  citations: CiteEvent[];
  problems: string[];
  counts: {
    sessions: number;
    skipped: number;
    candidates: number;
    accepted: number;
    held: number;
    merged: number;
    rejected: number;
    citations: number;
  };
}

export function sessionKey(s: Pick<SessionSummary, 'id' | 'file'>): string {
  return `${s.id}@${displayPath(s.file)}`;
}

/** A transcript path as recorded: under the home folder as `~/...`, never the user's name. */
export function displayPath(file: string): string {
  const home = homedir();
  return home && file.startsWith(`${home}/`) ? `~/${file.slice(home.length + 1)}` : file;
}

function fingerprintOf(file: string): string {
  try {
    const st = statSync(file);
    return `${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    return 'missing';
  }
}

export async function forgeSessions(summaries: readonly SessionSummary[], deps: ForgeDeps): Promise<ForgeReport> {
  const report: ForgeReport = {
    sessions: [],
    candidates: [],
    citations: [],
    problems: [],
    counts: { sessions: 0, skipped: 0, candidates: 0, accepted: 0, held: 0, merged: 0, rejected: 0, citations: 0 },
  };
  const earlier: Neighbour[] = [];
  let done = 0;
  for (const summary of summaries) {
    deps.onProgress?.(done++, summaries.length);
    const key = sessionKey(summary);
    const fingerprint = fingerprintOf(summary.file);
    if (!deps.again && deps.forged.get(key) === fingerprint) {
      report.sessions.push({
        id: summary.id,
        agent: summary.agent,
        file: displayPath(summary.file),
        candidates: 0,
        skipped: 'forged before, unchanged',
      });
      report.counts.skipped++;
      continue;
    }
    const detail = await loadSessionDetail(summary);
    if (!detail) {
      report.problems.push(`${displayPath(summary.file)}: session ${summary.id} could not be read again`);
      continue;
    }
    report.counts.sessions++;
    let candidates = extractCandidates(detail, { projectRoot: deps.projectRoot });
    if (deps.runtime) {
      const llm = await extractWithRuntime(detail, deps.runtime, { projectRoot: deps.projectRoot });
      candidates = [...candidates, ...llm.candidates];
      for (const p of llm.problems) report.problems.push(`${summary.id}: ${deps.runtime.name}: ${p}`);
    }
    const events: LedgerEvent[] = [];
    const accepted: string[] = [];
    const merged: string[] = [];
    let held = 0;
    let rejected = 0;
    for (const raw of candidates) {
      const c = cleanCandidate(raw, summary.file);
      const decision = gateCandidate(c, deps.neighbours(`${c.title}\n${c.body.slice(0, 600)}`), earlier);
      const learning = toLearning(c);
      let id: string | null = null;
      if (decision.verdict === 'accept') {
        id = learning.id;
        if (!deps.dryRun && saveLearning(deps.agents, learning).created)
          events.push({ kind: 'add', ts: nowIso(), id, via: `forge:${c.extractor}` });
        accepted.push(id);
        earlier.push({ id, title: learning.title, body: learning.body });
      } else if (decision.verdict === 'hold') {
        id = learning.id;
        const gate = {
          score: decision.score,
          reasons: decision.reasons,
          extractor: c.extractor,
          ...(decision.duplicateOf ? { resembles: decision.duplicateOf } : {}),
        };
        if (!deps.dryRun)
          saveLearning(deps.agents, { ...learning, extra: { ...learning.extra, gate } }, { folder: 'review' });
        held++;
        earlier.push({ id, title: learning.title, body: learning.body });
      } else if (decision.verdict === 'merge' && decision.duplicateOf) {
        id = decision.duplicateOf;
        merged.push(id);
        // Seen again in another session: evidence that it recurs. The same session forged again is not new evidence.
        const known = deps.learnings.get(id);
        const sameSession = earlier.some((e) => e.id === id) || known?.sessions?.includes(summary.id);
        if (!sameSession && deps.learnings.has(id)) {
          events.push({
            kind: 'feedback',
            ts: nowIso(),
            id,
            helpful: true,
            by: 'forge',
            note: `seen again in session ${summary.id}`,
          });
        }
      } else rejected++;
      report.candidates.push({
        session: summary.id,
        title: c.title,
        type: c.type,
        extractor: c.extractor,
        verdict: decision.verdict,
        score: decision.score,
        scores: decision.scores,
        reasons: decision.reasons,
        id,
        duplicateOf: decision.duplicateOf,
        source: c.source,
      });
    }
    const cites = findCitations({
      detail,
      learnings: deps.learnings,
      injections: deps.injections,
      alreadyCited: deps.alreadyCited,
      now: nowIso(),
    });
    for (const cite of cites) events.push(cite);
    report.citations.push(...cites);
    events.push({
      kind: 'forge',
      ts: nowIso(),
      session: summary.id,
      agent: summary.agent,
      transcript: displayPath(summary.file),
      fingerprint,
      candidates: candidates.length,
      accepted,
      merged,
      held,
      rejected,
    });
    if (!deps.dryRun) appendEvents(deps.agents, events);
    report.sessions.push({
      id: summary.id,
      agent: summary.agent,
      file: displayPath(summary.file),
      candidates: candidates.length,
    });
    const counts = report.counts;
    counts.candidates += candidates.length;
    counts.accepted += accepted.length;
    counts.held += held;
    counts.merged += merged.length;
    counts.rejected += rejected;
    counts.citations += cites.length;
  }
  deps.onProgress?.(summaries.length, summaries.length);
  return report;
}

/** Redacts every field of a candidate and records the transcript without the home folder. */
function cleanCandidate(c: Candidate, file: string): Candidate {
  const clean = redactValue(c);
  clean.title = redact(clean.title).text.replace(/\s+/g, ' ').trim();
  clean.source = { ...clean.source, transcript: displayPath(c.source.transcript ?? file) };
  return clean;
}

function toLearning(c: Candidate): Learning {
  return {
    id: mintId(c.title, c.body),
    title: c.title,
    type: c.type,
    tags: c.tags,
    scope: c.scope,
    source: c.source,
    created: nowIso(),
    confidence: c.confidence,
    supersedes: [],
    expires: null,
    body: c.body,
    extra: { extractor: c.extractor },
  };
}
