#!/usr/bin/env node
// `npm run build`: bundles src/ into dist/cli/ with esbuild, one CommonJS file per command. Type
// checking stays with tsc (`npm run typecheck`); esbuild only strips types.
//
// Why this shape, measured on `ao inject` and a warm `ao usage` (see bench/README.md):
// - One file per command (`cmd-<name>.cjs`), run by bin/ao.js. From a split ES module build,
//   `ao inject` loaded about 15 files, and resolving, reading and linking them cost ~14 ms.
//   A command's lazy imports are inlined: its file holds all it may need, and what it does not
//   run is only parsed, or not even that once bin/ao.js has V8's code cache for it.
// - CommonJS: loading any ES module starts Node's ES module loader, ~6 ms before our code runs.
//   The bundles hold no import() either (checked below): bin/ao.js compiles them itself to keep
//   the code cache, and Node runs an import() in such code only through an experimental loader
//   that prints a warning. Modules from node_modules or Node are required instead
//   (createRequire, or yaml-doc.ts's loadYaml).
// - `main.cjs` is main.ts, for help, --version and unknown commands: it holds the whole CLI.
//   `read-worker.cjs` is the read pool's worker thread (src/sessions/read-pool.ts starts it by
//   its URL beside the bundle, so everything lands flat in dist/cli/).
// - citty is bundled, and so is better-sqlite3's JavaScript (its compiled addon is loaded from
//   node_modules by src/lib/sqlite.ts; `bindings`, which the package would use to find it,
//   cannot work from a bundle and is never called). yaml (loaded only when a config file has
//   settings) stays in node_modules.
// - `import.meta.url` becomes the bundle's own file URL.
//
// The commands are main.ts's table (name → ./commands/<file>.js); each entry runs its command
// through run.ts as main.ts would. `ao hook` has its own entry (hook-main.ts): no citty.
//
// `node scripts/build.mjs --analyze` prints what each output file holds.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeMetafile, build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist');
const CLI = join(ROOT, 'src', 'cli');

const COMMAND = /^ {2}([\w-]+): \(\) => import\('\.\/commands\/([\w-]+)\.js'\)/gm;
const commands = [...readFileSync(join(CLI, 'main.ts'), 'utf8').matchAll(COMMAND)].map((m) => ({
  name: m[1],
  file: m[2],
}));
if (commands.length < 10) throw new Error('scripts/build.mjs: the command table of src/cli/main.ts was not found');

const ENTRIES = [
  ...commands.map((c) => ({ in: `ao-command:${c.name}`, out: `cli/cmd-${c.name}` })),
  { in: 'src/cli/main.ts', out: 'cli/main' },
  { in: 'src/sessions/read-worker.ts', out: 'cli/read-worker' },
];

/** The entry of each command bundle, written here rather than kept as twenty files in src/. */
const commandEntries = {
  name: 'ao-command-entries',
  setup(b) {
    b.onResolve({ filter: /^ao-command:/ }, (args) => ({ path: args.path.slice(11), namespace: 'ao-command' }));
    b.onLoad({ filter: /.*/, namespace: 'ao-command' }, (args) => {
      const { name, file } = commands.find((c) => c.name === args.path);
      const contents =
        name === 'hook'
          ? "export { main } from './hook-main.ts';"
          : [
              `import command from './commands/${file}.ts';`,
              "import { runCommands } from './run.ts';",
              `export const main = (argv) => runCommands(argv, { ${JSON.stringify(name)}: () => Promise.resolve(command) });`,
            ].join('\n');
      return { contents, resolveDir: CLI, loader: 'ts' };
    });
  },
};

// Built beside dist/ and swapped in, so that stale files do not linger and a build running at
// the same time as another never mixes the two. The scratch folders sit under
// node_modules/.cache, which git, ESLint and Prettier ignore.
const SCRATCH = join(ROOT, 'node_modules', '.cache', 'ao-build');
const tmp = join(SCRATCH, `new-${process.pid}`);
rmSync(tmp, { recursive: true, force: true });
mkdirSync(SCRATCH, { recursive: true });
let result;
try {
  result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: tmp,
    outExtension: { '.js': '.cjs' },
    plugins: [commandEntries],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['bindings', 'yaml'],
    define: { 'import.meta.url': '__aoModuleUrl' },
    banner: { js: 'const __aoModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    legalComments: 'none',
    logLevel: 'warning',
    metafile: process.argv.includes('--analyze'),
  });
  for (const { out } of ENTRIES) {
    const code = readFileSync(join(tmp, `${out}.cjs`), 'utf8');
    const at = code.search(/\bimport\(/);
    if (at !== -1) throw new Error(`dist/${out}.cjs keeps an import(): ${code.slice(at, at + 60)}`);
  }
  const old = join(SCRATCH, `old-${process.pid}`);
  if (existsSync(OUT)) renameSync(OUT, old);
  renameSync(tmp, OUT);
  rmSync(old, { recursive: true, force: true });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (result.metafile) console.log(await analyzeMetafile(result.metafile));
