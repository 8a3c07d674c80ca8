import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileKey, readFileCache, writeFileCache } from '../lib/file-cache.js';
import { fastHash } from '../lib/hash.js';
import { isRecord } from '../lib/json.js';
import { readYamlDoc } from '../lib/yaml-doc.js';
import { PRESETS, presetNames } from './figures.js';
import type { Better, CheckSpec, FigureSpec, GatesConfig, GatesSettings } from './types.js';

/**
 * `.agents/gates.yaml`: named checks (a command, a timeout, the figures it measures, the checks
 * it needs) grouped in stages. Reading it reports every problem as `file:line: message`; a file
 * with problems is not run (a pipeline half-read would judge the wrong thing).
 */

export const GATES_FILE = 'gates.yaml';
export const DEFAULT_TIMEOUT_S = 600;
export const DEFAULT_OUTPUT_CHARS = 4000;
export const DEFAULT_STOP_RETRIES = 3;

/** The optional `risk:` section, as written; `ao risk` fills the rest from its defaults. */
export interface RiskSection {
  threshold?: number;
  sensitive?: string[];
  signOff?: string[];
}

export interface GatesRead {
  config: GatesConfig;
  risk: RiskSection;
  problems: string[];
}

export function defaultSettings(): GatesSettings {
  return {
    parallel: Math.max(1, Math.min(4, availableParallelism())),
    outputChars: DEFAULT_OUTPUT_CHARS,
    stopRetries: DEFAULT_STOP_RETRIES,
  };
}

export function emptyGates(): GatesConfig {
  return { file: null, checks: {}, stages: {}, settings: defaultSettings() };
}

/** Bumped when parsing changes; the figure sets' content is part of the cache's version too. */
const CACHE_VERSION = 1;

/**
 * Reads the repository's gates; a repository without the file has no checks and no problems. The
 * result is cached in `.agents/.cache/gates.json` by the file's size, times and inode, so that a
 * hook or a commit does not load the YAML library again for an unchanged file.
 */
export function loadGates(root: string): GatesRead {
  const file = join(root, '.agents', GATES_FILE);
  const key = fileKey(file);
  if (key.size === undefined) return { config: emptyGates(), risk: {}, problems: [] };
  const cache = join(root, '.agents', '.cache', 'gates.json');
  const version = `${CACHE_VERSION}:${fastHash(JSON.stringify(PRESETS))}`;
  const hit = readFileCache<GatesRead>(cache, version, [key]);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { config: emptyGates(), risk: {}, problems: [`${file}: ${(error as Error).message}`] };
  }
  const read = parseGates(text, file);
  writeFileCache(cache, version, [key], read);
  return read;
}

const TOP_KEYS = ['version', 'checks', 'stages', 'settings', 'risk'];
const CHECK_KEYS = ['command', 'timeout', 'cwd', 'env', 'needs', 'parse', 'figures'];
const FIGURE_KEYS = ['pattern', 'sum', 'count', 'json', 'file', 'default', 'better'];
const SETTING_KEYS = ['parallel', 'output', 'stop-retries'];
const RISK_KEYS = ['threshold', 'sensitive', 'sign-off'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function parseGates(text: string, file: string): GatesRead {
  const config: GatesConfig = { ...emptyGates(), file };
  const risk: RiskSection = {};
  // Comments only: nothing to run, and no YAML library to load.
  if (!/^[ \t]*[^#\s]/m.test(text)) return { config, risk, problems: [] };
  const doc = readYamlDoc(text, file);
  if (doc.problems.length > 0) return { config, risk, problems: doc.problems };
  const problems: string[] = [];
  const report = (path: string, message: string): void => void problems.push(`${doc.at(path)}: ${message}`);
  const data = doc.data;
  if (data === null || data === undefined) return { config, risk, problems };
  if (!isRecord(data)) {
    report('', 'expected a mapping with checks: and stages: (see docs/gates.md)');
    return { config, risk, problems };
  }
  for (const key of Object.keys(data))
    if (!TOP_KEYS.includes(key)) report(key, `unknown key "${key}" (known: ${TOP_KEYS.join(', ')})`);
  if (data.version !== undefined && data.version !== 1) report('version', 'expected version: 1');

  if (data.checks !== undefined && data.checks !== null) {
    if (!isRecord(data.checks)) report('checks', 'expected a mapping of check names to checks');
    else {
      for (const [name, value] of Object.entries(data.checks)) {
        const check = readCheck(name, value, `checks.${name}`, report);
        if (check) config.checks[name] = check;
      }
    }
  }
  for (const check of Object.values(config.checks)) {
    check.needs.forEach((need, i) => {
      if (!(need in config.checks) && isRecord(data.checks) && !(need in data.checks))
        report(`checks.${check.name}.needs[${i}]`, `needs "${need}", which is not a check`);
    });
  }
  const cycle = findCycle(config.checks);
  if (cycle) report(`checks.${cycle[0]}.needs`, `checks need each other in a circle: ${cycle.join(' → ')}`);

  if (data.stages !== undefined && data.stages !== null) {
    if (!isRecord(data.stages)) report('stages', 'expected a mapping of stage names to lists of checks');
    else {
      for (const [stage, list] of Object.entries(data.stages)) {
        const path = `stages.${stage}`;
        if (!NAME.test(stage)) report(path, `stage name "${stage}": use letters, digits, - and _`);
        const names = list === null ? [] : typeof list === 'string' ? [list] : list;
        if (!Array.isArray(names)) {
          report(path, 'expected a list of check names, e.g. [lint, test]');
          continue;
        }
        const seen = new Set<string>();
        names.forEach((n, i) => {
          if (typeof n !== 'string') report(`${path}[${i}]`, 'expected a check name');
          else if (isRecord(data.checks) && !(n in data.checks))
            report(
              `${path}[${i}]`,
              `"${n}" is not a check (checks: ${Object.keys(config.checks).join(', ') || 'none'})`,
            );
          else if (!seen.has(n)) seen.add(n);
        });
        config.stages[stage] = [...seen];
      }
    }
  }
  if (data.settings !== undefined && data.settings !== null) readSettings(data.settings, config.settings, report);
  if (data.risk !== undefined && data.risk !== null) readRisk(data.risk, risk, report);
  return { config, risk, problems };
}

type Report = (path: string, message: string) => void;

function readCheck(name: string, value: unknown, path: string, report: Report): CheckSpec | null {
  if (!NAME.test(name)) report(path, `check name "${name}": use letters, digits, - and _`);
  // `lint: npm run lint` is a check with every default.
  const spec = typeof value === 'string' ? { command: value } : value;
  if (!isRecord(spec)) {
    report(path, 'expected a command, or a mapping with command:');
    return null;
  }
  for (const key of Object.keys(spec))
    if (!CHECK_KEYS.includes(key)) report(`${path}.${key}`, `unknown key "${key}" (known: ${CHECK_KEYS.join(', ')})`);
  if (typeof spec.command !== 'string' || spec.command.trim() === '') {
    report(spec.command === undefined ? path : `${path}.command`, 'a check needs a command (a shell command line)');
    return null;
  }
  const check: CheckSpec = { name, command: spec.command, timeoutMs: DEFAULT_TIMEOUT_S * 1000, needs: [], figures: [] };
  if (spec.timeout !== undefined) {
    if (typeof spec.timeout === 'number' && spec.timeout > 0 && Number.isFinite(spec.timeout))
      check.timeoutMs = Math.round(spec.timeout * 1000);
    else report(`${path}.timeout`, 'expected a number of seconds above 0');
  }
  if (spec.cwd !== undefined) {
    if (typeof spec.cwd === 'string' && !spec.cwd.startsWith('/') && !spec.cwd.split(/[\\/]/).includes('..'))
      check.cwd = spec.cwd;
    else report(`${path}.cwd`, 'expected a folder inside the repository, relative to its root');
  }
  if (spec.env !== undefined) {
    if (isRecord(spec.env) && Object.values(spec.env).every((v) => ['string', 'number', 'boolean'].includes(typeof v)))
      check.env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, String(v)]));
    else report(`${path}.env`, 'expected a mapping of variable names to values');
  }
  if (spec.needs !== undefined) {
    const needs = typeof spec.needs === 'string' ? [spec.needs] : spec.needs;
    if (Array.isArray(needs) && needs.every((n) => typeof n === 'string')) check.needs = [...new Set(needs)];
    else report(`${path}.needs`, 'expected a list of check names');
  }
  const figures = new Map<string, FigureSpec>();
  if (spec.parse !== undefined) {
    const presets = typeof spec.parse === 'string' ? [spec.parse] : spec.parse;
    if (!Array.isArray(presets)) report(`${path}.parse`, `expected a figure set: ${presetNames().join(', ')}`);
    else
      presets.forEach((p, i) => {
        const set = typeof p === 'string' ? PRESETS[p] : undefined;
        if (!set)
          report(
            typeof spec.parse === 'string' ? `${path}.parse` : `${path}.parse[${i}]`,
            `unknown figure set "${String(p)}" (known: ${presetNames().join(', ')})`,
          );
        else for (const f of set) figures.set(f.name, f);
      });
  }
  if (spec.figures !== undefined && spec.figures !== null) {
    if (!isRecord(spec.figures))
      report(`${path}.figures`, 'expected a mapping of figure names to { pattern | count | json, better }');
    else
      for (const [fname, fvalue] of Object.entries(spec.figures)) {
        const figure = readFigure(fname, fvalue, `${path}.figures.${fname}`, report);
        if (figure) figures.set(fname, figure);
      }
  }
  check.figures = [...figures.values()];
  return check;
}

function readFigure(name: string, value: unknown, path: string, report: Report): FigureSpec | null {
  if (!NAME.test(name)) report(path, `figure name "${name}": use letters, digits, - and _`);
  if (!isRecord(value)) {
    report(path, 'expected { pattern: …, better: higher } (or count:, or json:)');
    return null;
  }
  for (const key of Object.keys(value))
    if (!FIGURE_KEYS.includes(key)) report(`${path}.${key}`, `unknown key "${key}" (known: ${FIGURE_KEYS.join(', ')})`);
  const sources = (['pattern', 'count', 'json'] as const).filter((k) => value[k] !== undefined);
  if (sources.length !== 1) {
    report(
      path,
      sources.length === 0
        ? 'a figure needs one of pattern:, count: or json:'
        : `a figure reads from one place: ${sources.join(' or ')}`,
    );
    return null;
  }
  const source = sources[0]!;
  const text = value[source];
  if (typeof text !== 'string' || text === '') {
    report(
      `${path}.${source}`,
      source === 'json' ? 'expected a dotted path, e.g. total.lines.pct' : 'expected a regular expression',
    );
    return null;
  }
  if (source !== 'json') {
    try {
      new RegExp(text, 'm');
    } catch (error) {
      report(`${path}.${source}`, `not a regular expression: ${(error as Error).message}`);
      return null;
    }
  }
  const figure: FigureSpec = { name, [source]: text, better: betterByName(name) };
  if (value.better !== undefined) {
    if (value.better === 'higher' || value.better === 'lower') figure.better = value.better;
    else report(`${path}.better`, 'expected higher or lower');
  }
  if (value.sum !== undefined) {
    if (source !== 'pattern' || typeof value.sum !== 'boolean')
      report(`${path}.sum`, 'sum: true|false goes with pattern:');
    else figure.sum = value.sum;
  }
  if (value.file !== undefined) {
    if (source !== 'json' || typeof value.file !== 'string')
      report(`${path}.file`, 'file: goes with json: (a file the check writes)');
    else figure.file = value.file;
  }
  if (value.default !== undefined) {
    if (typeof value.default === 'number' && Number.isFinite(value.default)) figure.default = value.default;
    else report(`${path}.default`, 'expected a number');
  }
  return figure;
}

/** A figure without `better:` improves downward when its name says it counts trouble. */
export function betterByName(name: string): Better {
  return /fail|error|warn|problem|violation|issue|todo|skip|flak|debt|duration|time|_ms$|size|bytes|kb$|mb$/i.test(name)
    ? 'lower'
    : 'higher';
}

function readSettings(value: unknown, settings: GatesSettings, report: Report): void {
  if (!isRecord(value)) {
    report('settings', 'expected a mapping');
    return;
  }
  for (const key of Object.keys(value))
    if (!SETTING_KEYS.includes(key))
      report(`settings.${key}`, `unknown key "${key}" (known: ${SETTING_KEYS.join(', ')})`);
  const int = (key: string, min: number, set: (n: number) => void): void => {
    const v = value[key];
    if (v === undefined) return;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min) set(v);
    else report(`settings.${key}`, `expected a whole number, at least ${min}`);
  };
  int('parallel', 1, (n) => (settings.parallel = n));
  int('output', 0, (n) => (settings.outputChars = n));
  int('stop-retries', 0, (n) => (settings.stopRetries = n));
}

function readRisk(value: unknown, risk: RiskSection, report: Report): void {
  if (!isRecord(value)) {
    report('risk', 'expected a mapping');
    return;
  }
  for (const key of Object.keys(value))
    if (!RISK_KEYS.includes(key)) report(`risk.${key}`, `unknown key "${key}" (known: ${RISK_KEYS.join(', ')})`);
  if (value.threshold !== undefined) {
    if (typeof value.threshold === 'number' && value.threshold >= 0 && value.threshold <= 100)
      risk.threshold = value.threshold;
    else report('risk.threshold', 'expected a score from 0 to 100');
  }
  const list = (key: 'sensitive' | 'sign-off', set: (l: string[]) => void): void => {
    const v = value[key];
    if (v === undefined) return;
    if (Array.isArray(v) && v.every((g) => typeof g === 'string')) set(v);
    else report(`risk.${key}`, 'expected a list of path globs');
  };
  list('sensitive', (l) => (risk.sensitive = l));
  list('sign-off', (l) => (risk.signOff = l));
}

function findCycle(checks: Record<string, CheckSpec>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'open');
    stack.push(name);
    for (const need of checks[name]?.needs ?? []) {
      if (!(need in checks)) continue;
      const found = visit(need);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of Object.keys(checks)) {
    const found = visit(name);
    if (found) return found;
  }
  return null;
}

/** Which way a check's figure improves, as the gates declare it; undefined for a figure no check declares. */
export function betterOf(config: GatesConfig, check: string, figure: string): Better | undefined {
  return config.checks[check]?.figures.find((f) => f.name === figure)?.better;
}

/** The checks of a stage, with the checks they need pulled in (needs run first). */
export function stageChecks(config: GatesConfig, stage: string): CheckSpec[] {
  const names = config.stages[stage];
  if (!names) return [];
  const out = new Map<string, CheckSpec>();
  const add = (name: string): void => {
    const check = config.checks[name];
    if (!check || out.has(name)) return;
    for (const need of check.needs) add(need);
    out.set(name, check);
  };
  for (const n of names) add(n);
  return [...out.values()];
}
