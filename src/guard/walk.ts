/**
 * Walks a parsed script the way the shell would run it, as far as that is known before it runs:
 * expands words (quotes, `~`, known variables, braces), follows `cd` and literal assignments,
 * feeds each pipeline stage what the previous one writes, and hands every simple command (and
 * every command it runs in turn) to the command table and the rules. The findings collect here.
 */
import { posix } from 'node:path';
import { describeCommand, isDecoder } from './commands.js';
import { SHELLS, codeFinding } from './interpreters.js';
import { commandMatches, expandBraces, protect, resolvePath, unprotect } from './match.js';
import {
  type Arg,
  type Effects,
  type Finding,
  type Stream,
  type Taint,
  emptyEffects,
  genericOperands,
  showArgs,
  strongerTaint,
  uses,
} from './model.js';
import type { PatternRule } from './policy.js';
import { type RuleEnv, judgeEffects } from './rules.js';
import { DOWNLOADERS } from './network.js';
import { type Command, type Redirect, type Script, type Word, parseShell, simpleCommands, wordValue } from './shell.js';

const MAX_DEPTH = 8;
const MAX_COMMANDS = 2000;
const MAX_LOOP_VALUES = 8;
/** Variables whose value a program runs as a command (git's ssh, editors, pagers, shells' start files). */
const CODE_VARS = new Set([
  'GIT_SSH_COMMAND',
  'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
  'GIT_PAGER',
  'GIT_ASKPASS',
  'GIT_EXTERNAL_DIFF',
  'GIT_PROXY_COMMAND',
  'SSH_ASKPASS',
  'SUDO_ASKPASS',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'MANPAGER',
  'LESSOPEN',
  'LESSCLOSE',
  'BASH_ENV',
  'ENV',
  'PROMPT_COMMAND',
]);

interface Ctx {
  cwd: string | null;
  vars: Map<string, string>;
  depth: number;
  /** Inside a command a policy allow entry matched: the default decision no longer applies. */
  covered: boolean;
}

/** One call's walk: collects findings across the script and the commands it runs. */
export class Walker {
  readonly findings: Finding[] = [];
  /** The first policy allow entry that decided something, for the verdict of an allowed call. */
  allowedBy: PatternRule | null = null;
  private readonly downloaded = new Set<string>();
  /** Files this call writes with known text (`echo … > x.sh`): running one runs that text. */
  private readonly written = new Map<string, string>();
  private count = 0;

  constructor(private readonly re: RuleEnv) {}

  /** Shell code as the agent sent it. */
  shell(text: string, cwd: string | null): void {
    this.runScript(text, { cwd, vars: new Map(), depth: 0, covered: false }, null, 'the command');
  }

  /** An argument vector as the agent sent it (no shell in between). */
  argv(words: string[], cwd: string | null): void {
    const args = words.map(
      (w): Arg => ({ text: w, raw: w, glob: false, head: w, tail: '', taint: null, proc: null, code: w }),
    );
    this.invoke(args, { cwd, vars: new Map(), depth: 0, covered: false }, null, emptyEffects());
  }

  private add(...f: Finding[]): void {
    for (const x of f)
      if (!this.re.disabled.has(x.rule.slice(x.rule.indexOf(':') + 1)) || x.rule === 'deny:protected-file')
        this.findings.push(x);
  }

  private runScript(text: string, ctx: Ctx, stdin: Stream, via: string): Stream {
    const d = this.re.policy.unparseable;
    if (ctx.depth > MAX_DEPTH) {
      this.findings.push({
        decision: d,
        rule: `${d}:unparseable`,
        reason: `${via}: code nested too deeply to inspect`,
      });
      return { taint: 'unknown' };
    }
    const parsed = parseShell(text);
    if (parsed.error !== null) {
      this.findings.push({ decision: d, rule: `${d}:unparseable`, reason: `cannot parse ${via}: ${parsed.error}` });
      return { taint: 'unknown' };
    }
    return this.script(parsed.script, ctx, stdin);
  }

  private script(s: Script, ctx: Ctx, stdin: Stream): Stream {
    let out: Stream = null;
    for (const pl of s.pipelines) {
      let input = stdin;
      const many = pl.commands.length > 1;
      pl.commands.forEach((cmd, i) => {
        const c = many ? clone(ctx) : ctx;
        const produced = this.command(cmd, c, input);
        input = i < pl.commands.length - 1 ? carry(produced, input) : produced;
      });
      out = input;
    }
    return out;
  }

  private command(cmd: Command, ctx: Ctx, stdin: Stream): Stream {
    if (cmd.kind === 'simple') return this.simple(cmd.words, cmd.assigns, cmd.redirs, ctx, stdin);
    const fx = emptyEffects();
    const input = this.redirects(cmd.redirs, ctx, stdin, fx);
    this.judgeAlone(fx);
    const values = cmd.words.flatMap((w) => this.expand(w, ctx));
    switch (cmd.type) {
      case 'subshell':
        return this.script(cmd.body, clone(ctx), input);
      case 'group':
        return this.script(cmd.body, ctx, input);
      case 'function':
        this.script(cmd.body, clone(ctx), null);
        return null;
      case 'for': {
        const name = cmd.name ?? '';
        const known =
          values.length > 0 && values.length <= MAX_LOOP_VALUES && values.every((v) => v.text !== null && !v.glob);
        const before = ctx.cwd;
        let out: Stream = null;
        if (known) {
          for (const v of values) {
            ctx.vars.set(name, v.text as string);
            ctx.cwd = before;
            out = this.script(cmd.body, ctx, input);
          }
        } else {
          ctx.vars.delete(name);
          out = this.script(cmd.body, ctx, input);
        }
        ctx.vars.delete(name);
        if (ctx.cwd !== before) ctx.cwd = null;
        return out;
      }
      case 'if':
      case 'loop':
      case 'case': {
        const before = ctx.cwd;
        const out = this.script(cmd.body, ctx, input);
        if (ctx.cwd !== before) ctx.cwd = null;
        return out;
      }
      default:
        return null;
    }
  }

  private simple(
    words: Word[],
    assigns: { name: string; value: Word | null; array?: Word[] }[],
    redirs: Redirect[],
    ctx: Ctx,
    stdin: Stream,
  ): Stream {
    const args = words.flatMap((w) => this.expand(w, ctx));
    const values = assigns.map((a) => ({
      name: a.name,
      arg: a.value ? this.expand(a.value, ctx)[0] : null,
      array: a.array?.flatMap((w) => this.expand(w, ctx)),
    }));
    for (const v of values) {
      const code = v.arg?.text ?? v.arg?.code;
      if (CODE_VARS.has(v.name) && code)
        this.runScript(code, { ...clone(ctx), depth: ctx.depth + 1 }, null, `$${v.name}`);
    }
    const fx = emptyEffects();
    const targets = new Map<Redirect, Arg>();
    const input = this.redirects(redirs, ctx, stdin, fx, targets);
    if (args.length === 0) {
      for (const v of values) {
        const value = v.arg?.text;
        if (typeof value === 'string' && !v.array) ctx.vars.set(v.name, value);
        else ctx.vars.delete(v.name);
      }
      this.judgeAlone(fx);
      return null;
    }
    const out = this.invoke(args, ctx, input, fx);
    this.afterCommand(args, ctx);
    const stdoutFiles = redirs.filter(
      (r) =>
        ((r.op === '>' || r.op === '>>' || r.op === '>|') && (r.fd === null || r.fd === 1)) ||
        r.op === '&>' ||
        r.op === '&>>',
    );
    const t = out && 'taint' in out ? out.taint : null;
    for (const r of stdoutFiles) {
      const a = targets.get(r);
      const p = typeof a?.text === 'string' ? resolvePath(a.text, ctx.cwd) : null;
      if (!p) continue;
      if (t === 'download' || t === 'decoded') this.downloaded.add(p);
      else if (out && 'text' in out) this.written.set(p, (r.op === '>>' ? (this.written.get(p) ?? '') : '') + out.text);
      else this.written.delete(p);
    }
    if (args[0]?.text === 'tee' && input && 'text' in input) {
      for (const a of args.slice(1))
        if (a.text !== null && !a.text.startsWith('-')) {
          const p = resolvePath(a.text, ctx.cwd);
          if (p) this.written.set(p, input.text);
        }
    }
    return stdoutFiles.length ? null : out;
  }

  /** `cd`, `export X=…` and friends change what later commands see. */
  private afterCommand(args: Arg[], ctx: Ctx): void {
    const name = args[0]?.text;
    if (name === 'cd' || name === 'pushd') {
      const dir = args.slice(1).find((a) => a.text === null || !a.text.startsWith('-') || a.text === '-');
      if (!dir) ctx.cwd = name === 'cd' ? this.re.places.home : ctx.cwd;
      else ctx.cwd = dir.text === null || dir.text === '-' ? null : resolvePath(dir.text, ctx.cwd);
    } else if (name === 'popd') ctx.cwd = null;
    else if (name === 'export' || name === 'declare' || name === 'typeset' || name === 'local' || name === 'readonly') {
      for (const a of args.slice(1)) {
        const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(a.text ?? '');
        if (m) ctx.vars.set(m[1] as string, m[2] as string);
        if (m && CODE_VARS.has(m[1] as string))
          this.runScript(m[2] as string, { ...clone(ctx), depth: ctx.depth + 1 }, null, `$${m[1] as string}`);
        else if (a.text === null) {
          const n = /^([A-Za-z_]\w*)=/.exec(a.head);
          if (n) ctx.vars.delete(n[1] as string);
        }
      }
    } else if (name === 'unset' || name === 'read') for (const a of args.slice(1)) if (a.text) ctx.vars.delete(a.text);
  }

  /** Effects of redirections alone (a compound command's, or a line with no command). */
  private judgeAlone(fx: Effects): void {
    this.add(...judgeEffects(fx, this.re));
  }

  /** Resolves redirections into reads and writes on `fx` (targets into `targets`); returns what stdin becomes. */
  private redirects(
    redirs: Redirect[],
    ctx: Ctx,
    stdin: Stream,
    fx: Effects,
    targets: Map<Redirect, Arg> = new Map(),
  ): Stream {
    let input = stdin;
    for (const r of redirs) {
      if (r.heredoc) {
        this.walkWordSubs(r.heredoc.word, ctx);
        input = { text: r.heredoc.body };
        continue;
      }
      const a = this.expand(r.target, ctx)[0];
      if (!a) continue;
      targets.set(r, a);
      const use = uses(ctx, [a]);
      switch (r.op) {
        case '<':
          if (a.proc !== null) {
            if (r.fd === null || r.fd === 0) input = { taint: a.proc };
            break;
          }
          fx.reads.push(...use);
          if (r.fd === null || r.fd === 0) {
            const p = a.text !== null ? resolvePath(a.text, ctx.cwd) : null;
            input = { taint: p !== null && this.downloaded.has(p) ? 'download' : 'unknown' };
          }
          break;
        case '<<<':
          input = a.text !== null ? { text: `${a.text}\n` } : { taint: a.taint ?? 'unknown' };
          break;
        case '<>':
          fx.reads.push(...use);
          fx.writes.push(...use);
          break;
        case '>&':
        case '<&':
          if (a.text !== null && /^(\d+-?|-)$/.test(a.text)) break;
          if (r.op === '>&') fx.writes.push(...use);
          break;
        default:
          if (a.proc === null) fx.writes.push(...use);
      }
    }
    return input;
  }

  /** Runs the rules on one command and on what it runs; returns what it writes on stdout. */
  private invoke(args: Arg[], ctx: Ctx, stdin: Stream, extra: Effects): Stream {
    if (++this.count > MAX_COMMANDS) {
      const d = this.re.policy.unparseable;
      if (this.count === MAX_COMMANDS + 1)
        this.findings.push({ decision: d, rule: `${d}:unparseable`, reason: 'too many commands to inspect' });
      return { taint: 'unknown' };
    }
    const a0 = args[0] as Arg;
    const found: Finding[] = [];
    let fx: Effects;
    if (a0.text === null || a0.glob) {
      fx = extra;
      fx.reads.push(...uses(ctx, genericOperands(args)));
      found.push(
        codeFinding(
          strongerTaint(a0.taint, a0.proc),
          `the command's name is only known when it runs: ${showArgs(args)}`,
          'dynamic-command',
        ),
      );
    } else {
      const name = posix.basename(a0.text);
      fx = describeCommand({
        name,
        args,
        cwd: ctx.cwd,
        stdin,
        home: this.re.places.home,
        protectedBranches: this.re.policy.protectedBranches,
      });
      mergeEffects(fx, extra);
      const self = a0.text.includes('/') ? resolvePath(a0.text, ctx.cwd) : null;
      const runsDownload = [
        self,
        ...fx.execs.map((u) => (u.arg.text !== null ? resolvePath(u.arg.text, u.cwd) : null)),
      ].some((p) => p !== null && this.downloaded.has(p));
      if (runsDownload)
        found.push({
          decision: 'deny',
          rule: 'deny:pipe-to-shell',
          reason: `runs a file downloaded earlier in the same command: ${showArgs(args)}`,
        });
      // A script written earlier in the same command with known text: that text runs.
      const shell = SHELLS.has(name) || name === 'source' || name === '.';
      for (const p of [
        self,
        ...(shell ? fx.execs.map((u) => (u.arg.text !== null ? resolvePath(u.arg.text, u.cwd) : null)) : []),
      ]) {
        const text = p !== null ? this.written.get(p) : undefined;
        if (text !== undefined)
          fx.inner.push({ kind: 'script', text, cwd: ctx.cwd, stdin: null, via: `the script ${p}` });
      }
    }
    found.push(...judgeEffects(fx, this.re), ...fx.findings);
    const allowed = this.applyPatterns(args, found);
    const before = this.findings.length;
    this.add(...found);
    if (this.findings.length === before && !allowed && !ctx.covered && this.re.policy.default !== 'allow') {
      const d = this.re.policy.default;
      this.findings.push({ decision: d, rule: `${d}:default`, reason: `no policy entry allows ${showArgs(args)}` });
    }
    for (const u of fx.downloads) {
      const p = u.arg.text !== null ? resolvePath(u.arg.text, u.cwd) : null;
      if (p) this.downloaded.add(p);
    }
    let innerOut: Stream = null;
    const inner: Ctx = { ...ctx, covered: ctx.covered || allowed };
    for (const call of fx.inner) {
      const c: Ctx = { ...clone(inner), cwd: call.cwd };
      const out =
        call.kind === 'argv'
          ? call.args.length
            ? this.invoke(call.args, c, call.stdin, emptyEffects())
            : null
          : this.runScript(call.text, { ...c, depth: ctx.depth + 1 }, call.stdin, call.via);
      innerOut = fx.inner.length === 1 ? out : carry(out, innerOut);
    }
    return fx.outputFromInner ? innerOut : fx.output;
  }

  /** Policy command entries: deny and ask add findings; allow lifts the built-in asks. */
  private applyPatterns(args: Arg[], found: Finding[]): boolean {
    const words = args.map((a) => a.text ?? a.raw);
    const lists = this.re.policy.commands;
    const deny = lists.deny.find((r) => commandMatches(r.pattern, words));
    if (deny)
      found.push({
        decision: 'deny',
        rule: `policy:${deny.id}`,
        reason: `${showArgs(args)} matches '${deny.pattern}' (${deny.file})`,
      });
    const ask = lists.ask.find((r) => commandMatches(r.pattern, words));
    if (ask)
      found.push({
        decision: 'ask',
        rule: `policy:${ask.id}`,
        reason: `${showArgs(args)} matches '${ask.pattern}' (${ask.file})`,
      });
    if (deny || ask) return false;
    const allow = lists.allow.find((r) => commandMatches(r.pattern, words));
    if (!allow) return false;
    for (let i = found.length - 1; i >= 0; i--) if (found[i]?.rule.startsWith('ask:')) found.splice(i, 1);
    this.allowedBy ??= allow;
    return true;
  }

  // ---- words ----

  private walkWordSubs(w: Word, ctx: Ctx): Taint | null {
    let taint: Taint | null = null;
    for (const p of w.parts) {
      const subs =
        p.kind === 'cmd' || p.kind === 'proc' ? [p.script] : p.kind === 'var' || p.kind === 'arith' ? p.subs : [];
      for (const s of subs) {
        this.script(s, clone(ctx), null);
        taint = strongerTaint(taint, scriptTaint(s));
      }
    }
    return taint;
  }

  /** A word as the arguments it becomes (brace expansion may give several). */
  private expand(w: Word, ctx: Ctx): Arg[] {
    const taint = this.walkWordSubs(w, ctx);
    let known = true;
    let glob = false;
    let head = '';
    let tail = '';
    let code: string | null = '';
    let seenUnknown = false;
    let braces = '';
    const put = (s: string, quoted: boolean): void => {
      if (code !== null) code += s;
      if (seenUnknown) tail += s;
      else head += s;
      braces += quoted ? protect(s) : s;
      if (!quoted && /[*?]|\[.*\]/.test(s)) glob = true;
    };
    const unknown = (c: string | null): void => {
      known = false;
      seenUnknown = true;
      tail = '';
      code = code === null || c === null ? null : code + c;
    };
    for (const p of w.parts) {
      if (p.kind === 'lit') put(p.text, p.quoted);
      else if (p.kind === 'tilde') put(this.tildeValue(p.user), true);
      else if (p.kind === 'var') {
        const v = p.subs.length ? undefined : this.varValue(p.name, ctx);
        if (v !== undefined && !(!p.quoted && /\s/.test(v))) put(v, p.quoted);
        // Split by the shell, the value is not one word; as code for eval or sh -c it still reads the same.
        else unknown(v !== undefined ? v : p.name ? `\${${p.name}}` : null);
      } else unknown(null);
    }
    const proc =
      w.parts.length === 1 && w.parts[0]?.kind === 'proc' ? (scriptTaint(w.parts[0].script) ?? 'unknown') : null;
    if (!known) return [{ text: null, raw: w.raw, glob, head, tail, taint, proc, code }];
    const alts = /[{]/.test(braces) ? expandBraces(braces) : [braces];
    return alts.map((b) => {
      const t = unprotect(b);
      return {
        text: t,
        raw: alts.length > 1 ? t : w.raw,
        glob: /[*?]|\[.*\]/.test(b),
        head: t,
        tail: '',
        taint,
        proc,
        code: alts.length > 1 ? t : code,
      };
    });
  }

  private varValue(name: string, ctx: Ctx): string | undefined {
    if (name === 'HOME') return this.re.places.home;
    if (name === 'PWD') return ctx.cwd ?? undefined;
    return ctx.vars.get(name);
  }

  private tildeValue(user: string): string {
    const home = this.re.places.home;
    if (user === '' || user === posix.basename(home)) return home;
    return posix.join(posix.dirname(home), user);
  }
}

function clone(ctx: Ctx): Ctx {
  return { ...ctx, vars: new Map(ctx.vars) };
}

/** What the next stage of a pipeline reads: this stage's output, tainted by what it read. */
function carry(out: Stream, input: Stream): Stream {
  const t = input && 'taint' in input ? input.taint : null;
  if (t === null || t === 'unknown') return out;
  if (out === null || 'text' in out) return { taint: t };
  return { taint: strongerTaint(out.taint, t) ?? t };
}

function mergeEffects(into: Effects, from: Effects): void {
  into.reads.push(...from.reads);
  into.writes.push(...from.writes);
  into.lists.push(...from.lists);
  into.creates.push(...from.creates);
  into.deletes.push(...from.deletes);
  into.findings.push(...from.findings);
}

/** The strongest taint of what a script writes: downloads and decoders anywhere in it. */
export function scriptTaint(s: Script): Taint | null {
  let taint: Taint | null = null;
  for (const cmd of simpleCommands(s)) {
    const values = cmd.words.map(wordValue);
    values.forEach((v, k) => {
      if (v === null) return;
      const base = posix.basename(v);
      if (DOWNLOADERS.has(base)) taint = 'download';
      else if (taint !== 'download' && isDecoder(base, values.slice(k))) taint = 'decoded';
    });
    if (taint === null) taint = 'unknown';
  }
  return taint;
}
