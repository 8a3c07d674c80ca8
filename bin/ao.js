#!/usr/bin/env node
// CommonJS (bin/package.json says so): loading an ES module starts Node's ES module loader,
// ~6 ms before any of our code runs. Each command is a CommonJS bundle (scripts/build.mjs) and
// never starts it; only help and --version load the ES module build.
'use strict';

// Node 22.1+ can keep V8's compiled code between runs (a cache in the OS temp folder); Node 20,
// the version we support, has no such cache, so this is only a bonus where it exists. The check
// comes first because loading node:module itself costs a little.
if (Number(process.versions.node.split('.')[0]) >= 22) {
  const module = process.getBuiltinModule?.('node:module');
  if (typeof module?.enableCompileCache === 'function') module.enableCompileCache();
}

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

// Each command runs from a bundle of its own (scripts/build.mjs); help, --version and unknown
// commands go through the whole CLI.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const argv = process.argv.slice(2);
const own =
  /^[a-z][a-z-]*$/.test(argv[0] ?? '') && !argv.includes('--help') && !argv.includes('-h')
    ? join(__dirname, '..', 'dist', 'cli', `cmd-${argv[0]}.cjs`)
    : null;
const entry = own && existsSync(own) ? Promise.resolve().then(() => require(own)) : import('../dist/cli/main.js');
entry
  .then(({ main }) => main(argv))
  .then((code) => {
    process.exitCode = code;
  });
