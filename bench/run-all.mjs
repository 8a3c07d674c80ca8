#!/usr/bin/env node
// Runs every benchmark in order (throughput, incremental, startup, knowledge, hooks, gates) and prints a summary
// of the figures each left in bench/.work. Exits non-zero if any of them did (a totals mismatch, a
// wrong knowledge result).
// Usage: npm run bench [-- --rounds 3]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  BENCH,
  ensureBuilt,
  fmtInt,
  fmtMB,
  fmtMs,
  numericOptions,
  printTable,
  readResult,
  removeResult,
} from './common.mjs';

const { rounds } = numericOptions({ rounds: 3 });
ensureBuilt();

const scripts = [
  ['throughput', ['--rounds', String(rounds)]],
  ['incremental', ['--rounds', String(Math.max(rounds, 5))]],
  ['startup', []],
  ['knowledge', []],
  ['hooks', []],
  ['gates', []],
];
const failed = [];
for (const [name, args] of scripts) {
  // A script that fails before writing its figures must not leave last run's in the summary.
  removeResult(name);
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, [join(BENCH, `${name}.mjs`), ...args], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}

const tp = readResult('throughput');
const inc = readResult('incremental');
const st = readResult('startup');
const kn = readResult('knowledge');
const hk = readResult('hooks');
const gt = readResult('gates');
const na = ['n/a', '', '', '', ''];
const verdict = (ok) => (ok ? 'ok' : 'MISSED');

console.log('\n== summary ==');
printTable([
  ['', 'ao', 'anchor', 'figure', 'target', ''],
  tp
    ? [
        `full read ${fmtMB(tp.corpusBytes)} (median)`,
        fmtMs(tp.oursMedianMs),
        `${fmtMs(tp.anchorMedianMs)} ${tp.anchor}`,
        `${tp.ratio.toFixed(1)}x faster`,
        '≥ 5x',
        verdict(tp.ratio >= 5),
      ]
    : ['full read', ...na],
  tp ? ['full read, MB/s', tp.oursMBps.toFixed(0), tp.anchorMBps.toFixed(0), '', '', ''] : ['full read, MB/s', ...na],
  tp
    ? [
        'full read, peak RSS',
        fmtMB(tp.oursPeakRssBytes),
        fmtMB(tp.anchorPeakRssBytes),
        '',
        '≤ 150 MB',
        verdict(tp.oursPeakRssBytes <= 150 * 1048576),
      ]
    : ['full read, peak RSS', ...na],
  tp
    ? [
        'input/cache totals',
        tp.mismatched.length ? 'MISMATCH' : 'MATCH',
        '',
        '',
        'equal',
        verdict(!tp.mismatched.length),
      ]
    : ['input/cache totals', ...na],
  inc
    ? [
        'warm run / cold run',
        `${fmtMs(inc.warmMedianMs)} / ${fmtMs(inc.coldMs)}`,
        '',
        `${inc.warmPct.toFixed(1)}%`,
        '≤ 5%',
        verdict(inc.warmPct <= 5),
      ]
    : ['warm run / cold run', ...na],
  inc
    ? [
        'resumed after append',
        fmtMs(inc.resumedMs),
        `node -e 0: ${fmtMs(inc.nodeMs)}`,
        `${(inc.resumedMs / inc.warmMedianMs).toFixed(2)}x warm`,
        '≈ warm',
        '',
      ]
    : ['resumed after append', ...na],
  inc
    ? [
        'cache totals (warm, resumed)',
        inc.problems.length ? 'MISMATCH' : 'MATCH',
        '',
        '',
        'exact',
        verdict(!inc.problems.length),
      ]
    : ['resumed after append', ...na],
  st
    ? [
        'ao --version',
        fmtMs(st.versionMs),
        `node -e 0: ${fmtMs(st.nodeMs)}`,
        `+${fmtMs(st.versionOverNodeMs)}`,
        '≤ ~30 ms',
        verdict(st.versionOverNodeMs <= 30),
      ]
    : ['ao --version', ...na],
  st
    ? [
        'ao --help',
        fmtMs(st.helpMs),
        `node -e 0: ${fmtMs(st.nodeMs)}`,
        `+${fmtMs(st.helpOverNodeMs)}`,
        '≤ ~30 ms',
        verdict(st.helpOverNodeMs <= 30),
      ]
    : ['ao --help', ...na],
  kn
    ? [
        `ao inject, ${fmtInt(kn.learnings)} learnings`,
        fmtMs(kn.injectMedianMs),
        `node -e 0: ${fmtMs(kn.nodeMedianMs)}`,
        `+${fmtMs(kn.injectOverNodeMs)}`,
        '≤ +60 ms',
        verdict(kn.injectOverNodeMs <= 60),
      ]
    : ['ao inject', ...na],
  kn
    ? [
        'ao inject --paths',
        fmtMs(kn.pathsMedianMs),
        `node -e 0: ${fmtMs(kn.nodeMedianMs)}`,
        `+${fmtMs(kn.pathsOverNodeMs)}`,
        '≤ +60 ms',
        verdict(kn.pathsOverNodeMs <= 60),
      ]
    : ['ao inject --paths', ...na],
  kn
    ? [
        'search in-process, p50',
        `${kn.searchP50Ms.toFixed(1)} ms`,
        '',
        `p90 ${kn.searchP90Ms.toFixed(1)} ms`,
        '≤ 10 ms',
        verdict(kn.searchP50Ms <= 10),
      ]
    : ['search in-process', ...na],
  kn
    ? ['ao index rebuild', fmtMs(kn.rebuildWallMs), '', '', '≤ 5 s', verdict(kn.rebuildWallMs <= 5000)]
    : ['ao index rebuild', ...na],
  kn
    ? [
        'ao forge, fixtures (cold)',
        fmtMs(kn.forgeColdMs),
        `node -e 0: ${fmtMs(kn.forgeNodeMs)}`,
        `warm ${fmtMs(kn.forgeWarmMs)}`,
        '≤ 2 s',
        verdict(kn.forgeColdMs <= 2000),
      ]
    : ['ao forge', ...na],
  kn
    ? ['knowledge checks', kn.failures.length ? 'FAILED' : 'OK', '', '', 'correct', verdict(!kn.failures.length)]
    : ['knowledge checks', ...na],
  hk
    ? [
        'hook session-start, 10k learnings',
        fmtMs(hk.startMedianMs),
        `node -e 0: ${fmtMs(hk.nodeMedianMs)}`,
        `+${fmtMs(hk.startOverNodeMs)}`,
        '≤ +80 ms',
        verdict(hk.startOverNodeMs <= 80),
      ]
    : ['hook session-start', ...na],
  hk
    ? [
        'hook pre-tool (guard)',
        fmtMs(Math.max(hk.benignMedianMs, hk.dangerousMedianMs)),
        `node -e 0: ${fmtMs(hk.nodeMedianMs)}`,
        `+${fmtMs(hk.guardOverNodeMs)}`,
        '≤ +40 ms',
        verdict(hk.guardOverNodeMs <= 40),
      ]
    : ['hook pre-tool', ...na],
  hk
    ? ['hooks checks', hk.failures.length ? 'FAILED' : 'OK', '', '', 'correct', verdict(!hk.failures.length)]
    : ['hooks checks', ...na],
  gt
    ? [
        'gate run, one trivial check',
        fmtMs(gt.gateOneMs),
        `sh -c true: ${fmtMs(gt.shTrueMs)}`,
        `+${fmtMs(gt.overheadMs)}`,
        '',
        '',
      ]
    : ['gate run, one check', ...na],
  gt
    ? [
        'gate run, 4 CPU checks, parallel 2',
        fmtMs(gt.parallelMs),
        `sequential sh: ${fmtMs(gt.sequentialMs)}`,
        `${gt.parallelRatio.toFixed(2)}x the time`,
        '',
        '',
      ]
    : ['gate run, 4 checks', ...na],
  gt
    ? [
        'hook stop, no gates.yaml',
        fmtMs(gt.stopHookMs),
        `node -e 0: ${fmtMs(gt.nodeMs)}`,
        `+${fmtMs(gt.stopOverNodeMs)}`,
        '',
        '',
      ]
    : ['hook stop', ...na],
]);
if (failed.length) {
  console.log(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
