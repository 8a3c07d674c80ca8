import { type Change, type ChangeSpec, readChange } from '../../gates/change.js';
import { ratchetMoves } from '../../gates/ratchet.js';
import { loadGates } from '../../gates/config.js';
import { DEFAULT_RISK, type RiskConfig, type RiskReport, scoreRisk } from '../../gates/risk.js';
import type { RatchetMove } from '../../gates/types.js';
import { ExitError, UserError } from '../../lib/errors.js';
import { findWorkspace } from '../../lib/workspace.js';
import { bold, dim, err, out, outJson, table, yellow } from '../output.js';

export interface RiskOptions {
  range?: string;
  staged?: boolean;
  worktree?: boolean;
  /** Exit 1 when the change needs a person's sign-off. */
  strict?: boolean;
  json?: boolean;
  cwd?: string;
}

/** `ao risk [range]`: reads the change, scores it, prints why, and with --strict fails on sign-off. */
export function runRisk(args: RiskOptions): void {
  const change = readChange(args.cwd ?? process.cwd(), specOf(args));
  const config = riskConfigOf(change.root);
  const report = scoreRisk(change.files, movesOf(change), config);
  if (args.json) outJson(jsonOf(change, report));
  else print(change, report);
  if (args.strict && report.decision === 'sign-off') throw new ExitError(1);
}

/** The `risk:` section of gates.yaml over the defaults; a gates file with problems is warned about, not fatal. */
function riskConfigOf(root: string): RiskConfig {
  const read = loadGates(root);
  for (const p of read.problems) err(yellow(`warning: ${p}`));
  const { threshold, sensitive, signOff } = read.risk;
  return {
    threshold: threshold ?? DEFAULT_RISK.threshold,
    sensitive: sensitive ?? DEFAULT_RISK.sensitive,
    signOff: signOff ?? DEFAULT_RISK.signOff,
  };
}

function specOf(args: RiskOptions): ChangeSpec {
  const range = args.range?.trim() || undefined;
  const chosen = [range !== undefined && 'a range', args.staged && '--staged', args.worktree && '--worktree'].filter(
    Boolean,
  );
  if (chosen.length > 1)
    throw new UserError(`give one of a range, --staged or --worktree, not ${chosen.join(' and ')}`);
  if (args.staged) return { kind: 'staged' };
  if (args.worktree) return { kind: 'worktree' };
  return { kind: 'range', range };
}

/**
 * The ratchet's movements recorded for the change's commits. Uncommitted work is judged on top of
 * HEAD (the stop hook's verdicts carry HEAD and `dirty`), so HEAD's movements stand for it.
 */
function movesOf(change: Change): RatchetMove[] {
  const agents = findWorkspace(change.root).repoAgents;
  if (!agents) return [];
  const commits = change.head === null ? (change.base ? [change.base] : []) : change.commits;
  if (commits.length === 0) return [];
  return ratchetMoves(agents, new Set(commits));
}

function jsonOf(change: Change, report: RiskReport): unknown {
  return {
    range: change.range,
    base: change.base,
    head: change.head,
    commits: change.commits,
    files: change.files,
    score: report.score,
    threshold: report.threshold,
    decision: report.decision,
    factors: report.factors,
    triggers: report.triggers,
    reasons: report.reasons,
  };
}

function print(change: Change, report: RiskReport): void {
  const commits = change.head === null ? 'uncommitted' : `${change.commits.length} commit${plural(change.commits)}`;
  out(`${bold(change.range)}: ${commits}, ${change.files.length} file${plural(change.files)}`);
  out('');
  const rows = report.factors.map((f) => [f.name, f.points > 0 ? `+${f.points}` : String(f.points), f.why]);
  out(table(['factor', 'points', 'why'], rows, [false, true, false]));
  out('');
  out(`score ${bold(String(report.score))} of 100 ${dim(`(sign-off at ${report.threshold})`)}`);
  if (report.decision === 'gates') out(`${bold('gates')}: may merge on gates alone`);
  else out(`${bold(yellow('sign-off'))}: needs a person's sign-off`);
  for (const reason of report.reasons) out(`  - ${reason}`);
}

function plural(items: readonly unknown[]): string {
  return items.length === 1 ? '' : 's';
}
