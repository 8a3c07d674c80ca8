#!/usr/bin/env node
// CommonJS (bin/package.json says so): loading an ES module starts Node's ES module loader,
// ~6 ms before any of our code runs. What it runs is CommonJS too (scripts/build.mjs).
'use strict';

// Node 22.1+ can keep V8's compiled code between runs (a cache in the OS temp folder). The check
// comes first because loading node:module itself costs a little. Node 20 has no such cache:
// runBundle below keeps one for the command bundles.
const nodeCompileCache =
  Number(process.versions.node.split('.')[0]) >= 22 &&
  typeof process.getBuiltinModule?.('node:module')?.enableCompileCache === 'function';
if (nodeCompileCache) process.getBuiltinModule('node:module').enableCompileCache();

// `ao … | head` closes the pipe early: that is the reader's choice, not an error. The handler is
// attached when something first uses process.stdout, not here: output.ts writes through the
// descriptor, and creating the stream for a pipe loads Node's net and stream modules.
const onStdoutError = (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
};
const stdout = Object.getOwnPropertyDescriptor(process, 'stdout');
if (stdout?.get && stdout.configurable) {
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: stdout.enumerable,
    get() {
      const stream = stdout.get.call(process);
      Object.defineProperty(process, 'stdout', stdout); // Node's own getter returns the same stream
      stream.on('error', onStdoutError);
      return stream;
    },
  });
} else process.stdout.on('error', onStdoutError);

const fs = require('node:fs');
const path = require('node:path');
const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // What main.ts would print (src/version.ts, kept equal to package.json by a test), without loading it.
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  // Each command runs from a bundle of its own (scripts/build.mjs); help and unknown commands
  // from the bundle of the whole CLI.
  const dist = path.join(__dirname, '..', 'dist', 'cli');
  const own =
    /^[a-z][a-z-]*$/.test(argv[0] ?? '') && !argv.includes('--help') && !argv.includes('-h')
      ? path.join(dist, `cmd-${argv[0]}.cjs`)
      : null;
  const ownStat = own ? fs.statSync(own, { throwIfNoEntry: false }) : undefined;
  const file = ownStat ? own : path.join(dist, 'main.cjs');
  runBundle(file, ownStat ?? fs.statSync(file)).then((code) => {
    process.exitCode = code;
  });
}

/**
 * Runs a bundle, compiled with V8's code cache from an earlier run when there is one: a
 * warm `ao inject` or `ao usage` then skips parsing and compiling most of its code (5-9 ms).
 * The cache is written after the first run of each build of a bundle, with what that run
 * compiled, under AO_HOME's cache folder; V8 checks it against its own version and flags and
 * rejects one that does not fit. The bundles hold no import() (scripts/build.mjs checks): code
 * compiled this way could only run one through an experimental loader that prints a warning.
 * Under Node 22's own compile cache, the bundle is simply required.
 */
function runBundle(file, stat) {
  if (nodeCompileCache) return require(file).main(argv);
  const vm = require('node:vm');
  const Module = require('node:module');
  const home = process.env.AO_HOME || path.join(require('node:os').homedir(), '.agents');
  const dir = path.join(home, 'cache', 'code');
  // Named by the bundle and where it is installed, then by its build: a new build replaces the
  // cache of the one before, and two installs sharing AO_HOME keep one each.
  const base = `${path.basename(file, '.cjs')}-${fnv1a(file)}`;
  const name = `${base}-${stat.size}-${Math.floor(stat.mtimeMs)}-${process.arch}.bin`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(path.join(dir, name));
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  const run = script.runInThisContext();
  run.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  const done = module.exports.main(argv);
  if (cachedData && !script.cachedDataRejected) return done;
  return done.then((code) => {
    saveCodeCache(dir, `${base}-`, name, script);
    return code;
  });
}

/** Writes a bundle's code cache (whole, by rename) in place of those of its earlier builds. */
function saveCodeCache(dir, prefix, name, script) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const old of fs.readdirSync(dir)) if (old.startsWith(prefix)) fs.rmSync(path.join(dir, old), { force: true });
    const tmp = path.join(dir, `.${name}.${process.pid}`);
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, path.join(dir, name));
  } catch {
    // A cache that cannot be written costs the next run its compile time, nothing else.
  }
}

/** FNV-1a of a string's UTF-16 code units, in hex: a short tag, not a digest (node:crypto costs ~3 ms to load). */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
