#!/usr/bin/env node
// The session cache: a cold `ao usage` (fills the cache), warm re-runs on an unchanged corpus,
// then a run after a few replies were appended to 3 files (resumes those files from where it
// stopped). Checks that warm totals equal cold ones and that the resumed run grew by exactly the
// appended usage. The appended lines are cut off again at the end, leaving the corpus as it was.
// Usage: node bench/incremental.mjs [--rounds 5]
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { relative } from 'node:path';
import {
  CORPUS,
  corpusFiles,
  ensureBuilt,
  ensureCorpus,
  fmtInt,
  fmtMB,
  fmtMs,
  makeTempHome,
  measureAoUsage,
  median,
  numericOptions,
  printTable,
  removeDir,
  timeRun,
  warmPageCache,
  writeResult,
} from './common.mjs';

const TARGET_WARM_PCT = 5;
const FILES_TO_GROW = 3;
const LINES_PER_FILE = 2;
const FIELDS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens'];

const { rounds } = numericOptions({ rounds: 5 });
ensureBuilt();
const corpus = ensureCorpus();
console.log(`corpus: ${corpus.files} files, ${fmtMB(corpus.bytes)} (${CORPUS}); warm rounds: ${rounds}`);
warmPageCache();

/** Copies of the last billable replies of a file, under new message and request ids. */
function makeAppendedLines(text, tag) {
  const lines = [];
  const records = text.split('\n').filter(Boolean).reverse();
  for (const line of records) {
    if (lines.length === LINES_PER_FILE) break;
    let rec;
    try {
      rec = JSON.parse(line);
    } catch {
      continue;
    }
    const msg = rec.message;
    if (rec.type !== 'assistant' || !msg?.usage || msg.model === '<synthetic>' || rec.isApiErrorMessage) continue;
    if (typeof msg.id !== 'string' || lines.some((l) => l.origId === msg.id)) continue;
    const n = lines.length + 1;
    const copy = {
      ...rec,
      uuid: randomUUID(),
      requestId: `req_bench_${tag}_${n}`,
      message: { ...msg, id: `msg_bench_${tag}_${n}` },
    };
    lines.push({ origId: msg.id, json: JSON.stringify(copy), usage: msg.usage });
  }
  return lines;
}

/** Picks top-level session files from different projects, so that each is its own session. */
function pickFiles() {
  const seen = new Set();
  const picked = [];
  for (const file of corpusFiles().sort()) {
    const [, project, name] = relative(CORPUS, file).split('/');
    if (!name?.endsWith('.jsonl') || seen.has(project)) continue;
    const text = readFileSync(file, 'utf8');
    const lines = makeAppendedLines(text, picked.length + 1);
    if (lines.length < LINES_PER_FILE) continue;
    seen.add(project);
    picked.push({ file, size: statSync(file).size, endsWithNewline: text.endsWith('\n'), lines });
    if (picked.length === FILES_TO_GROW) break;
  }
  return picked;
}

const sumUsage = (picked) => {
  const add = { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, replies: 0 };
  for (const { lines } of picked) {
    for (const { usage } of lines) {
      add.inputTokens += usage.input_tokens ?? 0;
      add.outputTokens += usage.output_tokens ?? 0;
      add.cacheCreationTokens += usage.cache_creation_input_tokens ?? 0;
      add.cacheReadTokens += usage.cache_read_input_tokens ?? 0;
      add.replies++;
    }
  }
  return add;
};

const home = makeTempHome();
const freshHome = makeTempHome();
const problems = [];
let picked = [];
let result;
try {
  const cold = await measureAoUsage(home);
  const warm = [];
  for (let i = 0; i < rounds; i++) {
    const r = await measureAoUsage(home);
    if (JSON.stringify(r.json.totals) !== JSON.stringify(cold.json.totals)) problems.push(`warm run ${i + 1} totals`);
    warm.push(r);
  }
  const warmMs = median(warm.map((r) => r.ms));

  picked = pickFiles();
  if (picked.length < FILES_TO_GROW) throw new Error('could not find 3 files with assistant replies to copy');
  for (const p of picked) {
    appendFileSync(p.file, (p.endsWithNewline ? '' : '\n') + p.lines.map((l) => l.json + '\n').join(''));
  }
  const added = sumUsage(picked);
  const resumed = await measureAoUsage(home);
  const fresh = await measureAoUsage(freshHome, ['--no-cache']);
  const nodeMs = median(Array.from({ length: rounds }, () => timeRun(process.execPath, ['-e', '0']).ms));

  const ratioPct = (warmMs / cold.ms) * 100;
  console.log('\ntimes');
  printTable([
    ['', 'wall', 'peak RSS', ''],
    ['cold (fills the cache)', fmtMs(cold.ms), fmtMB(cold.rssBytes), ''],
    [`warm (median of ${rounds})`, fmtMs(warmMs), fmtMB(Math.max(...warm.map((r) => r.rssBytes))), ''],
    [
      `resumed (+${added.replies} replies in ${picked.length} files)`,
      fmtMs(resumed.ms),
      fmtMB(resumed.rssBytes),
      `${(resumed.ms / warmMs).toFixed(2)}x warm`,
    ],
    [`node -e 0 (median of ${rounds})`, fmtMs(nodeMs), '', ''],
  ]);
  console.log(
    `warm/cold: ${ratioPct.toFixed(1)}% (target ≤ ${TARGET_WARM_PCT}%) ${ratioPct <= TARGET_WARM_PCT ? 'ok' : 'OVER TARGET'}`,
  );

  // Node's own start-up is a floor no cache can remove; show what is left above it.
  console.log(`warm minus node -e 0: ${fmtMs(warmMs - nodeMs)}`);
  console.log('\ntotals after the append');
  const c = cold.json.totals;
  const g = resumed.json.totals;
  const f = fresh.json.totals;
  const rows = [...FIELDS, 'replies'].map((k) => {
    const ok = g[k] - c[k] === added[k] && g[k] === f[k];
    if (!ok) problems.push(`resumed ${k}`);
    return [k, fmtInt(c[k]), `+${fmtInt(added[k])}`, fmtInt(g[k]), fmtInt(f[k]), ok ? 'MATCH' : 'MISMATCH'];
  });
  printTable([['', 'cold', 'appended', 'resumed', 'fresh --no-cache', ''], ...rows]);

  result = {
    rounds,
    coldMs: cold.ms,
    warmMedianMs: warmMs,
    warmPct: ratioPct,
    resumedMs: resumed.ms,
    nodeMs,
    warmOverNodeMs: warmMs - nodeMs,
    coldRssBytes: cold.rssBytes,
    appendedReplies: added.replies,
    problems,
  };
} finally {
  for (const p of picked) truncateSync(p.file, p.size);
  removeDir(home);
  removeDir(freshHome);
}

writeResult('incremental', result);
if (problems.length) {
  console.log(`\nMISMATCH: ${problems.join(', ')}`);
  process.exitCode = 1;
}
