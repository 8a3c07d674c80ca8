/**
 * Shells and interpreters: `bash -c`, `eval`, a script file, code piped in or given inline
 * (`python -c`, `node -e`, `perl -e` …). Shell code the guard can read is parsed and walked like
 * the call itself; code it cannot read is asked about; code from a download or a decoder is denied.
 */
import {
  type Arg,
  type CommandInput,
  type Effects,
  type Finding,
  type Inner,
  type OptSpec,
  type Stream,
  type Taint,
  genericOperands,
  litArg,
  parseOpts,
  showArgs,
  strongerTaint,
} from './model.js';

/** Runs shells, interpreters and `source`: true when `c` is one of them (`fx` then says what runs). */
export function describeCode(c: CommandInput, fx: Effects): boolean {
  const sub = c.args[1]?.text;
  if (c.name === 'deno' && (sub === 'eval' || sub === 'run')) {
    describeDeno(c, fx, sub);
    return true;
  }
  if (c.name === 'source' || c.name === '.') {
    describeSource(c, fx);
    return true;
  }
  if (c.name === 'bun' && sub === 'run') return false;
  if (SHELLS.has(c.name)) {
    describeShell(c, fx);
    return true;
  }
  const interp = interpreterName(c.name);
  if (interp) {
    describeInterpreter(c, fx, interp);
    return true;
  }
  return false;
}

/** Shells: `-c` code and stdin are scripts the guard parses. */
export const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'yash',
  'fish',
  'rbash',
  'posh',
  'tcsh',
  'csh',
]);

/** Interpreters and the options that pass them code inline. */
const INTERPRETERS: Record<string, { code: string[]; spec: OptSpec }> = {
  python: { code: ['c'], spec: { short: 'cmWXQ' } },
  node: {
    code: ['e', 'eval', 'p', 'print'],
    spec: {
      short: 'eprC',
      long: ['eval', 'print', 'require', 'import', 'loader', 'experimental-loader', 'conditions', 'env-file'],
    },
  },
  perl: { code: ['e', 'E'], spec: { short: 'eEMmI' } },
  ruby: { code: ['e'], spec: { short: 'erICEF' } },
  php: { code: ['r', 'B', 'R', 'E'], spec: { short: 'rBREfdcz' } },
  lua: { code: ['e'], spec: { short: 'el' } },
  Rscript: { code: ['e'], spec: { short: 'e' } },
  osascript: { code: ['e'], spec: { short: 'el' } },
  pwsh: { code: ['c', 'command', 'encodedcommand', 'enc', 'ec', 'e'], spec: {} },
  tclsh: { code: [], spec: {} },
};

/** The interpreter family of a command name (`python3.12` → `python`), or null. */
export function interpreterName(name: string): string | null {
  if (/^python[\d.]*$|^pypy[\d.]*$/.test(name)) return 'python';
  if (name === 'node' || name === 'nodejs' || name === 'bun' || name === 'deno') return 'node';
  if (/^perl[\d.]*$/.test(name)) return 'perl';
  if (/^ruby[\d.]*$/.test(name) || name === 'irb') return 'ruby';
  if (/^php[\d.]*$/.test(name)) return 'php';
  if (/^lua(jit|[\d.]*)$/.test(name)) return 'lua';
  if (name === 'powershell' || name === 'pwsh' || name === 'powershell.exe') return 'pwsh';
  return name in INTERPRETERS ? name : null;
}

/** Shell code given as one word: parsed when known, asked about (or denied) when it is not. */
export function runCode(c: CommandInput, fx: Effects, arg: Arg, via: string, stdin: Stream = null): void {
  const code = arg.text ?? arg.code;
  if (code !== null) {
    fx.inner.push({ kind: 'script', text: code, cwd: c.cwd, stdin, via });
    return;
  }
  fx.findings.push(codeFinding(arg.taint, `${via} runs code only known when it runs: ${arg.raw}`, 'dynamic-command'));
}

/** `eval a b c`, `watch a b`: the words joined by spaces are a script. */
export function runJoined(c: CommandInput, fx: Effects, args: Arg[], via: string): void {
  if (args.length === 0) return;
  const codes = args.map((a) => a.text ?? a.code);
  if (codes.every((t): t is string => t !== null)) {
    fx.inner.push({ kind: 'script', text: codes.join(' '), cwd: c.cwd, stdin: null, via });
    return;
  }
  const taint = args.reduce<Taint | null>((t, a) => strongerTaint(t, a.taint), null);
  fx.findings.push(
    codeFinding(taint, `${via} runs code only known when it runs: ${showArgs(args)}`, 'dynamic-command'),
  );
}

/** Code from a download or a decoder is denied; other unknown code is asked about. */
export function codeFinding(taint: Taint | null, reason: string, askRule: string): Finding {
  if (taint === 'download') return { decision: 'deny', rule: 'deny:pipe-to-shell', reason: `${reason} (downloaded)` };
  if (taint === 'decoded')
    return { decision: 'deny', rule: 'deny:pipe-to-shell', reason: `${reason} (decoded or unscrambled)` };
  return { decision: 'ask', rule: `ask:${askRule}`, reason };
}

/** Code read from stdin by a shell or an interpreter. */
export function stdinCode(c: CommandInput, fx: Effects, shell: boolean): void {
  const s = c.stdin;
  if (s === null) return;
  if ('text' in s) {
    if (shell) fx.inner.push({ kind: 'script', text: s.text, cwd: c.cwd, stdin: null, via: `${c.name} (stdin)` });
    else opaque(c, fx, s.text, 'stdin');
    return;
  }
  const what = s.taint === 'download' ? 'downloaded' : s.taint === 'decoded' ? 'decoded' : 'piped';
  if (s.taint === 'unknown') {
    fx.findings.push({ decision: 'ask', rule: 'ask:shell-from-stdin', reason: `${c.name} runs code piped into it` });
    return;
  }
  fx.findings.push({ decision: 'deny', rule: 'deny:pipe-to-shell', reason: `${c.name} runs ${what} code from a pipe` });
}

function describeShell(c: CommandInput, fx: Effects): void {
  let command = false;
  let fromStdin = false;
  let i = 1;
  for (; i < c.args.length; i++) {
    const t = c.args[i]?.text;
    if (t === null || t === undefined) break;
    if (t === '--' || t === '-') {
      i++;
      break;
    }
    if (t === '--rcfile' || t === '--init-file') {
      const f = c.args[++i];
      if (f) fx.execs.push({ arg: f, cwd: c.cwd });
      continue;
    }
    if (t.startsWith('--')) continue;
    if (!/^[-+][A-Za-z]+$/.test(t)) break;
    if (t.includes('c')) command = true;
    if (t.startsWith('-') && t.includes('s')) fromStdin = true;
    if (/[oO]$/.test(t)) i++;
  }
  const first = c.args[i];
  if (fromStdin && !command) {
    stdinCode(c, fx, true);
    return;
  }
  if (command) {
    if (first) runCode(c, fx, first, `${c.name} -c`);
    return;
  }
  if (first) {
    runFile(c, fx, first);
    return;
  }
  stdinCode(c, fx, true);
}

/** A script file given to a shell or an interpreter, or `<(…)` in its place. */
function runFile(c: CommandInput, fx: Effects, file: Arg): void {
  if (file.proc !== null) {
    fx.findings.push(codeFinding(file.proc, `${c.name} runs the output of a command: ${file.raw}`, 'dynamic-command'));
    return;
  }
  if (file.text !== null && /^[a-z]+:\/\//i.test(file.text)) {
    fx.findings.push(
      codeFinding('download', `${c.name} runs a script from the network: ${file.text}`, 'dynamic-command'),
    );
    return;
  }
  fx.execs.push({ arg: file, cwd: c.cwd });
  fx.reads.push({ arg: file, cwd: c.cwd });
  fx.reads.push(
    ...c.args
      .slice(c.args.indexOf(file) + 1)
      .filter((a) => a.text === null || !a.text.startsWith('-'))
      .map((arg) => ({ arg, cwd: c.cwd })),
  );
}

function describeSource(c: CommandInput, fx: Effects): void {
  const file = c.args[1];
  if (file) runFile(c, fx, file);
}

function describeInterpreter(c: CommandInput, fx: Effects, lang: string): void {
  const def = INTERPRETERS[lang] as { code: string[]; spec: OptSpec };
  if (lang === 'pwsh') {
    describePowershell(c, fx);
    return;
  }
  const p = parseOpts(c.args, 1, { ...def.spec, stopAtOperand: true });
  const codes = def.code.flatMap((k) => p.values.get(k) ?? []);
  if (lang === 'php') fx.execs.push(...(p.values.get('f') ?? []).map((arg) => ({ arg, cwd: c.cwd })));
  const inPlace = (lang === 'perl' || lang === 'ruby') && (p.flags.has('i') || p.values.has('i'));
  const rest = c.args.slice(p.rest);
  // Files named on the line (`--env-file=.env`, a script's arguments) are read like any command's.
  fx.reads.push(
    ...genericOperands(c.args.slice(0, p.rest))
      .filter((a) => !codes.includes(a))
      .map((arg) => ({ arg, cwd: c.cwd })),
  );
  if (codes.length) {
    for (const code of codes) {
      if (code.text === null)
        fx.findings.push(
          codeFinding(code.taint, `${c.name} runs code only known when it runs: ${code.raw}`, 'opaque-code'),
        );
      else opaque(c, fx, code.text, 'inline');
    }
    const files = rest.filter((a) => a.text === null || !a.text.startsWith('-'));
    fx.reads.push(...files.map((arg) => ({ arg, cwd: c.cwd })));
    if (inPlace) fx.writes.push(...files.map((arg) => ({ arg, cwd: c.cwd })));
    return;
  }
  if (p.values.has('m') || p.values.has('r') || p.values.has('require')) {
    fx.reads.push(
      ...rest.filter((a) => a.text === null || !a.text.startsWith('-')).map((arg) => ({ arg, cwd: c.cwd })),
    );
    return;
  }
  const first = rest[0];
  if (first && first.text !== '-') runFile(c, fx, first);
  else stdinCode(c, fx, false);
}

function describeDeno(c: CommandInput, fx: Effects, sub: string): void {
  const p = parseOpts(c.args, 2, {
    long: ['config', 'import-map', 'location', 'cert', 'env-file'],
    stopAtOperand: true,
  });
  const first = c.args[p.rest];
  if (!first) return;
  if (sub === 'eval') {
    if (first.text === null)
      fx.findings.push(codeFinding(first.taint, `deno eval runs code only known when it runs`, 'opaque-code'));
    else opaque(c, fx, first.text, 'inline');
  } else runFile(c, fx, first);
}

function describePowershell(c: CommandInput, fx: Effects): void {
  for (let i = 1; i < c.args.length; i++) {
    const t = (c.args[i]?.text ?? '').toLowerCase();
    if (/^-(e|ec|enc|encodedcommand|encoded)$/.test(t)) {
      fx.findings.push(codeFinding('decoded', `${c.name} runs base64-encoded code`, 'opaque-code'));
      return;
    }
    if (t === '-c' || t === '-command') {
      const code = c.args.slice(i + 1);
      const text = code.map((a) => a.text ?? a.code).join(' ');
      opaque(c, fx, text, 'inline');
      return;
    }
    if (t === '-f' || t === '-file') {
      const f = c.args[i + 1];
      if (f) runFile(c, fx, f);
      return;
    }
  }
  stdinCode(c, fx, false);
}

const SHELL_CALL =
  /\b(?:os\.system|os\.popen|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|child_process\.exec(?:Sync)?|execSync|exec|spawnSync|system|shell_exec|passthru|popen|qx)\s*\(\s*(?:[rfbu]{0,2})(["'`])((?:\\.|(?!\1)[^\\])*)\1/g;

const LIST_CALL =
  /\b(?:subprocess\.\w+|spawnSync|execFileSync|execFile|spawn|Popen|run|call)\s*\(\s*[[(]([^\])]*)[\])]/g;

const DELETE_CALL =
  /\b(?:shutil\.rmtree|rmtree|rmSync|rmdirSync|rm_rf|remove_tree|rimraf(?:\.sync)?|FileUtils\.rm_r|fs\.rm|fs\.promises\.rm)\s*\(\s*(?:[rfbu]{0,2})(["'`])((?:\\.|(?!\1)[^\\])*)\1/g;

const WRITE_CALL =
  /\b(?:open|writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|File\.write|write_text|write_bytes|Path)\s*\(\s*(?:[rfbu]{0,2})(["'`])((?:\\.|(?!\1)[^\\])*)\1\s*(?:,\s*(?:mode\s*=\s*)?(["'])([^"']*)\3)?/g;

const STRING_LIT = /(["'`])((?:\\.|(?!\1)[^\\\n])*)\1/g;

/**
 * Inline code the guard cannot inspect: asked about. It still looks for the obvious: shell
 * commands handed to `os.system`-like calls, recursive deletes and writes of literal paths, and
 * secret paths named in string literals.
 */
function opaque(c: CommandInput, fx: Effects, code: string, where: 'inline' | 'stdin'): void {
  const short = code.replace(/\s+/g, ' ').slice(0, 60);
  fx.findings.push({
    decision: 'ask',
    rule: 'ask:opaque-code',
    reason: `${c.name} runs ${where} code the guard cannot inspect: ${short}`,
  });
  const inner: Inner[] = [];
  for (const m of code.matchAll(SHELL_CALL))
    inner.push({ kind: 'script', text: unquote(m[2] ?? ''), cwd: c.cwd, stdin: null, via: `${c.name} code` });
  for (const m of code.matchAll(LIST_CALL)) {
    const words = [...(m[1] ?? '').matchAll(STRING_LIT)].map((w) => unquote(w[2] ?? ''));
    if (words.length)
      inner.push({ kind: 'argv', args: words.map(litArg), cwd: c.cwd, stdin: null, via: `${c.name} code` });
  }
  fx.inner.push(...inner);
  for (const m of code.matchAll(DELETE_CALL)) fx.deletes.push({ arg: pathLiteral(m[2] ?? '', c.home), cwd: c.cwd });
  for (const m of code.matchAll(WRITE_CALL)) {
    const mode = m[4];
    const fn = m[0].split('(')[0] ?? '';
    if (/open|Path/.test(fn) && !(mode && /[wax+]/.test(mode))) continue;
    fx.writes.push({ arg: pathLiteral(m[2] ?? '', c.home), cwd: c.cwd });
  }
  for (const m of code.matchAll(STRING_LIT)) {
    const s = unquote(m[2] ?? '');
    if (
      /^(~|\.{0,2}\/)|\.env|id_(rsa|ed25519|ecdsa|dsa)|\.ssh|\.aws|\.gnupg|\.netrc|\.pem$|\.key$/.test(s) &&
      !/\s/.test(s)
    )
      fx.reads.push({ arg: pathLiteral(s, c.home), cwd: c.cwd });
  }
}

function unquote(s: string): string {
  return s.replace(/\\(["'`\\])/g, '$1');
}

function pathLiteral(s: string, home: string): Arg {
  const t = s.startsWith('~/') || s === '~' ? home + s.slice(1) : s;
  return litArg(t);
}
