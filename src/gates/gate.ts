import { UserError } from '../lib/errors.js';
import { loadGates, type GatesRead } from './config.js';
import { gitState, gitUser } from './git.js';
import { runStage } from './pipeline.js';
import { decideVerdict, recordVerdict, type Decided } from './verdict.js';
import type { CheckResult, CheckSpec, GatesConfig } from './types.js';

/**
 * `ao gate run`, the pre-commit hook and the agents' stop hook all come here: read the gates,
 * run the stage, decide, record. One pipeline, so the three give the same verdict on the same work.
 */
export interface GateRunOptions {
  root: string;
  agentsDir: string;
  stage: string;
  /** The gates, when the caller has read them already; read from `root` otherwise. */
  config?: GatesConfig;
  /** Where the run happens: `cli`, `pre-commit`, `stop-hook:<agent>`, `ci`. */
  via: string;
  /** The agent session whose work is judged (stop hook). */
  author?: string;
  failFast?: boolean;
  ratchet?: boolean;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  onStart?: (check: CheckSpec) => void;
  onEnd?: (result: CheckResult) => void;
}

export interface GateRun extends Decided {
  config: GatesConfig;
}

/** The gates read, or a failure with every problem, each at its file and line. */
export function gatesOrFail(read: GatesRead): GatesConfig {
  if (read.problems.length > 0)
    throw new UserError(
      `${read.problems.length === 1 ? 'a problem' : `${read.problems.length} problems`} in gates.yaml:\n  ${read.problems.join('\n  ')}`,
    );
  return read.config;
}

export function stageOrFail(config: GatesConfig, stage: string): void {
  if (stage in config.stages) return;
  const known = Object.keys(config.stages);
  const where = config.file ? config.file : '.agents/gates.yaml (there is none: `ao init` proposes one)';
  throw new UserError(`no stage "${stage}" in ${where}${known.length > 0 ? ` (stages: ${known.join(', ')})` : ''}`);
}

export async function runGate(options: GateRunOptions): Promise<GateRun> {
  const config = options.config ?? gatesOrFail(loadGates(options.root));
  stageOrFail(config, options.stage);
  const git = gitState(options.root);
  const run = await runStage({
    root: options.root,
    config,
    stage: options.stage,
    failFast: options.failFast,
    signal: options.signal,
    env: options.env,
    onStart: options.onStart,
    onEnd: options.onEnd,
  });
  const decided = decideVerdict({
    agentsDir: options.agentsDir,
    config,
    stage: options.stage,
    checks: run.checks,
    durationMs: run.durationMs,
    git,
    judge: { by: 'ao gate', via: options.via, user: gitUser(options.root, options.env) },
    author: options.author,
    ratchet: options.ratchet,
  });
  // An interrupted run judged nothing: it is not recorded.
  if (!options.signal?.aborted) recordVerdict(options.agentsDir, decided);
  return { ...decided, config };
}
