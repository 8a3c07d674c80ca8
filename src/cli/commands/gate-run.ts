import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CI_FILES, CI_PROVIDERS, ciJob, type CiProvider } from '../../gates/ci.js';
import { loadGates, stageChecks } from '../../gates/config.js';
import { gatesOrFail, runGate, stageOrFail } from '../../gates/gate.js';
import { installPreCommit, preCommitInstalled, uninstallPreCommit } from '../../gates/install.js';
import type { CheckResult, VerdictEvent } from '../../gates/types.js';
import { writeFileAtomic } from '../../lib/atomic.js';
import { ExitError, UserError } from '../../lib/errors.js';
import { readManifest } from '../../lib/tracked.js';
import { repoOrFail } from '../repo.js';
import { bold, dim, err, out, outJson, red, table } from '../output.js';

export async function runGateCommand(args: {
  stage: string;
  via?: string;
  'fail-fast'?: boolean;
  ratchet?: boolean;
  json?: boolean;
}): Promise<void> {
  const { root, agentsDir } = repoOrFail('the gates belong to one');
  const read = loadGates(root);
  if (args.via === 'pre-commit' && !(args.stage in read.config.stages)) {
    // The hook is there before the stage: nothing to judge yet is not a reason to refuse a commit.
    err(`ao gate: gates.yaml has no ${args.stage} stage; nothing checked`);
    return;
  }
  const config = gatesOrFail(read);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const quiet = Boolean(args.json);
  let done = 0;
  let run;
  try {
    run = await runGate({
      root,
      agentsDir,
      config,
      stage: args.stage,
      via: args.via ?? 'cli',
      failFast: args['fail-fast'],
      ratchet: args.ratchet !== false,
      signal: controller.signal,
      onStart: (check) => {
        if (!quiet) err(dim(`  … ${check.name}: ${check.command}`));
      },
      onEnd: (result) => {
        done++;
        if (!quiet) err(`  ${checkLine(result)}${dim(` (${done} done)`)}`);
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (controller.signal.aborted) {
    err('ao gate: interrupted; the checks were stopped and nothing was recorded');
    throw new ExitError(130);
  }
  const { event, ratchet } = run;
  if (args.json) {
    outJson({
      verdict: event.verdict,
      id: event.id,
      stage: event.stage,
      commit: event.commit,
      dirty: event.dirty,
      checks: event.checks,
      regressions: event.regressions,
      allowed: ratchet.allowed.map((a) => ({
        figure: a.figure,
        locked: a.locked,
        value: a.value,
        reason: a.allow.reason,
        by: a.allow.by,
      })),
      judge: event.judge,
      durationMs: event.durationMs,
    });
  } else printVerdict(event, ratchet.allowed, root, agentsDir);
  if (event.verdict === 'fail') throw new ExitError(1);
}

function checkLine(r: CheckResult): string {
  const secs = `${(r.durationMs / 1000).toFixed(1)}s`;
  switch (r.status) {
    case 'pass':
      return `✓ ${r.name}  ${dim(secs)}`;
    case 'fail':
      return `${red('✗')} ${r.name}  ${dim(secs)}  exit ${r.exitCode ?? r.signal}`;
    case 'timeout':
      return `${red('✗')} ${r.name}  ${dim(secs)}  timed out`;
    case 'error':
      return `${red('✗')} ${r.name}  ${r.notes[0] ?? 'error'}`;
    case 'skipped':
      return `- ${r.name}  ${dim(r.notes[0] ?? 'skipped')}`;
  }
}

const SHOWN_LINES = 30;

function printVerdict(
  event: VerdictEvent,
  allowed: { figure: string; locked: number; value: number; allow: { reason: string; by: string } }[],
  root: string,
  agentsDir: string,
): void {
  const where = event.commit
    ? `${event.commit.slice(0, 10)}${event.dirty ? ' + uncommitted changes' : ''}`
    : 'no commit yet';
  out(`${bold(`stage ${event.stage}`)} on ${where}`);
  for (const c of event.checks) {
    out(`  ${checkLine(c)}`);
    const figures = Object.entries(c.figures);
    if (figures.length > 0) out(dim(`      ${figures.map(([k, v]) => `${k} ${v}`).join(', ')}`));
    for (const note of c.notes.slice(c.status === 'skipped' || c.status === 'error' ? 1 : 0)) out(dim(`      ${note}`));
  }
  for (const r of event.regressions)
    out(
      `  ${red('✗')} ratchet: ${r.figure} ${r.locked} → ${r.value} (${r.better} is better; locked${r.lockedAt ? ` at ${r.lockedAt.slice(0, 10)}` : ''})`,
    );
  for (const a of allowed)
    out(`  ! ratchet: ${a.figure} ${a.locked} → ${a.value} allowed by ${a.allow.by}: ${a.allow.reason}`);
  for (const c of event.checks) {
    if (c.status !== 'fail' && c.status !== 'timeout') continue;
    const lines = c.outputTail.split('\n');
    out('');
    out(bold(`${c.name}: the last ${Math.min(SHOWN_LINES, lines.length)} lines`));
    out(lines.slice(-SHOWN_LINES).join('\n'));
  }
  out('');
  const ledger = relative(root, join(agentsDir, 'ledger', 'verdicts.jsonl'));
  const verdict = event.verdict === 'pass' ? bold('PASS') : red(bold('FAIL'));
  out(`${verdict}  ${event.id}  ${dim(`${(event.durationMs / 1000).toFixed(1)}s, recorded in ${ledger}`)}`);
  if (event.regressions.length > 0)
    out(dim('A figure may go back only with a recorded reason: ao ratchet allow <figure> --reason "…"'));
}

export function listGates(args: { json?: boolean }): void {
  const { root } = repoOrFail('the gates belong to one');
  const read = loadGates(root);
  const stages = Object.keys(read.config.stages);
  if (args.json) {
    outJson({
      file: read.config.file ? relative(root, read.config.file) : null,
      problems: read.problems,
      settings: read.config.settings,
      stages: Object.fromEntries(stages.map((s) => [s, stageChecks(read.config, s).map((c) => c.name)])),
      checks: Object.values(read.config.checks).map((c) => ({ ...c, timeoutSeconds: c.timeoutMs / 1000 })),
      preCommitHook: preCommitInstalled(root),
    });
    return;
  }
  for (const p of read.problems) err(red(p));
  if (!read.config.file) {
    out("No .agents/gates.yaml here: `ao init` proposes one from the repository's stack.");
    return;
  }
  const rows = Object.values(read.config.checks).map((c) => [
    c.name,
    c.command,
    `${c.timeoutMs / 1000}s`,
    c.needs.join(', '),
    c.figures.map((f) => f.name).join(', '),
  ]);
  out(table(['check', 'command', 'timeout', 'needs', 'figures'], rows));
  out('');
  for (const s of stages)
    out(
      `${bold(s)}: ${
        stageChecks(read.config, s)
          .map((c) => c.name)
          .join(', ') || dim('(no checks)')
      }`,
    );
  out(dim(`pre-commit hook: ${preCommitInstalled(root) ? 'installed' : 'not installed (ao gate install)'}`));
  if (read.problems.length > 0) throw new ExitError(2);
}

export function installGateHook(args: { command?: string; json?: boolean }): void {
  const { root, agentsDir } = repoOrFail('the gates belong to one');
  const command = (args.command ?? readManifest(agentsDir)?.command ?? 'ao').trim();
  if (command === '') throw new UserError('--command is empty: say how the hook should call ao (for example `ao`)');
  const read = loadGates(root);
  const result = installPreCommit(root, command);
  if (args.json) {
    outJson({
      ...result,
      file: relative(root, result.file),
      ...(result.kept ? { kept: relative(root, result.kept) } : {}),
    });
    return;
  }
  const file = relative(root, result.file);
  if (result.outcome === 'unchanged') out(`${file}: already installed`);
  else
    out(
      `${file}: installed${result.kept ? ` (your own hook now runs first, from ${relative(root, result.kept)})` : ''}`,
    );
  if (!('pre-commit' in read.config.stages))
    err('note: gates.yaml has no pre-commit stage yet: until it has one, the hook checks nothing');
}

export function uninstallGateHook(args: { json?: boolean }): void {
  const { root } = repoOrFail('the gates belong to one');
  const result = uninstallPreCommit(root);
  if (args.json) {
    outJson({ ...result, file: relative(root, result.file) });
    return;
  }
  const file = relative(root, result.file);
  out(
    result.removed
      ? `${file}: removed${result.restored ? ' (your own hook is back in its place)' : ''}`
      : `${file}: not ao's hook, left alone`,
  );
}

export function printCiJob(args: { provider?: string; write?: boolean }): void {
  const provider = (args.provider ?? 'github') as CiProvider;
  if (!CI_PROVIDERS.includes(provider))
    throw new UserError(`unknown --provider "${args.provider}" (known: ${CI_PROVIDERS.join(', ')})`);
  const { root } = repoOrFail('the gates belong to one');
  const read = loadGates(root);
  const job = ciJob(provider, root);
  if (!args.write) {
    out(job.trimEnd());
  } else {
    const file = join(root, CI_FILES[provider]);
    if (existsSync(file))
      throw new UserError(
        `${CI_FILES[provider]} exists: run ao gate ci${provider === 'gitlab' ? ' --provider gitlab' : ''} and merge the job by hand`,
      );
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, job);
    out(`${CI_FILES[provider]}: written`);
  }
  try {
    stageOrFail(read.config, 'ci');
  } catch {
    err('warning: gates.yaml has no ci stage yet: the job fails until it has one');
  }
}
