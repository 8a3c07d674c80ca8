import { join } from 'node:path';
import { stageChecks } from './config.js';
import { cleanOutput, extractFigures } from './figures.js';
import { runCommand, type CommandOutcome } from './process.js';
import type { CheckResult, CheckSpec, GatesConfig } from './types.js';

/**
 * Runs a stage's checks: independent ones in parallel up to `settings.parallel`, a check after the
 * checks it needs; a check whose need did not pass is skipped. Each result keeps the tail of its
 * output and the figures read from it.
 */
export interface StageOptions {
  root: string;
  config: GatesConfig;
  stage: string;
  /** Stop launching checks after the first failure; the rest are skipped. */
  failFast?: boolean;
  signal?: AbortSignal;
  /** Environment for the checks; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  onStart?: (check: CheckSpec) => void;
  onEnd?: (result: CheckResult) => void;
}

export interface StageRun {
  checks: CheckResult[];
  durationMs: number;
}

export async function runStage(options: StageOptions): Promise<StageRun> {
  const started = Date.now();
  const checks = stageChecks(options.config, options.stage);
  const results = new Map<string, CheckResult>();
  const pending = new Map(checks.map((c) => [c.name, c]));
  const running = new Map<string, Promise<void>>();
  const limit = Math.max(1, options.config.settings.parallel);
  let stopped = false;

  const skip = (check: CheckSpec, note: string): void => {
    const result = skippedResult(check, note);
    results.set(check.name, result);
    options.onEnd?.(result);
  };

  while (pending.size > 0 || running.size > 0) {
    for (const check of [...pending.values()]) {
      if (running.size >= limit) break;
      if (stopped || options.signal?.aborted) {
        pending.delete(check.name);
        skip(
          check,
          options.signal?.aborted ? 'not run: interrupted' : 'not run: an earlier check failed (--fail-fast)',
        );
        continue;
      }
      const needs = check.needs.map((n) => results.get(n));
      const failed = check.needs.find((n, i) => needs[i] && needs[i].status !== 'pass');
      if (failed) {
        pending.delete(check.name);
        skip(check, `not run: it needs ${failed}, which did not pass`);
        continue;
      }
      if (needs.some((r) => r === undefined)) continue;
      pending.delete(check.name);
      options.onStart?.(check);
      running.set(
        check.name,
        runCheck(check, options).then((result) => {
          results.set(check.name, result);
          running.delete(check.name);
          if (result.status !== 'pass' && options.failFast) stopped = true;
          options.onEnd?.(result);
        }),
      );
    }
    if (running.size === 0) {
      // Nothing runs and nothing can start: what is left waits on checks outside the stage.
      for (const check of pending.values()) skip(check, 'not run: a check it needs is not in this stage');
      pending.clear();
      break;
    }
    await Promise.race(running.values());
  }
  return { checks: checks.map((c) => results.get(c.name)!), durationMs: Date.now() - started };
}

async function runCheck(check: CheckSpec, options: StageOptions): Promise<CheckResult> {
  const cwd = check.cwd ? join(options.root, check.cwd) : options.root;
  const outcome = await runCommand({
    command: check.command,
    cwd,
    env: { ...(options.env ?? process.env), ...check.env, AO_GATE_STAGE: options.stage, AO_GATE_CHECK: check.name },
    timeoutMs: check.timeoutMs,
    signal: options.signal,
  });
  return resultOf(check, outcome, cwd, options.config.settings.outputChars);
}

export function resultOf(check: CheckSpec, outcome: CommandOutcome, cwd: string, outputChars: number): CheckResult {
  const output = cleanOutput(outcome.output);
  const notes: string[] = [];
  let figures: Record<string, number> = {};
  const status = outcome.spawnError
    ? 'error'
    : outcome.timedOut
      ? 'timeout'
      : outcome.aborted
        ? 'error'
        : outcome.exitCode === 0
          ? 'pass'
          : 'fail';
  if (outcome.spawnError) notes.push(`could not start: ${outcome.spawnError}`);
  if (outcome.timedOut)
    notes.push(`killed after ${Math.round(check.timeoutMs / 1000)} s (timeout), with its process group`);
  if (outcome.aborted && !outcome.timedOut) notes.push('interrupted');
  // A check cut short measured nothing trustworthy.
  if ((status === 'pass' || status === 'fail') && check.figures.length > 0) {
    const read = extractFigures(check.figures, output, cwd);
    figures = read.figures;
    notes.push(...read.notes);
  }
  if (outcome.outputBytes > outcome.output.length + 16 || output.length > outputChars)
    notes.push(
      `output: ${outcome.outputBytes} bytes, the last ${Math.min(outputChars, output.length)} characters kept`,
    );
  return {
    name: check.name,
    command: check.command,
    status,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    durationMs: outcome.durationMs,
    outputTail: tailOf(output, outputChars),
    outputBytes: outcome.outputBytes,
    figures,
    notes,
  };
}

function skippedResult(check: CheckSpec, note: string): CheckResult {
  return {
    name: check.name,
    command: check.command,
    status: 'skipped',
    exitCode: null,
    signal: null,
    durationMs: 0,
    outputTail: '',
    outputBytes: 0,
    figures: {},
    notes: [note],
  };
}

function tailOf(text: string, max: number): string {
  const t = text.trimEnd();
  if (t.length <= max) return t;
  const cut = t.slice(t.length - max);
  const nl = cut.indexOf('\n');
  return `…${nl >= 0 && nl < 200 ? cut.slice(nl) : cut}`;
}
