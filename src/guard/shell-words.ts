/**
 * The shell's words and the scanning below the grammar: quoting (single, double, `$'…'`),
 * expansions (`$x`, `${…}`, `$(…)`, backquotes, `$((…))`, `<(…)`), `~`, heredoc bodies, blanks,
 * comments and line continuations. The grammar (shell.ts) extends this class.
 */
export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  | { kind: 'tilde'; user: string }
  | { kind: 'var'; name: string; quoted: boolean; subs: Script[] }
  | { kind: 'cmd'; script: Script; quoted: boolean }
  | { kind: 'arith'; subs: Script[] }
  | { kind: 'proc'; dir: '<' | '>'; script: Script };

/** One word of the command line, as its parts. */
export interface Word {
  parts: WordPart[];
  /** The source text of the word. */
  raw: string;
}

/** The body of `<<DELIM` or `<<-DELIM`. */
export interface Heredoc {
  /** The body as written (after `<<-` tab stripping). */
  body: string;
  /** Whether the delimiter was quoted: then the body is literal, else it is expanded. */
  quoted: boolean;
  /** The body as a word (expansions and substitutions found when unquoted). */
  word: Word;
}

/** One redirection: `2>&1`, `> out`, `< in`, `<<<word`, `<<EOF` … */
export interface Redirect {
  fd: number | null;
  op: string;
  /** The target word (for heredocs, the delimiter). */
  target: Word;
  heredoc?: Heredoc;
}

/** `NAME=value` (or `NAME=(a b)`) before a command. */
export interface Assignment {
  name: string;
  value: Word | null;
  array?: Word[];
}

/** Assignments, words and redirections: one command the shell runs. */
export interface SimpleCommand {
  kind: 'simple';
  assigns: Assignment[];
  words: Word[];
  redirs: Redirect[];
}

/** A command made of lists: `( )`, `{ }`, if, loops, case, function bodies, `[[ ]]`, `(( ))`. */
export interface CompoundCommand {
  kind: 'compound';
  type: 'subshell' | 'group' | 'if' | 'loop' | 'for' | 'case' | 'function' | 'arith' | 'test';
  /** For `for`: the loop variable; for functions: the name. */
  name?: string;
  /** For-loop values, the case subject and patterns, `[[ ]]` operands. */
  words: Word[];
  body: Script;
  redirs: Redirect[];
}

/** One stage of a pipeline. */
export type Command = SimpleCommand | CompoundCommand;

/** Commands joined by `|` (a single command is a pipeline of one). */
export interface Pipeline {
  commands: Command[];
}

/** Pipelines in document order (`;`, `&&`, `||`, `&` and newlines all separate them). */
export interface Script {
  pipelines: Pipeline[];
}

/** What `parseShell` returns. */
export interface ParseResult {
  script: Script;
  /** Null when the whole input parsed; else what went wrong and where. */
  error: string | null;
}

/** A script the shell would refuse: the message says what and where. */
export class ShellSyntaxError extends Error {}

/** The scanner under the grammar: positions, words, quotes, expansions, heredocs. */
export abstract class Lexer {
  protected pos = 0;
  protected nesting = 0;
  protected pending: { redir: Redirect; delim: string; strip: boolean; quoted: boolean }[] = [];

  constructor(protected readonly src: string) {}

  /** The right side of `=~`: a regular expression in which `(`, `)` and `|` are not operators. */
  protected readRegexWord(): Word {
    const start = this.pos;
    let depth = 0;
    while (!this.atEnd()) {
      const c = this.src[this.pos] as string;
      if (c === '\\') this.pos += 2;
      else if (c === '(') {
        depth++;
        this.pos++;
      } else if (c === ')' && depth > 0) {
        depth--;
        this.pos++;
      } else if (depth === 0 && (c === ' ' || c === '\t' || c === '\n')) break;
      else if (c === "'" || c === '"') this.skipQuotedRaw(c);
      else this.pos++;
    }
    const raw = this.src.slice(start, this.pos);
    return { parts: [{ kind: 'lit', text: raw, quoted: true }], raw };
  }

  /** Skips arithmetic up to the closing `))`, collecting command substitutions inside. */
  protected scanArithmetic(): Script[] {
    const subs: Script[] = [];
    let depth = 0;
    for (;;) {
      if (this.atEnd()) this.fail("expected '))'");
      const c = this.src[this.pos] as string;
      if (c === '$' && this.src[this.pos + 1] === '(' && this.src[this.pos + 2] !== '(') {
        this.pos += 2;
        subs.push(this.parseSubstitutionBody());
      } else if (c === '$' && this.src[this.pos + 1] === '{') {
        const part = this.readBraceVar(true);
        subs.push(...part.subs);
      } else if (c === '`') {
        subs.push(this.readBackquote());
      } else if (c === '(') {
        depth++;
        this.pos++;
      } else if (c === ')') {
        if (depth === 0 && this.src[this.pos + 1] === ')') {
          this.pos += 2;
          return subs;
        }
        if (depth === 0) this.fail("expected '))'");
        depth--;
        this.pos++;
      } else if (c === "'" || c === '"') this.skipQuotedRaw(c);
      else this.pos++;
    }
  }

  // ---- redirections and heredocs ----

  /** Reads the bodies of the heredocs opened on the line that just ended. */
  protected readHeredocs(): void {
    const list = this.pending;
    this.pending = [];
    for (const h of list) {
      const lines: string[] = [];
      for (;;) {
        if (this.pos >= this.src.length) break;
        let end = this.src.indexOf('\n', this.pos);
        if (end === -1) end = this.src.length;
        let line = this.src.slice(this.pos, end);
        this.pos = Math.min(end + 1, this.src.length);
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) break;
        lines.push(line);
      }
      h.redir.heredoc = this.makeHeredoc(lines.length ? `${lines.join('\n')}\n` : '', h.quoted);
    }
  }

  protected finishHeredocs(): void {
    for (const h of this.pending) h.redir.heredoc = this.makeHeredoc('', h.quoted);
    this.pending = [];
  }

  protected makeHeredoc(body: string, quoted: boolean): Heredoc {
    if (quoted) return { body, quoted, word: { parts: [{ kind: 'lit', text: body, quoted: true }], raw: body } };
    const inner = this.fork(body);
    inner.nesting = this.nesting;
    try {
      return { body, quoted, word: { parts: inner.readQuotedParts(null), raw: body } };
    } catch (error) {
      // Bash refuses such a body too (an unterminated substitution): the command does not run.
      if (!(error instanceof ShellSyntaxError)) throw error;
      return { body, quoted, word: { parts: [{ kind: 'lit', text: body, quoted: true }], raw: body } };
    }
  }

  // ---- words ----

  /** Reads one word at the current position (the caller has skipped blanks). */
  protected readWord(): Word {
    const start = this.pos;
    const parts: WordPart[] = [];
    // A `~` expands at the start of a word and of an assignment's value (read as a word of its own).
    this.readTilde(parts);
    while (!this.atEnd()) {
      const c = this.src[this.pos] as string;
      if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')') break;
      if (c === '(') {
        if (this.pos === start) break;
        // `=(` inside a word (an array as an argument): leave it to the caller.
        break;
      }
      if (c === '<' || c === '>') {
        if (this.src[this.pos + 1] === '(') {
          this.pos += 2;
          parts.push({ kind: 'proc', dir: c, script: this.parseSubstitutionBody() });
          continue;
        }
        break;
      }
      if (c === '\\') {
        const n = this.src[this.pos + 1];
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        if (n === undefined) {
          pushLit(parts, '\\', false);
          this.pos++;
          continue;
        }
        pushLit(parts, n, true);
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end === -1) this.fail('unterminated single quote');
        pushLit(parts, this.src.slice(this.pos + 1, end), true);
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        this.pos++;
        parts.push(...this.readQuotedParts('"'));
        continue;
      }
      if (c === '$' || c === '`') {
        if (this.readDollarOrBackquote(parts, false)) continue;
      }
      pushLit(parts, c, false);
      this.pos++;
    }
    if (this.pos === start) this.fail(`unexpected '${this.src[this.pos] ?? 'end of input'}'`);
    return { parts, raw: this.src.slice(start, this.pos) };
  }

  protected readTilde(parts: WordPart[]): void {
    if (this.src[this.pos] !== '~') return;
    const m = /^~([A-Za-z0-9._-]*)(?=$|[/\s;&|)<>:])/.exec(this.src.slice(this.pos, this.pos + 64));
    if (!m) return;
    parts.push({ kind: 'tilde', user: m[1] as string });
    this.pos += m[0].length;
  }

  /**
   * The inside of double quotes (end `"`) or of an unquoted heredoc body (end null: to the end).
   * Returns quoted parts; `$`, backquotes and backslashes work as in bash.
   */
  readQuotedParts(end: '"' | null): WordPart[] {
    const parts: WordPart[] = [];
    for (;;) {
      if (this.atEnd()) {
        if (end === null) return parts;
        this.fail('unterminated double quote');
      }
      const c = this.src[this.pos] as string;
      if (end !== null && c === end) {
        this.pos++;
        if (parts.length === 0) parts.push({ kind: 'lit', text: '', quoted: true });
        return parts;
      }
      if (c === '\\') {
        const n = this.src[this.pos + 1];
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        if (n !== undefined && (n === '$' || n === '`' || n === '\\' || (end !== null && n === '"'))) {
          pushLit(parts, n, true);
          this.pos += 2;
          continue;
        }
        pushLit(parts, '\\', true);
        this.pos++;
        continue;
      }
      if ((c === '$' || c === '`') && this.readDollarOrBackquote(parts, true)) continue;
      pushLit(parts, c, true);
      this.pos++;
    }
  }

  /** Reads `$…` or a backquoted substitution into `parts`; false when `$` is just a character. */
  protected readDollarOrBackquote(parts: WordPart[], quoted: boolean): boolean {
    const c = this.src[this.pos];
    if (c === '`') {
      parts.push({ kind: 'cmd', script: this.readBackquote(), quoted });
      return true;
    }
    const n = this.src[this.pos + 1];
    if (n === "'" && !quoted) {
      this.pos += 2;
      pushLit(parts, this.readAnsiC(), true);
      return true;
    }
    if (n === '"' && !quoted) {
      this.pos += 2;
      parts.push(...this.readQuotedParts('"'));
      return true;
    }
    if (n === '(') {
      if (this.src[this.pos + 2] === '(') {
        this.pos += 3;
        parts.push({ kind: 'arith', subs: this.scanArithmetic() });
        return true;
      }
      this.pos += 2;
      parts.push({ kind: 'cmd', script: this.parseSubstitutionBody(), quoted });
      return true;
    }
    if (n === '[') {
      // Old-style arithmetic `$[ … ]`.
      const close = this.src.indexOf(']', this.pos);
      if (close === -1) this.fail("expected ']'");
      this.pos = close + 1;
      parts.push({ kind: 'arith', subs: [] });
      return true;
    }
    if (n === '{') {
      parts.push(this.readBraceVar(quoted));
      return true;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(this.src.slice(this.pos + 1, this.pos + 80));
    if (m) {
      this.pos += 1 + m[0].length;
      parts.push({ kind: 'var', name: m[0], quoted, subs: [] });
      return true;
    }
    return false;
  }

  /** `${…}`: the name when it is a plain reference, and substitutions inside any modifier. */
  protected readBraceVar(quoted: boolean): WordPart & { kind: 'var' } {
    this.pos += 2;
    const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(this.src.slice(this.pos, this.pos + 80));
    const plainName = m && this.src[this.pos + m[0].length] === '}' ? m[0] : '';
    const subs: Script[] = [];
    let depth = 0;
    for (;;) {
      if (this.atEnd()) this.fail("expected '}'");
      const c = this.src[this.pos] as string;
      if (c === '}' && depth === 0) {
        this.pos++;
        break;
      }
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      if (c === "'" && !quoted) {
        this.skipQuotedRaw("'");
        continue;
      }
      if (c === '"') {
        this.pos++;
        for (const p of this.readQuotedParts('"')) collectSubs(p, subs);
        continue;
      }
      if (c === '$' || c === '`') {
        const inner: WordPart[] = [];
        if (this.readDollarOrBackquote(inner, true)) {
          inner.forEach((p) => collectSubs(p, subs));
          continue;
        }
      }
      if (c === '{') depth++;
      if (c === '}') depth--;
      this.pos++;
    }
    return { kind: 'var', name: plainName, quoted, subs };
  }

  protected readBackquote(): Script {
    this.pos++;
    let inner = '';
    for (;;) {
      if (this.atEnd()) this.fail('unterminated backquote');
      const c = this.src[this.pos] as string;
      if (c === '`') {
        this.pos++;
        break;
      }
      if (c === '\\' && '`$\\'.includes(this.src[this.pos + 1] ?? '')) {
        inner += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      inner += c;
      this.pos++;
    }
    const sub = this.fork(inner);
    sub.nesting = this.nesting + 1;
    return sub.parseProgram();
  }

  protected readAnsiC(): string {
    let out = '';
    for (;;) {
      if (this.atEnd()) this.fail("unterminated $'…' string");
      const c = this.src[this.pos] as string;
      if (c === "'") {
        this.pos++;
        return out;
      }
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const n = this.src[this.pos + 1] ?? '';
      this.pos += 2;
      const simple: Record<string, string> = {
        a: '\x07',
        b: '\b',
        e: '\x1b',
        E: '\x1b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
        v: '\v',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '?': '?',
      };
      if (n in simple) out += simple[n];
      else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{0,2}/.exec(this.src.slice(this.pos)) as RegExpExecArray;
        out += String.fromCharCode(parseInt(n + m[0], 8) & 0xff);
        this.pos += m[0].length;
      } else if (n === 'x' || n === 'u' || n === 'U') {
        const max = n === 'x' ? 2 : n === 'u' ? 4 : 8;
        const m = new RegExp(`^[0-9a-fA-F]{1,${max}}`).exec(this.src.slice(this.pos));
        if (!m) out += `\\${n}`;
        else {
          const code = parseInt(m[0], 16);
          out += code <= 0x10ffff ? String.fromCodePoint(code) : '';
          this.pos += m[0].length;
        }
      } else if (n === 'c') {
        const ch = this.src[this.pos] ?? '';
        out += String.fromCharCode(ch.toUpperCase().charCodeAt(0) & 0x1f);
        this.pos++;
      } else out += `\\${n}`;
    }
  }

  // ---- low-level scanning ----

  protected skipQuotedRaw(q: string): void {
    const end = this.src.indexOf(q, this.pos + 1);
    if (end === -1) this.fail(q === "'" ? 'unterminated single quote' : 'unterminated double quote');
    this.pos = end + 1;
  }

  protected skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && this.src[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') {
        const nl = this.src.indexOf('\n', this.pos);
        this.pos = nl === -1 ? this.src.length : nl;
      } else return;
    }
  }

  /** Blanks and newlines (where a command may continue on the next line). */
  protected skipLinebreaks(): void {
    for (;;) {
      this.skipBlanks();
      if (this.src[this.pos] !== '\n') return;
      this.pos++;
      if (this.pending.length) this.readHeredocs();
    }
  }

  /** Blanks, newlines and `;`/`&` between commands (never `;;`, `;&` or `&&`). */
  protected skipSeparators(): void {
    for (;;) {
      this.skipLinebreaks();
      const c = this.src[this.pos];
      if (c === ';' && this.src[this.pos + 1] !== ';' && this.src[this.pos + 1] !== '&') this.pos++;
      else if (c === '&' && this.src[this.pos + 1] !== '&' && this.src[this.pos + 1] !== '>') this.pos++;
      else return;
    }
  }

  protected isDelim(i: number): boolean {
    const c = this.src[i];
    return c === undefined || /[\s;&|()<>]/.test(c);
  }

  protected expect(ch: string): void {
    this.skipBlanks();
    if (this.src[this.pos] !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }

  protected startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  protected atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  protected fail(message: string): never {
    const before = this.src.slice(0, this.pos);
    const line = before.split('\n').length;
    const col = this.pos - before.lastIndexOf('\n');
    throw new ShellSyntaxError(`${message} at line ${line}, column ${col}`);
  }

  /** Parses a whole script (a backquoted substitution's inside). */
  abstract parseProgram(): Script;

  /** Parses `$( … )` after the opening parenthesis, through the closing one. */
  protected abstract parseSubstitutionBody(): Script;

  /** A parser over other text (a heredoc body, a backquoted substitution). */
  protected abstract fork(text: string): Lexer;
}
/** Appends literal text, merging with the previous part when it has the same quoting. */
export function pushLit(parts: WordPart[], text: string, quoted: boolean): void {
  const last = parts[parts.length - 1];
  if (last && last.kind === 'lit' && last.quoted === quoted) last.text += text;
  else parts.push({ kind: 'lit', text, quoted });
}

/** The scripts of a part's command substitutions. */
export function collectSubs(part: WordPart, into: Script[]): void {
  if (part.kind === 'cmd' || part.kind === 'proc') into.push(part.script);
  else if (part.kind === 'var' || part.kind === 'arith') into.push(...part.subs);
}
