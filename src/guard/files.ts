/**
 * File commands: what rm, cp, mv, ln, chmod, tee, dd, rsync, scp, tar, zip … read, write, create
 * and delete, from their options and operands.
 */
import { runCode } from './interpreters.js';
import { resolvePath } from './match.js';
import {
  type Arg,
  type CommandInput,
  type Effects,
  cwdArg,
  litArg,
  operands,
  parseOpts,
  passThrough,
  subArg,
  uses,
} from './model.js';

type Handler = (c: CommandInput, fx: Effects) => void;

/** The file commands, by name. */
export const FILE_HANDLERS: Record<string, Handler> = {
  rm: describeRm,
  unlink: (c, fx) => fx.writes.push(...uses(c, operands(c, ''))),
  rmdir: (c, fx) => fx.writes.push(...uses(c, operands(c, ''))),
  shred: (c, fx) => fx.writes.push(...uses(c, operands(c, 'nsx'))),
  rimraf: (c, fx) => fx.deletes.push(...uses(c, operands(c, ''))),
  mkdir: (c, fx) => fx.creates.push(...uses(c, operands(c, 'mZ'))),
  touch: (c, fx) => {
    const p = parseOpts(c.args, 1, { short: 'rdt', long: ['reference', 'date'] });
    fx.creates.push(...uses(c, p.operands));
    fx.reads.push(...uses(c, [...(p.values.get('r') ?? []), ...(p.values.get('reference') ?? [])]));
  },
  cp: (c, fx) => copyLike(c, fx, 'read'),
  install: (c, fx) => copyLike(c, fx, 'read'),
  mv: (c, fx) => copyLike(c, fx, 'move'),
  ln: describeLn,
  chmod: (c, fx) => ownerLike(c, fx),
  chown: (c, fx) => ownerLike(c, fx),
  chgrp: (c, fx) => ownerLike(c, fx),
  chattr: (c, fx) => ownerLike(c, fx),
  truncate: (c, fx) => {
    const p = parseOpts(c.args, 1, { short: 'sr', long: ['size', 'reference'] });
    fx.writes.push(...uses(c, p.operands));
    fx.reads.push(...uses(c, p.values.get('r') ?? []));
  },
  tee: (c, fx) => {
    fx.writes.push(...uses(c, operands(c, '')));
    fx.output = c.stdin;
  },
  dd: describeDd,
  rsync: describeRsync,
  scp: describeScp,
  tar: describeTar,
  unzip: (c, fx) => {
    const p = parseOpts(c.args, 1, { short: 'dxP' });
    fx.reads.push(...uses(c, p.operands.slice(0, 1)));
    const dest = p.values.get('d');
    fx.creates.push(...uses(c, dest ?? [{ ...cwdArg(c) }]));
  },
  patch: (c, fx) => {
    const p = parseOpts(c.args, 1, { short: 'pioBrDFVYzdg', long: ['input', 'output', 'directory', 'reject-file'] });
    fx.writes.push(...uses(c, p.operands.slice(0, 1)));
    fx.reads.push(...uses(c, [...(p.values.get('i') ?? []), ...(p.values.get('input') ?? []), ...p.operands.slice(1)]));
    fx.writes.push(...uses(c, [...(p.values.get('o') ?? []), ...(p.values.get('output') ?? [])]));
  },
  zip: (c, fx) => {
    const p = parseOpts(c.args, 1, { short: 'bniPtx' });
    if (c.args.some((a) => a.text === '-TT' || a.text?.startsWith('--unzip-command')))
      fx.findings.push({ decision: 'ask', rule: 'ask:opaque-code', reason: 'zip -TT runs a command' });
    fx.writes.push(...uses(c, p.operands.slice(0, 1)));
    fx.reads.push(...uses(c, p.operands.slice(1)));
  },
};

function describeRm(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, {});
  const recursive = p.flags.has('r') || p.flags.has('R') || p.flags.has('recursive');
  (recursive ? fx.deletes : fx.writes).push(...uses(c, p.operands));
}

function copyLike(c: CommandInput, fx: Effects, sources: 'read' | 'move'): void {
  const p = parseOpts(c.args, 1, {
    short: 'tSmogZ',
    long: ['target-directory', 'suffix', 'mode', 'owner', 'group', 'backup', 'reflink', 'sparse'],
  });
  const target = p.values.get('t') ?? p.values.get('target-directory');
  let srcs: Arg[];
  let dest: Arg[];
  if (target) {
    srcs = p.operands;
    dest = target;
  } else if (c.name === 'install' && p.flags.has('d')) {
    fx.creates.push(...uses(c, p.operands));
    return;
  } else {
    srcs = p.operands.slice(0, -1);
    dest = p.operands.slice(-1);
  }
  // A move takes the file away from where it was, and carries its content (a secret stays one).
  if (sources === 'move') fx.writes.push(...uses(c, srcs));
  fx.reads.push(...uses(c, srcs));
  intoDestination(c, fx, srcs, dest);
}

/**
 * The destination of cp, mv, install or ln: the path itself, or a file of the source's name in it
 * when it is a folder (the guard cannot tell which without the disk, so both are checked). A copy
 * into a folder only adds to it: the folder is created, not replaced.
 */
function intoDestination(c: CommandInput, fx: Effects, srcs: readonly Arg[], dest: readonly Arg[]): void {
  fx.creates.push(...uses(c, dest));
  for (const d of dest) {
    if (d.text === null) continue;
    for (const s of srcs) {
      const base = s.text?.replace(/\/+$/, '').split('/').pop();
      if (base && base !== '.' && base !== '..')
        fx.writes.push(...uses(c, [litArg(`${d.text.replace(/\/+$/, '')}/${base}`)]));
    }
  }
}

function describeLn(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, { short: 'tS', long: ['target-directory', 'suffix'] });
  const target = p.values.get('t') ?? p.values.get('target-directory');
  if (target) {
    fx.links.push(...uses(c, p.operands));
    intoDestination(c, fx, p.operands, target);
    return;
  }
  if (p.operands.length === 1) {
    fx.links.push(...uses(c, p.operands));
    const base = (p.operands[0]?.text ?? '').split('/').pop() ?? '';
    if (base) fx.writes.push(...uses(c, [litArg(base)]));
    return;
  }
  fx.links.push(...uses(c, p.operands.slice(0, -1)));
  fx.writes.push(...uses(c, p.operands.slice(-1)));
}

function ownerLike(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, { long: ['reference', 'from'] });
  const ref = p.values.get('reference');
  const targets = ref ? p.operands : p.operands.slice(1);
  // Only a recursive change reaches the files inside a folder.
  const recursive = p.flags.has('R') || p.flags.has('recursive');
  (recursive ? fx.writes : fx.creates).push(...uses(c, targets));
}

function describeDd(c: CommandInput, fx: Effects): void {
  for (const a of c.args.slice(1)) {
    const t = a.text ?? a.head;
    if (t.startsWith('if=')) fx.reads.push(...uses(c, [subArg({ ...a, text: t }, 3)]));
    else if (t.startsWith('of=')) fx.writes.push(...uses(c, [a.text === null ? { ...a } : subArg(a, 3)]));
  }
  fx.output = passThrough(c.stdin);
}

function describeRsync(c: CommandInput, fx: Effects): void {
  for (const code of optionValues(c.args, ['-e', '--rsh'])) runCode(c, fx, code, 'rsync -e');
  const p = parseOpts(c.args, 1, {
    short: 'eBfT',
    long: [
      'rsh',
      'exclude',
      'include',
      'filter',
      'exclude-from',
      'include-from',
      'files-from',
      'temp-dir',
      'partial-dir',
      'log-file',
      'password-file',
      'backup-dir',
      'suffix',
      'chmod',
      'chown',
    ],
  });
  const local = p.operands.filter((a) => !/^[^/]*:/.test(a.text ?? ''));
  const last = p.operands[p.operands.length - 1];
  const destLocal = last !== undefined && local.includes(last);
  fx.reads.push(
    ...uses(
      c,
      local.filter((a) => a !== last),
    ),
  );
  fx.reads.push(...uses(c, p.values.get('password-file') ?? []));
  if (destLocal) {
    const del = [...p.flags].some((f) => f.startsWith('delete') || f === 'remove-source-files');
    fx.writes.push(...uses(c, [last]));
    if (del) fx.deletes.push(...uses(c, [last]));
  }
}

function describeScp(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, { short: 'cFiJloPSDX' });
  fx.reads.push(...uses(c, [...(p.values.get('i') ?? []), ...(p.values.get('F') ?? [])]));
  const isRemote = (a: Arg): boolean => /^[^/]*:/.test(a.text ?? a.head);
  const last = p.operands[p.operands.length - 1];
  for (const a of p.operands) {
    if (isRemote(a)) continue;
    (a === last ? fx.writes : fx.reads).push(...uses(c, [a]));
  }
}

function describeTar(c: CommandInput, fx: Effects): void {
  const args = c.args.slice(1);
  let mode = '';
  let archive: Arg | undefined;
  let dir: Arg | undefined;
  const files: Arg[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const t = a.text ?? '';
    if (i === 0 && /^[a-zA-Z]+$/.test(t)) {
      // Old style: `tar xzf archive.tgz`.
      mode = t;
      if (t.includes('f')) archive = args[++i];
      continue;
    }
    if (t === '-C' || t === '--directory') dir = args[++i];
    else if (t.startsWith('--directory=')) dir = subArg(a, 12);
    else if (t === '-f' || t === '--file') archive = args[++i];
    else if (t.startsWith('--file=')) archive = subArg(a, 7);
    else if (
      /^--(to-command|use-compress-program|checkpoint-action|info-script|new-volume-script|rsh-command)/.test(t) ||
      t === '-I' ||
      t === '-F'
    ) {
      fx.findings.push({ decision: 'ask', rule: 'ask:opaque-code', reason: `tar runs a command: ${t}` });
      if (!t.includes('=')) i++;
    } else if (/^-[a-zA-Z]+$/.test(t)) {
      mode += t.slice(1);
      if (t.endsWith('f')) archive = args[++i];
      else if (t.endsWith('C')) dir = args[++i];
    } else if (!t.startsWith('-') || a.text === null) files.push(a);
  }
  const extract = /x/.test(mode) || args.some((a) => a.text === '--extract' || a.text === '--get');
  const create = /[cru]/.test(mode) || args.some((a) => a.text === '--create' || a.text === '--append');
  if (extract) {
    if (archive) fx.reads.push(...uses(c, [archive]));
    fx.creates.push(...uses(c, [dir ?? cwdArg(c)]));
  } else if (create) {
    if (archive && archive.text !== '-') fx.writes.push(...uses(c, [archive]));
    const from = dir ? (dir.text === null ? null : resolvePath(dir.text, c.cwd)) : c.cwd;
    fx.reads.push(...uses({ cwd: from }, files));
  } else if (archive) fx.reads.push(...uses(c, [archive]));
}

/** Values of options given as `-e value`, `-evalue` (short) or `--rsh=value`, `--rsh value` (long). */
export function optionValues(args: readonly Arg[], names: readonly string[]): Arg[] {
  const out: Arg[] = [];
  for (let i = 1; i < args.length; i++) {
    const t = args[i]?.text;
    if (!t) continue;
    for (const n of names) {
      if (t === n) {
        const v = args[i + 1];
        if (v) out.push(v);
      } else if (n.startsWith('--') && t.startsWith(`${n}=`)) out.push(subArg(args[i] as Arg, n.length + 1));
      else if (!n.startsWith('--') && t.startsWith(n) && t.length > n.length)
        out.push(subArg(args[i] as Arg, n.length));
    }
  }
  return out;
}
