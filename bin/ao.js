#!/usr/bin/env node
// CommonJS (bin/package.json says so): loading an ES module starts Node's ES module loader,
// ~6 ms before any of our code runs. The commands agents run on every prompt and tool call are
// CommonJS bundles (scripts/build.mjs) and never start it; the rest of the CLI is ESM.
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

// What an agent runs on every prompt and tool call has a bundle of its own (scripts/build.mjs);
// help for it comes from the whole CLI.
const argv = process.argv.slice(2);
const hot = (argv[0] === 'inject' || argv[0] === 'hook') && !argv.includes('--help') && !argv.includes('-h');
const entry = hot
  ? Promise.resolve().then(() => require(`../dist/cli/hot-${argv[0]}.cjs`))
  : import('../dist/cli/main.js');
entry
  .then(({ main }) => main(argv))
  .then((code) => {
    process.exitCode = code;
  });
