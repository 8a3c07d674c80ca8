import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { PRESETS } from './figures.js';
import { parseMakefile, scanToml } from './propose-stacks.js';
import { proposeGates, renderGatesYaml, type Proposal } from './propose.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ao-propose-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const pkg = (fields: Record<string, unknown>): string => JSON.stringify(fields, null, 2);

/** name → command, parse: the short view most assertions need. */
function summary(p: Proposal): Record<string, string> {
  return Object.fromEntries(p.checks.map((c) => [c.name, c.parse ? `${c.command} | ${c.parse}` : c.command]));
}

describe('package.json', () => {
  it('proposes the usual scripts, skipping npm init placeholder test script', () => {
    const root = repo({
      'package.json': pkg({
        scripts: {
          test: 'echo "Error: no test specified" && exit 1',
          lint: 'eslint .',
          typecheck: 'tsc --noEmit',
          build: 'tsc -p tsconfig.build.json',
          start: 'node dist/index.js',
        },
      }),
      'package-lock.json': '{}',
    });
    const p = proposeGates(root);
    expect(p.stack).toEqual(['node (npm)']);
    expect(p.checks).toEqual([
      {
        name: 'lint',
        command: 'npm run lint',
        timeoutSeconds: 300,
        parse: 'eslint',
        why: 'package.json script "lint" (eslint)',
      },
      {
        name: 'typecheck',
        command: 'npm run typecheck',
        timeoutSeconds: 300,
        parse: 'tsc',
        why: 'package.json script "typecheck" (tsc)',
      },
      {
        name: 'build',
        command: 'npm run build',
        timeoutSeconds: 600,
        parse: 'tsc',
        why: 'package.json script "build" (tsc)',
      },
    ]);
    expect(p.stages).toEqual({
      'pre-commit': ['lint', 'typecheck'],
      stop: ['lint', 'typecheck'],
      ci: ['lint', 'typecheck', 'build'],
    });
  });

  it.each([
    [{}, 'npm test', 'npm run lint', 'node (npm)'],
    [{ 'package-lock.json': '{}' }, 'npm test', 'npm run lint', 'node (npm)'],
    [{ 'pnpm-lock.yaml': '' }, 'pnpm test', 'pnpm run lint', 'node (pnpm)'],
    [{ 'yarn.lock': '' }, 'yarn test', 'yarn run lint', 'node (yarn)'],
    [{ 'bun.lockb': '' }, 'bun run test', 'bun run lint', 'node (bun)'],
    [{ 'bun.lock': '' }, 'bun run test', 'bun run lint', 'node (bun)'],
  ])('chooses the package manager from the lock file %j', (locks, test, lint, stack) => {
    const root = repo({ 'package.json': pkg({ scripts: { test: 'vitest run', lint: 'eslint .' } }), ...locks });
    const p = proposeGates(root);
    expect(p.stack).toEqual([stack]);
    expect(summary(p)).toEqual({ lint: `${lint} | eslint`, test: `${test} | vitest` });
  });

  it('prefers the packageManager field to a lock file', () => {
    const root = repo({
      'package.json': pkg({ packageManager: 'pnpm@9.12.0', scripts: { test: 'jest' } }),
      'package-lock.json': '{}',
    });
    expect(summary(proposeGates(root))).toEqual({ test: 'pnpm test | jest' });
  });

  it.each([
    ['vitest run', {}, 'vitest'],
    ['vitest', {}, 'vitest'],
    ['jest --ci --coverage', {}, 'jest'],
    ['react-scripts test', {}, 'jest'],
    ['mocha "test/**/*.spec.js"', {}, 'mocha'],
    ['ts-mocha -p tsconfig.json test/*.ts', {}, 'mocha'],
    ['node --test', {}, 'node-test'],
    ['node --import tsx --test src/**/*.test.ts', {}, 'node-test'],
    ['turbo run test', { vitest: '^2.0.0' }, 'vitest'],
    ['./scripts/test.sh', { jest: '^29.0.0', typescript: '^5' }, 'jest'],
    ['./scripts/test.sh', { jest: '^29.0.0', vitest: '^2' }, undefined],
    ['ava', { ava: '^6' }, undefined],
  ])('guesses the figure set of test script %j', (script, devDependencies, parse) => {
    const root = repo({ 'package.json': pkg({ scripts: { test: script }, devDependencies }) });
    const [check] = proposeGates(root).checks;
    expect(check?.parse).toBe(parse);
    expect(check?.why).toBe(`package.json script "test"${parse ? ` (${parse})` : ''}`);
  });

  it('follows a script into the scripts it runs', () => {
    const root = repo({
      'package.json': pkg({
        scripts: {
          test: 'npm run typecheck && npm run test:unit',
          'test:unit': 'vitest run --reporter=dot',
          typecheck: 'tsc -b',
          lint: 'npm-run-all lint:*',
          'lint:js': 'eslint src',
        },
      }),
    });
    expect(summary(proposeGates(root))).toEqual({
      lint: 'npm run lint',
      typecheck: 'npm run typecheck | tsc',
      test: 'npm test | vitest',
    });
  });

  it('leaves out scripts that rewrite files or watch, taking a check variant instead', () => {
    const root = repo({
      'package.json': pkg({
        scripts: {
          test: 'jest --watch',
          'test:ci': 'jest --ci',
          lint: 'eslint . --fix',
          'lint:check': 'eslint .',
          format: 'prettier --write .',
        },
      }),
    });
    expect(summary(proposeGates(root))).toEqual({
      lint: 'npm run lint:check | eslint',
      test: 'npm run test:ci | jest',
    });
  });

  it('finds a prettier check by name or by text, unless lint already runs it', () => {
    const byName = repo({ 'package.json': pkg({ scripts: { 'format:check': 'prettier --check .' } }) });
    expect(summary(proposeGates(byName))).toEqual({ format: 'npm run format:check' });
    const byText = repo({ 'package.json': pkg({ scripts: { 'style:verify': 'prettier -c src' } }) });
    expect(summary(proposeGates(byText))).toEqual({ format: 'npm run style:verify' });
    const inLint = repo({
      'package.json': pkg({ scripts: { lint: 'eslint . && prettier --check .', 'prettier:ci': 'prettier --check .' } }),
    });
    expect(summary(proposeGates(inLint))).toEqual({ lint: 'npm run lint | eslint' });
  });

  it('accepts the other typecheck script names', () => {
    for (const name of ['type-check', 'tsc', 'check-types']) {
      const root = repo({ 'package.json': pkg({ scripts: { [name]: 'vue-tsc --noEmit' } }) });
      expect(summary(proposeGates(root))).toEqual({ typecheck: `npm run ${name} | tsc` });
    }
  });

  it('survives a package.json that is not JSON', () => {
    const root = repo({ 'package.json': '{ "scripts": ' });
    expect(proposeGates(root)).toEqual({ stack: ['node'], checks: [], stages: {} });
  });
});

describe('Makefile', () => {
  it('parses target lines, ignoring special targets, variables and recipes', () => {
    const rules = parseMakefile(
      [
        '.PHONY: test lint check typecheck',
        'GO ?= go',
        'FLAGS := -race -count=1',
        'URL = http://example.com:8080',
        '# test: not a rule',
        'build: deps',
        '\t$(GO) build ./...',
        '',
        'test lint: build',
        '\t$(GO) test $(FLAGS) ./... \\',
        '\t  -timeout 5m',
        'check:: ; ./scripts/check.sh',
        'debug: CFLAGS += -g',
        '%.o: %.c',
        '\tcc -c $<',
      ].join('\n'),
    );
    expect([...rules.keys()]).toEqual(['build', 'test', 'lint', 'check']);
    expect(rules.get('test')).toEqual({ deps: ['build'], recipe: ['$(GO) test $(FLAGS) ./...  -timeout 5m'] });
    expect(rules.get('check')).toEqual({ deps: [], recipe: ['./scripts/check.sh'] });
  });

  it('proposes test, lint, check and typecheck targets, not names only listed in .PHONY', () => {
    const root = repo({
      Makefile: [
        '.PHONY: test lint check typecheck',
        'lint:',
        '\truff check src',
        'typecheck:',
        '\tmypy src',
        'check: lint typecheck',
        '',
      ].join('\n'),
    });
    const p = proposeGates(root);
    expect(p.stack).toEqual(['make']);
    expect(p.checks).toEqual([
      { name: 'lint', command: 'make lint', timeoutSeconds: 300, parse: 'ruff', why: 'Makefile target "lint" (ruff)' },
      {
        name: 'typecheck',
        command: 'make typecheck',
        timeoutSeconds: 300,
        parse: 'mypy',
        why: 'Makefile target "typecheck" (mypy)',
      },
      // check runs both ruff and mypy: no one figure set reads it.
      { name: 'check', command: 'make check', timeoutSeconds: 600, why: 'Makefile target "check"' },
    ]);
    expect(p.stages).toEqual({
      'pre-commit': ['lint', 'typecheck'],
      stop: ['lint', 'typecheck', 'check'],
      ci: ['lint', 'typecheck', 'check'],
    });
  });

  it('leaves to a target the checks its recipe already runs', () => {
    const root = repo({
      'go.mod': 'module example.com/shop\n\ngo 1.22\n',
      Makefile: 'test:\n\tgo test -race ./...\n\nci:\n\tgo vet ./...\n',
    });
    expect(proposeGates(root).checks).toEqual([
      { name: 'vet', command: 'go vet ./...', timeoutSeconds: 300, why: 'go.mod' },
      {
        name: 'test',
        command: 'make test',
        timeoutSeconds: 600,
        parse: 'go-test',
        why: 'Makefile target "test", which runs go test ./... (go-test)',
      },
    ]);
  });

  it('reads a target that runs a package script with the script tool', () => {
    const root = repo({
      'package.json': pkg({ scripts: { test: 'vitest run', lint: 'eslint .' } }),
      'pnpm-lock.yaml': '',
      GNUmakefile: 'test: node_modules\n\tpnpm test\nnode_modules:\n\tpnpm install\n',
    });
    const p = proposeGates(root);
    expect(p.stack).toEqual(['make', 'node (pnpm)']);
    expect(p.checks.map((c) => [c.name, c.command, c.parse, c.why])).toEqual([
      ['lint', 'pnpm run lint', 'eslint', 'package.json script "lint" (eslint)'],
      ['test', 'make test', 'vitest', 'GNUmakefile target "test", which runs pnpm test (vitest)'],
    ]);
  });
});

describe('pyproject.toml', () => {
  it('scans tables, keys and dependency names loosely', () => {
    const toml = scanToml(
      [
        '[project]',
        'name = "shop"',
        'dependencies = ["fastapi>=0.110", "Pydantic_Settings"]',
        '# dependencies = ["commented-out"]',
        '',
        '[project.optional-dependencies]',
        'dev = [',
        '  "pytest>=8.0",  # the runner',
        "  'pytest-cov',",
        ']',
        '',
        '[dependency-groups]',
        'lint = ["ruff==0.6.9"]',
        '',
        '[tool.poetry.group.dev.dependencies]',
        'mypy = "^1.11"',
        'black = { version = "^24", extras = ["d"] }',
        '',
        '[tool.mypy]',
        'files = ["src"]',
        'strict = true # "not-a-dep"',
      ].join('\n'),
    );
    expect(toml.sections).toEqual([
      '',
      'project',
      'project.optional-dependencies',
      'dependency-groups',
      'tool.poetry.group.dev.dependencies',
      'tool.mypy',
    ]);
    expect([...toml.deps].sort()).toEqual([
      'black',
      'fastapi',
      'mypy',
      'pydantic-settings',
      'pytest',
      'pytest-cov',
      'ruff',
    ]);
    expect([...toml.keys.get('tool.mypy')!]).toEqual(['files', 'strict']);
  });

  it('proposes pytest, ruff and mypy from their tables, with the project runner', () => {
    const root = repo({
      'pyproject.toml': [
        '[project]',
        'name = "shop"',
        '[tool.pytest.ini_options]',
        'testpaths = ["tests"]',
        '[tool.ruff]',
        'line-length = 100',
        '[tool.ruff.format]',
        'quote-style = "single"',
        '[tool.mypy]',
        'files = ["src"]',
      ].join('\n'),
      'uv.lock': '',
    });
    const p = proposeGates(root);
    expect(p.stack).toEqual(['python (uv)']);
    expect(p.checks).toEqual([
      {
        name: 'format',
        command: 'uv run ruff format --check .',
        timeoutSeconds: 120,
        why: 'pyproject.toml [tool.ruff.format]',
      },
      {
        name: 'lint',
        command: 'uv run ruff check .',
        timeoutSeconds: 120,
        parse: 'ruff',
        why: 'pyproject.toml [tool.ruff]',
      },
      {
        name: 'typecheck',
        command: 'uv run mypy',
        timeoutSeconds: 300,
        parse: 'mypy',
        why: 'pyproject.toml [tool.mypy]',
      },
      {
        name: 'test',
        command: 'uv run pytest',
        timeoutSeconds: 600,
        parse: 'pytest',
        why: 'pyproject.toml [tool.pytest.ini_options]',
      },
    ]);
  });

  it('proposes tools listed only as dependencies, and nothing for commented ones', () => {
    const root = repo({
      'pyproject.toml': [
        '[tool.poetry]',
        'name = "shop"',
        '[tool.poetry.group.dev.dependencies]',
        'pytest = "^8.0"',
        'black = "^24.0"',
        '# mypy = "^1.0"',
      ].join('\n'),
      'poetry.lock': '',
    });
    const p = proposeGates(root);
    expect(p.stack).toEqual(['python (poetry)']);
    expect(p.checks.map((c) => [c.name, c.command, c.why])).toEqual([
      ['format', 'poetry run black --check .', 'pyproject.toml lists black'],
      ['test', 'poetry run pytest', 'pyproject.toml lists pytest'],
    ]);
  });

  it('reads tool config files without a pyproject.toml', () => {
    const root = repo({ 'pytest.ini': '[pytest]\n', 'ruff.toml': 'line-length = 88\n', 'mypy.ini': '[mypy]\n' });
    expect(proposeGates(root).checks.map((c) => [c.name, c.command, c.why])).toEqual([
      ['lint', 'ruff check .', 'ruff.toml'],
      ['typecheck', 'mypy .', 'mypy.ini'],
      ['test', 'pytest', 'pytest.ini'],
    ]);
  });
});

describe('go.mod and Cargo.toml', () => {
  it('proposes go vet and go test, and golangci-lint with its config', () => {
    const root = repo({ 'go.mod': 'module example.com/shop\n', '.golangci.yml': 'linters: {}\n' });
    const p = proposeGates(root);
    expect(p.stack).toEqual(['go']);
    expect(summary(p)).toEqual({
      vet: 'go vet ./...',
      lint: 'golangci-lint run',
      test: 'go test ./... | go-test',
    });
    expect(p.stages).toEqual({
      'pre-commit': ['vet', 'lint'],
      stop: ['vet', 'lint', 'test'],
      ci: ['vet', 'lint', 'test'],
    });
  });

  it('proposes cargo fmt, clippy and test, across a workspace when there is one', () => {
    const crate = repo({ 'Cargo.toml': '[package]\nname = "shop"\nversion = "0.1.0"\n' });
    expect(summary(proposeGates(crate))).toEqual({
      format: 'cargo fmt --check',
      lint: 'cargo clippy -- -D warnings',
      test: 'cargo test | cargo-test',
    });
    const ws = repo({ 'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n' });
    expect(summary(proposeGates(ws))).toEqual({
      format: 'cargo fmt --all --check',
      lint: 'cargo clippy --workspace -- -D warnings',
      test: 'cargo test --workspace | cargo-test',
    });
    expect(proposeGates(ws).checks[0]?.why).toBe('Cargo.toml [workspace]');
  });
});

describe('several stacks', () => {
  it('keeps every stack and gives later ones prefixed names', () => {
    const root = repo({
      'package.json': pkg({
        scripts: { test: 'vitest run', lint: 'eslint .', build: 'vite build' },
        devDependencies: { vitest: '^2' },
      }),
      'package-lock.json': '{}',
      'pyproject.toml': '[project]\nname = "api"\n[dependency-groups]\ndev = ["pytest", "ruff"]\n',
      'Cargo.toml': '[package]\nname = "core"\n',
    });
    const p = proposeGates(root);
    expect(p.stack).toEqual(['node (npm)', 'python', 'rust']);
    expect(summary(p)).toEqual({
      format: 'cargo fmt --check',
      lint: 'npm run lint | eslint',
      'py-lint': 'ruff check . | ruff',
      'rust-lint': 'cargo clippy -- -D warnings',
      test: 'npm test | vitest',
      'py-test': 'pytest | pytest',
      'rust-test': 'cargo test | cargo-test',
      build: 'npm run build',
    });
    expect(p.stages).toEqual({
      'pre-commit': ['format', 'lint', 'py-lint', 'rust-lint'],
      stop: ['format', 'lint', 'py-lint', 'rust-lint', 'test', 'py-test', 'rust-test'],
      ci: ['format', 'lint', 'py-lint', 'rust-lint', 'test', 'py-test', 'rust-test', 'build'],
    });
    expect(new Set(p.checks.map((c) => c.name)).size).toBe(p.checks.length);
    for (const c of p.checks) if (c.parse) expect(PRESETS[c.parse], c.parse).toBeDefined();
  });
});

describe('renderGatesYaml', () => {
  it('writes a file the YAML parser reads into checks and stages', () => {
    const root = repo({
      'package.json': pkg({ scripts: { test: 'vitest run', lint: 'eslint .', typecheck: 'tsc --noEmit' } }),
      'go.mod': 'module x\n',
    });
    const p = proposeGates(root);
    const text = renderGatesYaml(p);
    expect(parseYaml(text)).toEqual({
      checks: {
        lint: { command: 'npm run lint', timeout: 300, parse: 'eslint' },
        vet: { command: 'go vet ./...', timeout: 300 },
        typecheck: { command: 'npm run typecheck', timeout: 300, parse: 'tsc' },
        test: { command: 'npm test', timeout: 600, parse: 'vitest' },
        'go-test': { command: 'go test ./...', timeout: 600, parse: 'go-test' },
      },
      stages: {
        'pre-commit': ['lint', 'vet', 'typecheck'],
        stop: ['lint', 'vet', 'typecheck', 'test', 'go-test'],
        ci: ['lint', 'vet', 'typecheck', 'test', 'go-test'],
      },
    });
    expect(text).toContain('    # package.json script "test" (vitest)\n    command: npm test\n');
    expect(text).toMatch(/^# The validation pipeline/);
    expect(text).toContain('Proposed by `ao init` from: node (npm), go.');
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('quotes whatever YAML would read differently', () => {
    const commands = [
      'echo "a: b" # c',
      'yes',
      'null',
      '123',
      '1e3',
      '0x1F',
      '- dash',
      '{x}',
      '[x]',
      '*alias',
      '&anchor',
      '!tag',
      '@at',
      '%pct',
      '`tick`',
      '? q',
      'trailing ',
      'ends with:',
      'test -z "$(gofmt -l .)"',
      'make test && ./scripts/e2e.sh | tee out.log',
      "python -c 'print(1)'",
    ];
    const p: Proposal = {
      stack: ['x'],
      checks: commands.map((command, i) => ({
        name: `c${i}`,
        command,
        timeoutSeconds: 60,
        why: `why #${i}: odd\nline`,
      })),
      stages: { 'pre-commit': ['c0'], 'odd, stage': ['c1'] },
    };
    const data = parseYaml(renderGatesYaml(p)) as {
      checks: Record<string, { command: string }>;
      stages: Record<string, string[]>;
    };
    expect(Object.values(data.checks).map((c) => c.command)).toEqual(commands);
    expect(data.stages).toEqual({ 'pre-commit': ['c0'], 'odd, stage': ['c1'] });
    // Plain where plain reads the same.
    expect(renderGatesYaml(p)).toContain('    command: make test && ./scripts/e2e.sh | tee out.log\n');
  });

  it('writes a fully commented template when nothing was found', () => {
    const empty = proposeGates(repo({ 'README.md': '# hi\n' }));
    expect(empty).toEqual({ stack: [], checks: [], stages: {} });
    const text = renderGatesYaml(empty);
    expect(parseYaml(text)).toBeNull();
    for (const line of text.trimEnd().split('\n')) expect(line, line).toMatch(/^#/);
    expect(text).toContain('No check was found to propose');
    expect(text).toContain('#   pre-commit: [lint]');
    expect(text).toContain('vitest');
    // The example is the real format once uncommented.
    const lines = text.trimEnd().split('\n');
    const example = lines.slice(lines.findIndex((l) => l.endsWith('for example:')) + 1).map((l) => l.slice(2));
    expect(parseYaml(example.join('\n'))).toEqual({
      checks: {
        lint: { command: 'npm run lint', timeout: 300, parse: 'eslint' },
        test: { command: 'npm test', timeout: 600, parse: 'vitest' },
      },
      stages: { 'pre-commit': ['lint'], stop: ['lint', 'test'], ci: ['lint', 'test'] },
      settings: { parallel: 2 },
    });
  });

  it('says which stack it saw when it found no check', () => {
    const text = renderGatesYaml(proposeGates(repo({ 'package.json': pkg({ scripts: { start: 'node .' } }) })));
    expect(text).toContain('Found node (npm) but no check to propose');
    expect(parseYaml(text)).toBeNull();
  });
});
