import { matchesAny } from '../index/glob.js';
import type { ChangedFile } from './change.js';
import type { RatchetMove } from './types.js';

/**
 * `ao risk`: scores a change and decides whether it may merge on gates alone or needs a person's
 * sign-off, with a one-line reason for every point. Pure: files and ratchet moves in, a report out.
 * The bands and weights are documented in docs/risk.md; change both together.
 */

export interface RiskConfig {
  /** A score at or above it needs a person's sign-off. */
  threshold: number;
  /** Globs of paths whose change adds points (matched case-insensitively). */
  sensitive: string[];
  /** Globs of paths whose change always needs a person's sign-off, whatever the score. */
  signOff: string[];
}

/** Generated files: sensitive (they pin dependencies) but their lines are not counted in size. */
const LOCK_FILES = [
  '*.lock',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'bun.lockb',
  'go.sum',
  'gradle.lockfile',
  'packages.lock.json',
];

/** The agents' own envelope: the hooks that run the guard and the gates, per agent (see `ao init`). */
const HOOK_SETTINGS = [
  '.claude/settings.json',
  '.claude/settings.local.json',
  '.codex/hooks.json',
  '.gemini/settings.json',
  '.cursor/hooks.json',
  '.opencode/plugins/**',
];

const CI_FILES = [
  '.github/workflows/**',
  '.github/actions/**',
  '.gitlab-ci.yml',
  '.circleci/**',
  '.buildkite/**',
  'Jenkinsfile',
  'azure-pipelines.yml',
];

export const DEFAULT_RISK: RiskConfig = {
  threshold: 40,
  sensitive: [
    // Authentication, authorization, secrets, cryptography.
    '**/auth/**',
    '*auth.*',
    '*authn*',
    '*authz*',
    '*authenticat*',
    '*authoriz*',
    '*oauth*',
    '*login*',
    '*password*',
    '**/security/**',
    '*security*',
    '*secret*',
    '**/crypto/**',
    '*crypto*',
    '*encrypt*',
    '*permission*',
    '*rbac*',
    // Database schema.
    '**/migrations/**',
    '**/migrate/**',
    '*.sql',
    '*.prisma',
    // CI and build.
    ...CI_FILES,
    '.ci/**',
    // Dependency manifests and lock files.
    'package.json',
    '.npmrc',
    'go.mod',
    'Cargo.toml',
    'pyproject.toml',
    'requirements*.txt',
    'Pipfile',
    'Gemfile',
    'composer.json',
    'pom.xml',
    'build.gradle',
    'build.gradle.kts',
    'mix.exs',
    ...LOCK_FILES,
    // Infrastructure.
    'Dockerfile',
    'Dockerfile.*',
    '*.dockerfile',
    'docker-compose*.yml',
    'docker-compose*.yaml',
    'compose.yml',
    'compose.yaml',
    '**/infra/**',
    '**/terraform/**',
    '*.tf',
    '*.tfvars',
    '**/k8s/**',
    '**/helm/**',
    // The agents' envelope.
    '.agents/policy.yaml',
    '.agents/gates.yaml',
    '.agents/config.yaml',
    ...HOOK_SETTINGS,
    'CODEOWNERS',
  ],
  signOff: ['.agents/policy.yaml', '.agents/gates.yaml', ...CI_FILES, ...HOOK_SETTINGS],
};

export type RiskFactorName = 'size' | 'files' | 'sensitive' | 'tests' | 'deletions' | 'ratchet' | 'binary';

export interface RiskFactor {
  name: RiskFactorName;
  /** Negative points lower the score (only tests changed, figures improved). */
  points: number;
  why: string;
}

/** Something that needs a person whatever the score. */
export interface RiskTrigger {
  name: 'sign-off-path' | 'ratchet-regression';
  why: string;
}

export type RiskDecision = 'gates' | 'sign-off';

export interface RiskReport {
  /** 0–100: the sum of the factors' points, bounded. */
  score: number;
  threshold: number;
  decision: RiskDecision;
  factors: RiskFactor[];
  triggers: RiskTrigger[];
  /** Why the decision fell as it did, one line each. */
  reasons: string[];
}

/** Scores a change: every factor with its points and why, the hard triggers, the decision. */
export function scoreRisk(
  files: readonly ChangedFile[],
  moves: readonly RatchetMove[],
  config: RiskConfig = DEFAULT_RISK,
): RiskReport {
  const factors = [
    sizeFactor(files),
    filesFactor(files),
    sensitiveFactor(files, config.sensitive),
    testsFactor(files),
    deletionsFactor(files),
    ratchetFactor(moves),
    binaryFactor(files),
  ];
  const triggers = [...signOffTriggers(files, config.signOff), ...regressionTriggers(moves)];
  const sum = factors.reduce((total, f) => total + f.points, 0);
  const score = Math.max(0, Math.min(100, sum));
  const overThreshold = score >= config.threshold;
  const decision: RiskDecision = overThreshold || triggers.length > 0 ? 'sign-off' : 'gates';
  const reasons: string[] = [];
  if (overThreshold) {
    const top = factors
      .filter((f) => f.points > 0)
      .sort((a, b) => b.points - a.points)
      .slice(0, 3)
      .map((f) => `${f.name} +${f.points}`);
    reasons.push(`score ${score} ≥ threshold ${config.threshold}${top.length > 0 ? ` (${top.join(', ')})` : ''}`);
  }
  reasons.push(...triggers.map((t) => t.why));
  if (decision === 'gates') reasons.push(`score ${score} < threshold ${config.threshold} and no hard trigger`);
  return { score, threshold: config.threshold, decision, factors, triggers, reasons };
}

/** Upper bounds (inclusive) and their points. */
type Bands = readonly (readonly [number, number])[];
const SIZE_BANDS: Bands = [
  [20, 0],
  [100, 5],
  [300, 10],
  [600, 18],
  [1000, 24],
  [Infinity, 30],
];
const FILE_BANDS: Bands = [
  [3, 0],
  [10, 5],
  [20, 10],
  [40, 15],
  [Infinity, 20],
];

function band(value: number, bands: Bands): number {
  return (bands.find(([max]) => value <= max) ?? [0, 0])[1];
}

function sizeFactor(files: readonly ChangedFile[]): RiskFactor {
  const counted = files.filter((f) => !isLockFile(f.path));
  const added = sum(counted, (f) => f.added);
  const deleted = sum(counted, (f) => f.deleted);
  const locks = sum(files, (f) => f.added + f.deleted) - added - deleted;
  const lines = added + deleted;
  let why =
    lines === 0 ? 'no lines changed' : `${n(lines)} ${plural(lines, 'line')} changed (+${n(added)} -${n(deleted)})`;
  if (locks > 0) why += `; ${n(locks)} lock-file ${plural(locks, 'line')} not counted`;
  return { name: 'size', points: band(lines, SIZE_BANDS), why };
}

function filesFactor(files: readonly ChangedFile[]): RiskFactor {
  const places = [...new Set(files.map((f) => (f.path.includes('/') ? `${f.path.split('/')[0]}/` : '')))].sort();
  const where = places.map((p) => p || 'the top level');
  const why =
    files.length === 0 ? 'no files changed' : `${files.length} ${plural(files.length, 'file')} in ${few(where)}`;
  return { name: 'files', points: band(files.length, FILE_BANDS), why };
}

function sensitiveFactor(files: readonly ChangedFile[], globs: readonly string[]): RiskFactor {
  const hits = files.flatMap((f) => {
    const glob = firstMatch(f, globs);
    return glob === undefined ? [] : [`${f.path} (${glob})`];
  });
  if (hits.length === 0) return { name: 'sensitive', points: 0, why: 'no sensitive path touched' };
  return { name: 'sensitive', points: Math.min(30, 15 + 5 * (hits.length - 1)), why: `touches ${few(hits)}` };
}

const TEST_GLOBS = [
  '**/test/**',
  '**/tests/**',
  '**/__tests__/**',
  '**/spec/**',
  '**/e2e/**',
  '*.test.*',
  '*.spec.*',
  '*_test.*',
  '*_spec.*',
  'test_*.py',
  '*Test.java',
  '*Test.kt',
  '*Tests.cs',
  '*Test.cs',
];

const SOURCE = new Set(
  (
    'ts tsx mts cts js jsx mjs cjs py go rs java kt kts scala rb php c h cc cpp cxx hpp hh cs swift m mm ' +
    'ex exs erl hs ml clj lua pl sh bash zsh ps1 dart vue svelte'
  ).split(' '),
);

function isTest(path: string): boolean {
  return TEST_GLOBS.some((g) => matchesAny(g, [path]));
}

function isSource(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && SOURCE.has(base.slice(dot + 1).toLowerCase()) && !isTest(path);
}

function testsFactor(files: readonly ChangedFile[]): RiskFactor {
  const source = files.filter((f) => isSource(f.path));
  const tests = files.filter((f) => isTest(f.path));
  const removed = tests.filter((f) => f.status === 'deleted');
  const touched = tests.length - removed.length;
  let points = 0;
  const why: string[] = [];
  if (source.length > 0 && touched === 0) {
    points += 15;
    why.push(`${source.length} source ${plural(source.length, 'file')} changed, no test file added or changed`);
  } else if (source.length > 0) {
    why.push(
      `${touched} test ${plural(touched, 'file')} changed with ${source.length} source ${plural(source.length, 'file')}`,
    );
  } else if (touched > 0 && removed.length === 0) {
    points -= 10;
    why.push(`only tests changed (${touched} ${plural(touched, 'file')}), no source`);
  } else if (removed.length === 0) why.push('no source code changed');
  if (removed.length > 0) {
    points += 15;
    why.push(`deletes ${removed.length} test ${plural(removed.length, 'file')}: ${few(removed.map((f) => f.path))}`);
  }
  return { name: 'tests', points, why: why.join('; ') };
}

function deletionsFactor(files: readonly ChangedFile[]): RiskFactor {
  const counted = files.filter((f) => !isLockFile(f.path));
  const added = sum(counted, (f) => f.added);
  const deleted = sum(counted, (f) => f.deleted);
  const gone = files.filter((f) => f.status === 'deleted').length;
  const removedFiles = gone > 0 ? `, ${gone} ${plural(gone, 'file')} removed` : '';
  if (deleted >= 50 && deleted >= 2 * added) {
    return {
      name: 'deletions',
      points: 10,
      why: `mostly deletions: -${n(deleted)} against +${n(added)}${removedFiles}`,
    };
  }
  return { name: 'deletions', points: 0, why: `not deletion-heavy (-${n(deleted)} +${n(added)}${removedFiles})` };
}

function ratchetFactor(moves: readonly RatchetMove[]): RiskFactor {
  const regressed = moves.filter((m) => m.kind === 'regressed');
  const allowed = moves.filter((m) => m.kind === 'allowed');
  const improved = moves.filter((m) => m.kind === 'improved');
  if (moves.length === 0) return { name: 'ratchet', points: 0, why: 'no ratchet figure moved' };
  const why = [
    ...regressed.map((m) => `${move(m)} regressed (not allowed)`),
    ...allowed.map((m) => `${move(m)} moved back, allowed: ${m.reason?.trim() || 'no reason given'}`),
    ...improved.map((m) => `${move(m)} improved`),
  ];
  let points = Math.min(40, 25 * regressed.length + 10 * allowed.length);
  if (points === 0) points = -5;
  return { name: 'ratchet', points, why: why.join('; ') };
}

function binaryFactor(files: readonly ChangedFile[]): RiskFactor {
  const binary = files.filter((f) => f.binary);
  if (binary.length === 0) return { name: 'binary', points: 0, why: 'no binary files' };
  return {
    name: 'binary',
    points: Math.min(15, 5 * binary.length),
    why: `${binary.length} binary ${plural(binary.length, 'file')} (not reviewable as text): ${few(binary.map((f) => f.path))}`,
  };
}

function signOffTriggers(files: readonly ChangedFile[], globs: readonly string[]): RiskTrigger[] {
  return files.flatMap((f) => {
    const glob = firstMatch(f, globs);
    if (glob === undefined) return [];
    return [{ name: 'sign-off-path' as const, why: `${f.path} always needs a person's sign-off (${glob})` }];
  });
}

function regressionTriggers(moves: readonly RatchetMove[]): RiskTrigger[] {
  return moves
    .filter((m) => m.kind === 'regressed')
    .map((m) => ({ name: 'ratchet-regression' as const, why: `${move(m)} regressed with no recorded allow` }));
}

/** The first glob that either path of a file (a rename has two) falls under, case-insensitively. */
function firstMatch(file: ChangedFile, globs: readonly string[]): string | undefined {
  const paths = [file.path, ...(file.oldPath !== undefined ? [file.oldPath] : [])].map((p) => p.toLowerCase());
  return globs.find((g) => matchesAny(g.toLowerCase(), paths));
}

function isLockFile(path: string): boolean {
  return LOCK_FILES.some((g) => matchesAny(g, [path]));
}

function move(m: RatchetMove): string {
  const at = m.commit ? ` at ${m.commit.slice(0, 7)}` : '';
  return `${m.figure} ${m.from} → ${m.to}${at}`;
}

function few(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function sum(files: readonly ChangedFile[], of: (f: ChangedFile) => number): number {
  return files.reduce((total, f) => total + of(f), 0);
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}
