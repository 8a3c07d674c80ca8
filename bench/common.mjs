// Shared helpers for the benchmark scripts: the corpus, the anchor tool, timing and peak RSS.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const ROOT = dirname(BENCH);
export const WORK = join(BENCH, '.work');
export const CORPUS = join(BENCH, '.corpus', 'claude');
export const AO_BIN = join(ROOT, 'bin', 'ao.js');
const CORPUS_MIN_MB = 400;
const CORPUS_STAMP = join(BENCH, '.corpus', 'claude.stamp.json');
const CCUSAGE_PREFIX = join(WORK, 'ccusage');
const GNU_TIME = '/usr/bin/time';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const fmtMs = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
export const fmtMB = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
export const fmtInt = (n) => n.toLocaleString('en-US');

/** Parses `--name value` / `--name=value` numeric options, falling back to the defaults given. */
export function numericOptions(defaults, argv = process.argv.slice(2)) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--([a-z-]+)(?:=(.*))?$/);
    if (!m || !(m[1] in defaults)) throw new Error(`unknown option ${argv[i]} (known: ${Object.keys(defaults)})`);
    const value = Number(m[2] ?? argv[++i]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${m[1]} needs a positive integer`);
    out[m[1]] = value;
  }
  return out;
}

/** A fresh AO_HOME, so that no user cache or config takes part in the measurement. */
export function makeTempHome() {
  return mkdtempSync(join(tmpdir(), 'ao-bench-home-'));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Figures each script leaves for run-all's summary. */
export function writeResult(name, result) {
  mkdirSync(WORK, { recursive: true });
  writeFileSync(join(WORK, `last-${name}.json`), JSON.stringify(result, null, 2) + '\n');
}

export function readResult(name) {
  const file = join(WORK, `last-${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

export function removeResult(name) {
  rmSync(join(WORK, `last-${name}.json`), { force: true });
}

export function ensureBuilt() {
  if (existsSync(join(ROOT, 'dist', 'cli', 'main.cjs'))) return;
  console.error('dist/ is missing: running npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0)
    throw new Error('npm run build failed; fix the build (or wait for an edit in progress) and retry');
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.jsonl') ? [p] : [];
  });
}

export function corpusFiles() {
  return walk(join(CORPUS, 'projects'));
}

function measureCorpus() {
  if (!existsSync(join(CORPUS, 'projects'))) return null;
  const files = corpusFiles();
  return { files: files.length, bytes: files.reduce((n, f) => n + statSync(f).size, 0) };
}

/**
 * Makes the corpus with make-corpus.mjs unless one of the recorded size is already there.
 * A corpus left altered (say, by an interrupted incremental run) is rebuilt.
 */
export function ensureCorpus() {
  const stamp = existsSync(CORPUS_STAMP) ? JSON.parse(readFileSync(CORPUS_STAMP, 'utf8')) : null;
  const found = measureCorpus();
  if (stamp && found && stamp.minMB === CORPUS_MIN_MB && stamp.bytes === found.bytes && stamp.files === found.files) {
    return { dir: CORPUS, ...found };
  }
  console.error(`making the corpus in ${CORPUS} (${CORPUS_MIN_MB} MB or more)…`);
  removeDir(CORPUS);
  const r = spawnSync(process.execPath, [join(BENCH, 'make-corpus.mjs'), CORPUS, String(CORPUS_MIN_MB)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error('make-corpus.mjs failed');
  const made = measureCorpus();
  writeFileSync(CORPUS_STAMP, JSON.stringify({ minMB: CORPUS_MIN_MB, ...made }) + '\n');
  return { dir: CORPUS, ...made };
}

/** Reads every corpus file once, so that the first timed run does not pay for a cold page cache. */
export function warmPageCache() {
  for (const f of corpusFiles()) readFileSync(f);
}

/** Installs ccusage 17 once under bench/.work and returns the path of its bin script. */
export function ensureCcusage() {
  const pkgFile = join(CCUSAGE_PREFIX, 'node_modules', 'ccusage', 'package.json');
  if (!existsSync(pkgFile)) {
    console.error('installing ccusage@17 under bench/.work/ccusage…');
    const r = spawnSync('npm', ['install', '--prefix', CCUSAGE_PREFIX, '--no-audit', '--no-fund', 'ccusage@17'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) throw new Error('npm install ccusage@17 failed');
  }
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.ccusage;
  return { version: pkg.version, bin: join(dirname(pkgFile), bin) };
}

/** Runs a command to completion; `ms` is wall time around the spawn. */
export function timeRun(cmd, args, env = {}) {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  return { ms, status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

/**
 * Runs a command and measures its wall time and peak RSS. GNU time reports the child's
 * ru_maxrss; without it we poll VmHWM in /proc, which can miss a peak shorter than the interval.
 */
export async function measureRun(cmd, args, env = {}) {
  if (existsSync(GNU_TIME)) {
    const rssFile = join(mkdtempSync(join(tmpdir(), 'ao-bench-rss-')), 'rss');
    try {
      const r = timeRun(GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args], env);
      const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
      return { ...r, rssBytes: kb * 1024 };
    } finally {
      removeDir(dirname(rssFile));
    }
  }
  return pollRun(cmd, args, env);
}

/** measureRun without GNU time; exported so that the fallback can be checked where GNU time exists. */
export async function pollRun(cmd, args, env = {}) {
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env } });
  const chunks = { stdout: [], stderr: [] };
  child.stdout.on('data', (d) => chunks.stdout.push(d));
  child.stderr.on('data', (d) => chunks.stderr.push(d));
  let done = false;
  let status = null;
  child.on('close', (code) => {
    status = code;
    done = true;
  });
  let hwmKB = 0;
  while (!done) {
    try {
      const m = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)/m);
      if (m) hwmKB = Math.max(hwmKB, Number(m[1]));
    } catch {
      // the child is gone between polls
    }
    await sleep(10);
  }
  return {
    ms: performance.now() - started,
    status,
    stdout: Buffer.concat(chunks.stdout).toString(),
    stderr: Buffer.concat(chunks.stderr).toString(),
    rssBytes: hwmKB * 1024,
  };
}

/** Runs `ao usage` on the corpus and returns the measurement with the parsed JSON. */
export async function measureAoUsage(home, extraArgs = []) {
  const r = await measureRun(
    process.execPath,
    [AO_BIN, 'usage', '--source', join(CORPUS, 'projects'), '--json', ...extraArgs],
    { AO_HOME: home },
  );
  if (r.status !== 0) throw new Error(`ao usage exited with ${r.status}:\n${r.stderr}`);
  return { ...r, json: JSON.parse(r.stdout) };
}

/** Prints rows of cells as aligned columns; the first column left-aligned, the rest right. */
export function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  for (const row of rows) {
    const cells = row.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c ?? '').padStart(widths[i])));
    console.log(cells.join('   ').trimEnd());
  }
}

/**
 * dist/'s bundles export only their command's `main`, so modules a benchmark calls
 * in-process are bundled from src/ once more, with esbuild, into
 * bench/.work/<name>.mjs: the same code as the CLI runs, no change to the build and no new
 * dependency. `exports` are the entry's lines (`export { x } from './src/…';`).
 */
export async function bundleSrc(name, exports) {
  const file = join(WORK, `${name}.mjs`);
  mkdirSync(WORK, { recursive: true });
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: ROOT,
    stdin: { contents: exports.join('\n'), resolveDir: ROOT, sourcefile: `bench-${name}-entry.ts`, loader: 'ts' },
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', 'yaml'],
    logLevel: 'warning',
  });
  return import(pathToFileURL(file).href);
}
