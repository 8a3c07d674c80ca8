/**
 * The policy: what the guard allows, asks about and denies beyond its built-in rules. Layers are
 * the defaults, the user's `AO_HOME/policy.yaml` and the repository's `.agents/policy.yaml`. A
 * layer adds entries; decisions merge to the strictest; a built-in rule is turned off only by
 * name (`disable:`), and `protected-file` never. A file with problems only narrows: its problems
 * are reported, its allow entries and `disable` are ignored, and its default becomes at least `ask`.
 */
import { isRecord } from '../lib/json.js';
import { readYamlDoc } from '../lib/yaml-doc.js';
import type { Decision } from './types.js';
import { stricter } from './types.js';

/** One entry of a policy list, with where it came from (for the verdict's rule id). */
export interface PatternRule {
  pattern: string;
  /** The entry's place in its file, e.g. `commands.deny[2]`. */
  id: string;
  /** The file it came from (`(defaults)` for built-in entries). */
  file: string;
}

/** Entries by decision. */
export interface RuleLists {
  allow: PatternRule[];
  ask: PatternRule[];
  deny: PatternRule[];
}

/** A merged policy (what `evaluate` takes). JSON-serialisable: it is cached as JSON. */
export interface Policy {
  /** The decision for a command or tool no rule speaks about. */
  default: Decision;
  /** The decision for shell code the guard cannot parse (and for its own internal errors). */
  unparseable: 'ask' | 'deny';
  /** Patterns over one simple command's words. */
  commands: RuleLists;
  /** Path globs: `read.allow` exempts paths from the built-in secret rule; `write.allow` adds writable places. */
  paths: { read: RuleLists; write: RuleLists };
  /** Host globs for URLs (web fetch tools, curl, wget, git …) and the decision for other hosts. */
  network: RuleLists & { default: Decision };
  /** Tool-name globs (case-insensitive), e.g. `WebFetch`, `mcp__github__*`. */
  tools: RuleLists;
  /** Branch globs force pushes and deletions must not touch. */
  protectedBranches: string[];
  /** Built-in rules turned off by name. */
  disable: string[];
}

/** The built-in rules, by the name used in verdicts (`deny:<name>`) and in `disable:`. */
export const BUILTIN_RULES = [
  'rm-outside-tree',
  'write-outside-tree',
  'protected-file',
  'secret-read',
  'secret-list',
  'force-push-protected',
  'delete-protected-branch',
  'force-push-implicit',
  'pipe-to-shell',
  'shell-from-stdin',
  'sudo',
  'opaque-code',
  'dynamic-command',
  'git-discard',
  'git-config-exec',
  'skip-gates',
] as const;

const UNDISABLEABLE = new Set(['protected-file']);

function emptyLists(): RuleLists {
  return { allow: [], ask: [], deny: [] };
}

/** The policy with no file: built-in rules only, everything else allowed. */
export const DEFAULT_POLICY: Policy = Object.freeze({
  default: 'allow',
  unparseable: 'ask',
  commands: emptyLists(),
  paths: { read: emptyLists(), write: emptyLists() },
  network: { ...emptyLists(), default: 'allow' },
  tools: emptyLists(),
  protectedBranches: ['main', 'master'],
  disable: [],
}) as Policy;

/** Layers on top of `base`, in order: lists add up, decisions take the strictest. */
export function mergePolicies(base: Policy, ...layers: Partial<Policy>[]): Policy {
  const out: Policy = {
    default: base.default,
    unparseable: base.unparseable,
    commands: copyLists(base.commands),
    paths: { read: copyLists(base.paths.read), write: copyLists(base.paths.write) },
    network: { ...copyLists(base.network), default: base.network.default },
    tools: copyLists(base.tools),
    protectedBranches: [...base.protectedBranches],
    disable: [...base.disable],
  };
  for (const l of layers) {
    if (l.default) out.default = stricter(out.default, l.default);
    if (l.unparseable) out.unparseable = stricter(out.unparseable, l.unparseable) as 'ask' | 'deny';
    if (l.commands) addLists(out.commands, l.commands);
    if (l.paths?.read) addLists(out.paths.read, l.paths.read);
    if (l.paths?.write) addLists(out.paths.write, l.paths.write);
    if (l.network) {
      addLists(out.network, l.network);
      if (l.network.default) out.network.default = stricter(out.network.default, l.network.default);
    }
    if (l.tools) addLists(out.tools, l.tools);
    for (const b of l.protectedBranches ?? []) if (!out.protectedBranches.includes(b)) out.protectedBranches.push(b);
    for (const d of l.disable ?? []) if (!UNDISABLEABLE.has(d) && !out.disable.includes(d)) out.disable.push(d);
  }
  return out;
}

function copyLists(l: RuleLists): RuleLists {
  return { allow: [...l.allow], ask: [...l.ask], deny: [...l.deny] };
}

function addLists(into: RuleLists, from: Partial<RuleLists>): void {
  into.allow.push(...(from.allow ?? []));
  into.ask.push(...(from.ask ?? []));
  into.deny.push(...(from.deny ?? []));
}

// ---- parsing ----

const TOP_KEYS = [
  'version',
  'default',
  'unparseable',
  'protected_branches',
  'disable',
  'commands',
  'paths',
  'network',
  'tools',
];
const LIST_KEYS = ['allow', 'ask', 'deny'] as const;
const DECISIONS = ['allow', 'ask', 'deny'];

/**
 * Reads one policy file. Every problem is reported as `file:line: message`; a file with problems
 * never widens anything (see the module comment).
 */
export function parsePolicy(text: string, file: string): { policy: Partial<Policy>; problems: string[] } {
  const doc = readYamlDoc(text, file);
  if (doc.problems.length > 0) return { policy: { default: 'ask' }, problems: doc.problems };
  const problems: string[] = [];
  const policy = validate(doc.data, file, (path, message) => problems.push(`${doc.at(path)}: ${message}`));
  if (problems.length > 0) {
    // Only narrow: drop what widens and ask about everything no rule speaks about.
    policy.default = stricter(policy.default ?? 'ask', 'ask');
    delete policy.disable;
    for (const lists of [policy.commands, policy.paths?.read, policy.paths?.write, policy.network, policy.tools])
      if (lists) lists.allow = [];
  }
  return { policy, problems };
}

type Report = (path: string, message: string) => void;

function validate(data: unknown, file: string, report: Report): Partial<Policy> {
  const out: Partial<Policy> = {};
  if (data === null || data === undefined) return out;
  if (!isRecord(data)) {
    report('', 'expected a mapping at the top level (see docs/guard.md)');
    return out;
  }
  for (const [key, value] of Object.entries(data)) {
    switch (key) {
      case 'version':
        if (value !== 1) report(key, 'expected version: 1');
        break;
      case 'default': {
        const d = decision(value, key, report, DECISIONS);
        if (d) out.default = d;
        break;
      }
      case 'unparseable': {
        const d = decision(value, key, report, ['ask', 'deny']);
        if (d) out.unparseable = d as 'ask' | 'deny';
        break;
      }
      case 'protected_branches':
        out.protectedBranches = strings(value, key, report);
        break;
      case 'disable': {
        const names = strings(value, key, report);
        out.disable = [];
        names.forEach((n, i) => {
          if (UNDISABLEABLE.has(n))
            report(`${key}[${i}]`, `${n} cannot be disabled: the agent must never widen its own envelope`);
          else if (!(BUILTIN_RULES as readonly string[]).includes(n))
            report(
              `${key}[${i}]`,
              `unknown rule '${n}' (known: ${BUILTIN_RULES.filter((r) => !UNDISABLEABLE.has(r)).join(', ')})`,
            );
          else out.disable?.push(n);
        });
        break;
      }
      case 'commands':
      case 'tools':
        out[key] = lists(value, key, file, report, validCommandPattern);
        break;
      case 'paths':
        out.paths = pathLists(value, file, report);
        break;
      case 'network': {
        const net = lists(value, key, file, report, null, ['default']);
        let d: Decision = 'allow';
        if (isRecord(value) && value.default !== undefined)
          d = decision(value.default, 'network.default', report, DECISIONS) ?? 'ask';
        out.network = { ...net, default: d };
        break;
      }
      default:
        report(key, `unknown key '${key}' (known: ${TOP_KEYS.join(', ')})`);
    }
  }
  return out;
}

function decision(value: unknown, path: string, report: Report, allowed: string[]): Decision | null {
  if (typeof value === 'string' && allowed.includes(value)) return value as Decision;
  report(path, `expected one of ${allowed.join(', ')}`);
  return null;
}

function strings(value: unknown, path: string, report: Report): string[] {
  if (!Array.isArray(value)) {
    report(path, 'expected a list of strings');
    return typeof value === 'string' && value.trim() ? [value.trim()] : [];
  }
  const out: string[] = [];
  value.forEach((v, i) => {
    if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
    else report(`${path}[${i}]`, 'expected a non-empty string');
  });
  return out;
}

function lists(
  value: unknown,
  path: string,
  file: string,
  report: Report,
  check: ((pattern: string) => string | null) | null,
  extra: string[] = [],
): RuleLists {
  const out = emptyLists();
  if (!isRecord(value)) {
    report(path, 'expected a mapping with allow, ask and deny lists');
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    if (extra.includes(key)) continue;
    if (!(LIST_KEYS as readonly string[]).includes(key)) {
      report(`${path}.${key}`, `unknown key '${key}' (known: ${[...LIST_KEYS, ...extra].join(', ')})`);
      continue;
    }
    const list = strings(v, `${path}.${key}`, report);
    const rules: PatternRule[] = [];
    list.forEach((pattern, i) => {
      const id = `${path}.${key}[${i}]`;
      const problem = check?.(pattern) ?? null;
      if (problem) report(id, problem);
      else rules.push({ pattern, id, file });
    });
    out[key as (typeof LIST_KEYS)[number]] = rules;
  }
  return out;
}

function pathLists(value: unknown, file: string, report: Report): Policy['paths'] {
  const out = { read: emptyLists(), write: emptyLists() };
  if (!isRecord(value)) {
    report('paths', 'expected a mapping with read and write');
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === 'read' || key === 'write') out[key] = lists(v, `paths.${key}`, file, report, validGlob);
    else report(`paths.${key}`, `unknown key '${key}' (known: read, write)`);
  }
  return out;
}

function validCommandPattern(pattern: string): string | null {
  const words = pattern.replace(/^=\s*/, '').split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'expected at least one word';
  return validGlob(pattern);
}

function validGlob(pattern: string): string | null {
  let depth = 0;
  for (const c of pattern) {
    if (c === '{') depth++;
    else if (c === '}') depth--;
    if (depth < 0) return `unbalanced '}' in '${pattern}'`;
  }
  return depth === 0 ? null : `unbalanced '{' in '${pattern}'`;
}
