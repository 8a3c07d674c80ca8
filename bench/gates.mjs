#!/usr/bin/env node
// The gates' own cost, against the same checks run without ao, in the same run:
// - overhead: `ao gate run --stage one` with one check (`true`) against `sh -c true`: what the
//   pipeline adds (reading gates.yaml, git state, the ledger and ratchet, the verdict);
// - parallel: four CPU-bound checks (node busy for ~400 ms each) with `parallel: 2`, against the
//   same four commands one after another in a shell script, the usual hand-written pre-commit;
// - stop hook: `ao hook stop --agent claude` in a repository without gates.yaml, against
//   `node -e 0` (every agent stop pays this).
// Exits non-zero when a verdict is wrong, never on speed.
// Usage: node bench/gates.mjs [--rounds 7]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  AO_BIN,
  ensureBuilt,
  fmtMs,
  makeTempHome,
  median,
  numericOptions,
  printTable,
  removeDir,
  writeResult,
} from './common.mjs';

const opts = numericOptions({ rounds: 7 });
ensureBuilt();

const failures = [];
const base = mkdtempSync(join(tmpdir(), 'ao-bench-gates-'));
const repo = join(base, 'repo');
const bare = join(base, 'bare');
const home = makeTempHome();
mkdirSync(join(repo, '.agents'), { recursive: true });
mkdirSync(bare);
const env = { ...process.env, AO_HOME: home, NO_COLOR: '1' };
spawnSync('git', ['init', '-q', repo]);
spawnSync('git', ['init', '-q', bare]);

const busy = `node -e "const end = Date.now() + 400; while (Date.now() < end);"`;
writeFileSync(
  join(repo, '.agents', 'gates.yaml'),
  `checks:
  noop: "true"
  a: '${busy}'
  b: '${busy}'
  c: '${busy}'
  d: '${busy}'
stages:
  one: [noop]
  four: [a, b, c, d]
settings:
  parallel: 2
`,
);
const script = join(base, 'sequential.sh');
writeFileSync(script, `set -e\n${busy}\n${busy}\n${busy}\n${busy}\n`);

function time(cmd, args, cwd, input) {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, input, encoding: 'utf8' });
  return { ms: performance.now() - started, status: r.status, stdout: r.stdout };
}

const series = { gateOne: [], shTrue: [], gateFour: [], sequential: [], stopHook: [], node: [] };
const stopPayload = JSON.stringify({
  session_id: 'bench',
  transcript_path: null,
  cwd: bare,
  hook_event_name: 'Stop',
  stop_hook_active: false,
});
for (let round = 0; round < opts.rounds; round++) {
  const one = time(process.execPath, [AO_BIN, 'gate', 'run', '--stage', 'one'], repo);
  if (one.status !== 0) failures.push(`gate run --stage one exited ${one.status}`);
  series.gateOne.push(one.ms);
  series.shTrue.push(time('sh', ['-c', 'true'], repo).ms);
  const four = time(process.execPath, [AO_BIN, 'gate', 'run', '--stage', 'four', '--json'], repo);
  if (four.status !== 0 || JSON.parse(four.stdout).verdict !== 'pass')
    failures.push('gate run --stage four did not pass');
  series.gateFour.push(four.ms);
  series.sequential.push(time('sh', [script], repo).ms);
  const stop = time(process.execPath, [AO_BIN, 'hook', 'stop', '--agent', 'claude'], bare, stopPayload);
  if (stop.status !== 0 || stop.stdout !== '')
    failures.push(`stop hook without gates answered ${JSON.stringify(stop.stdout)}`);
  series.stopHook.push(stop.ms);
  series.node.push(time(process.execPath, ['-e', '0'], bare).ms);
}

const m = Object.fromEntries(Object.entries(series).map(([k, v]) => [k, median(v)]));
const result = {
  rounds: opts.rounds,
  overheadMs: m.gateOne - m.shTrue,
  gateOneMs: m.gateOne,
  shTrueMs: m.shTrue,
  parallelMs: m.gateFour,
  sequentialMs: m.sequential,
  parallelRatio: m.gateFour / m.sequential,
  stopHookMs: m.stopHook,
  nodeMs: m.node,
  stopOverNodeMs: m.stopHook - m.node,
};
console.log(`gates, median of ${opts.rounds} rounds (interleaved)`);
printTable([
  ['', 'ao', 'anchor', 'figure'],
  ['one trivial check', fmtMs(m.gateOne), `${fmtMs(m.shTrue)} sh -c true`, `+${fmtMs(result.overheadMs)}`],
  [
    '4 x 400 ms CPU checks, parallel 2',
    fmtMs(m.gateFour),
    `${fmtMs(m.sequential)} sequential sh`,
    `${result.parallelRatio.toFixed(2)}x the time`,
  ],
  ['stop hook, no gates.yaml', fmtMs(m.stopHook), `${fmtMs(m.node)} node -e 0`, `+${fmtMs(result.stopOverNodeMs)}`],
]);
writeResult('gates', result);
removeDir(base);
removeDir(home);
if (failures.length > 0) {
  for (const f of [...new Set(failures)]) console.error(`CHECK FAILED: ${f}`);
  process.exit(1);
}
