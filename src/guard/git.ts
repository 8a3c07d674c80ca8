/**
 * git, read for what can hurt: force pushes and deletions of protected branches, commands that
 * throw away uncommitted work, `-c` settings that run programs, and the paths it reads or writes.
 */
import { resolvePath, wordGlob } from './match.js';
import {
  type Arg,
  type CommandInput,
  type Effects,
  type Finding,
  genericOperands,
  litArg,
  parseOpts,
  showArgs,
  subArg,
  uses,
} from './model.js';

const CONFIG_EXEC =
  /^(alias\.|core\.(sshcommand|pager|editor|fsmonitor|hookspath|gitproxy|askpass)$|diff\.external$|filter\.|credential\.helper$|sequence\.editor$|gpg\.program$|.*\.(textconv|command|cmd)$|uploadpack\.packobjectshook$)/i;

/** What a git command line does: its global options, then the subcommand's rules. */
export function describeGit(c: CommandInput, fx: Effects): void {
  let cwd = c.cwd;
  let i = 1;
  for (; i < c.args.length; i++) {
    const t = c.args[i]?.text;
    if (t === null || t === undefined) break;
    if (t === '-C') {
      const dir = c.args[++i]?.text;
      cwd = dir === null || dir === undefined ? null : resolvePath(dir, cwd);
    } else if (t === '-c' || t === '--config-env') {
      const kv = c.args[++i]?.text ?? '';
      const key = kv.split('=')[0] ?? '';
      if (CONFIG_EXEC.test(key))
        fx.findings.push({ decision: 'ask', rule: 'ask:git-config-exec', reason: `git -c ${key} can run a program` });
    } else if (/^--(git-dir|work-tree|namespace|super-prefix|exec-path)$/.test(t)) i++;
    else if (!t.startsWith('-')) break;
  }
  const sub = c.args[i]?.text;
  const rest = c.args.slice(i + 1);
  const g: GitCall = { c: { ...c, cwd }, fx, rest };
  if (sub === null) {
    fx.findings.push({
      decision: 'ask',
      rule: 'ask:dynamic-command',
      reason: `git subcommand only known when it runs: ${showArgs(c.args)}`,
    });
    return;
  }
  switch (sub) {
    case 'push':
      if (rest.some((a) => a.text === '--no-verify')) skipGates(g, 'git push --no-verify skips the pre-push hook');
      return push(g);
    case 'commit': {
      const p = parseOpts(rest, 0, {
        short: 'mFcCt',
        long: [
          'message',
          'file',
          'reuse-message',
          'reedit-message',
          'template',
          'author',
          'date',
          'cleanup',
          'trailer',
          'fixup',
          'squash',
          'pathspec-from-file',
        ],
      });
      if (p.flags.has('n') || p.flags.has('no-verify'))
        skipGates(g, 'git commit --no-verify skips the pre-commit gates: the work goes in unjudged');
      fx.reads.push(...uses(g.c, genericOperands([litArg('git'), ...withoutMessages(rest)])));
      return;
    }
    case 'reset':
      if (rest.some((a) => a.text === '--hard')) discard(g, 'git reset --hard throws away uncommitted changes');
      return;
    case 'clean': {
      const p = parseOpts(rest, 0, { short: 'eX' as string, long: ['exclude'] });
      if ((p.flags.has('f') || p.flags.has('force')) && !p.flags.has('n') && !p.flags.has('dry-run'))
        discard(g, `git clean ${showArgs(rest)} deletes untracked files`);
      return;
    }
    case 'checkout':
      return checkout(g);
    case 'restore':
      return restore(g);
    case 'switch':
      if (rest.some((a) => a.text === '-f' || a.text === '--force' || a.text === '--discard-changes'))
        discard(g, 'git switch --discard-changes throws away uncommitted changes');
      return;
    case 'stash':
      if (rest[0]?.text === 'clear') discard(g, 'git stash clear drops every stash');
      return;
    case 'branch':
      return branch(g);
    case 'rm':
    case 'mv':
      fx.writes.push(...uses(g.c, parseOpts(rest, 0, {}).operands));
      return;
    case 'config':
      return config(g);
    case 'clone':
      return clone(g);
    case 'submodule':
      if (rest[0]?.text === 'foreach') {
        const code = rest.slice(1).find((a) => a.text === null || !a.text.startsWith('-'));
        if (code)
          fx.inner.push({
            kind: 'script',
            text: code.text ?? code.code ?? '',
            cwd,
            stdin: null,
            via: 'git submodule foreach',
          });
      }
      return;
    case 'bisect':
      if (rest[0]?.text === 'run')
        fx.inner.push({ kind: 'argv', args: rest.slice(1), cwd, stdin: null, via: 'git bisect run' });
      return;
    case 'rebase':
    case 'filter-branch':
      return execOptions(g);
    case 'show':
    case 'cat-file':
      fx.reads.push(...uses(g.c, revPaths(rest)));
      return;
    default:
      fx.reads.push(...uses(g.c, genericOperands([litArg('git'), ...withoutMessages(rest)])));
  }
}

interface GitCall {
  c: CommandInput;
  fx: Effects;
  rest: Arg[];
}

function discard(g: GitCall, reason: string): void {
  g.fx.findings.push({ decision: 'ask', rule: 'ask:git-discard', reason });
}

/** An agent skipping the checks that judge its work: a person decides (Factor VII). */
function skipGates(g: GitCall, reason: string): void {
  g.fx.findings.push({ decision: 'ask', rule: 'ask:skip-gates', reason });
}

function isProtected(branch: string, globs: readonly string[]): boolean {
  return globs.some((p) => wordGlob(p).test(branch));
}

function push(g: GitCall): void {
  let force = false;
  let del = false;
  let dryRun = false;
  let all = false;
  let mirror = false;
  const ops: Arg[] = [];
  for (let i = 0; i < g.rest.length; i++) {
    const a = g.rest[i] as Arg;
    const t = a.text;
    if (t === '--') {
      ops.push(...g.rest.slice(i + 1));
      break;
    }
    if (t === null || !t.startsWith('-') || t === '-') {
      ops.push(a);
      continue;
    }
    if (t.startsWith('--')) {
      const name = t.slice(2).split('=')[0] ?? '';
      if (name === 'force' || name === 'force-with-lease') force = true;
      else if (name === 'delete') del = true;
      else if (name === 'dry-run') dryRun = true;
      else if (name === 'all' || name === 'branches') all = true;
      else if (name === 'mirror') mirror = true;
      else if (
        (name === 'push-option' || name === 'repo' || name === 'receive-pack' || name === 'exec') &&
        !t.includes('=')
      )
        i++;
      continue;
    }
    for (let j = 1; j < t.length; j++) {
      const l = t[j];
      if (l === 'f') force = true;
      else if (l === 'd') del = true;
      else if (l === 'n') dryRun = true;
      else if (l === 'o') {
        if (j === t.length - 1) i++;
        break;
      }
    }
  }
  if (dryRun) return;
  const branches = g.c.protectedBranches;
  const deny = (rule: string, reason: string): void => {
    g.fx.findings.push({ decision: 'deny', rule, reason });
  };
  if (mirror)
    return deny('deny:force-push-protected', 'git push --mirror overwrites every remote branch, protected ones too');
  const refspecs = ops.slice(1);
  if ((force || del) && all)
    return deny('deny:force-push-protected', `git push ${showArgs(g.rest)} rewrites every branch, protected ones too`);
  if (refspecs.length === 0) {
    if (force) g.fx.findings.push(implicit('the current branch, which may be protected'));
    return;
  }
  for (const spec of refspecs) {
    const f = judgeRefspec(spec, force, del, branches);
    if (f) g.fx.findings.push(f);
  }
}

function implicit(what: string): Finding {
  return { decision: 'ask', rule: 'ask:force-push-implicit', reason: `force push to ${what}` };
}

function judgeRefspec(spec: Arg, force: boolean, del: boolean, branches: readonly string[]): Finding | null {
  const t = spec.text;
  if (t === null) return force || del ? implicit(`a branch only known when it runs (${spec.raw})`) : null;
  const plus = t.startsWith('+');
  const body = plus ? t.slice(1) : t;
  const colon = body.indexOf(':');
  const src = colon === -1 ? body : body.slice(0, colon);
  const dst = branchName(colon === -1 ? body : body.slice(colon + 1));
  if (dst === null) return null;
  const deleting = del || (colon !== -1 && src === '');
  if (deleting) {
    if (dst === 'HEAD' || isProtected(dst, branches))
      return {
        decision: 'deny',
        rule: 'deny:delete-protected-branch',
        reason: `git push deletes protected branch ${dst}`,
      };
    return null;
  }
  if (!force && !plus) return null;
  if (dst === 'HEAD' || dst === '@') return implicit('the current branch (HEAD), which may be protected');
  if (isProtected(dst, branches))
    return { decision: 'deny', rule: 'deny:force-push-protected', reason: `force push to protected branch ${dst}` };
  return null;
}

/** `refs/heads/main` → `main`; null for tags and other refs. */
function branchName(ref: string): string | null {
  if (ref.startsWith('refs/heads/')) return ref.slice(11);
  if (ref.startsWith('refs/')) return null;
  return ref;
}

function checkout(g: GitCall): void {
  const p = parseOpts(g.rest, 0, { short: 'bB', long: ['orphan', 'conflict', 'pathspec-from-file'] });
  if (p.flags.has('f') || p.flags.has('force')) discard(g, 'git checkout --force throws away uncommitted changes');
  const dd = g.rest.findIndex((a) => a.text === '--');
  const paths =
    dd !== -1 ? g.rest.slice(dd + 1) : p.operands.length > 1 ? p.operands.slice(1) : p.operands.filter(isWholeTree);
  restorePaths(g, paths, 'git checkout');
}

function restore(g: GitCall): void {
  const p = parseOpts(g.rest, 0, { short: 's', long: ['source', 'pathspec-from-file'] });
  const staged = p.flags.has('S') || p.flags.has('staged');
  const worktree = p.flags.has('W') || p.flags.has('worktree');
  if (staged && !worktree) return;
  restorePaths(g, p.operands, 'git restore');
}

function restorePaths(g: GitCall, paths: Arg[], what: string): void {
  if (paths.some(isWholeTree)) discard(g, `${what} ${showArgs(paths)} throws away uncommitted changes`);
  g.fx.writes.push(
    ...uses(
      g.c,
      paths.filter((a) => !isWholeTree(a)),
    ),
  );
}

function isWholeTree(a: Arg): boolean {
  return a.text === '.' || a.text === ':/' || a.text === '*' || a.text === './' || a.text === ':/*';
}

function branch(g: GitCall): void {
  const p = parseOpts(g.rest, 0, { short: 'tu', long: ['set-upstream-to', 'track'] });
  const deleting = p.flags.has('D') || p.flags.has('d') || p.flags.has('delete');
  const forcing = p.flags.has('f') || p.flags.has('force') || p.flags.has('M') || p.flags.has('C');
  if (!deleting && !forcing) return;
  const target = deleting ? p.operands : p.operands.slice(0, 1);
  for (const b of target) {
    if (b.text !== null && isProtected(b.text, g.c.protectedBranches))
      discard(g, `git branch ${showArgs(g.rest)} ${deleting ? 'deletes' : 'moves'} protected branch ${b.text}`);
  }
}

function config(g: GitCall): void {
  const scope = g.rest.find((a) => a.text === '--global' || a.text === '--system' || a.text?.startsWith('--file'));
  const p = parseOpts(g.rest, 0, { short: 'f', long: ['file', 'blob', 'type', 'default'] });
  const writing =
    p.operands.length >= 2 ||
    ['--unset', '--unset-all', '--add', '--replace-all', '--rename-section', '--remove-section', '--edit', '-e'].some(
      (o) => g.rest.some((a) => a.text === o),
    );
  if (!writing) return;
  const key = p.operands[0]?.text ?? '';
  if (CONFIG_EXEC.test(key))
    g.fx.findings.push({ decision: 'ask', rule: 'ask:git-config-exec', reason: `git config ${key} can run a program` });
  if (scope?.text === '--global') g.fx.writes.push({ arg: litArg(`${g.c.home}/.gitconfig`), cwd: g.c.cwd });
  else if (scope?.text === '--system') g.fx.writes.push({ arg: litArg('/etc/gitconfig'), cwd: g.c.cwd });
  else {
    const file = p.values.get('f')?.[0] ?? p.values.get('file')?.[0];
    if (file) g.fx.writes.push({ arg: file, cwd: g.c.cwd });
  }
}

function clone(g: GitCall): void {
  const p = parseOpts(g.rest, 0, {
    short: 'obuc',
    long: [
      'origin',
      'branch',
      'upload-pack',
      'template',
      'reference',
      'separate-git-dir',
      'depth',
      'config',
      'jobs',
      'filter',
      'shallow-since',
      'shallow-exclude',
    ],
  });
  const [url, dir] = p.operands;
  const target =
    dir ??
    (url?.text ? litArg((url.text.replace(/\/+$/, '').split(/[/:]/).pop() ?? '').replace(/\.git$/, '')) : undefined);
  if (target && target.text !== '') g.fx.creates.push({ arg: target, cwd: g.c.cwd });
  for (const v of p.values.get('c') ?? []) {
    const key = (v.text ?? '').split('=')[0] ?? '';
    if (CONFIG_EXEC.test(key))
      g.fx.findings.push({
        decision: 'ask',
        rule: 'ask:git-config-exec',
        reason: `git clone -c ${key} can run a program`,
      });
  }
}

function execOptions(g: GitCall): void {
  for (let i = 0; i < g.rest.length; i++) {
    const t = g.rest[i]?.text ?? '';
    const m = /^(-x|--exec|--(?:tree|index|msg|env|commit|tag-name|parent)-filter)(=.*)?$/.exec(t);
    if (!m) continue;
    const code = m[2] ? subArg(g.rest[i] as Arg, (m[1] as string).length + 1) : g.rest[++i];
    if (code)
      g.fx.inner.push({
        kind: 'script',
        text: code.text ?? code.code ?? '',
        cwd: g.c.cwd,
        stdin: null,
        via: `git ${m[1]}`,
      });
  }
}

/** `HEAD:path` and `rev:path` operands name files inside the repository. */
function revPaths(rest: readonly Arg[]): Arg[] {
  const out: Arg[] = [];
  for (const a of rest) {
    const t = a.text;
    if (t === null || t.startsWith('-')) continue;
    const colon = t.indexOf(':');
    out.push(colon === -1 ? a : subArg(a, colon + 1));
  }
  return out;
}

function withoutMessages(rest: readonly Arg[]): Arg[] {
  const out: Arg[] = [];
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i]?.text;
    if (
      t === '-m' ||
      t === '--message' ||
      t === '-F' ||
      t === '--file' ||
      t === '--author' ||
      t === '-C' ||
      t === '-c'
    ) {
      i++;
      continue;
    }
    out.push(rest[i] as Arg);
  }
  return out;
}
