/**
 * The validation pipeline's neutral types: what `.agents/gates.yaml` declares (checks, the figures
 * they measure, stages), what a run of a stage yields (a verdict), and the ledger events of gates,
 * the ratchet and councils.
 */

/** Which way a figure improves. */
export type Better = 'higher' | 'lower';

/**
 * One number a check measures, read from its output (ANSI codes removed) or from a file it writes.
 * Exactly one of `pattern`, `count` and `json` is set.
 */
export interface FigureSpec {
  /** Unique within its check; the ratchet knows it as `<check>.<name>`. */
  name: string;
  /** A regular expression: the number is its first capture group (or the whole match) at the last match. */
  pattern?: string;
  /** With `pattern`: the sum over every match instead of the last one. */
  sum?: boolean;
  /** A regular expression (multiline): the figure is how many lines match it. */
  count?: string;
  /** A dotted path (`total.lines.pct`, `results.0.errors`) into JSON: `file`, or else the last JSON object or array the check printed. */
  json?: string;
  /** With `json`: a file the check writes, relative to the check's folder. */
  file?: string;
  /** The value when the check ran but nothing matched (a clean linter prints nothing); without it the figure is absent. */
  default?: number;
  better: Better;
}

export interface CheckSpec {
  name: string;
  /** Run by `/bin/sh -c` in its own process group. */
  command: string;
  timeoutMs: number;
  /** Relative to the repository root; the root when absent. */
  cwd?: string;
  env?: Record<string, string>;
  /** Checks that must pass first; a check whose need failed is skipped. */
  needs: string[];
  figures: FigureSpec[];
}

export interface GatesSettings {
  /** How many checks run at once. */
  parallel: number;
  /** Characters of each check's output kept in the ledger (the tail). */
  outputChars: number;
  /** How many times the stop hook sends an agent back to work before it lets it stop. */
  stopRetries: number;
}

export interface GatesConfig {
  /** The file read, or null when the repository has none. */
  file: string | null;
  checks: Record<string, CheckSpec>;
  /** Stage name → its checks' names, in the order written. */
  stages: Record<string, string[]>;
  settings: GatesSettings;
}

/** How a check ended. `skipped`: a check it needs failed, or the run stopped early. */
export type CheckStatus = 'pass' | 'fail' | 'timeout' | 'error' | 'skipped';

export interface CheckResult {
  name: string;
  command: string;
  status: CheckStatus;
  /** Null when it did not exit by itself (killed, never started). */
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** The last `outputChars` characters of stdout and stderr interleaved, ANSI codes removed. */
  outputTail: string;
  /** Bytes the check printed in all; more than the tail means the tail was cut. */
  outputBytes: number;
  figures: Record<string, number>;
  /** Why a figure could not be read, a spawn failure, a skip. */
  notes: string[];
}

/** Who ran the checks: never the session whose work is judged. */
export interface Judge {
  /** `ao gate` for the pipeline, a runtime name for a council judge. */
  by: string;
  /** Where it ran: `cli`, `pre-commit`, `stop-hook:<agent>`, `ci`. */
  via: string;
  /** The person or machine account (git user.email, else $USER), when known. */
  user?: string;
}

export interface VerdictEvent {
  kind: 'verdict';
  ts: string;
  /** Short content hash, for reports and `ao ratchet allow`. */
  id: string;
  stage: string;
  verdict: 'pass' | 'fail';
  /** HEAD when the checks ran (null before the first commit), and whether the work tree differed from it. */
  commit: string | null;
  branch: string | null;
  dirty: boolean;
  checks: CheckResult[];
  /** Figures that moved backward against the ratchet (they fail the verdict unless allowed). */
  regressions: RatchetRegression[];
  judge: Judge;
  /** The agent session whose work was judged, when the stop hook ran the stage. */
  author?: string;
  durationMs: number;
}

/** A figure that moved backward. */
export interface RatchetRegression {
  /** `<check>.<figure>` */
  figure: string;
  locked: number;
  value: number;
  better: Better;
  /** The commit the locked value was measured on. */
  lockedAt: string | null;
}

/** The ratchet's memory: the value a figure may not go back from. */
export interface RatchetLockEvent {
  kind: 'ratchet-lock';
  ts: string;
  figure: string;
  value: number;
  better: Better;
  commit: string | null;
  /** The verdict that measured it. */
  verdict: string;
}

/** An explicit, attributed permission for one figure to move backward once. */
export interface RatchetAllowEvent {
  kind: 'ratchet-allow';
  ts: string;
  figure: string;
  reason: string;
  by: string;
  commit: string | null;
}

export type RatchetEvent = RatchetLockEvent | RatchetAllowEvent;

/** A figure's movement, for `ao risk`: locked from → to, and whether an allow let it through. */
export interface RatchetMove {
  figure: string;
  from: number;
  to: number;
  better: Better;
  commit: string | null;
  /** `regressed`: blocked by the ratchet; `allowed`: moved backward with a recorded reason. */
  kind: 'improved' | 'regressed' | 'allowed';
  reason?: string;
}
