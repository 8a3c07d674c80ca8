import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord } from '../lib/json.js';
import { packageManager, type PackageManager } from './propose-stacks.js';

/**
 * `ao gate ci`: a CI job that runs the ci stage, so CI judges with the same checks as the
 * pre-commit and stop hooks. The set-up steps follow the repository's stack.
 */
export const CI_PROVIDERS = ['github', 'gitlab'] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

export const CI_FILES: Record<CiProvider, string> = {
  github: '.github/workflows/ao-gates.yml',
  gitlab: '.gitlab-ci.yml',
};

interface Stack {
  node: { install: string } | null;
  python: boolean;
  go: boolean;
  /** How CI calls ao: the project's own dependency, or a global install. */
  ao: { install: string | null; run: string };
}

/** How CI installs the project's packages, with the package manager `ao init` proposes checks for. */
const INSTALL: Record<PackageManager, string> = {
  pnpm: 'corepack enable && pnpm install --frozen-lockfile',
  yarn: 'corepack enable && yarn install --frozen-lockfile',
  bun: 'npm install -g bun && bun install --frozen-lockfile',
  npm: 'npm ci',
};

export function stackOf(root: string): Stack {
  const pkgFile = join(root, 'package.json');
  let node: Stack['node'] = null;
  let ownAo = false;
  if (existsSync(pkgFile)) {
    let pkg: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(readFileSync(pkgFile, 'utf8')) as unknown;
      if (isRecord(parsed)) pkg = parsed;
    } catch {
      // An unreadable package.json: npm, and ao installed globally.
    }
    const pm = packageManager(root, pkg.packageManager);
    const locked = existsSync(join(root, 'package-lock.json')) || existsSync(join(root, 'npm-shrinkwrap.json'));
    // npm ci needs a lock file; without one, npm install.
    node = { install: pm === 'npm' && !locked ? 'npm install' : INSTALL[pm] };
    const deps = (field: unknown): boolean => isRecord(field) && 'agentops' in field;
    ownAo = deps(pkg.dependencies) || deps(pkg.devDependencies) || pkg.name === 'agentops';
  }
  return {
    node,
    python: existsSync(join(root, 'pyproject.toml')) || existsSync(join(root, 'requirements.txt')),
    go: existsSync(join(root, 'go.mod')),
    ao: ownAo ? { install: null, run: 'npx ao' } : { install: 'npm install -g agentops', run: 'ao' },
  };
}

export function ciJob(provider: CiProvider, root: string): string {
  const stack = stackOf(root);
  return provider === 'github' ? githubJob(stack) : gitlabJob(stack);
}

function githubJob(stack: Stack): string {
  const steps: string[] = [
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4',
    '        with:',
    '          node-version: 20',
  ];
  if (stack.python)
    steps.push('      - uses: actions/setup-python@v5', '        with:', "          python-version: '3.12'");
  if (stack.go) steps.push('      - uses: actions/setup-go@v5', '        with:', '          go-version-file: go.mod');
  if (stack.node) steps.push(`      - run: ${stack.node.install}`);
  if (stack.ao.install) steps.push(`      - run: ${stack.ao.install}`);
  steps.push(
    '      # The ci stage of .agents/gates.yaml, with the ratchet over the committed ledger.',
    `      - run: ${stack.ao.run} gate run --stage ci --via ci`,
    '      - if: always()',
    '        uses: actions/upload-artifact@v4',
    '        with:',
    '          name: ao-verdicts',
    '          path: .agents/ledger/verdicts.jsonl',
    '          if-no-files-found: ignore',
  );
  return [
    '# Written by `ao gate ci`: runs the ci stage of .agents/gates.yaml, the same checks as the',
    "# pre-commit hook and the agents' stop hook.",
    'name: ao gates',
    'on:',
    '  push:',
    '  pull_request:',
    'jobs:',
    '  gates:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    ...steps,
    '',
  ].join('\n');
}

function gitlabJob(stack: Stack): string {
  const script: string[] = [];
  if (stack.node) script.push(stack.node.install);
  if (stack.ao.install) script.push(stack.ao.install);
  script.push(`${stack.ao.run} gate run --stage ci --via ci`);
  const notes = [
    ...(stack.python
      ? ['# The repository has Python: use an image with both Node 20 and Python, or install it in before_script.']
      : []),
    ...(stack.go
      ? ['# The repository has Go: use an image with both Node 20 and Go, or install it in before_script.']
      : []),
  ];
  return [
    '# Written by `ao gate ci`: runs the ci stage of .agents/gates.yaml, the same checks as the',
    "# pre-commit hook and the agents' stop hook. Merge it into .gitlab-ci.yml.",
    ...notes,
    'ao-gates:',
    '  image: node:20',
    '  script:',
    ...script.map((s) => `    - ${s}`),
    '  artifacts:',
    '    when: always',
    '    paths:',
    '      - .agents/ledger/verdicts.jsonl',
    '',
  ].join('\n');
}
