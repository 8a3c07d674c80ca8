/**
 * A POSIX/bash shell parser for the guard: it finds every simple command a script can run, with
 * its words, redirections and substitutions, without running anything. It is written for
 * analysis, not execution: constructs it does not model (extglob, arithmetic) are skipped over
 * while their command substitutions are still found. A script it cannot parse is an error, and the
 * guard treats that per policy (`unparseable`).
 */
import {
  type Assignment,
  type Command,
  type CompoundCommand,
  type Heredoc,
  Lexer,
  type ParseResult,
  type Pipeline,
  type Redirect,
  type Script,
  type SimpleCommand,
  ShellSyntaxError,
  type Word,
  type WordPart,
} from './shell-words.js';

export type {
  Assignment,
  Command,
  CompoundCommand,
  Heredoc,
  ParseResult,
  Pipeline,
  Redirect,
  Script,
  SimpleCommand,
  Word,
  WordPart,
};

const RESERVED = new Set([
  'if',
  'then',
  'elif',
  'else',
  'fi',
  'do',
  'done',
  'case',
  'esac',
  'while',
  'until',
  'for',
  'select',
  'in',
  'function',
  '{',
  '}',
  '!',
  '[[',
  'time',
  'coproc',
]);
const MAX_NESTING = 120;
const REDIRECT = /^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(<<<|<<-|<<|<>|<&|>>|>&|>\||&>>|&>|<|>)/;
const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/;
const EMPTY: Script = { pipelines: [] };

/** Parses a script. Never throws: a syntax error comes back in `error` (and an empty script). */
export function parseShell(src: string): ParseResult {
  const p = new Parser(src);
  try {
    const script = p.parseProgram();
    return { script, error: null };
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { script: EMPTY, error: error.message };
    if (error instanceof RangeError) return { script: EMPTY, error: 'script nested too deeply' };
    return { script: EMPTY, error: `cannot parse: ${String(error)}` };
  }
}

/** Every simple command reachable in a script: in bodies, substitutions, heredoc expansions. */
export function simpleCommands(script: Script): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  const visitWord = (w: Word): void => {
    for (const part of w.parts) {
      if (part.kind === 'cmd' || part.kind === 'proc') visitScript(part.script);
      else if (part.kind === 'var' || part.kind === 'arith') part.subs.forEach(visitScript);
    }
  };
  const visitRedirs = (redirs: Redirect[]): void => {
    for (const r of redirs) {
      visitWord(r.target);
      if (r.heredoc) visitWord(r.heredoc.word);
    }
  };
  const visitScript = (s: Script): void => {
    for (const pl of s.pipelines) {
      for (const c of pl.commands) {
        if (c.kind === 'simple') {
          out.push(c);
          for (const a of c.assigns) {
            if (a.value) visitWord(a.value);
            a.array?.forEach(visitWord);
          }
          c.words.forEach(visitWord);
        } else {
          c.words.forEach(visitWord);
          visitScript(c.body);
        }
        visitRedirs(c.redirs);
      }
    }
  };
  visitScript(script);
  return out;
}

/** A word's value after quote removal, or null when part of it is only known at run time. */
export function wordValue(word: Word): string | null {
  let out = '';
  for (const part of word.parts) {
    if (part.kind === 'lit') out += part.text;
    else return null;
  }
  return out;
}

class Parser extends Lexer {
  parseProgram(): Script {
    const script = this.parseList(new Set());
    this.skipBlanks();
    if (this.pos < this.src.length) this.fail(`unexpected '${this.src[this.pos]}'`);
    this.finishHeredocs();
    return script;
  }

  // ---- lists, pipelines, commands ----

  protected parseList(stop: ReadonlySet<string>): Script {
    if (++this.nesting > MAX_NESTING) this.fail('script nested too deeply');
    const pipelines: Pipeline[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.atEnd()) break;
      const c = this.src[this.pos];
      if (c === ')') break;
      if (this.startsWith(';;') || this.startsWith(';&')) break;
      const reserved = this.peekReserved();
      if (reserved !== null && stop.has(reserved)) break;
      pipelines.push(this.parsePipeline());
      this.skipBlanks();
      if (this.startsWith('&&') || this.startsWith('||')) {
        this.pos += 2;
        this.skipLinebreaks();
        if (this.atEnd()) this.fail(`expected a command after '${this.src.slice(this.pos - 2, this.pos)}'`);
        continue;
      }
      if (this.atEnd()) break;
      const d = this.src[this.pos];
      if (d === ';' && !this.startsWith(';;') && !this.startsWith(';&')) continue;
      if (d === '&' || d === '\n') continue;
      if (d === ')' || d === ';') break;
      const next = this.peekReserved();
      if (next !== null && stop.has(next)) break;
      this.fail(`unexpected '${d}'`);
    }
    this.nesting--;
    return { pipelines };
  }

  protected parsePipeline(): Pipeline {
    const commands: Command[] = [];
    this.skipBlanks();
    while (this.peekReserved() === '!' || this.peekReserved() === 'time') {
      const w = this.peekReserved();
      this.pos += w === '!' ? 1 : 4;
      this.skipBlanks();
      if (w === 'time' && this.src.startsWith('-p', this.pos) && this.isDelim(this.pos + 2)) {
        this.pos += 2;
        this.skipBlanks();
      }
    }
    commands.push(this.parseCommand());
    for (;;) {
      this.skipBlanks();
      if (this.startsWith('||') || !this.startsWith('|')) break;
      this.pos += this.startsWith('|&') ? 2 : 1;
      this.skipLinebreaks();
      commands.push(this.parseCommand());
    }
    return { commands };
  }

  protected parseCommand(): Command {
    this.skipBlanks();
    if (this.atEnd()) this.fail('expected a command');
    const reserved = this.peekReserved();
    switch (reserved) {
      case 'if':
        return this.withRedirs(this.parseIf());
      case 'while':
      case 'until':
        return this.withRedirs(this.parseWhile(reserved));
      case 'for':
      case 'select':
        return this.withRedirs(this.parseFor(reserved));
      case 'case':
        return this.withRedirs(this.parseCase());
      case '{':
        return this.withRedirs(this.parseGroup());
      case '[[':
        return this.withRedirs(this.parseTest());
      case 'function':
        return this.parseFunctionKeyword();
      case 'coproc':
        this.pos += 6;
        this.skipBlanks();
        if (/^[A-Za-z_][A-Za-z0-9_]*[ \t]+\{/.test(this.src.slice(this.pos, this.pos + 80))) this.readWord();
        return this.parseCommand();
      case '!':
        this.pos++;
        return this.parseCommand();
      case null:
      case 'time':
      case 'in':
        break;
      default:
        this.fail(`unexpected '${reserved}'`);
    }
    if (this.src[this.pos] === '(') {
      if (this.src[this.pos + 1] === '(') return this.withRedirs(this.parseArithCommand());
      this.pos++;
      const body = this.parseList(new Set());
      this.expect(')');
      return this.withRedirs({ kind: 'compound', type: 'subshell', words: [], body, redirs: [] });
    }
    return this.parseSimple();
  }

  protected withRedirs(c: CompoundCommand): CompoundCommand {
    for (;;) {
      this.skipBlanks();
      const r = this.tryRedirect();
      if (!r) break;
      c.redirs.push(r);
    }
    return c;
  }

  protected parseSimple(): Command {
    const cmd: SimpleCommand = { kind: 'simple', assigns: [], words: [], redirs: [] };
    for (;;) {
      this.skipBlanks();
      if (this.atEnd()) break;
      const r = this.tryRedirect();
      if (r) {
        cmd.redirs.push(r);
        continue;
      }
      const c = this.src[this.pos] as string;
      if (c === '(') {
        // `name() { ...; }`: a function definition.
        if (cmd.words.length === 1 && cmd.assigns.length === 0 && /^\(\s*\)/.test(this.src.slice(this.pos))) {
          this.pos = this.src.indexOf(')', this.pos) + 1;
          this.skipLinebreaks();
          const body = this.parseCommand();
          const name = wordValue(cmd.words[0] as Word) ?? '';
          return { kind: 'compound', type: 'function', name, words: [], body: wrap(body), redirs: [] };
        }
        this.fail(`unexpected '('`);
      }
      if (';&|)\n'.includes(c)) break;
      const start = this.pos;
      const word = this.readWord();
      if (cmd.words.length === 0) {
        const m = ASSIGN.exec(word.raw);
        if (m) {
          cmd.assigns.push(this.toAssignment(word, m[0].length, m[1] as string, start));
          continue;
        }
      }
      cmd.words.push(word);
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0) this.fail('expected a command');
    return cmd;
  }

  protected toAssignment(word: Word, eqEnd: number, name: string, start: number): Assignment {
    if (this.src[this.pos] === '(' && word.raw.length === eqEnd) {
      this.pos++;
      const array: Word[] = [];
      for (;;) {
        this.skipLinebreaks();
        if (this.atEnd()) this.fail('unterminated array assignment');
        if (this.src[this.pos] === ')') {
          this.pos++;
          break;
        }
        array.push(this.readWord());
      }
      return { name, value: null, array };
    }
    // Re-read the value so that a leading `~` expands and its parts are exact.
    const save = this.pos;
    this.pos = start + eqEnd;
    const value = this.pos < save ? this.readWord() : { parts: [], raw: '' };
    this.pos = save;
    return { name, value };
  }

  protected parseIf(): CompoundCommand {
    const scripts: Script[] = [];
    this.pos += 2;
    scripts.push(this.parseList(new Set(['then'])));
    this.expectReserved('then');
    scripts.push(this.parseList(new Set(['elif', 'else', 'fi'])));
    for (;;) {
      const w = this.peekReserved();
      if (w === 'elif') {
        this.pos += 4;
        scripts.push(this.parseList(new Set(['then'])));
        this.expectReserved('then');
        scripts.push(this.parseList(new Set(['elif', 'else', 'fi'])));
      } else if (w === 'else') {
        this.pos += 4;
        scripts.push(this.parseList(new Set(['fi'])));
      } else break;
    }
    this.expectReserved('fi');
    return { kind: 'compound', type: 'if', words: [], body: concat(scripts), redirs: [] };
  }

  protected parseWhile(keyword: string): CompoundCommand {
    this.pos += keyword.length;
    const cond = this.parseList(new Set(['do']));
    this.expectReserved('do');
    const body = this.parseList(new Set(['done']));
    this.expectReserved('done');
    return { kind: 'compound', type: 'loop', words: [], body: concat([cond, body]), redirs: [] };
  }

  protected parseFor(keyword: string): CompoundCommand {
    this.pos += keyword.length;
    this.skipBlanks();
    if (this.startsWith('((')) {
      const arith = this.parseArithCommand();
      this.skipSeparators();
      return this.finishLoopBody({ ...arith, type: 'for' }, '');
    }
    const nameWord = this.readWord();
    const name = wordValue(nameWord) ?? '';
    this.skipBlanks();
    const words: Word[] = [];
    let sawIn = false;
    this.skipLinebreaks();
    if (this.peekReserved() === 'in') {
      sawIn = true;
      this.pos += 2;
      for (;;) {
        this.skipBlanks();
        if (this.atEnd() || this.src[this.pos] === ';' || this.src[this.pos] === '\n') break;
        words.push(this.readWord());
      }
    }
    this.skipSeparators();
    const loop: CompoundCommand = { kind: 'compound', type: 'for', name, words, body: EMPTY, redirs: [] };
    if (!sawIn) loop.words = [];
    return this.finishLoopBody(loop, name);
  }

  protected finishLoopBody(loop: CompoundCommand, _name: string): CompoundCommand {
    const w = this.peekReserved();
    if (w === '{') {
      loop.body = wrap(this.parseGroup());
      return loop;
    }
    this.expectReserved('do');
    loop.body = this.parseList(new Set(['done']));
    this.expectReserved('done');
    return loop;
  }

  protected parseCase(): CompoundCommand {
    this.pos += 4;
    this.skipBlanks();
    const words: Word[] = [this.readWord()];
    this.skipLinebreaks();
    this.expectReserved('in');
    const bodies: Script[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.atEnd()) this.fail("expected 'esac'");
      if (this.peekReserved() === 'esac') break;
      if (this.src[this.pos] === '(') this.pos++;
      for (;;) {
        this.skipBlanks();
        words.push(this.readWord());
        this.skipBlanks();
        if (this.src[this.pos] === '|') {
          this.pos++;
          continue;
        }
        break;
      }
      this.expect(')');
      bodies.push(this.parseList(new Set(['esac'])));
      this.skipBlanks();
      if (this.startsWith(';;&')) this.pos += 3;
      else if (this.startsWith(';;') || this.startsWith(';&')) this.pos += 2;
      else if (this.peekReserved() !== 'esac') this.skipSeparators();
    }
    this.expectReserved('esac');
    return { kind: 'compound', type: 'case', words, body: concat(bodies), redirs: [] };
  }

  protected parseGroup(): CompoundCommand {
    this.pos += 1;
    const body = this.parseList(new Set(['}']));
    this.expectReserved('}');
    return { kind: 'compound', type: 'group', words: [], body, redirs: [] };
  }

  protected parseFunctionKeyword(): Command {
    this.pos += 8;
    this.skipBlanks();
    const name = wordValue(this.readWord()) ?? '';
    this.skipBlanks();
    if (/^\(\s*\)/.test(this.src.slice(this.pos))) this.pos = this.src.indexOf(')', this.pos) + 1;
    this.skipLinebreaks();
    const body = this.parseCommand();
    return { kind: 'compound', type: 'function', name, words: [], body: wrap(body), redirs: [] };
  }

  protected parseTest(): CompoundCommand {
    this.pos += 2;
    const words: Word[] = [];
    for (;;) {
      this.skipBlanks();
      this.skipLinebreaks();
      if (this.atEnd()) this.fail("expected ']]'");
      if (this.startsWith(']]') && this.isDelim(this.pos + 2)) {
        this.pos += 2;
        break;
      }
      if (this.startsWith('&&') || this.startsWith('||')) {
        this.pos += 2;
        continue;
      }
      const c = this.src[this.pos] as string;
      if ('<>()!'.includes(c) && !(c === '<' && this.src[this.pos + 1] === '(')) {
        this.pos++;
        continue;
      }
      const w = this.readWord();
      words.push(w);
      if (w.raw === '=~') {
        this.skipBlanks();
        words.push(this.readRegexWord());
      }
    }
    return { kind: 'compound', type: 'test', words, body: EMPTY, redirs: [] };
  }

  protected parseArithCommand(): CompoundCommand {
    this.pos += 2;
    const subs = this.scanArithmetic();
    return {
      kind: 'compound',
      type: 'arith',
      words: [{ parts: [{ kind: 'arith', subs }], raw: '' }],
      body: EMPTY,
      redirs: [],
    };
  }

  protected tryRedirect(): Redirect | null {
    const m = REDIRECT.exec(this.src.slice(this.pos, this.pos + 40));
    if (!m) return null;
    const op = m[2] as string;
    if ((op === '<' || op === '>') && this.src[this.pos + m[0].length] === '(') return null;
    // A number right before the operator is a descriptor only when nothing separates them.
    const fdText = m[1];
    this.pos += m[0].length;
    this.skipBlanks();
    if (this.atEnd() || ';&|)\n'.includes(this.src[this.pos] as string)) this.fail(`expected a target after '${op}'`);
    const fd = fdText && /^\d+$/.test(fdText) ? Number(fdText) : null;
    const target = this.readWord();
    const redir: Redirect = { fd, op, target };
    if (op === '<<' || op === '<<-') {
      const quoted = /["'\\]/.test(target.raw);
      const delim = target.parts.map((p) => (p.kind === 'lit' ? p.text : '')).join('') || target.raw;
      this.pending.push({ redir, delim, strip: op === '<<-', quoted });
    }
    return redir;
  }

  /** Parses `$( … )` or `<( … )` after the opening parenthesis, through the closing one. */
  protected parseSubstitutionBody(): Script {
    const saved = this.pending;
    this.pending = [];
    const script = this.parseList(new Set());
    this.skipBlanks();
    this.expect(')');
    this.pending = [...saved, ...this.pending];
    return script;
  }

  /** The reserved word at the current position, if one stands there as a whole word. */
  protected peekReserved(): string | null {
    const m = /^(?:\[\[|[{}!]|[a-z]+)/.exec(this.src.slice(this.pos, this.pos + 9));
    if (!m || !RESERVED.has(m[0])) return null;
    if (m[0] === '!' || m[0] === '{' || m[0] === '}') {
      const n = this.src[this.pos + 1];
      if (m[0] === '}' ? !this.isDelim(this.pos + 1) : n !== undefined && !/[\s]/.test(n)) return null;
      return m[0];
    }
    return this.isDelim(this.pos + m[0].length) ? m[0] : null;
  }

  protected expectReserved(word: string): void {
    this.skipSeparators();
    if (this.peekReserved() !== word) this.fail(`expected '${word}'`);
    this.pos += word.length;
  }

  protected fork(text: string): Lexer {
    const p = new Parser(text);
    p.nesting = this.nesting + 1;
    return p;
  }
}

function wrap(c: Command): Script {
  return { pipelines: [{ commands: [c] }] };
}

function concat(scripts: Script[]): Script {
  return { pipelines: scripts.flatMap((s) => s.pipelines) };
}
