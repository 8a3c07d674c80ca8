import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProposedCheck } from './propose.js';

// What each stack's files say about its checks; propose.ts merges the findings into one proposal.

export type Role = 'format' | 'lint' | 'typecheck' | 'test' | 'check' | 'build';

export interface Candidate extends Omit<ProposedCheck, 'name'> {
  role: Role;
  /** The name it takes when no other stack took it first; else `<prefix>-<base>`. */
  base: string;
  prefix: string;
  /** Commands in a Makefile recipe that mean the make target already runs this check. */
  covers: RegExp[];
  /** Makefile targets only: the checks of other stacks their recipe runs. */
  covered?: Candidate[];
}

export interface Found {
  stack: string;
  candidates: Candidate[];
  /** Makefile targets only: the text of the recipe, and of the targets it depends on. */
  recipes?: Map<Candidate, string>;
}

function readText(root: string, name: string): string | null {
  try {
    return readFileSync(join(root, name), 'utf8');
  } catch {
    return null;
  }
}

const has = (root: string, ...names: string[]): string | undefined => names.find((n) => existsSync(join(root, n)));
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Which built-in figure set reads a command's output, from the tools its text names.
const TOOLS: readonly { parse: string; roles: readonly Role[]; re: RegExp }[] = [
  { parse: 'vitest', roles: ['test', 'check'], re: /\bvitest\b/ },
  { parse: 'jest', roles: ['test', 'check'], re: /\bjest\b|\breact-scripts test\b/ },
  { parse: 'mocha', roles: ['test', 'check'], re: /\b(?:ts-)?mocha\b/ },
  { parse: 'node-test', roles: ['test', 'check'], re: /\bnode\b[^|&;\n]*\s--test\b/ },
  { parse: 'pytest', roles: ['test', 'check'], re: /\bpytest\b/ },
  { parse: 'go-test', roles: ['test', 'check'], re: /\bgo test\b/ },
  { parse: 'cargo-test', roles: ['test', 'check'], re: /\bcargo test\b/ },
  { parse: 'eslint', roles: ['lint', 'check'], re: /\beslint\b/ },
  { parse: 'ruff', roles: ['lint', 'check'], re: /\bruff\b(?!\s+format)/ },
  { parse: 'tsc', roles: ['typecheck', 'build', 'check'], re: /\btsc\b/ },
  { parse: 'mypy', roles: ['typecheck', 'check'], re: /\bmypy\b/ },
];

/** The one figure set the text's tools point to for this role; none when it names several. */
function guessParse(text: string, role: Role): string | undefined {
  const found = new Set(TOOLS.filter((t) => t.roles.includes(role) && t.re.test(text)).map((t) => t.parse));
  return found.size === 1 ? [...found][0] : undefined;
}

/** A candidate check; its base name is its role unless `base` says otherwise. */
function candidate(
  prefix: string,
  role: Role,
  command: string,
  timeoutSeconds: number,
  why: string,
  covers: RegExp[],
  extra: { parse?: string | undefined; base?: string } = {},
): Candidate {
  const c: Candidate = { role, base: extra.base ?? role, prefix, command, timeoutSeconds, why, covers };
  if (extra.parse) c.parse = extra.parse;
  return c;
}

// --- package.json -------------------------------------------------------------------------------

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

const SCRIPT_ROLES: readonly { role: Role; names: readonly string[]; timeout: number }[] = [
  {
    role: 'format',
    names: ['format:check', 'format-check', 'check-format', 'check:format', 'fmt:check', 'prettier:check'],
    timeout: 120,
  },
  { role: 'lint', names: ['lint', 'lint:check', 'lint:ci'], timeout: 300 },
  {
    role: 'typecheck',
    names: ['typecheck', 'type-check', 'tsc', 'check-types', 'types:check', 'check:types'],
    timeout: 300,
  },
  { role: 'test', names: ['test', 'test:ci', 'test:unit'], timeout: 600 },
  { role: 'build', names: ['build'], timeout: 600 },
];

const PRETTIER_CHECK = /\bprettier\b[^|&;\n]*\s(?:--check|-c|--list-different|-l)\b/;

/** Scripts a gate must not run: npm's placeholder, watchers, and ones that rewrite files. */
function usableScript(text: string): boolean {
  return (
    text.trim() !== '' &&
    !/no test specified/.test(text) &&
    !/\s--(?:fix|write)\b/.test(text) &&
    !/\s--watch(?:All)?(?:\s|$)/.test(text)
  );
}

/** The `packageManager` field (corepack), else the lock file, else npm. */
export function packageManager(root: string, declared: unknown): PackageManager {
  const named = typeof declared === 'string' ? declared.split('@')[0] : undefined;
  if (named === 'npm' || named === 'pnpm' || named === 'yarn' || named === 'bun') return named;
  const locks: [string, PackageManager][] = [
    ['pnpm-lock.yaml', 'pnpm'],
    ['bun.lock', 'bun'],
    ['bun.lockb', 'bun'],
    ['yarn.lock', 'yarn'],
    ['package-lock.json', 'npm'],
    ['npm-shrinkwrap.json', 'npm'],
  ];
  return locks.find(([file]) => existsSync(join(root, file)))?.[1] ?? 'npm';
}

function runScript(pm: PackageManager, name: string): string {
  if (name === 'test' && pm !== 'bun') return `${pm} test`;
  return `${pm} run ${name}`;
}

/** A script's text and the text of the scripts it runs through the package manager. */
function expandScript(scripts: Record<string, string>, name: string, seen = new Set<string>()): string {
  seen.add(name);
  const text = scripts[name] ?? '';
  const parts = [text];
  for (const m of text.matchAll(/\b(?:npm|pnpm|yarn|bun)\s+(?:run(?:-script)?\s+)?([\w:.-]+)/g)) {
    const ref = m[1]!;
    if (scripts[ref] !== undefined && !seen.has(ref) && seen.size < 8) parts.push(expandScript(scripts, ref, seen));
  }
  return parts.join('\n');
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function detectNode(root: string): Found | null {
  const text = readText(root, 'package.json');
  if (text === null) return null;
  let pkg: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    pkg = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return { stack: 'node', candidates: [] };
  }
  const pm = packageManager(root, pkg.packageManager);
  const scripts = stringRecord(pkg.scripts);
  const deps = new Set([
    ...Object.keys(stringRecord(pkg.dependencies)),
    ...Object.keys(stringRecord(pkg.devDependencies)),
  ]);
  const candidates: Candidate[] = [];
  const add = (role: Role, name: string, timeout: number): void => {
    const body = expandScript(scripts, name);
    let parse = guessParse(body, role);
    if (!parse && role === 'test' && !TOOLS.some((t) => t.roles.includes('test') && t.re.test(body))) {
      const runners = ['vitest', 'jest', 'mocha'].filter((d) => deps.has(d));
      if (runners.length === 1) parse = runners[0];
    }
    const why = `package.json script ${JSON.stringify(name)}${parse ? ` (${parse})` : ''}`;
    const covers = new RegExp(`\\b(?:npm|pnpm|yarn|bun)(?:\\s+run(?:-script)?)?\\s+${escapeRe(name)}(?![\\w:.-])`);
    candidates.push(candidate('js', role, runScript(pm, name), timeout, why, [covers], { parse }));
  };
  for (const { role, names, timeout } of SCRIPT_ROLES) {
    const name = names.find((n) => scripts[n] !== undefined && usableScript(scripts[n]));
    if (name) add(role, name, timeout);
    else if (role === 'format') {
      // A prettier check under another name, unless the lint script already runs it.
      const lint = SCRIPT_ROLES[1]!.names.find((n) => scripts[n] !== undefined);
      if (lint && PRETTIER_CHECK.test(scripts[lint]!)) continue;
      const other = Object.keys(scripts).find((n) => PRETTIER_CHECK.test(scripts[n]!) && usableScript(scripts[n]!));
      if (other) add('format', other, timeout);
    }
  }
  return { stack: `node (${pm})`, candidates };
}

// --- Makefile -----------------------------------------------------------------------------------

interface MakeRule {
  deps: string[];
  recipe: string[];
}

const MAKE_TARGETS: Record<string, { role: Role; timeout: number }> = {
  test: { role: 'test', timeout: 600 },
  lint: { role: 'lint', timeout: 300 },
  check: { role: 'check', timeout: 600 },
  typecheck: { role: 'typecheck', timeout: 300 },
  'type-check': { role: 'typecheck', timeout: 300 },
};

/** Rules by target, from lines `targets: prerequisites` and the tab-indented recipe lines under them. */
export function parseMakefile(text: string): Map<string, MakeRule> {
  const rules = new Map<string, MakeRule>();
  let current: MakeRule[] = [];
  for (const line of text.replace(/\\\r?\n\s*/g, ' ').split(/\r?\n/)) {
    if (line.startsWith('\t')) {
      for (const rule of current) rule.recipe.push(line.trim());
      continue;
    }
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    const m = /^([^\s:=#][^:=#]*?)\s*::?(?![:=])(.*)$/.exec(line);
    current = [];
    if (!m) continue;
    const [deps = '', inline] = m[2]!.split(';', 2);
    if (deps.includes('=')) continue; // a target-specific variable
    for (const target of m[1]!.split(/\s+/)) {
      if (target === '' || target.startsWith('.') || /[%$]/.test(target)) continue;
      const rule = rules.get(target) ?? { deps: [], recipe: [] };
      rule.deps.push(...deps.split(/\s+/).filter((d) => d !== ''));
      if (inline?.trim()) rule.recipe.push(inline.trim());
      rules.set(target, rule);
      current.push(rule);
    }
  }
  return rules;
}

/** What running a target runs: its recipe, its prerequisites' and the targets it calls with make. */
function recipeText(rules: Map<string, MakeRule>, target: string, seen = new Set<string>()): string {
  const rule = rules.get(target);
  if (!rule || seen.has(target) || seen.size > 16) return '';
  seen.add(target);
  const called = rule.recipe.flatMap((l) =>
    [...l.matchAll(/(?:\$\(MAKE\)|\bmake)\s+(?:-\S+\s+)*([\w.-]+)/g)].map((m) => m[1]!),
  );
  return [...rule.recipe, ...[...rule.deps, ...called].map((t) => recipeText(rules, t, seen))].join('\n');
}

export function detectMake(root: string): Found | null {
  const file = has(root, 'GNUmakefile', 'makefile', 'Makefile');
  const text = file && readText(root, file);
  if (!file || text === null || text === undefined) return null;
  const rules = parseMakefile(text);
  const candidates: Candidate[] = [];
  const recipes = new Map<Candidate, string>();
  const roles = new Set<Role>();
  for (const [target, { role, timeout }] of Object.entries(MAKE_TARGETS)) {
    if (!rules.has(target) || roles.has(role)) continue;
    roles.add(role);
    const body = recipeText(rules, target);
    const parse = guessParse(body, role);
    const base = target === 'type-check' ? 'typecheck' : target;
    const found = candidate('make', role, `make ${target}`, timeout, `${file} target ${JSON.stringify(target)}`, [], {
      parse,
      base,
    });
    found.covered = [];
    candidates.push(found);
    recipes.set(found, body);
  }
  return { stack: 'make', candidates, recipes };
}

// --- pyproject.toml -----------------------------------------------------------------------------

interface LooseToml {
  sections: string[];
  keys: Map<string, Set<string>>;
  /** Package names listed in any dependency table or array, lower case, `_` as `-`. */
  deps: Set<string>;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

/**
 * TOML read by lines, enough to see tables, keys and dependency names (no TOML parser needed).
 * Names come from requirement arrays (`dependencies = [...]`, `[project.optional-dependencies]`,
 * `[dependency-groups]`) and from the keys of Poetry-style `[...dependencies]` tables.
 */
export function scanToml(text: string): LooseToml {
  const toml: LooseToml = { sections: [''], keys: new Map([['', new Set()]]), deps: new Set() };
  let section = '';
  let tableOf: 'groups' | 'packages' | null = null;
  let inArray = false;
  const addNames = (s: string): void => {
    for (const m of s.matchAll(/(?:^|[[,])\s*["']([A-Za-z][\w.-]*)/g)) {
      toml.deps.add(m[1]!.toLowerCase().replace(/_/g, '-'));
    }
  };
  const addArray = (value: string): void => {
    addNames(value);
    inArray = value.startsWith('[') && !value.includes(']');
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw).trim();
    if (line === '') continue;
    if (inArray) {
      addNames(line);
      if (line.includes(']')) inArray = false;
      continue;
    }
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header) {
      section = header[1]!.replace(/["']/g, '');
      toml.sections.push(section);
      if (!toml.keys.has(section)) toml.keys.set(section, new Set());
      tableOf = /optional-dependencies$|^dependency-groups$|^tool\.pdm\.dev-dependencies$/.test(section)
        ? 'groups'
        : /dependencies$/.test(section)
          ? 'packages'
          : null;
      continue;
    }
    const kv = /^["']?([\w.-]+)["']?\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const [, key, value] = kv as unknown as [string, string, string];
    toml.keys.get(section)!.add(key);
    if (tableOf === 'packages') toml.deps.add(key.toLowerCase().replace(/_/g, '-'));
    else if (tableOf === 'groups' || /dependencies$/.test(key)) addArray(value);
  }
  return toml;
}

export function detectPython(root: string): Found | null {
  const text = readText(root, 'pyproject.toml');
  const configs = ['pytest.ini', 'ruff.toml', '.ruff.toml', 'mypy.ini'].filter((f) => existsSync(join(root, f)));
  if (text === null && configs.length === 0) return null;
  const toml = scanToml(text ?? '');
  const section = (prefix: string): string | undefined =>
    toml.sections.find((s) => s === prefix || s.startsWith(`${prefix}.`));
  const listed = (name: string): boolean => [...toml.deps].some((d) => d === name || d.startsWith(`${name}-`));
  const reason = (tool: string, table: string, files: string[]): string | null => {
    const found = section(table);
    if (found) return `pyproject.toml [${found}]`;
    const file = files.find((f) => configs.includes(f) || (f === 'conftest.py' && existsSync(join(root, f))));
    if (file) return file;
    return listed(tool) ? `pyproject.toml lists ${tool}` : null;
  };
  const runner = (
    [
      ['uv.lock', 'uv'],
      ['poetry.lock', 'poetry'],
      ['pdm.lock', 'pdm'],
      ['Pipfile.lock', 'pipenv'],
    ] as const
  ).find(([lock]) => existsSync(join(root, lock)))?.[1];
  const run = runner ? `${runner} run ` : '';
  const candidates: Candidate[] = [];
  const add = (role: Role, command: string, timeout: number, why: string, covers: RegExp, parse?: string): void => {
    candidates.push(candidate('py', role, run + command, timeout, why, [covers], { parse }));
  };
  const ruffFormat = section('tool.ruff.format');
  const black = reason('black', 'tool.black', []);
  if (ruffFormat) add('format', 'ruff format --check .', 120, `pyproject.toml [${ruffFormat}]`, /\bruff\s+format\b/);
  else if (black) add('format', 'black --check .', 120, black, /\bblack\b/);
  const ruff = reason('ruff', 'tool.ruff', ['ruff.toml', '.ruff.toml']);
  if (ruff) add('lint', 'ruff check .', 120, ruff, /\bruff\b(?!\s+format)/, 'ruff');
  const mypy = reason('mypy', 'tool.mypy', ['mypy.ini']);
  if (mypy) {
    const files = toml.keys.get('tool.mypy')?.has('files') || /^\s*files\s*=/m.test(readText(root, 'mypy.ini') ?? '');
    add('typecheck', files ? 'mypy' : 'mypy .', 300, mypy, /\bmypy\b/, 'mypy');
  }
  const pytest = reason('pytest', 'tool.pytest', ['pytest.ini', 'conftest.py']);
  if (pytest) add('test', 'pytest', 600, pytest, /\bpytest\b/, 'pytest');
  return { stack: runner ? `python (${runner})` : 'python', candidates };
}

// --- go.mod, Cargo.toml -------------------------------------------------------------------------

export function detectGo(root: string): Found | null {
  if (!existsSync(join(root, 'go.mod'))) return null;
  const candidates = [
    candidate('go', 'lint', 'go vet ./...', 300, 'go.mod', [/\bgo vet\b/], { base: 'vet' }),
    candidate('go', 'test', 'go test ./...', 600, 'go.mod', [/\bgo test\b/], { parse: 'go-test' }),
  ];
  const golangci = has(root, '.golangci.yml', '.golangci.yaml', '.golangci.toml', '.golangci.json');
  if (golangci) candidates.push(candidate('go', 'lint', 'golangci-lint run', 600, golangci, [/\bgolangci-lint\b/]));
  return { stack: 'go', candidates };
}

export function detectRust(root: string): Found | null {
  const text = readText(root, 'Cargo.toml');
  if (text === null) return null;
  const ws = /^\s*\[workspace\]/m.test(text);
  const why = ws ? 'Cargo.toml [workspace]' : 'Cargo.toml';
  const candidates = [
    candidate('rust', 'format', `cargo fmt${ws ? ' --all' : ''} --check`, 120, why, [/\bcargo fmt\b/]),
    candidate('rust', 'lint', `cargo clippy${ws ? ' --workspace' : ''} -- -D warnings`, 600, why, [/\bcargo clippy\b/]),
    candidate('rust', 'test', `cargo test${ws ? ' --workspace' : ''}`, 900, why, [/\bcargo (?:test|nextest)\b/], {
      parse: 'cargo-test',
    }),
  ];
  return { stack: 'rust', candidates };
}
