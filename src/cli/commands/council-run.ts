import { ExitError, UserError } from '../../lib/errors.js';
import { findWorkspace, writableAgentsDir } from '../../lib/workspace.js';
import { MIN_EVIDENCE_CHARS } from '../../gates/council/evidence.js';
import { splitJudgeSpecs } from '../../gates/council/judge-specs.js';
import { seconds } from '../../gates/council/report.js';
import { DEFAULT_JUDGE_TIMEOUT_MS, runCouncil } from '../../gates/council/run.js';
import type { CouncilResult, JudgeResult } from '../../gates/council/types.js';
import { resolveRuntime } from '../../runtimes/resolve.js';
import { bold, dim, err, out, outJson, red, table, truncateText, yellow } from '../output.js';

export interface CouncilArgs {
  preset: string;
  target: string;
  judges: string;
  perspectives?: string;
  timeout?: string;
  'max-evidence'?: string;
  json?: boolean;
}

/** How many findings the terminal shows; the report has them all. */
const SHOWN_FINDINGS = 20;

export async function runCouncilCommand(args: CouncilArgs): Promise<void> {
  const ws = findWorkspace(process.cwd());
  const specs = splitJudgeSpecs(args.judges);
  if (specs.length === 0) throw new UserError('no judges: give --judges, e.g. --judges claude,codex');
  const judges = specs.map((spec) => resolveRuntime(spec, { env: process.env }));
  const timeoutSec = numberArg(args.timeout, 'timeout', 1, 3600) ?? DEFAULT_JUDGE_TIMEOUT_MS / 1000;
  const maxEvidence = numberArg(args['max-evidence'], 'max-evidence', MIN_EVIDENCE_CHARS, 2_000_000);
  const perspectives = args.perspectives
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // Agent CLIs run in their own process groups, out of reach of the terminal's Ctrl-C: pass it on.
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  const progress = !args.json && Boolean(process.stderr.isTTY);
  let result: CouncilResult;
  try {
    result = await runCouncil({
      root: ws.root ?? process.cwd(),
      agentsDir: writableAgentsDir(ws),
      cwd: process.cwd(),
      preset: args.preset,
      target: args.target,
      judges,
      perspectives,
      maxEvidenceChars: maxEvidence,
      timeoutMs: Math.round(timeoutSec * 1000),
      signal: controller.signal,
      onJudgeDone: progress ? (judge, done, total) => err(dim(`[${done}/${total}] ${judgeLine(judge)}`)) : undefined,
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  if (args.json) outJson(result);
  else print(result);
  if (result.verdict === 'FAIL') throw new ExitError(1);
}

function print(result: CouncilResult): void {
  const colour = result.verdict === 'PASS' ? bold : result.verdict === 'WARN' ? yellow : red;
  out(
    `${bold(`council ${result.preset}`)}: ${colour(result.verdict)}${result.reason ? ` (${result.reason})` : ''} · ${result.target.description}`,
  );
  const e = result.evidence;
  const cut = e.cuts.length + e.omitted.length;
  out(
    dim(`evidence ${e.chars} characters, sha256 ${e.sha256.slice(0, 12)}${cut > 0 ? `, ${cut} cut or not shown` : ''}`),
  );
  out('');
  out(
    table(
      ['judge', 'perspective', 'verdict', 'findings', 'time'],
      result.judges.map((j) => [
        j.name,
        j.perspective,
        j.status === 'answered' ? (j.verdict ?? '') : red('failed'),
        j.status === 'answered' ? String(j.findings.length) : '-',
        seconds(j.durationMs),
      ]),
      [false, false, false, true, true],
    ),
  );
  for (const j of result.judges.filter((x) => x.status === 'failed')) {
    out(dim(`${j.name}: ${truncateText(j.error ?? 'no answer', 160)}`));
  }
  if (result.findings.length > 0) {
    out('');
    for (const f of result.findings.slice(0, SHOWN_FINDINGS)) {
      const where = f.file === null ? '' : `${f.file}${f.line === null ? '' : `:${f.line}`}  `;
      const flag = f.inEvidence ? '' : dim(' (file not in the evidence)');
      out(`${f.severity.padEnd(6)}  ${where}${truncateText(f.message, 140)}  ${dim(`(${f.judge})`)}${flag}`);
    }
    if (result.findings.length > SHOWN_FINDINGS)
      out(dim(`… ${result.findings.length - SHOWN_FINDINGS} more in the report`));
  }
  out('');
  out(`report: ${result.report}`);
}

function judgeLine(judge: JudgeResult): string {
  const what =
    judge.status === 'answered'
      ? `${judge.verdict ?? ''}, ${judge.findings.length} finding${judge.findings.length === 1 ? '' : 's'}`
      : `failed: ${truncateText(judge.error ?? 'no answer', 100)}`;
  return `${judge.name} (${judge.perspective}): ${what}, ${seconds(judge.durationMs)}`;
}

function numberArg(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UserError(`--${name} must be a number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}
