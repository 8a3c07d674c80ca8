import { sha256Hex } from '../../lib/sha256.js';
import { mkdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UserError } from '../../lib/errors.js';
import { writeFileAtomic } from '../../lib/atomic.js';
import { ensureAgentsDir } from '../../lib/workspace.js';
import type { Runtime } from '../../runtimes/runtime.js';
import { gitTry, gitUser } from '../git.js';
import { appendGateEvents } from '../ledger.js';
import { aggregateVerdict } from './aggregate.js';
import { buildEvidence, DEFAULT_MAX_EVIDENCE_CHARS } from './evidence.js';
import { runJudges, seatJudges } from './judge.js';
import { assignPerspectives, presetOf } from './presets.js';
import { JUDGE_SYSTEM, judgePrompt } from './prompt.js';
import { compareFindings, renderReport } from './report.js';
import { resolveTarget } from './target.js';
import type { CouncilEvent, CouncilResult, EvidencePacket, JudgeResult } from './types.js';

export const DEFAULT_JUDGE_TIMEOUT_MS = 300_000;

export interface CouncilOptions {
  /** The repository root: targets are read from it, paths in the report are relative to it. */
  root: string;
  /** The `.agents/` that receives the report, the evidence and the ledger line. */
  agentsDir: string;
  /** Where relative targets are looked up first; `root` by default. */
  cwd?: string;
  preset: string;
  /** A plan file, a commit range or a comma-separated list of paths. */
  target: string;
  /** One judge per runtime, in order; perspectives are dealt round-robin. */
  judges: readonly Runtime[];
  /** Perspective names to deal instead of the preset's own. */
  perspectives?: readonly string[];
  maxEvidenceChars?: number;
  /** Bound on each judge's answer. */
  timeoutMs?: number;
  /** Aborting it stops the judges; nothing is written then. */
  signal?: AbortSignal;
  /** The clock, for tests. */
  now?: () => Date;
  /** Who convened the council; git's user by default. */
  user?: string;
  onJudgeDone?: (judge: JudgeResult, done: number, total: number) => void;
}

/**
 * Convenes a council: resolves the target, freezes the evidence (written beside the report
 * before any judge sees it), asks every judge in parallel, aggregates the verdicts, writes the
 * markdown report and appends one line to the ledger. Bad input (preset, target, no judges) is a
 * `UserError`; a judge that fails is recorded as failed, never thrown.
 */
export async function runCouncil(options: CouncilOptions): Promise<CouncilResult> {
  const preset = presetOf(options.preset);
  if (options.judges.length === 0) throw new UserError('no judges: give --judges, e.g. --judges claude,codex');
  const { root, agentsDir } = options;
  const target = resolveTarget(root, options.cwd ?? root, options.target, preset.name);
  const evidence = buildEvidence(root, target, options.maxEvidenceChars ?? DEFAULT_MAX_EVIDENCE_CHARS);
  const seats = seatJudges(options.judges, assignPerspectives(preset, options.judges.length, options.perspectives));

  const clock = performance.now();
  const ts = (options.now ?? (() => new Date()))().toISOString();
  const id = sha256Hex(
    [ts, preset.name, evidence.sha256, ...seats.map((s) => `${s.name}/${s.perspective.name}`)].join('\n'),
  ).slice(0, 10);
  const base = `${ts.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${preset.name}-${id}`;
  const folder = join(agentsDir, 'council');
  ensureAgentsDir(agentsDir);
  mkdirSync(folder, { recursive: true });
  const evidenceFile = join(folder, `${base}.evidence.md`);
  writeFileAtomic(evidenceFile, evidence.text);

  let done = 0;
  const judges = await runJudges(
    seats,
    (seat) => judgePrompt(preset, seat.perspective, evidence.text),
    {
      system: JUDGE_SYSTEM,
      timeoutMs: options.timeoutMs ?? DEFAULT_JUDGE_TIMEOUT_MS,
      evidenceFiles: evidence.files,
      signal: options.signal,
    },
    (judge) => options.onJudgeDone?.(judge, ++done, seats.length),
  );
  if (options.signal?.aborted) {
    throw new UserError(`council interrupted; the evidence stays in ${relPath(root, evidenceFile)}`, { exitCode: 130 });
  }
  const aggregate = aggregateVerdict(judges);
  const reportFile = join(folder, `${base}.md`);
  const result: CouncilResult = {
    id,
    ts,
    preset: preset.name,
    target: evidence.target,
    verdict: aggregate.verdict,
    ...(aggregate.reason ? { reason: aggregate.reason } : {}),
    evidence: { ...withoutText(evidence), file: relPath(root, evidenceFile) },
    judges,
    findings: judges
      .flatMap((j) => j.findings.map((f) => ({ ...f, judge: j.name, perspective: j.perspective })))
      .sort(compareFindings),
    report: relPath(root, reportFile),
    commit: gitTry(root, ['rev-parse', '--verify', '-q', 'HEAD'])?.trim() || null,
    user: options.user ?? gitUser(root),
    durationMs: Math.round(performance.now() - clock),
  };
  writeFileAtomic(reportFile, renderReport(result, `./${base}.evidence.md`));
  appendGateEvents(agentsDir, [eventOf(result)]);
  return result;
}

function eventOf(result: CouncilResult): CouncilEvent {
  return {
    kind: 'council',
    ts: result.ts,
    id: result.id,
    preset: result.preset,
    target: result.target,
    evidence: {
      sha256: result.evidence.sha256,
      chars: result.evidence.chars,
      cuts: result.evidence.cuts.length + result.evidence.omitted.length,
      file: result.evidence.file,
    },
    judges: result.judges.map((j) => ({
      name: j.name,
      by: j.by,
      perspective: j.perspective,
      status: j.status,
      verdict: j.verdict,
      durationMs: j.durationMs,
      findings: j.findings.length,
      ...(j.error ? { error: j.error } : {}),
    })),
    verdict: result.verdict,
    ...(result.reason ? { reason: result.reason } : {}),
    report: result.report,
    commit: result.commit,
    ...(result.user ? { user: result.user } : {}),
    durationMs: result.durationMs,
  };
}

function relPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** The packet's facts, for the result and the report: its text is in its own file. */
function withoutText(packet: EvidencePacket): Omit<EvidencePacket, 'text' | 'target'> {
  const { text: _text, target: _target, ...facts } = packet;
  return facts;
}
