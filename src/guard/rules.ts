/**
 * The built-in rules on paths and hosts, and the policy's path and network lists: which reads
 * are secret, which writes land on protected files or outside the repository, which recursive
 * deletes reach past it, which hosts are off limits. Pure: paths are compared as text.
 */
import { posix } from 'node:path';
import {
  type Places,
  globAnchor,
  hasGlob,
  isInside,
  isWithin,
  pathGlobAny,
  pathGlob,
  resolvePath,
  shellGlob,
  splitGlob,
  wordGlob,
} from './match.js';
import type { Arg, Effects, Finding, PathUse } from './model.js';
import type { PatternRule, Policy, RuleLists } from './policy.js';
import type { GuardEnv } from './types.js';

/** Files that hold secrets (globs as in the policy file; documented in docs/guard.md). */
export const SECRET_GLOBS = [
  '~/.ssh/**',
  '**/.ssh/**',
  '~/.aws/**',
  '~/.gnupg/**',
  '~/.config/gcloud/**',
  '~/.azure/**',
  '~/.kube/config',
  '~/.docker/config.json',
  '~/.git-credentials',
  '~/.config/gh/hosts.yml',
  '~/.npmrc',
  '~/.pypirc',
  '~/.password-store/**',
  '~/.vault-token',
  '~/.cargo/credentials*',
  '~/.terraform.d/credentials.tfrc.json',
  '~/.local/share/keyrings/**',
  '~/.*_history',
  '.netrc',
  '.env',
  '.env.*',
  '.envrc',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/sudoers',
  '/etc/ssh/ssh_host_*_key',
  '/proc/*/environ',
];

/** Names that look like secrets but are meant to be read: examples and public keys. */
export const SECRET_EXCEPTIONS = [
  '.env.example',
  '.env.sample',
  '.env.template',
  '.env.dist',
  '.env.*.example',
  '.env.*.sample',
  '.env.*.template',
  '*.pub',
];

/** Names to test a globbed file name against (`cat ~/keys/id_r*` may read `id_rsa`). */
const SECRET_SAMPLES = [
  'id_rsa',
  'id_ed25519',
  'id_ecdsa',
  'id_dsa',
  '.env',
  '.env.local',
  '.envrc',
  '.netrc',
  'server.pem',
  'server.key',
  'cert.p12',
  'cert.pfx',
  'credentials',
];

/** Files that configure the guard or the agents' hooks: the agent must never change its own envelope. */
export function protectedGlobs(aoHome: string): string[] {
  return [
    '{root}/.agents/policy.yaml',
    '{root}/.agents/.cache/policy.json',
    `${aoHome}/policy.yaml`,
    `${aoHome}/.cache/policy.json`,
    '{root}/.claude/settings.json',
    '{root}/.claude/settings.local.json',
    '~/.claude/settings.json',
    '~/.claude/settings.local.json',
    '{root}/.codex/hooks.json',
    '{root}/.codex/config.toml',
    '~/.codex/hooks.json',
    '~/.codex/config.toml',
    '{root}/.gemini/settings.json',
    '~/.gemini/settings.json',
    '{root}/.cursor/hooks.json',
    '~/.cursor/hooks.json',
    '{root}/.opencode/plugins/agentops*',
    '~/.config/opencode/plugins/agentops*',
    '{root}/.git/hooks/**',
    // The judge's own record and rules: an agent may not edit what decides whether its work passes.
    '{root}/.agents/gates.yaml',
    '{root}/.agents/ledger/verdicts.jsonl',
    '{root}/.agents/ledger/ratchet.jsonl',
  ];
}

/** Writable without a policy entry besides the repository and the temporary folders. */
const DEVICES = ['/dev/null', '/dev/zero', '/dev/stdout', '/dev/stderr', '/dev/tty', '/dev/fd/**', '/proc/self/fd/**'];

/** A policy and an environment, prepared once per call for the rules. */
export interface RuleEnv {
  policy: Policy;
  places: Places;
  protected: string[];
  /** Fixed folders of the protected globs, to catch writes to a folder holding one. */
  anchors: string[];
  /** Fixed folders of the secret globs that are whole folders (`~/.ssh/**`). */
  secretDirs: string[];
  disabled: Set<string>;
}

/** Normalises the places and computes the protected and secret anchors. */
export function makeRuleEnv(policy: Policy, env: GuardEnv, tmp: string[]): RuleEnv {
  const places: Places = {
    root: resolvePath(env.root, '/') ?? '/',
    home: resolvePath(env.home, '/') ?? '/',
    tmp: tmp.map((t) => resolvePath(t, '/') ?? '/tmp'),
  };
  const aoHome = resolvePath(env.aoHome ?? `${places.home}/.agents`, '/') ?? `${places.home}/.agents`;
  const prot = protectedGlobs(aoHome);
  return {
    policy,
    places,
    protected: prot,
    anchors: prot.map((g) => globAnchor(g, places)).filter((a): a is string => a !== null),
    secretDirs: SECRET_GLOBS.filter((g) => g.endsWith('/**') && !g.startsWith('**'))
      .map((g) => globAnchor(g, places))
      .filter((a): a is string => a !== null),
    disabled: new Set(policy.disable),
  };
}

/** Every finding the effects of one command give. */
export function judgeEffects(fx: Effects, re: RuleEnv): Finding[] {
  const out: Finding[] = [];
  for (const u of fx.reads) out.push(...judgeRead(u, re));
  for (const u of fx.lists) out.push(...judgeList(u, re));
  for (const u of fx.writes) out.push(...judgeWrite(u, re, false));
  for (const u of fx.creates) out.push(...judgeWrite(u, re, true));
  for (const u of fx.deletes) out.push(...judgeDelete(u, re));
  for (const u of fx.links) out.push(...judgeLink(u, re));
  for (const h of fx.hosts) out.push(...judgeHost(h, re));
  return out;
}

/** A path argument resolved as far as it can be before the command runs. */
interface Target {
  /** Absolute path (may hold glob characters when `glob`); null when only known at run time. */
  path: string | null;
  glob: boolean;
  /** For unknown paths: what is certain about the start (absolute when it starts with `/`) and the end. */
  head: string;
  tail: string;
  raw: string;
}

function target(u: PathUse): Target {
  const a: Arg = u.arg;
  if (a.text !== null) {
    const path = resolvePath(a.text, u.cwd);
    return { path, glob: a.glob, head: path ?? a.text, tail: '', raw: a.raw };
  }
  const head = a.head.startsWith('/') ? a.head : u.cwd !== null && a.head !== '' ? posix.join(u.cwd, a.head) : a.head;
  return { path: null, glob: false, head, tail: a.tail, raw: a.raw };
}

/** `/home/dev/x` → `~/x`, `/repo/src/a` → `src/a`, for messages. */
export function showPath(p: string, places: Places): string {
  if (isInside(p, places.root)) return p.slice(places.root.length + 1);
  if (p === places.root) return p;
  if (isWithin(p, places.home)) return `~${p.slice(places.home.length)}`;
  return p;
}

function finding(re: RuleEnv, decision: 'ask' | 'deny', name: string, reason: string): Finding[] {
  if (re.disabled.has(name) && name !== 'protected-file') return [];
  return [{ decision, rule: `${decision}:${name}`, reason }];
}

function listFindings(lists: RuleLists, path: string, re: RuleEnv, what: string, kinds: ('deny' | 'ask')[]): Finding[] {
  for (const kind of kinds) {
    const rule = firstMatch(lists[kind], path, re);
    if (rule)
      return [
        {
          decision: kind,
          rule: `policy:${rule.id}`,
          reason: `${what} ${showPath(path, re.places)}: matches '${rule.pattern}' (${rule.file})`,
        },
      ];
  }
  return [];
}

function firstMatch(rules: readonly PatternRule[], path: string, re: RuleEnv): PatternRule | null {
  for (const r of rules) if (pathGlob(r.pattern, re.places).test(path)) return r;
  return null;
}

// ---- reads ----

/** Whether reading `path` reads a secret (paths with globs: whether it may). */
export function isSecret(path: string, glob: boolean, re: RuleEnv): boolean {
  const exempt = (p: string): boolean =>
    pathGlobAny(SECRET_EXCEPTIONS, re.places).test(p) || firstMatch(re.policy.paths.read.allow, p, re) !== null;
  const secret = (p: string): boolean => pathGlobAny(SECRET_GLOBS, re.places).test(p) && !exempt(p);
  if (secret(path)) return true;
  if (!glob) return false;
  // A glob may name a secret folder (`~/.s?h`), reach into one (`~/.s?h/id_rsa`) or match a secret's name (`id_r*`).
  const g = shellGlob(path);
  const last = path.split('/').pop() ?? '';
  const inside = sampleName(last);
  if (re.secretDirs.some((d) => g.test(d) || (g.test(`${d}/${inside}`) && secret(`${d}/${inside}`)))) return true;
  if (hasGlob(last) && /[A-Za-z0-9]/.test(last.replace(/\[[^\]]*\]/g, ''))) {
    const name = wordGlob(last);
    return SECRET_SAMPLES.some((s) => name.test(s) && (last.startsWith('.') || !s.startsWith('.')));
  }
  return false;
}

/** A name a glob segment matches (`*.key` → `x.key`), to test it against other globs. */
function sampleName(segment: string): string {
  return segment
    .replace(/\[!^][^\]]*\]/g, 'x')
    .replace(/\[([^\]])[^\]]*\]/g, '$1')
    .replace(/[*?]/g, 'x');
}

/** Every folder above `p`, nearest first. */
function ancestors(p: string): string[] {
  const out: string[] = [];
  for (let d = posix.dirname(p); ; d = posix.dirname(d)) {
    out.push(d);
    if (d === '/') return out;
  }
}

function judgeRead(u: PathUse, re: RuleEnv): Finding[] {
  const t = target(u);
  if (t.path !== null) {
    if (isSecret(t.path, t.glob, re))
      return finding(
        re,
        'deny',
        'secret-read',
        `reads ${showPath(t.path, re.places)}, which ${t.glob ? 'may hold' : 'holds'} secrets`,
      );
    return listFindings(re.policy.paths.read, t.path, re, 'reads', ['deny', 'ask']);
  }
  // Only known in part: the end may still name a secret (`$DIR/.ssh/id_rsa`, `~/.ssh/$KEY`).
  const candidates: string[] = [];
  if (t.tail.startsWith('/')) candidates.push(`${re.places.home}${t.tail}`, `${re.places.root}${t.tail}`);
  else if (t.tail) candidates.push(`/x/x${t.tail}`);
  if (t.head.startsWith('/')) candidates.push(`${t.head}x`);
  const hit = candidates.find((p) => isSecret(p, false, re));
  if (hit) return finding(re, 'deny', 'secret-read', `reads ${t.raw}, which may be a secret`);
  return [];
}

function judgeList(u: PathUse, re: RuleEnv): Finding[] {
  const t = target(u);
  if (t.path === null) return [];
  const path = t.path;
  const g = t.glob ? shellGlob(path) : null;
  const hit = re.secretDirs.some((d) => (g ? g.test(d) || g.test(`${d}/x`) : isWithin(path, d)));
  if (hit) return finding(re, 'ask', 'secret-list', `lists ${showPath(t.path, re.places)}, a folder of secrets`);
  return [];
}

function judgeLink(u: PathUse, re: RuleEnv): Finding[] {
  const t = target(u);
  if (t.path === null) return [];
  if (isProtected(t.path, t.glob, re, true))
    return [
      {
        decision: 'deny',
        rule: 'deny:protected-file',
        reason: `links to ${showPath(t.path, re.places)}, which the agent may not change`,
      },
    ];
  if (isSecret(t.path, t.glob, re))
    return finding(re, 'deny', 'secret-read', `links to ${showPath(t.path, re.places)}, which holds secrets`);
  return [];
}

// ---- writes ----

function isProtected(path: string, glob: boolean, re: RuleEnv, container: boolean): boolean {
  if (!glob) {
    if (pathGlobAny(re.protected, re.places).test(path)) return true;
    // A folder that holds a protected file: moving, deleting or replacing it changes the file.
    return container && re.anchors.some((a) => isInside(a, path));
  }
  const g = shellGlob(path);
  const inside = sampleName(path.split('/').pop() ?? '');
  return re.anchors.some(
    (a) =>
      g.test(a) ||
      (container && ancestors(a).some((d) => g.test(d))) ||
      (g.test(`${a}/${inside}`) && pathGlobAny(re.protected, re.places).test(`${a}/${inside}`)),
  );
}

function inWritableArea(path: string, re: RuleEnv): boolean {
  const { root, tmp } = re.places;
  return (
    isWithin(path, root) ||
    tmp.some((t) => isWithin(path, t)) ||
    pathGlobAny(DEVICES, re.places).test(path) ||
    firstMatch(re.policy.paths.write.allow, path, re) !== null
  );
}

function judgeWrite(u: PathUse, re: RuleEnv, createOnly: boolean): Finding[] {
  const t = target(u);
  if (t.path === null) {
    const anchorHit = t.head.startsWith('/') && re.anchors.some((a) => a.startsWith(t.head) && a.endsWith(t.tail));
    if (anchorHit)
      return [
        {
          decision: 'deny',
          rule: 'deny:protected-file',
          reason: `writes ${t.raw}, which may be a file the agent may not change`,
        },
      ];
    if (t.head.startsWith('/') && !inWritableArea(`${t.head}x`, re))
      return finding(re, 'deny', 'write-outside-tree', `writes ${t.raw}, outside the repository`);
    return [];
  }
  const shown = showPath(t.path, re.places);
  const protectedReason = `writes ${shown}, which the agent may not change`;
  if (isProtected(t.path, t.glob, re, false))
    return [{ decision: 'deny', rule: 'deny:protected-file', reason: protectedReason }];
  const place = t.glob ? splitGlob(t.path).dir : t.path;
  if (!inWritableArea(place, re))
    return finding(re, 'deny', 'write-outside-tree', `writes ${shown}, outside the repository and temporary folders`);
  if (!createOnly && isProtected(t.path, t.glob, re, true))
    return [
      {
        decision: 'deny',
        rule: 'deny:protected-file',
        reason: `writes ${shown}, which holds files the agent may not change`,
      },
    ];
  return listFindings(re.policy.paths.write, t.path, re, 'writes', ['deny', 'ask']);
}

/** A glob segment that matches (nearly) everything in its folder: `*`, `.*`, `*.*`, `?*` … */
function matchesAll(segment: string): boolean {
  return !/[A-Za-z0-9_-]/.test(segment.replace(/\[[^\]]*\]/g, ''));
}

function judgeDelete(u: PathUse, re: RuleEnv): Finding[] {
  const t = target(u);
  const deny = (reason: string): Finding[] => finding(re, 'deny', 'rm-outside-tree', reason);
  if (t.path === null) return deny(`deletes ${t.raw} recursively, a target only known when it runs`);
  let path = t.path;
  let child = false;
  if (t.glob) {
    const { dir, segment } = splitGlob(t.path);
    const last = t.path.split('/').pop() ?? '';
    // `*`, `.*`, `**/*`: everything in the folder (rm refuses `.` and `..` themselves).
    if (segment === '**' ? matchesAll(last) : matchesAll(segment)) path = dir;
    else {
      path = dir;
      child = true;
    }
  } else if (path.endsWith('/{}')) {
    path = path.slice(0, -3) || '/';
    child = true;
  }
  const shown = `${showPath(path, re.places)}${child ? ' (entries in it)' : t.glob ? ' (everything in it)' : ''}`;
  const { root, home, tmp } = re.places;
  if (!child) {
    if (path === '/' || isWithin(root, path))
      return deny(`deletes ${shown} recursively: the repository or a folder holding it`);
    if (isWithin(home, path)) return deny(`deletes ${shown} recursively: the home folder or a folder holding it`);
    if (path === `${root}/.git`) return deny(`deletes ${shown} recursively: the repository's history`);
    if (tmp.includes(path)) return deny(`deletes ${shown} recursively: a whole temporary folder`);
  }
  const inside = (dir: string): boolean => (child ? isWithin(path, dir) : isInside(path, dir));
  if (!(inside(root) || tmp.some(inside) || firstMatch(re.policy.paths.write.allow, path, re) !== null))
    return deny(`deletes ${shown} recursively, outside the repository`);
  const prot = judgeWrite({ arg: { ...u.arg, text: t.path }, cwd: null }, re, false).filter(
    (f) => f.rule === 'deny:protected-file',
  );
  if (prot.length) return prot;
  return listFindings(re.policy.paths.write, path, re, 'deletes', ['deny', 'ask']);
}

// ---- network ----

/** The network entries on one host (null: a host only known at run time). */
export function judgeHost(host: string | null, re: RuleEnv): Finding[] {
  const net = re.policy.network;
  if (host === null) {
    if (net.default === 'allow') return [];
    return [
      {
        decision: net.default,
        rule: `${net.default}:network-default`,
        reason: 'contacts a host only known when it runs',
      },
    ];
  }
  for (const kind of ['deny', 'ask', 'allow'] as const) {
    const rule = net[kind].find((r) => wordGlob(r.pattern, true).test(host));
    if (!rule) continue;
    if (kind === 'allow') return [];
    return [
      {
        decision: kind,
        rule: `policy:${rule.id}`,
        reason: `contacts ${host}: matches '${rule.pattern}' (${rule.file})`,
      },
    ];
  }
  if (net.default === 'allow') return [];
  return [
    {
      decision: net.default,
      rule: `${net.default}:network-default`,
      reason: `contacts ${host}, which no network rule allows`,
    },
  ];
}
