/**
 * Commands that run other commands or code: privilege (sudo, doas, su), plumbing (env, nohup,
 * nice, timeout, xargs, find -exec, parallel, watch, npx …), shells (`bash -c`, `eval`, a script
 * on stdin) and interpreters (`python -c`, `node -e`). The guard looks through each to the command
 * or code it runs; code it cannot read is asked about, code that comes from a download is denied.
 */
import { resolvePath } from './match.js';
import { describeCode, runCode, runJoined } from './interpreters.js';
import {
  type Arg,
  type CommandInput,
  type Effects,
  type OptSpec,
  type Stream,
  dynamicArg,
  litArg,
  parseOpts,
  patchTargets,
  showArgs,
  subArg,
} from './model.js';
type Wrapper = (c: CommandInput, fx: Effects) => void;

const WRAPPERS: Record<string, Wrapper> = {
  sudo: (c, fx) =>
    privileged(c, fx, {
      short: 'ughpCDrtTUR',
      long: [
        'user',
        'group',
        'host',
        'prompt',
        'close-from',
        'chdir',
        'role',
        'type',
        'command-timeout',
        'other-user',
        'chroot',
      ],
    }),
  doas: (c, fx) => privileged(c, fx, { short: 'uC' }),
  pkexec: (c, fx) => privileged(c, fx, { long: ['user'] }),
  run0: (c, fx) =>
    privileged(c, fx, {
      short: 'uDg',
      long: ['user', 'group', 'chdir', 'description', 'property', 'slice', 'setenv', 'nice'],
    }),
  su: describeSu,
  chroot: (c, fx) => {
    sudoFinding(c, fx);
    const p = parseOpts(c.args, 1, { long: ['userspec', 'groups'], stopAtOperand: true });
    runArgv(c, fx, c.args.slice(p.rest + 1), null, 'chroot');
  },
  env: describeEnv,
  nohup: (c, fx) => runAfterOptions(c, fx, {}),
  setsid: (c, fx) => runAfterOptions(c, fx, {}),
  unbuffer: (c, fx) => runAfterOptions(c, fx, {}),
  nice: (c, fx) => runAfterOptions(c, fx, { short: 'n', long: ['adjustment'] }),
  ionice: (c, fx) => {
    if (c.args.some((a) => a.text === '-p' || a.text === '-P' || a.text === '-u')) return;
    runAfterOptions(c, fx, { short: 'cn', long: ['class', 'classdata'] });
  },
  time: (c, fx) => {
    const p = parseOpts(c.args, 1, { short: 'of', long: ['output', 'format'], stopAtOperand: true });
    fx.writes.push(
      ...[...(p.values.get('o') ?? []), ...(p.values.get('output') ?? [])].map((arg) => ({ arg, cwd: c.cwd })),
    );
    runArgv(c, fx, c.args.slice(p.rest), c.cwd, 'time');
  },
  timeout: (c, fx) => {
    const p = parseOpts(c.args, 1, { short: 'sk', long: ['signal', 'kill-after'], stopAtOperand: true });
    runArgv(c, fx, c.args.slice(p.rest + 1), c.cwd, 'timeout');
  },
  stdbuf: (c, fx) => runAfterOptions(c, fx, { short: 'ioe', long: ['input', 'output', 'error'] }),
  chrt: (c, fx) => {
    if (c.args.some((a) => a.text === '-p' || a.text === '--pid')) return;
    const p = parseOpts(c.args, 1, {
      short: 'TPD',
      long: ['sched-runtime', 'sched-period', 'sched-deadline'],
      stopAtOperand: true,
    });
    runArgv(c, fx, c.args.slice(p.rest + 1), c.cwd, 'chrt');
  },
  taskset: (c, fx) => {
    if (c.args.some((a) => /^-[a-z]*p/.test(a.text ?? '') || a.text === '--pid')) return;
    const p = parseOpts(c.args, 1, { stopAtOperand: true });
    runArgv(c, fx, c.args.slice(p.rest + 1), c.cwd, 'taskset');
  },
  caffeinate: (c, fx) => runAfterOptions(c, fx, { short: 'tw' }),
  strace: (c, fx) => traced(c, fx),
  ltrace: (c, fx) => traced(c, fx),
  command: (c, fx) => {
    const p = parseOpts(c.args, 1, { stopAtOperand: true });
    if (p.flags.has('v') || p.flags.has('V')) return;
    runArgv(c, fx, c.args.slice(p.rest), c.cwd, 'command');
  },
  builtin: (c, fx) => runArgv(c, fx, c.args.slice(1), c.cwd, 'builtin'),
  exec: (c, fx) => runAfterOptions(c, fx, { short: 'a' }),
  busybox: (c, fx) => runArgv(c, fx, c.args.slice(1), c.cwd, 'busybox'),
  flock: describeFlock,
  script: (c, fx) => {
    const p = parseOpts(c.args, 1, {
      short: 'cETBIO',
      long: ['command', 'echo', 'log-timing', 'log-io', 'log-in', 'log-out'],
    });
    for (const code of [...(p.values.get('c') ?? []), ...(p.values.get('command') ?? [])])
      runCode(c, fx, code, 'script -c');
    fx.writes.push(...p.operands.map((arg) => ({ arg, cwd: c.cwd })));
  },
  watch: describeWatch,
  xargs: describeXargs,
  find: describeFind,
  parallel: describeParallel,
  eval: (c, fx) => runJoined(c, fx, c.args.slice(1), 'eval'),
  trap: (c, fx) => {
    const p = parseOpts(c.args, 1, {});
    if (p.operands.length >= 2 && p.operands[0]) runCode(c, fx, p.operands[0], 'trap');
  },
  alias: (c, fx) => {
    for (const a of c.args.slice(1)) {
      const eq = a.text?.indexOf('=') ?? -1;
      if (a.text !== null && eq > 0) runCode(c, fx, subArg(a, eq + 1), 'alias');
    }
  },
  npx: (c, fx) => runPackage(c, fx, 1),
  pnpx: (c, fx) => runPackage(c, fx, 1),
  bunx: (c, fx) => runPackage(c, fx, 1),
  apply_patch: describeApplyPatch,
  applypatch: describeApplyPatch,
};

/**
 * Fills `fx` when the command runs other commands or code; false when it is not such a command.
 */
export function describeWrapper(c: CommandInput, fx: Effects): boolean {
  const sub = c.args[1]?.text;
  if (
    (c.name === 'npm' && (sub === 'exec' || sub === 'x')) ||
    ((c.name === 'pnpm' || c.name === 'yarn') && (sub === 'dlx' || sub === 'exec')) ||
    (c.name === 'bun' && sub === 'x')
  ) {
    runPackage(c, fx, 2);
    return true;
  }
  const w = WRAPPERS[c.name];
  if (w) {
    fx.outputFromInner = true;
    w(c, fx);
    return true;
  }
  return describeCode(c, fx);
}

function runArgv(
  c: CommandInput,
  fx: Effects,
  args: Arg[],
  cwd: string | null,
  via: string,
  stdin: Stream = c.stdin,
): void {
  if (args.length === 0) return;
  fx.inner.push({ kind: 'argv', args, cwd, stdin, via });
}

function runAfterOptions(c: CommandInput, fx: Effects, spec: OptSpec): void {
  const p = parseOpts(c.args, 1, { ...spec, stopAtOperand: true });
  runArgv(c, fx, c.args.slice(p.rest), c.cwd, c.name);
}

function sudoFinding(c: CommandInput, fx: Effects): void {
  fx.findings.push({ decision: 'ask', rule: 'ask:sudo', reason: `runs as another user: ${showArgs(c.args)}` });
}

function privileged(c: CommandInput, fx: Effects, spec: OptSpec): void {
  sudoFinding(c, fx);
  const p = parseOpts(c.args, 1, { ...spec, stopAtOperand: true });
  let i = p.rest;
  while (i < c.args.length && /^[A-Za-z_]\w*=/.test(c.args[i]?.text ?? '')) i++;
  const chdir = p.values.get('D')?.[0] ?? p.values.get('chdir')?.[0];
  const cwd = chdir ? (chdir.text === null ? null : resolvePath(chdir.text, c.cwd)) : c.cwd;
  const rest = c.args.slice(i);
  if (c.name === 'sudo' && (p.flags.has('e') || p.flags.has('edit'))) {
    fx.writes.push(...rest.map((arg) => ({ arg, cwd })));
    fx.reads.push(...rest.map((arg) => ({ arg, cwd })));
    return;
  }
  if ((p.flags.has('s') || p.flags.has('i') || p.flags.has('shell') || p.flags.has('login')) && rest.length) {
    runJoined({ ...c, cwd }, fx, rest, c.name);
    return;
  }
  runArgv(c, fx, rest, cwd, c.name);
}

function describeSu(c: CommandInput, fx: Effects): void {
  sudoFinding(c, fx);
  const p = parseOpts(c.args, 1, {
    short: 'csgGw',
    long: ['command', 'shell', 'group', 'supp-group', 'whitelist-environment', 'session-command'],
  });
  for (const code of [
    ...(p.values.get('c') ?? []),
    ...(p.values.get('command') ?? []),
    ...(p.values.get('session-command') ?? []),
  ])
    runCode(c, fx, code, 'su -c');
}

function describeEnv(c: CommandInput, fx: Effects): void {
  let cwd = c.cwd;
  let i = 1;
  for (; i < c.args.length; i++) {
    const a = c.args[i] as Arg;
    const t = a.text;
    if (t === null) break;
    if (t === '--') {
      i++;
      break;
    }
    if (t === '-C' || t === '--chdir' || t.startsWith('--chdir=') || (t.startsWith('-C') && t.length > 2)) {
      const v = t === '-C' || t === '--chdir' ? c.args[++i] : subArg(a, t.startsWith('-C') ? 2 : 8);
      cwd = v?.text ? resolvePath(v.text, cwd) : null;
      continue;
    }
    if (
      t === '-S' ||
      t === '--split-string' ||
      t.startsWith('--split-string=') ||
      (t.startsWith('-S') && t.length > 2)
    ) {
      const v = t === '-S' || t === '--split-string' ? c.args[++i] : subArg(a, t.startsWith('-S') ? 2 : 15);
      if (v) runJoined({ ...c, cwd }, fx, [v, ...c.args.slice(i + 1)], 'env -S');
      return;
    }
    if (t === '-u' || t === '--unset') {
      i++;
      continue;
    }
    if (t.startsWith('-') && t !== '-') continue;
    if (t === '-' || /^[A-Za-z_][\w]*=/.test(t)) continue;
    break;
  }
  runArgv(c, fx, c.args.slice(i), cwd, 'env');
}

function traced(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, { short: 'eopsuESaObIXPA', stopAtOperand: true });
  fx.writes.push(...(p.values.get('o') ?? []).map((arg) => ({ arg, cwd: c.cwd })));
  runArgv(c, fx, c.args.slice(p.rest), c.cwd, c.name);
}

function describeFlock(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, { short: 'wE', long: ['timeout', 'conflict-exit-code'], stopAtOperand: true });
  const lock = c.args[p.rest];
  if (!lock || /^\d+$/.test(lock.text ?? '')) return;
  fx.creates.push({ arg: lock, cwd: c.cwd });
  const next = c.args[p.rest + 1];
  if (next?.text === '-c' || next?.text === '--command') {
    const code = c.args[p.rest + 2];
    if (code) runCode(c, fx, code, 'flock -c');
  } else runArgv(c, fx, c.args.slice(p.rest + 1), c.cwd, 'flock');
}

function describeWatch(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, { short: 'nq', long: ['interval', 'equexit'], stopAtOperand: true });
  const rest = c.args.slice(p.rest);
  if (p.flags.has('x') || p.flags.has('exec')) runArgv(c, fx, rest, c.cwd, 'watch');
  else runJoined(c, fx, rest, 'watch');
}

function describeXargs(c: CommandInput, fx: Effects): void {
  let replace: string | null = null;
  let i = 1;
  for (; i < c.args.length; i++) {
    const t = c.args[i]?.text;
    if (t === null || t === undefined || !t.startsWith('-') || t === '-') break;
    if (t === '--') {
      i++;
      break;
    }
    if (t === '-I') replace = c.args[++i]?.text ?? '{}';
    else if (t.startsWith('-I')) replace = t.slice(2);
    else if (t === '-i' || t === '--replace') replace = '{}';
    else if (t.startsWith('-i')) replace = t.slice(2);
    else if (t.startsWith('--replace=')) replace = t.slice(10);
    else if (t === '-a' || t === '--arg-file') {
      const f = c.args[++i];
      if (f) fx.reads.push({ arg: f, cwd: c.cwd });
    } else if (t.startsWith('--arg-file=')) fx.reads.push({ arg: subArg(c.args[i] as Arg, 11), cwd: c.cwd });
    else if (/^-[ELnPsd]$/.test(t)) i++;
  }
  const taint = c.stdin && 'taint' in c.stdin ? c.stdin.taint : null;
  const input = dynamicArg('<xargs input>', taint);
  const cmd = c.args.slice(i);
  if (cmd.length === 0) return;
  let args: Arg[];
  if (replace) {
    const r = replace;
    args = cmd.map((a) => (a.text !== null && a.text.includes(r) ? { ...input, raw: a.raw } : a));
  } else args = [...cmd, input];
  runArgv(c, fx, args, c.cwd, 'xargs', null);
}

const FIND_VALUE = new Set([
  '-name',
  '-iname',
  '-path',
  '-ipath',
  '-wholename',
  '-iwholename',
  '-regex',
  '-iregex',
  '-type',
  '-xtype',
  '-user',
  '-group',
  '-perm',
  '-size',
  '-mtime',
  '-mmin',
  '-atime',
  '-amin',
  '-ctime',
  '-cmin',
  '-newer',
  '-anewer',
  '-cnewer',
  '-maxdepth',
  '-mindepth',
  '-fstype',
  '-inum',
  '-links',
  '-samefile',
  '-uid',
  '-gid',
  '-used',
  '-printf',
  '-context',
  '-regextype',
  '-files0-from',
  '-lname',
  '-ilname',
  '-newermt',
  '-newerct',
]);

const FIND_WRITE = new Set(['-fprint', '-fprint0', '-fls', '-fprintf']);

const FIND_FILTERS =
  /^-(i?name|i?path|i?wholename|i?regex|type|xtype|user|group|perm|size|[mac](time|min)|newer.*|[ac]newer|empty|inum|links|samefile|uid|gid|nouser|nogroup|executable|readable|writable|i?lname)$/;

function describeFind(c: CommandInput, fx: Effects): void {
  let i = 1;
  while (i < c.args.length && /^-[HLP]$|^-O\d$/.test(c.args[i]?.text ?? '')) i++;
  if (c.args[i]?.text === '-D') i += 2;
  const starts: Arg[] = [];
  for (; i < c.args.length; i++) {
    const t = c.args[i]?.text;
    if (t !== null && t !== undefined && (t.startsWith('-') || t === '(' || t === '!' || t === ')' || t === ',')) break;
    starts.push(c.args[i] as Arg);
  }
  if (starts.length === 0) starts.push(litArg('.'));
  fx.lists.push(...starts.map((arg) => ({ arg, cwd: c.cwd })));
  const expr = c.args.slice(i);
  const filtered = expr.some((a) => FIND_FILTERS.test(a.text ?? ''));
  const names = expr.flatMap((a, k) => (a.text === '-name' || a.text === '-iname' ? [expr[k + 1]] : []));
  const name = names.length === 1 && names[0]?.text ? names[0].text : null;
  // What `{}` stands for: entries under each start folder (or everything in it, unfiltered).
  const found = starts.map((s) => foundArg(s, filtered, name));
  for (let j = 0; j < expr.length; j++) {
    const t = expr[j]?.text ?? '';
    if (t === '-delete')
      fx.deletes.push(...starts.map((s) => ({ arg: filtered ? foundArg(s, true, name) : s, cwd: c.cwd })));
    else if (FIND_WRITE.has(t)) {
      const f = expr[++j];
      if (f) fx.writes.push({ arg: f, cwd: c.cwd });
      if (t === '-fprintf') j++;
    } else if (FIND_VALUE.has(t)) j++;
    else if (t === '-exec' || t === '-execdir' || t === '-ok' || t === '-okdir') {
      const cmd: Arg[] = [];
      for (j++; j < expr.length; j++) {
        const e = expr[j] as Arg;
        if (e.text === ';' || (e.text === '+' && cmd[cmd.length - 1]?.text === '{}')) break;
        cmd.push(e);
      }
      for (const f of found) {
        const args = cmd.map((a) => substituteFound(a, f));
        runArgv(c, fx, args, c.cwd, `find ${t}`, null);
      }
    }
  }
  fx.output = { taint: 'unknown' };
}

/** An argument of `find -exec` with `{}` replaced by what find passes. */
function substituteFound(a: Arg, found: Arg): Arg {
  if (a.text === '{}') return found;
  if (a.text === null || !a.text.includes('{}')) return a;
  if (found.text === null) return { ...found, raw: a.raw };
  const text = a.text.split('{}').join(found.text);
  return { ...a, text, head: text, code: text, glob: a.glob || found.glob };
}

function foundArg(start: Arg, filtered: boolean, name: string | null): Arg {
  if (start.text === null) return { ...start };
  const base = start.text.endsWith('/') ? start.text.slice(0, -1) : start.text;
  // A filtered search finds entries below the start (named as `-name` says); an unfiltered one everything in it.
  if (filtered && name !== null) {
    const text = `${base}/**/${name}`;
    return { ...start, text, raw: `${name} under ${start.raw}`, head: text, glob: true, code: text };
  }
  const text = filtered ? `${base}/{}` : `${base}/*`;
  return { ...start, text, raw: `{} under ${start.raw}`, head: text, glob: !filtered, code: text };
}

function describeParallel(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, {
    short: 'jSadInNX',
    long: [
      'jobs',
      'sshlogin',
      'arg-file',
      'delimiter',
      'colsep',
      'halt',
      'delay',
      'timeout',
      'joblog',
      'results',
      'tmpdir',
      'workdir',
      'env',
      'max-args',
      'replace',
    ],
    stopAtOperand: true,
  });
  const rest = c.args.slice(p.rest);
  const sep = rest.findIndex((a) => a.text === ':::' || a.text === '::::' || a.text === ':::+');
  const cmd = sep === -1 ? rest : rest.slice(0, sep);
  const values = sep === -1 ? [] : rest.slice(sep + 1).filter((a) => !/^:::/.test(a.text ?? ''));
  if (cmd.length === 0) return;
  const literal = sep !== -1 && rest[sep]?.text !== '::::' && values.every((v) => v.text !== null);
  const inputs = literal
    ? values.slice(0, 8).map((v) => `'${(v.text ?? '').replace(/'/g, `'\\''`)}'`)
    : ['"$PARALLEL_INPUT"'];
  const codes = cmd.map((a) => a.text ?? a.code);
  if (codes.some((t) => t === null)) {
    runJoined(c, fx, cmd, 'parallel');
    return;
  }
  const template = codes.join(' ');
  for (const v of inputs) {
    const text = template.includes('{}') ? template.split('{}').join(v) : `${template} ${v}`;
    fx.inner.push({ kind: 'script', text, cwd: c.cwd, stdin: null, via: 'parallel' });
  }
}

function runPackage(c: CommandInput, fx: Effects, start: number): void {
  const p = parseOpts(c.args, start, { short: 'pc', long: ['package', 'call', 'shell'], stopAtOperand: true });
  for (const code of [...(p.values.get('c') ?? []), ...(p.values.get('call') ?? [])])
    runCode(c, fx, code, `${c.name} -c`);
  const rest = c.args.slice(p.rest);
  const first = rest[0];
  if (!first) return;
  const pkg =
    first.text === null
      ? first
      : litArg(
          (first.text
            .replace(/(.)@[^/@]*$/, '$1')
            .split('/')
            .pop() ??
            '') ||
            first.text,
        );
  runArgv(c, fx, [pkg, ...rest.slice(1)], c.cwd, c.name);
}

function describeApplyPatch(c: CommandInput, fx: Effects): void {
  const text = c.args[1]?.text ?? (c.stdin && 'text' in c.stdin ? c.stdin.text : null);
  if (text === null) return;
  fx.writes.push(...patchTargets(text).map((p) => ({ arg: litArg(p), cwd: c.cwd })));
}
