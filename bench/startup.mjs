#!/usr/bin/env node
// Start-up cost: `ao --version` and `ao --help` against bare `node -e 0` (the anchor), since hooks
// start `ao` on every agent session and tool call. Runs are interleaved so that load on the
// machine hits all three alike; medians after warm-ups.
// Usage: node bench/startup.mjs [--runs 20] [--warmups 3]
import {
  AO_BIN,
  ensureBuilt,
  fmtMs,
  makeTempHome,
  median,
  numericOptions,
  printTable,
  removeDir,
  timeRun,
  writeResult,
} from './common.mjs';

const TARGET_OVER_NODE_MS = 30;
const { runs, warmups } = numericOptions({ runs: 20, warmups: 3 });
ensureBuilt();

const commands = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'ao --version', args: [AO_BIN, '--version'] },
  { name: 'ao --help', args: [AO_BIN, '--help'] },
];

const home = makeTempHome();
const times = commands.map(() => []);
try {
  for (let i = 0; i < warmups + runs; i++) {
    commands.forEach((c, j) => {
      const r = timeRun(process.execPath, c.args, { AO_HOME: home, NO_COLOR: '1' });
      if (r.status !== 0) throw new Error(`${c.name} exited with ${r.status}:\n${r.stderr}`);
      if (i >= warmups) times[j].push(r.ms);
    });
  }
} finally {
  removeDir(home);
}

const medians = times.map(median);
const base = medians[0];
console.log(`${runs} runs each after ${warmups} warm-ups, interleaved`);
printTable([
  ['', 'median', 'min', 'over node', ''],
  ...commands.map((c, j) => {
    const over = medians[j] - base;
    const verdict = j === 0 ? '' : over <= TARGET_OVER_NODE_MS ? 'ok' : 'OVER TARGET';
    return [
      c.name,
      fmtMs(medians[j]),
      fmtMs(Math.min(...times[j])),
      j === 0 ? '' : `${over < 0 ? '-' : '+'}${fmtMs(Math.abs(over))}`,
      verdict,
    ];
  }),
]);
console.log(`target: within ~${TARGET_OVER_NODE_MS} ms of bare node`);

writeResult('startup', {
  runs,
  warmups,
  nodeMs: medians[0],
  versionMs: medians[1],
  helpMs: medians[2],
  versionOverNodeMs: medians[1] - base,
  helpOverNodeMs: medians[2] - base,
});
