/**
 * What common commands do, from their arguments: which paths they read, write or delete, which
 * hosts they contact, what they write on stdout. File commands are in files.ts, curl and wget in
 * network.ts, commands that run other commands (sudo, xargs, bash -c …) in wrappers.ts and
 * interpreters.ts, git in git.ts. A command the table does not know reads its operands, so a
 * secret named on any command line is caught.
 */
import { FILE_HANDLERS } from './files.js';
import { describeGit } from './git.js';
import {
  type Arg,
  type CommandInput,
  type Effects,
  type Stream,
  type Taint,
  emptyEffects,
  genericOperands,
  operands,
  parseOpts,
  passThrough,
  strongerTaint,
  subArg,
  taintOf,
  uses,
} from './model.js';
import { DOWNLOADERS, attachedFiles, describeCurl, describeSsh, describeWget, urlHosts } from './network.js';
import { describeWrapper } from './wrappers.js';

export type { CommandInput };

const DECOMPRESSORS = new Set([
  'gunzip',
  'zcat',
  'gzcat',
  'bunzip2',
  'bzcat',
  'unxz',
  'xzcat',
  'unzstd',
  'zstdcat',
  'uudecode',
]);

/** Whether a command line decodes or unscrambles its input (base64 -d, xxd -r, tr, rev …). */
export function isDecoder(name: string, args: readonly (string | null)[]): boolean {
  const has = (...flags: string[]): boolean =>
    args.some(
      (a) =>
        a !== null &&
        (flags.includes(a) ||
          (/^-[a-zA-Z]+$/.test(a) && flags.some((f) => f.length === 2 && a.includes(f[1] as string)))),
    );
  switch (name) {
    case 'base64':
    case 'base32':
    case 'basenc':
    case 'gbase64':
      return has('-d', '--decode', '-D');
    case 'b64decode':
    case 'rev':
    case 'tr':
      return true;
    case 'xxd':
      return has('-r', '-revert');
    case 'openssl':
      return args.includes('-d') || args.includes('-base64') || args.includes('base64');
    case 'gzip':
    case 'bzip2':
    case 'xz':
    case 'zstd':
      return has('-d', '--decompress', '--uncompress');
    case 'gpg':
      return has('-d', '--decrypt');
    default:
      return DECOMPRESSORS.has(name);
  }
}

/** Commands that only look at names, never at contents: their operands are not reads. */
const NO_READ = new Set([
  'echo',
  'printf',
  'test',
  '[',
  'true',
  'false',
  ':',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'which',
  'type',
  'whereis',
  'hash',
  'cd',
  'pushd',
  'popd',
  'export',
  'unset',
  'set',
  'shopt',
  'local',
  'declare',
  'typeset',
  'readonly',
  'exit',
  'return',
  'wait',
  'kill',
  'pkill',
  'sleep',
  'date',
  'pwd',
  'whoami',
  'id',
  'uname',
  'hostname',
  'mkfifo',
  'read',
  'getopts',
  'shift',
  'umask',
  'ulimit',
  'history',
  'jobs',
  'fg',
  'bg',
  'disown',
  'seq',
  'yes',
  'expr',
]);

const LISTERS: Record<string, string> = {
  ls: 'ITwp',
  dir: 'ITw',
  tree: 'LPIo',
  du: 'BdtX',
  stat: 'cf',
  file: 'mfeP',
};

const GREP_SPECS: Record<string, string> = {
  grep: 'efmABCdD',
  egrep: 'efmABCdD',
  fgrep: 'efmABCdD',
  zgrep: 'efmABCdD',
  rg: 'efmABCgtTjMr',
  ag: 'ABCGgmp',
  ack: 'ABCgm',
};

type Handler = (c: CommandInput, fx: Effects) => void;

const HANDLERS: Record<string, Handler> = {
  ...FILE_HANDLERS,
  ao: describeAo,
  sed: describeSed,
  awk: describeAwk,
  gawk: describeAwk,
  mawk: describeAwk,
  nawk: describeAwk,
  sort: (c, fx) => {
    const p = parseOpts(c.args, 1, {
      short: 'kotST',
      long: ['output', 'key', 'field-separator', 'temporary-directory'],
    });
    fx.reads.push(...uses(c, p.operands));
    fx.writes.push(...uses(c, [...(p.values.get('o') ?? []), ...(p.values.get('output') ?? [])]));
    fx.output = passThrough(c.stdin);
  },
  jq: describeJq,
  yq: describeJq,
  cat: describeCat,
  tac: describeCat,
  echo: describeEcho,
  printf: describePrintf,
  git: (c, fx) => describeGit(c, fx),
  curl: describeCurl,
  wget: describeWget,
  ssh: describeSsh,
  sftp: describeSsh,
};

/** What one command does. */
export function describeCommand(c: CommandInput): Effects {
  const fx = emptyEffects();
  fx.hosts.push(...urlHosts(c));
  const wrapper = describeWrapper(c, fx);
  if (wrapper) return fx;
  const handler = HANDLERS[c.name];
  if (handler) handler(c, fx);
  else if (c.name in LISTERS) fx.lists.push(...uses(c, operands(c, LISTERS[c.name] as string)));
  else if (c.name in GREP_SPECS) describeGrep(c, fx, GREP_SPECS[c.name] as string);
  else if (NO_READ.has(c.name)) fx.output = { taint: 'unknown' };
  else if (DOWNLOADERS.has(c.name)) {
    fx.reads.push(...uses(c, attachedFiles(c.args)));
    fx.output = { taint: 'download' };
  } else {
    fx.reads.push(...uses(c, genericOperands(c.args)));
    fx.output = passThrough(c.stdin);
  }
  if (
    isDecoder(
      c.name,
      c.args.map((a) => a.text),
    )
  )
    fx.output = { taint: strongerTaint('decoded', taintOf(c.stdin)) ?? 'decoded' };
  return fx;
}

/** ao itself: recording a ratchet reversal or removing the gates' hooks is a person's call. */
function describeAo(c: CommandInput, fx: Effects): void {
  const words = c.args.slice(1).map((a) => a.text);
  const [cmd, sub] = words.filter((w) => w === null || !w.startsWith('-'));
  if (cmd === 'ratchet' && sub === 'allow')
    fx.findings.push({
      decision: 'ask',
      rule: 'ask:skip-gates',
      reason: 'ao ratchet allow lets a figure regress: a person decides that',
    });
  else if ((cmd === 'gate' || cmd === 'hooks') && sub === 'uninstall')
    fx.findings.push({
      decision: 'ask',
      rule: 'ask:skip-gates',
      reason: `ao ${cmd} uninstall removes the hooks that judge the work`,
    });
  else if (cmd === null || sub === null) fx.output = { taint: 'unknown' };
}

function describeSed(c: CommandInput, fx: Effects): void {
  let inPlace = false;
  let script = false;
  const files: Arg[] = [];
  const ops: Arg[] = [];
  for (let i = 1; i < c.args.length; i++) {
    const a = c.args[i] as Arg;
    const t = a.text;
    if (t === null || !t.startsWith('-') || t === '-') {
      ops.push(a);
      continue;
    }
    if (t === '--') {
      ops.push(...c.args.slice(i + 1));
      break;
    }
    if (t.startsWith('--')) {
      if (t.startsWith('--in-place')) inPlace = true;
      else if (t === '--expression' || t === '--file') {
        script = true;
        if (t === '--file' && c.args[i + 1]) files.push(c.args[i + 1] as Arg);
        i++;
      } else if (t.startsWith('--expression=')) script = true;
      else if (t.startsWith('--file=')) {
        script = true;
        files.push(subArg(a, 7));
      }
      continue;
    }
    for (let j = 1; j < t.length; j++) {
      const l = t[j];
      if (l === 'i') {
        inPlace = true;
        break;
      }
      if (l === 'e' || l === 'f' || l === 'l') {
        if (l !== 'l') script = true;
        const v = j + 1 < t.length ? subArg(a, j + 1) : c.args[++i];
        if (l === 'f' && v) files.push(v);
        break;
      }
    }
  }
  const targets = script ? ops : ops.slice(1);
  fx.reads.push(...uses(c, [...files, ...targets]));
  if (inPlace) fx.writes.push(...uses(c, targets));
  fx.output = passThrough(c.stdin);
}

function describeAwk(c: CommandInput, fx: Effects): void {
  const p = parseOpts(c.args, 1, { short: 'fvF', long: ['file', 'assign', 'field-separator'] });
  const progFiles = [...(p.values.get('f') ?? []), ...(p.values.get('file') ?? [])];
  const program = progFiles.length ? null : p.operands[0];
  const files = progFiles.length ? p.operands : p.operands.slice(1);
  fx.reads.push(...uses(c, [...progFiles, ...files.filter((a) => !/^[A-Za-z_]\w*=/.test(a.text ?? ''))]));
  const code = program?.text ?? '';
  if (/\bsystem\s*\(|\|\s*getline|\bprint[^;}]*\|\s*"/.test(code)) {
    fx.findings.push({
      decision: 'ask',
      rule: 'ask:opaque-code',
      reason: `${c.name} program runs commands: ${code.slice(0, 60)}`,
    });
  }
  fx.output = passThrough(c.stdin);
}

function describeJq(c: CommandInput, fx: Effects): void {
  const files: Arg[] = [];
  const ops: Arg[] = [];
  let filterFromFile = false;
  for (let i = 1; i < c.args.length; i++) {
    const a = c.args[i] as Arg;
    const t = a.text;
    if (t === '--arg' || t === '--argjson') i += 2;
    else if (t === '--slurpfile' || t === '--rawfile') {
      if (c.args[i + 2]) files.push(c.args[i + 2] as Arg);
      i += 2;
    } else if (t === '-f' || t === '--from-file') {
      filterFromFile = true;
      if (c.args[i + 1]) files.push(c.args[i + 1] as Arg);
      i++;
    } else if (t === '--indent' || t === '--tab-width') i++;
    else if (t === '--args' || t === '--jsonargs') break;
    else if (t !== null && t.startsWith('-') && t !== '-') continue;
    else ops.push(a);
  }
  fx.reads.push(...uses(c, [...files, ...(filterFromFile ? ops : ops.slice(1))]));
  fx.output = passThrough(c.stdin);
}

function describeCat(c: CommandInput, fx: Effects): void {
  const files = operands(c, '').filter((a) => a.text !== '-');
  fx.reads.push(...uses(c, files));
  fx.output = files.length === 0 ? c.stdin : { taint: 'unknown' };
}

function describeGrep(c: CommandInput, fx: Effects, short: string): void {
  const long = ['regexp', 'file', 'max-count', 'after-context', 'before-context', 'context', 'glob', 'type', 'replace'];
  const p = parseOpts(c.args, 1, { short, long });
  const patternGiven = p.values.has('e') || p.values.has('f') || p.values.has('regexp') || p.values.has('file');
  fx.reads.push(...uses(c, [...(p.values.get('f') ?? []), ...(p.values.get('file') ?? [])]));
  fx.reads.push(...uses(c, patternGiven ? p.operands : p.operands.slice(1)));
  fx.output = passThrough(c.stdin);
}

function describeEcho(c: CommandInput, fx: Effects): void {
  let i = 1;
  let escapes = false;
  let newline = true;
  while (i < c.args.length && /^-[neE]+$/.test(c.args[i]?.text ?? '')) {
    const t = c.args[i]?.text ?? '';
    if (t.includes('e')) escapes = true;
    if (t.includes('n')) newline = false;
    i++;
  }
  const rest = c.args.slice(i);
  fx.output = literalOutput(rest, (texts) => {
    const s = texts.join(' ');
    return (escapes ? unescapeC(s) : s) + (newline ? '\n' : '');
  });
}

function describePrintf(c: CommandInput, fx: Effects): void {
  let i = 1;
  if (c.args[i]?.text === '-v') {
    i += 2;
    fx.output = null;
  }
  if (c.args[i]?.text === '--') i++;
  const rest = c.args.slice(i);
  const out = literalOutput(rest, (texts) => formatPrintf(texts[0] ?? '', texts.slice(1)));
  if (fx.output !== null) fx.output = out;
}

function literalOutput(args: readonly Arg[], render: (texts: string[]) => string): Stream {
  let taint: Taint | null = null;
  const texts: string[] = [];
  for (const a of args) {
    if (a.text === null) taint = strongerTaint(taint, a.taint ?? 'unknown');
    else texts.push(a.text);
  }
  if (taint) return { taint };
  return { text: render(texts) };
}

/** A small printf: `%s`, `%b`, `%d`-like conversions and backslash escapes; enough to see through. */
function formatPrintf(format: string, args: string[]): string {
  let k = 0;
  let out = '';
  const fmt = unescapeC(format);
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i] as string;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const m = /^%[-+ #0]*\d*(?:\.\d+)?([a-zA-Z%])/.exec(fmt.slice(i));
    if (!m) {
      out += ch;
      continue;
    }
    i += m[0].length - 1;
    const conv = m[1];
    if (conv === '%') out += '%';
    else if (conv === 'b') out += unescapeC(args[k++] ?? '');
    else if (conv === 'c') out += (args[k++] ?? '').slice(0, 1);
    else out += args[k++] ?? '';
  }
  return out;
}

/** Backslash escapes as echo -e and printf read them (`\xHH`, `\0NNN`, `\NNN`, `\n` …). */
export function unescapeC(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|0[0-7]{0,3}|[0-7]{1,3}|u[0-9a-fA-F]{1,4}|.)/g, (_all, e: string) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    const map: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      e: '\x1b',
      '\\': '\\',
    };
    return map[e] ?? `\\${e}`;
  });
}
