/**
 * The guard's internal vocabulary between the walker, the command table and the rules: arguments
 * as far as they are known before a script runs, what commands do (effects), and small helpers to
 * read argument vectors (getopt-like option parsing).
 */
import type { Decision } from './types.js';

/** Where a stream's content comes from, weakest first: known text, then unknown, decoded, downloaded. */
export type Taint = 'unknown' | 'decoded' | 'download';

/** What a command reads on stdin (or writes on stdout): nothing known, literal text, or tainted data. */
export type Stream = null | { text: string } | { taint: Taint };

/** One argument after expansion, as far as it can be known before the script runs. */
export interface Arg {
  /** The value, or null when part of it is only known at run time. */
  text: string | null;
  /** The source text, for messages. */
  raw: string;
  /** Unquoted `*`, `?` or `[…]`: the value is a pattern the shell expands. */
  glob: boolean;
  /** Literal text before the first unknown part (all of it when `text` is known). */
  head: string;
  /** Literal text after the last unknown part (empty when `text` is known). */
  tail: string;
  /** The strongest taint of the command substitutions inside (their output becomes this word). */
  taint: Taint | null;
  /** A whole-word process substitution `<(…)`: what runs inside, as its output taint. */
  proc: Taint | null;
  /**
   * The word as code for a nested shell (`bash -c "…"`): its value with unknown variables kept as
   * `$NAME` references; null when it holds a command substitution (then the code is not known).
   */
  code: string | null;
}

/** What one rule says about one command. */
export interface Finding {
  decision: Decision;
  rule: string;
  reason: string;
}

/** A path a command touches, as an argument resolved against the folder it runs in. */
export interface PathUse {
  arg: Arg;
  cwd: string | null;
}

/** Something a command runs in turn. */
export type Inner =
  /** An argument vector (sudo, env, xargs, find -exec …). */
  | { kind: 'argv'; args: Arg[]; cwd: string | null; stdin: Stream; via: string }
  /** Shell code known as text (bash -c '…', eval, a heredoc into sh). */
  | { kind: 'script'; text: string; cwd: string | null; stdin: Stream; via: string };

/** What a command does, as far as the guard models it. */
export interface Effects {
  reads: PathUse[];
  /** Names only (ls, find, stat): matters only for secret folders. */
  lists: PathUse[];
  writes: PathUse[];
  /** Writes that only create (mkdir, touch): a folder holding a protected file may be created. */
  creates: PathUse[];
  /** Recursive deletes. */
  deletes: PathUse[];
  /** Link sources: a link to a protected file is a way to write it. */
  links: PathUse[];
  /** URLs' hosts it contacts; null for a URL only known at run time. */
  hosts: (string | null)[];
  /** Files it fills with downloaded or decoded content. */
  downloads: PathUse[];
  /** Files it runs as code (a script given to a shell or an interpreter). */
  execs: PathUse[];
  findings: Finding[];
  inner: Inner[];
  /** What it writes on stdout, for the next command of a pipeline. */
  output: Stream;
  /** Its stdout is that of the commands it runs (sudo, env, timeout …). */
  outputFromInner: boolean;
}

/** Effects of a command that does nothing the guard checks. */
export function emptyEffects(): Effects {
  return {
    reads: [],
    lists: [],
    writes: [],
    creates: [],
    deletes: [],
    links: [],
    hosts: [],
    downloads: [],
    execs: [],
    findings: [],
    inner: [],
    output: { taint: 'unknown' },
    outputFromInner: false,
  };
}

const TAINT_RANK: Record<Taint, number> = { unknown: 1, decoded: 2, download: 3 };

/** The stronger of two taints (download > decoded > unknown). */
export function strongerTaint(a: Taint | null, b: Taint | null): Taint | null {
  if (a === null) return b;
  if (b === null) return a;
  return TAINT_RANK[a] >= TAINT_RANK[b] ? a : b;
}

/** A literal argument (for argv given as an array, and for values the guard builds itself). */
export function litArg(text: string): Arg {
  return { text, raw: text, glob: false, head: text, tail: '', taint: null, proc: null, code: text };
}

/** An argument only known at run time (xargs input, `{}` of find without a start folder …). */
export function dynamicArg(raw: string, taint: Taint | null = null): Arg {
  return { text: null, raw, glob: false, head: '', tail: '', taint, proc: null, code: null };
}

/** The text of an argument vector for messages, shortened. */
export function showArgs(args: readonly Arg[], max = 80): string {
  const s = args.map((a) => a.raw).join(' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Which options of a command take a value, for splitting its arguments into options and operands. */
export interface OptSpec {
  /** Short option letters that take a value (the rest of the cluster, or the next argument). */
  short?: string;
  /** Long options, without dashes, that take a value (`--name=value` or `--name value`). */
  long?: readonly string[];
  /** Stop at the first operand: for wrappers, the command they run starts there. */
  stopAtOperand?: boolean;
}

/** Options and operands of a command line. */
export interface ParsedOpts {
  /** Short letters and long names seen. */
  flags: Set<string>;
  /** Values by short letter or long name, in order. */
  values: Map<string, Arg[]>;
  operands: Arg[];
  /** With `stopAtOperand`: the index of the first operand (args.length when none). */
  rest: number;
}

/** Splits `args[start…]` into options and operands as getopt would. */
export function parseOpts(args: readonly Arg[], start: number, spec: OptSpec): ParsedOpts {
  const out: ParsedOpts = { flags: new Set(), values: new Map(), operands: [], rest: args.length };
  const addValue = (key: string, value: Arg | undefined): void => {
    out.flags.add(key);
    if (!value) return;
    const list = out.values.get(key);
    if (list) list.push(value);
    else out.values.set(key, [value]);
  };
  for (let i = start; i < args.length; i++) {
    const a = args[i] as Arg;
    const t = a.text;
    if (t === '--') {
      out.operands.push(...args.slice(i + 1));
      if (spec.stopAtOperand) out.rest = i + 1;
      return out;
    }
    if (t === null || !t.startsWith('-') || t === '-') {
      if (spec.stopAtOperand) {
        out.rest = i;
        out.operands.push(...args.slice(i));
        return out;
      }
      out.operands.push(a);
      continue;
    }
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = eq === -1 ? t.slice(2) : t.slice(2, eq);
      if (eq !== -1) addValue(name, subArg(a, eq + 1));
      else if (spec.long?.includes(name)) addValue(name, args[++i]);
      else out.flags.add(name);
      continue;
    }
    for (let j = 1; j < t.length; j++) {
      const letter = t[j] as string;
      if (spec.short?.includes(letter)) {
        addValue(letter, j + 1 < t.length ? subArg(a, j + 1) : args[++i]);
        break;
      }
      out.flags.add(letter);
    }
  }
  return out;
}

/** The part of a known argument from `from` on (an option's attached value). */
export function subArg(a: Arg, from: number): Arg {
  const text = (a.text ?? '').slice(from);
  return { ...a, text, raw: text, head: text, tail: '', code: text };
}

/** The files a Codex-style patch (`*** Begin Patch`) adds, updates, deletes or moves to. */
export function patchTargets(text: string): string[] {
  const out: string[] = [];
  const re = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+?)\s*$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] as string);
  return out;
}

/** Each argument as a path used from `c.cwd`. */
export function uses(c: { cwd: string | null }, args: readonly Arg[]): PathUse[] {
  return args.map((arg) => ({ arg, cwd: c.cwd }));
}

/** Every word that could name a file: operands, `--opt=value` values, `@file` references. */
export function genericOperands(args: readonly Arg[]): Arg[] {
  const out: Arg[] = [];
  for (const a of args.slice(1)) {
    const t = a.text;
    if (t === null) {
      out.push(a);
      continue;
    }
    if (t.startsWith('--') && t.includes('=')) out.push(subArg(a, t.indexOf('=') + 1));
    else if (t.startsWith('@') && t.length > 1) out.push(subArg(a, 1));
    else if (!t.startsWith('-') && t !== '') out.push(a);
  }
  return out;
}

/** One command as the command table sees it. */
export interface CommandInput {
  /** The command's base name (`/usr/bin/rm` → `rm`). */
  name: string;
  /** The argument vector, `args[0]` being the command itself. */
  args: Arg[];
  cwd: string | null;
  stdin: Stream;
  home: string;
  protectedBranches: readonly string[];
}

/** The operands of a command whose value-taking short options are `short`. */
export function operands(c: CommandInput, short: string, long: readonly string[] = []): Arg[] {
  return parseOpts(c.args, 1, { short, long }).operands;
}

/** The taint of a stream; null for nothing or known text. */
export function taintOf(s: Stream): Taint | null {
  return s && 'taint' in s ? s.taint : null;
}

/** Output of a filter: its input, unknown if it was literal (the filter changes it). */
export function passThrough(stdin: Stream): Stream {
  const t = taintOf(stdin);
  return { taint: t ?? 'unknown' };
}

/** The command's folder as an argument (the implicit target of `tar -x`, `unzip` …). */
export function cwdArg(c: CommandInput): Arg {
  const t = c.cwd ?? '.';
  return { text: t, raw: '.', glob: false, head: t, tail: '', taint: null, proc: null, code: t };
}
