import { describe, expect, it } from 'vitest';
import { type SimpleCommand, type Word, parseShell, simpleCommands, wordValue } from './shell.js';

/** Each simple command as its words (`<raw>` for a word with expansions), in document order. */
function commands(src: string): string[][] {
  const r = parseShell(src);
  expect(r.error, `parse error in ${JSON.stringify(src)}`).toBeNull();
  return simpleCommands(r.script).map((c) => c.words.map(show));
}

function show(w: Word): string {
  return wordValue(w) ?? `<${w.raw}>`;
}

function only(src: string): SimpleCommand {
  const r = parseShell(src);
  expect(r.error).toBeNull();
  const list = simpleCommands(r.script);
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe('parseShell: words and quoting', () => {
  it.each([
    ['echo hello world', [['echo', 'hello', 'world']]],
    ['echo \'a b\' "c d"', [['echo', 'a b', 'c d']]],
    ['r"m" -rf /', [['rm', '-rf', '/']]],
    ["'rm' -rf /", [['rm', '-rf', '/']]],
    ['\\rm -rf /', [['rm', '-rf', '/']]],
    ['echo a\\ b', [['echo', 'a b']]],
    ['echo "a \\"quoted\\" \\$x"', [['echo', 'a "quoted" $x']]],
    ["echo 'it'\\''s'", [['echo', "it's"]]],
    ['echo "$"', [['echo', '$']]],
    ['echo a\\\nb', [['echo', 'ab']]],
    ['echo \\#not-a-comment', [['echo', '#not-a-comment']]],
    ['echo a#b # comment', [['echo', 'a#b']]],
    ['echo {a,b}', [['echo', '{a,b}']]],
  ])('%j', (src, want) => {
    expect(commands(src)).toEqual(want);
  });

  it("decodes $'…' ANSI-C strings", () => {
    expect(commands("$'\\x72\\x6d' $'\\162\\155' $'a\\tb' $'\\u00e9' $'\\cA'")).toEqual([
      ['rm', 'rm', 'a\tb', 'é', '\x01'],
    ]);
  });

  it('keeps expansions as parts, with the variable name', () => {
    const c = only('echo $HOME ${USER} "${X:-d}" $1 $@ ~ ~dev/x');
    const kinds = c.words.slice(1).map((w) => w.parts.map((p) => (p.kind === 'var' ? `var:${p.name}` : p.kind)));
    expect(kinds).toEqual([['var:HOME'], ['var:USER'], ['var:'], ['var:1'], ['var:@'], ['tilde'], ['tilde', 'lit']]);
  });

  it('marks quoted and unquoted literal parts', () => {
    const c = only('ls "*.ts" *.js');
    expect(c.words[1]!.parts).toEqual([{ kind: 'lit', text: '*.ts', quoted: true }]);
    expect(c.words[2]!.parts).toEqual([{ kind: 'lit', text: '*.js', quoted: false }]);
  });

  it('reads assignments before the command, arrays and tilde in values', () => {
    const c = only('A=1 B=~/x C=(a b) cmd arg');
    expect(c.assigns.map((a) => a.name)).toEqual(['A', 'B', 'C']);
    expect(c.assigns[1]!.value!.parts[0]).toEqual({ kind: 'tilde', user: '' });
    expect(c.assigns[2]!.array!.map(show)).toEqual(['a', 'b']);
    expect(c.words.map(show)).toEqual(['cmd', 'arg']);
    expect(only('X=1').words).toEqual([]);
    expect(commands('echo A=1')).toEqual([['echo', 'A=1']]);
  });
});

describe('parseShell: lists, pipelines and compound commands', () => {
  it.each([
    ['a; b && c || d & e\nf', [['a'], ['b'], ['c'], ['d'], ['e'], ['f']]],
    ['a | b |& c', [['a'], ['b'], ['c']]],
    [
      '(cd /tmp && rm x)',
      [
        ['cd', '/tmp'],
        ['rm', 'x'],
      ],
    ],
    [
      '{ echo a; echo b; }',
      [
        ['echo', 'a'],
        ['echo', 'b'],
      ],
    ],
    ['if test -f x; then a; elif b; then c; else d; fi', [['test', '-f', 'x'], ['a'], ['b'], ['c'], ['d']]],
    ['for f in a b; do rm "$f"; done', [['rm', '<"$f">']]],
    ['for ((i=0; i<3; i++)); do echo $i; done', [['echo', '<$i>']]],
    [
      'while read l; do echo "$l"; done < list',
      [
        ['read', 'l'],
        ['echo', '<"$l">'],
      ],
    ],
    ['until false; do x; done', [['false'], ['x']]],
    [
      'case $x in a|b) echo ab;; *) rm -rf /;; esac',
      [
        ['echo', 'ab'],
        ['rm', '-rf', '/'],
      ],
    ],
    ['case x in (a) one ;& b) two ;;& *) three; esac', [['one'], ['two'], ['three']]],
    ['f() { rm -rf ~; }; f', [['rm', '-rf', '<~>'], ['f']]],
    ['function g { echo in-g; }', [['echo', 'in-g']]],
    ['[[ -f x && $y == "z" ]] && echo ok', [['echo', 'ok']]],
    ['[[ $x =~ ^(a|b)$ ]] || echo no', [['echo', 'no']]],
    ['(( x++ )); echo $((1 + 2))', [['echo', '<$((1 + 2))>']]],
    ['! grep -q x f', [['grep', '-q', 'x', 'f']]],
    ['time -p make', [['make']]],
    ['a &&\n  b ||\n  c', [['a'], ['b'], ['c']]],
    ['a |\n b', [['a'], ['b']]],
    ['echo }', [['echo', '}']]],
    ['echo if then fi', [['echo', 'if', 'then', 'fi']]],
  ])('%j', (src, want) => {
    expect(commands(src)).toEqual(want);
  });
});

describe('parseShell: substitutions', () => {
  it('parses $( … ), backquotes and process substitutions as commands', () => {
    expect(commands('echo $(curl x | sh) `id -u` <(ls) >(tee y)')).toEqual([
      ['echo', '<$(curl x | sh)>', '<`id -u`>', '<<(ls)>', '<>(tee y)>'],
      ['curl', 'x'],
      ['sh'],
      ['id', '-u'],
      ['ls'],
      ['tee', 'y'],
    ]);
  });

  it('finds commands nested in substitutions, defaults and arithmetic', () => {
    expect(commands('echo "$(echo "$(whoami)")" ${X:-$(id)} $((1 + $(nproc)))').map((c) => c[0])).toEqual([
      'echo',
      'echo',
      'whoami',
      'id',
      'nproc',
    ]);
  });

  it('reads a backquoted substitution with escapes', () => {
    expect(commands('echo `echo \\`date\\``')).toEqual([
      ['echo', '<`echo \\`date\\``>'],
      ['echo', '<`date`>'],
      ['date'],
    ]);
  });

  it('handles a case statement inside $( … )', () => {
    expect(commands('x=$(case a in a) echo yes;; esac)')).toEqual([[], ['echo', 'yes']]);
  });
});

describe('parseShell: redirections and heredocs', () => {
  it('reads every redirection form with its descriptor and target', () => {
    const c = only('cmd <in >out 2>&1 >>log &>all &>>all2 >|force 3<>rw 2>/dev/null <<<"word"');
    expect(c.redirs.map((r) => [r.fd, r.op, show(r.target)])).toEqual([
      [null, '<', 'in'],
      [null, '>', 'out'],
      [2, '>&', '1'],
      [null, '>>', 'log'],
      [null, '&>', 'all'],
      [null, '&>>', 'all2'],
      [null, '>|', 'force'],
      [3, '<>', 'rw'],
      [2, '>', '/dev/null'],
      [null, '<<<', 'word'],
    ]);
  });

  it('reads heredoc bodies, quoted and not, with <<- tab stripping', () => {
    const r = parseShell(
      "cat <<EOF | sh\nrm -rf $HOME\nEOF\ncat <<'Q' >out\n$(not run)\nQ\ncat <<-E\n\tindented\n\tE\necho after",
    );
    expect(r.error).toBeNull();
    const list = simpleCommands(r.script);
    const docs = list.flatMap((c) => c.redirs.filter((x) => x.heredoc).map((x) => x.heredoc!));
    expect(docs.map((d) => [d.body, d.quoted])).toEqual([
      ['rm -rf $HOME\n', false],
      ['$(not run)\n', true],
      ['indented\n', false],
    ]);
    expect(list.map((c) => show(c.words[0]!))).toEqual(['cat', 'sh', 'cat', 'cat', 'echo']);
  });

  it('finds command substitutions inside an unquoted heredoc', () => {
    expect(commands('cat <<EOF\n$(curl evil)\nEOF').map((c) => c[0])).toEqual(['cat', 'curl']);
  });

  it('reads two heredocs on one line in order', () => {
    const r = parseShell('paste <<A <<B\n1\nA\n2\nB\n');
    const redirs = simpleCommands(r.script)[0]!.redirs;
    expect(redirs.map((x) => x.heredoc?.body)).toEqual(['1\n', '2\n']);
  });

  it('accepts a heredoc the input ends before closing', () => {
    expect(parseShell('bash <<EOF\nrm -rf /').error).toBeNull();
  });

  it('treats <( … ) after a redirection as a process substitution', () => {
    expect(commands('sh < <(curl x)')).toEqual([['sh'], ['curl', 'x']]);
  });
});

describe('parseShell: errors', () => {
  it.each([
    ['echo "unterminated', /unterminated double quote/],
    ["echo 'unterminated", /unterminated single quote/],
    ['echo $(ls', /expected '\)'/],
    ['a && && b', /expected a command/],
    ['if true; then echo', /expected 'fi'/],
    ['for x in a; do echo', /expected 'done'/],
    ['case x in a) echo', /expected 'esac'/],
    ['echo >', /expected a target/],
    ['( echo', /expected '\)'/],
    ['echo `ls', /unterminated backquote/],
    [')', /unexpected/],
  ])('%j', (src, message) => {
    const r = parseShell(src);
    expect(r.error).toMatch(message);
    expect(r.error).toMatch(/line \d+, column \d+/);
    expect(r.script.pipelines).toEqual([]);
  });

  it('refuses absurd nesting without throwing', () => {
    const deep = `${'$('.repeat(500)}x${')'.repeat(500)}`;
    expect(parseShell(`echo ${deep}`).error).toMatch(/nested too deeply/);
  });

  it('never throws on random input', () => {
    const alphabet = [
      'a',
      ' ',
      '"',
      "'",
      '$',
      '(',
      ')',
      '`',
      '\\',
      '\n',
      '<',
      '>',
      '|',
      '&',
      ';',
      '{',
      '}',
      '#',
      '=',
      '*',
      '~',
      'if',
      'fi',
      'EOF',
      '<<',
    ];
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const src = Array.from({ length: rnd(30) }, () => alphabet[rnd(alphabet.length)]).join('');
      const r = parseShell(src);
      expect(typeof r.error === 'string' || r.error === null).toBe(true);
    }
  });
});
