#!/usr/bin/env node
// `npm run build`: bundles src/ into dist/ with esbuild. A run then loads a dozen files instead
// of one per source module: Node resolves, reads, compiles and links every ES module separately,
// and that showed as a quarter of a warm `ao usage`. Type checking stays with tsc (`npm run
// typecheck`); esbuild only strips types.
//
// - Code splitting keeps lazy imports lazy: every `await import()` target is its own chunk, so
//   `ao --version` still loads main.js alone and a warm run loads no parser.
// - Everything lands flat in dist/cli/, so a relative URL such as the read pool's
//   `new URL('./read-worker.js', import.meta.url)` resolves the same from whichever chunk holds
//   the code. A new worker (or any file loaded by URL) must be added to ENTRIES.
// - citty is bundled (ESM, small, on every run), and so is better-sqlite3's JavaScript (its
//   compiled addon is loaded from node_modules by src/lib/sqlite.ts; `bindings`, which the
//   package would use to find it, cannot work from a bundle and is never called). yaml (loaded
//   only when a config file has settings) stays in node_modules.
//
// `node scripts/build.mjs --analyze` prints what each output file holds.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeMetafile, build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist');

const ENTRIES = [
  // What bin/ao.js imports for help, --version and unknown commands.
  { in: 'src/cli/main.ts', out: 'cli/main' },
  // Started by src/sessions/read-pool.ts as new Worker(new URL('./read-worker.js', import.meta.url)).
  { in: 'src/sessions/read-worker.ts', out: 'cli/read-worker' },
];

// Every command also gets one CommonJS file of its own, without splitting: dist/cli/cmd-<name>.cjs,
// which bin/ao.js runs. From the split build, `ao inject` loaded about 15 files, and resolving,
// reading and linking them cost ~14 ms; any ES module also starts Node's ES module loader (~6 ms
// more). A command's lazy imports are inlined: its file holds all it may need, and what it does
// not run is only parsed. `import.meta.url` becomes the file's own URL.
//
// The commands are main.ts's table (name → ./commands/<file>.js); each entry runs its command
// through run.ts as main.ts would. `ao hook` has its own entry (hook-main.ts): no citty.
const COMMAND = /^ {2}([\w-]+): \(\) => import\('\.\/commands\/([\w-]+)\.js'\)/gm;
const commands = [...readFileSync(join(ROOT, 'src', 'cli', 'main.ts'), 'utf8').matchAll(COMMAND)].map((m) => ({
  name: m[1],
  file: m[2],
}));
if (commands.length < 10) throw new Error('scripts/build.mjs: the command table of src/cli/main.ts was not found');

const commandEntries = {
  name: 'ao-command-entries',
  setup(b) {
    b.onResolve({ filter: /^ao-command:/ }, (args) => ({ path: args.path.slice(11), namespace: 'ao-command' }));
    b.onLoad({ filter: /.*/, namespace: 'ao-command' }, (args) => {
      const { name, file } = commands.find((c) => c.name === args.path);
      if (name === 'hook')
        return {
          contents: "export { main } from './hook-main.ts';",
          resolveDir: join(ROOT, 'src', 'cli'),
          loader: 'ts',
        };
      const contents = [
        `import command from './commands/${file}.ts';`,
        "import { runCommands } from './run.ts';",
        `export const main = (argv) => runCommands(argv, { ${JSON.stringify(name)}: () => Promise.resolve(command) });`,
      ].join('\n');
      return { contents, resolveDir: join(ROOT, 'src', 'cli'), loader: 'ts' };
    });
  },
};

// An ES module import of a Node built-in goes through a facade that reads every export, and for
// node:fs that loads its stream classes (about 20 internal modules, ~2 ms at every start). So the
// chunks take built-ins with require() instead: esbuild writes one `import … from "node:…"` per
// built-in at the top of a chunk, and each becomes a `const … = __aoRequire(…)` here. (Dynamic
// imports of built-ins, such as the read pool's node:worker_threads, stay as they are.)
const BUILTIN_IMPORT = /^import ([^;]*?) from "(node:[\w/]+)";$/gm;

function requireBuiltins(code, file) {
  let changed = false;
  const out = code.replace(BUILTIN_IMPORT, (line, clause, spec) => {
    const req = `__aoRequire(${JSON.stringify(spec)})`;
    const named = (list) =>
      list
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => n.replace(/^([\w$]+) as ([\w$]+)$/, '$1: $2'))
        .join(', ');
    let m;
    changed = true;
    if ((m = /^\* as ([\w$]+)$/.exec(clause))) return `const ${m[1]} = ${req};`;
    if ((m = /^\{([^}]*)\}$/.exec(clause))) return `const { ${named(m[1])} } = ${req};`;
    if ((m = /^([\w$]+), \{([^}]*)\}$/.exec(clause)))
      return `const ${m[1]} = ${req};\nconst { ${named(m[2])} } = ${m[1]};`;
    if ((m = /^([\w$]+)$/.exec(clause))) return `const ${m[1]} = ${req};`;
    throw new Error(`${file}: cannot turn this import into a require: ${line}`);
  });
  // CommonJS bundled in (better-sqlite3's JavaScript) requires built-ins through esbuild's
  // __require, which calls the `require` in scope where it is defined.
  const commonJs = code.includes('var __require = ');
  if (!changed && !commonJs) return code;
  // process.getBuiltinModule (Node 20.16+) needs no module at all; before it, node:module.
  const head =
    'const __aoRequire = process.getBuiltinModule ?? (await import("node:module")).createRequire(import.meta.url);' +
    (commonJs ? '\nconst require = __aoRequire;' : '');
  return `${head}\n${out}`;
}

function rewriteChunks(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!name.endsWith('.js')) continue;
    const code = readFileSync(file, 'utf8');
    const next = requireBuiltins(code, file);
    if (next !== code) writeFileSync(file, next);
  }
}

// Built beside dist/ and swapped in, so that stale chunks (or tsc's one-file-per-module output)
// do not linger and a build running at the same time as another never mixes the two.
// The scratch folders sit under node_modules/.cache, which git, ESLint and Prettier ignore.
const SCRATCH = join(ROOT, 'node_modules', '.cache', 'ao-build');
const tmp = join(SCRATCH, `new-${process.pid}`);
rmSync(tmp, { recursive: true, force: true });
mkdirSync(SCRATCH, { recursive: true });
let result;
try {
  const common = {
    absWorkingDir: ROOT,
    outdir: tmp,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['bindings', 'yaml'],
    legalComments: 'none',
    logLevel: 'warning',
    metafile: process.argv.includes('--analyze'),
  };
  const [split, own] = await Promise.all([
    build({ ...common, entryPoints: ENTRIES, chunkNames: 'cli/[name]-[hash]', splitting: true }),
    build({
      ...common,
      entryPoints: commands.map((c) => ({ in: `ao-command:${c.name}`, out: `cli/cmd-${c.name}` })),
      plugins: [commandEntries],
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      define: { 'import.meta.url': '__aoModuleUrl' },
      banner: { js: 'const __aoModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    }),
  ]);
  result = { metafiles: [split.metafile, own.metafile].filter(Boolean) };
  // bin/ao.js compiles these bundles itself (to keep V8's code cache), and Node handles an
  // import() in such code only through an experimental loader that prints a warning: a module
  // from node_modules or Node is required instead (createRequire, or yaml-doc.ts's loadYaml).
  for (const { name } of commands) {
    const code = readFileSync(join(tmp, 'cli', `cmd-${name}.cjs`), 'utf8');
    const at = code.search(/\bimport\(/);
    if (at !== -1) throw new Error(`dist/cli/cmd-${name}.cjs keeps an import(): ${code.slice(at, at + 60)}`);
  }
  rewriteChunks(join(tmp, 'cli'));
  const old = join(SCRATCH, `old-${process.pid}`);
  if (existsSync(OUT)) renameSync(OUT, old);
  renameSync(tmp, OUT);
  rmSync(old, { recursive: true, force: true });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
for (const metafile of result.metafiles) console.log(await analyzeMetafile(metafile));
