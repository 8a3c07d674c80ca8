#!/usr/bin/env node
// Full read of a ≥400 MB Claude Code corpus: ccusage 17 (the anchor) against `ao usage --no-cache`,
// alternating round by round so that both see the same machine. Also checks that both count the
// same input and cache tokens. Exits non-zero only when those totals differ, never on speed.
// Usage: node bench/throughput.mjs [--rounds 3]
import {
  CORPUS,
  ensureBuilt,
  ensureCcusage,
  ensureCorpus,
  fmtInt,
  fmtMB,
  fmtMs,
  makeTempHome,
  measureAoUsage,
  measureRun,
  median,
  numericOptions,
  printTable,
  removeDir,
  warmPageCache,
  writeResult,
} from './common.mjs';

const TARGET_RATIO = 5;
const TARGET_RSS_MB = 150;
const EXACT_FIELDS = ['inputTokens', 'cacheCreationTokens', 'cacheReadTokens'];

const { rounds } = numericOptions({ rounds: 3 });
ensureBuilt();
const corpus = ensureCorpus();
const ccusage = ensureCcusage();
console.log(`corpus: ${corpus.files} files, ${fmtMB(corpus.bytes)} (${CORPUS})`);
console.log(`anchor: ccusage ${ccusage.version}; rounds: ${rounds}`);
warmPageCache();

async function runCcusage() {
  const r = await measureRun(process.execPath, [ccusage.bin, 'session', '--json', '--offline'], {
    CLAUDE_CONFIG_DIR: CORPUS,
  });
  if (r.status !== 0) throw new Error(`ccusage exited with ${r.status}:\n${r.stderr}`);
  return { ...r, json: JSON.parse(r.stdout) };
}

async function runOurs() {
  const home = makeTempHome();
  try {
    return await measureAoUsage(home, ['--no-cache']);
  } finally {
    removeDir(home);
  }
}

const theirs = [];
const ours = [];
for (let round = 1; round <= rounds; round++) {
  const a = await runCcusage();
  const b = await runOurs();
  theirs.push(a);
  ours.push(b);
  console.log(
    `round ${round}: ccusage ${fmtMs(a.ms)} ${fmtMB(a.rssBytes)} RSS | ao ${fmtMs(b.ms)} ${fmtMB(b.rssBytes)} RSS`,
  );
}

const theirMs = median(theirs.map((r) => r.ms));
const ourMs = median(ours.map((r) => r.ms));
const ourRss = Math.max(...ours.map((r) => r.rssBytes));
const theirRss = Math.max(...theirs.map((r) => r.rssBytes));
const ratio = theirMs / ourMs;
const mbps = (ms) => corpus.bytes / 1048576 / (ms / 1000);

console.log('\nspeed (median of rounds)');
printTable([
  ['', 'wall', 'MB/s', 'peak RSS (max)'],
  [`ccusage ${ccusage.version}`, fmtMs(theirMs), mbps(theirMs).toFixed(0), fmtMB(theirRss)],
  ['ao usage --no-cache', fmtMs(ourMs), mbps(ourMs).toFixed(0), fmtMB(ourRss)],
]);
console.log(
  `ratio ccusage/ao: ${ratio.toFixed(1)}x (target ≥ ${TARGET_RATIO}x) ${ratio >= TARGET_RATIO ? 'ok' : 'BELOW TARGET'}`,
);
console.log(
  `ao peak RSS: ${fmtMB(ourRss)} (target ≤ ${TARGET_RSS_MB} MB) ${ourRss <= TARGET_RSS_MB * 1048576 ? 'ok' : 'OVER TARGET'}`,
);

// Totals must not change between rounds; compare the first round's and flag any drift.
const drift = (runs, pick) => runs.some((r) => JSON.stringify(pick(r)) !== JSON.stringify(pick(runs[0])));
if (drift(theirs, (r) => r.json.totals) || drift(ours, (r) => r.json.totals)) {
  console.log('WARNING: totals differ between rounds of the same tool');
}
const t = theirs[0].json.totals;
// Sessions and replies help tell a dropped file from a miscounted reply when totals differ.
const sessionNote = `ao: ${fmtInt(ours[0].json.totals.sessions)} sessions, ${fmtInt(ours[0].json.totals.replies)} replies`;
const o = ours[0].json.totals;
console.log(`\ntotals (${sessionNote}; corpus: ${corpus.files} files)`);
const fieldRows = EXACT_FIELDS.map((f) => [f, fmtInt(t[f]), fmtInt(o[f]), t[f] === o[f] ? 'MATCH' : 'MISMATCH']);
printTable([
  ['', `ccusage ${ccusage.version}`, 'ao', ''],
  ...fieldRows,
  ['outputTokens', fmtInt(t.outputTokens), fmtInt(o.outputTokens), 'differs by design'],
  ['cost (USD)', t.totalCost.toFixed(2), o.costUSD.toFixed(2), ''],
]);
console.log(
  'outputTokens: ccusage 17 keeps the first streamed line of a reply (partial output count); ao keeps the final count.',
);
if (o.costUSD > t.totalCost + 0.005) {
  const unpriced = new Set();
  for (const s of theirs[0].json.sessions ?? []) {
    for (const m of s.modelBreakdowns ?? []) {
      if (m.cost === 0 && m.inputTokens + m.outputTokens + m.cacheCreationTokens + m.cacheReadTokens > 0) {
        unpriced.add(m.modelName);
      }
    }
  }
  const which = unpriced.size ? `: ${[...unpriced].join(', ')}` : '';
  console.log(
    `cost: ours is larger; ccusage ${ccusage.version} has no price for some newer models and counts them as $0${which}.`,
  );
}
if (o.unpricedModels?.length) console.log(`cost: ao has no price for ${o.unpricedModels.join(', ')}`);

const mismatched = EXACT_FIELDS.filter((f) => t[f] !== o[f]);
writeResult('throughput', {
  corpusBytes: corpus.bytes,
  corpusFiles: corpus.files,
  rounds,
  anchor: `ccusage ${ccusage.version}`,
  anchorMedianMs: theirMs,
  oursMedianMs: ourMs,
  anchorMBps: mbps(theirMs),
  oursMBps: mbps(ourMs),
  ratio,
  oursPeakRssBytes: ourRss,
  anchorPeakRssBytes: theirRss,
  anchorTotals: t,
  oursTotals: o,
  oursSessions: o.sessions,
  oursReplies: o.replies,
  mismatched,
});
if (mismatched.length) {
  console.log(`\nMISMATCH in ${mismatched.join(', ')}`);
  process.exitCode = 1;
}
