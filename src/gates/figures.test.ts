import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanOutput, extractFigures, findLastJson, parseFigure, PRESETS, presetNames } from './figures.js';
import type { FigureSpec } from './types.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/gates', import.meta.url));
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const ESC = '\u001b';

function withPreset(preset: string, output: string, cwd = FIXTURES): ReturnType<typeof extractFigures> {
  return extractFigures(PRESETS[preset]!, output, cwd);
}

const spec = (fields: Partial<FigureSpec>): FigureSpec => ({ name: 'n', better: 'lower', ...fields });

describe('cleanOutput', () => {
  it('removes colours, cursor moves, OSC titles and links', () => {
    const text =
      `${ESC}[1m${ESC}[31mred${ESC}[39m${ESC}[22m ${ESC}[2K${ESC}[1Gline${ESC}[?25l` +
      `${ESC}]0;title\u0007 ${ESC}]8;;https://x.dev${ESC}\\link${ESC}]8;;${ESC}\\ ${ESC}(Bend`;
    expect(cleanOutput(text)).toBe('red line link end');
  });

  it('keeps what a redrawn line showed last and turns CRLF into LF', () => {
    expect(cleanOutput('a\r\nprogress 10%\rprogress 100%\r\nb\r\n')).toBe('a\nprogress 100%\nb\n');
    expect(cleanOutput(`${ESC}[2K\rstep 1${ESC}[2K\rstep 2\n`)).toBe('step 2\n');
  });
});

describe('parseFigure', () => {
  it('reads thousands separators, decimals and percentages', () => {
    expect(parseFigure('1,234')).toBe(1234);
    expect(parseFigure('1,234,567.5')).toBe(1234567.5);
    expect(parseFigure('12.5')).toBe(12.5);
    expect(parseFigure(' 12.5% ')).toBe(12.5);
    expect(parseFigure('-3')).toBe(-3);
    expect(parseFigure('.5')).toBe(0.5);
  });

  it('refuses what is not a number', () => {
    for (const text of ['', 'abc', '12,34', '1.2.3', '12 ms', 'NaN', 'Infinity', '0x10']) {
      expect(parseFigure(text), text).toBeNull();
    }
  });
});

describe('pattern figures', () => {
  it('takes the first group at the last match', () => {
    const out = 'run 1: 3 errors\nrun 2: 5 errors\n';
    expect(extractFigures([spec({ pattern: '(\\d+) errors' })], out, '/').figures).toEqual({ n: 5 });
  });

  it('takes the whole match without a group', () => {
    expect(extractFigures([spec({ pattern: '[\\d.]+(?=% covered)' })], 'lines: 87.5% covered', '/').figures).toEqual({
      n: 87.5,
    });
  });

  it('sums every match with sum', () => {
    const out = 'pkg a: 1,200 ok\npkg b: 34 ok\n';
    expect(extractFigures([spec({ pattern: '([\\d,]+) ok', sum: true })], out, '/').figures).toEqual({ n: 1234 });
  });

  it('reads 0 when the pattern has groups and none took part', () => {
    const specs = [spec({ pattern: '^(\\d+) problems|^No problems' })];
    expect(extractFigures(specs, 'checking…\nNo problems\n', '/').figures).toEqual({ n: 0 });
    expect(extractFigures(specs, '7 problems\n', '/').figures).toEqual({ n: 7 });
  });

  it('anchors ^ and $ at line ends', () => {
    const out = 'x\nTOTAL 4\nTOTAL 5 (partial)\n';
    expect(extractFigures([spec({ pattern: '^TOTAL (\\d+)$' })], out, '/').figures).toEqual({ n: 4 });
  });

  it('uses the default when nothing matched, and leaves the figure out without one', () => {
    const specs = [
      spec({ name: 'errors', pattern: '(\\d+) errors', default: 0 }),
      spec({ name: 'passed', pattern: '(\\d+) passed' }),
    ];
    expect(extractFigures(specs, 'all clean', '/')).toEqual({ figures: { errors: 0 }, notes: [] });
  });

  it('notes a bad regular expression and a match that is not a number', () => {
    const { figures, notes } = extractFigures(
      [
        spec({ name: 'bad', pattern: '(\\d+' }),
        spec({ name: 'word', pattern: 'status: (\\w+)' }),
        spec({ name: 'summed', pattern: 'n=(\\w+)', sum: true }),
        spec({ name: 'ok', pattern: 'n=(\\d+)' }),
      ],
      'status: green\nn=3\nn=x\n',
      '/',
    );
    expect(figures).toEqual({ ok: 3 });
    expect(notes).toHaveLength(3);
    expect(notes[0]).toMatch(/^bad: bad regular expression: .*(\(\\d\+|Unterminated group)/);
    expect(notes[1]).toBe('word: "green" matched by /status: (\\w+)/ is not a number');
    expect(notes[2]).toBe('summed: "x" matched by /n=(\\w+)/ is not a number');
  });
});

describe('count figures', () => {
  it('counts matching lines, 0 when none', () => {
    const out = 'warning: a\nok\nwarning: b\r\nWARNING: c\n';
    expect(extractFigures([spec({ count: '^warning:' })], out, '/').figures).toEqual({ n: 2 });
    expect(extractFigures([spec({ count: '^[Ww][Aa][Rr][Nn][Ii][Nn][Gg]:' })], out, '/').figures).toEqual({ n: 3 });
    expect(extractFigures([spec({ count: '^error:' })], out, '/').figures).toEqual({ n: 0 });
  });

  it('notes a bad regular expression', () => {
    const { figures, notes } = extractFigures([spec({ count: '[unclosed' })], 'x', '/');
    expect(figures).toEqual({});
    expect(notes[0]).toMatch(/^n: bad regular expression/);
  });
});

describe('json figures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ao-figures-'));
  mkdirSync(join(dir, 'coverage'));
  writeFileSync(join(dir, 'coverage', 'coverage-summary.json'), fixture('coverage-summary.json'));
  writeFileSync(join(dir, 'broken.json'), '{"total": ');

  it('reads a dotted path in a file relative to the check folder', () => {
    const specs = [
      spec({ name: 'lines', json: 'total.lines.pct', file: 'coverage/coverage-summary.json', better: 'higher' }),
      spec({ name: 'branches', json: 'total.branches.covered', file: 'coverage/coverage-summary.json' }),
    ];
    expect(extractFigures(specs, '', dir)).toEqual({ figures: { lines: 85.56, branches: 301 }, notes: [] });
  });

  it('notes a missing file, invalid JSON, a missing path and a value that is not a number', () => {
    const { figures, notes } = extractFigures(
      [
        spec({ name: 'coverage', json: 'total.lines.pct', file: 'coverage/missing.json' }),
        spec({ name: 'broken', json: 'total', file: 'broken.json' }),
        spec({ name: 'typo', json: 'total.line.pct', file: 'coverage/coverage-summary.json' }),
        spec({ name: 'unknown', json: 'total.branchesTrue.pct', file: 'coverage/coverage-summary.json' }),
        spec({ name: 'object', json: 'total.lines', file: 'coverage/coverage-summary.json' }),
        spec({ name: 'folder', json: 'x', file: 'coverage' }),
      ],
      '',
      dir,
    );
    expect(figures).toEqual({});
    expect(notes).toEqual([
      'coverage: coverage/missing.json not found',
      expect.stringMatching(/^broken: broken.json is not valid JSON \(.+\)$/),
      'typo: total.line.pct not found in coverage/coverage-summary.json',
      'unknown: total.branchesTrue.pct in coverage/coverage-summary.json is "Unknown", not a number',
      'object: total.lines in coverage/coverage-summary.json is an object, not a number',
      expect.stringMatching(/^folder: coverage could not be read \(EISDIR\)$/),
    ]);
  });

  it('uses the default for a missing path but never for a missing file', () => {
    const { figures, notes } = extractFigures(
      [
        spec({ name: 'a', json: 'total.nope', file: 'coverage/coverage-summary.json', default: 0 }),
        spec({ name: 'b', json: 'total', file: 'nope.json', default: 0 }),
      ],
      '',
      dir,
    );
    expect(figures).toEqual({ a: 0 });
    expect(notes).toEqual(['b: nope.json not found']);
  });

  it('reads the last JSON line the check printed, with array indices', () => {
    const out = [
      '> lint',
      '[{"filePath":"a.js","errorCount":1}]',
      'npm warn something',
      '[{"filePath":"a.js","errorCount":2,"warningCount":"1,024"},{"filePath":"b.js","errorCount":0}]',
      'done in 2s',
    ].join('\n');
    const specs = [spec({ name: 'e', json: '0.errorCount' }), spec({ name: 'w', json: '0.warningCount' })];
    expect(extractFigures(specs, out, '/').figures).toEqual({ e: 2, w: 1024 });
  });

  it('reads a whole-output document and a pretty-printed block among other lines', () => {
    expect(extractFigures([spec({ json: 'a.b' })], '  {"a": {"b": 7}}\n', '/').figures).toEqual({ n: 7 });
    const pretty = JSON.stringify({ numFailedTests: 2, numPassedTests: 40, testResults: [{ x: [] }] }, null, 2);
    const out = `Determining test suites…\n${pretty}\nWrote report {see above}\n`;
    expect(extractFigures([spec({ json: 'numPassedTests' })], out, '/').figures).toEqual({ n: 40 });
  });

  it('prefers a block printed after the last JSON line', () => {
    const out = `{"old": 1}\nlater:\n${JSON.stringify({ old: 2, nested: { v: [1, 2] } }, null, 2)}\n`;
    expect(extractFigures([spec({ json: 'old' })], out, '/').figures).toEqual({ n: 2 });
  });

  it('skips braces inside JSON strings', () => {
    const out = `log\n${JSON.stringify({ msg: 'a } b { "q" \\ }', n: 3 }, null, 1)}\n`;
    expect(extractFigures([spec({ json: 'n' })], out, '/').figures).toEqual({ n: 3 });
  });

  it('notes a null, a boolean and an array where a number should be', () => {
    const out = '{"a": null, "b": true, "c": [1], "d": "12.5%"}';
    const specs = ['a', 'b', 'c', 'd'].map((k) => spec({ name: k, json: k }));
    expect(extractFigures(specs, out, '/')).toEqual({
      figures: { d: 12.5 },
      notes: [
        'a: a in the output is null, not a number',
        'b: b in the output is true, not a number',
        'c: c in the output is an array, not a number',
      ],
    });
  });

  it('notes output without JSON unless a default is given', () => {
    expect(extractFigures([spec({ json: 'a' })], 'no json {here', '/').notes).toEqual([
      'n: no JSON object or array in the output',
    ]);
    expect(extractFigures([spec({ json: 'a', default: 1 })], 'plain', '/')).toEqual({ figures: { n: 1 }, notes: [] });
  });
});

describe('findLastJson', () => {
  it('returns null for text without JSON and finds nested last blocks', () => {
    expect(findLastJson('')).toBeNull();
    expect(findLastJson('[1/3] building\n{oops}')).toBeNull();
    expect(findLastJson('x {"a":[{"b":1}]} y')).toEqual({ value: { a: [{ b: 1 }] } });
  });
});

describe('specs that are not one kind', () => {
  it('notes a spec with none or several of pattern, count and json', () => {
    const { notes } = extractFigures([spec({}), spec({ name: 'two', pattern: 'a', count: 'b' })], 'a', '/');
    expect(notes).toEqual([
      'n: needs exactly one of pattern, count and json',
      'two: needs exactly one of pattern, count and json',
    ]);
  });
});

describe('presets', () => {
  it('lists every preset with figures named by the shared vocabulary', () => {
    expect(presetNames()).toEqual([
      'cargo-test',
      'coverage-istanbul',
      'eslint',
      'go-test',
      'jest',
      'mocha',
      'mypy',
      'node-test',
      'pytest',
      'ruff',
      'tsc',
      'vitest',
    ]);
    const better: Record<string, string> = {
      tests_passed: 'higher',
      tests_failed: 'lower',
      tests_skipped: 'lower',
      lint_errors: 'lower',
      lint_warnings: 'lower',
      type_errors: 'lower',
      coverage_lines: 'higher',
      packages_passed: 'higher',
      packages_failed: 'lower',
    };
    for (const [name, specs] of Object.entries(PRESETS)) {
      for (const figure of specs) expect(figure.better, `${name}.${figure.name}`).toBe(better[figure.name]);
      // Every pattern compiles.
      expect(
        extractFigures(specs, '', '/').notes.filter((n) => n.includes('regular')),
        name,
      ).toEqual([]);
    }
  });

  it('vitest: the coloured Tests line, not the Test Files line or a file line', () => {
    expect(withPreset('vitest', fixture('vitest-fail.txt'))).toEqual({
      figures: { tests_passed: 3, tests_failed: 1, tests_skipped: 1 },
      notes: [],
    });
    expect(withPreset('vitest', fixture('vitest-pass.txt')).figures).toEqual({
      tests_passed: 1,
      tests_failed: 0,
      tests_skipped: 0,
    });
    const big = `${ESC}[2m      Tests ${ESC}[22m ${ESC}[1m${ESC}[31m2 failed${ESC}[39m${ESC}[22m${ESC}[2m | ${ESC}[22m${ESC}[1m${ESC}[32m1019 passed${ESC}[39m${ESC}[22m${ESC}[90m (1021)${ESC}[39m\n`;
    expect(withPreset('vitest', big).figures).toEqual({ tests_passed: 1019, tests_failed: 2, tests_skipped: 0 });
    // Every test failed: the summary names no passed count, which means none.
    expect(withPreset('vitest', '      Tests  2 failed (2)\n').figures).toEqual({
      tests_passed: 0,
      tests_failed: 2,
      tests_skipped: 0,
    });
  });

  it('vitest: coverage from the text table when coverage is on', () => {
    const table = [
      ' % Coverage report from v8',
      '-----------|---------|----------|---------|---------|-------------------',
      'File       | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s ',
      '-----------|---------|----------|---------|---------|-------------------',
      'All files  |   91.42 |    83.33 |     100 |   91.17 |                   ',
      ' cart.ts   |   91.42 |    83.33 |     100 |   91.17 | 14-16             ',
    ].join('\n');
    expect(withPreset('vitest', `${fixture('vitest-pass.txt')}\n${table}\n`).figures.coverage_lines).toBe(91.17);
  });

  it('vitest: a run that crashed before its summary has no test figures', () => {
    expect(withPreset('vitest', 'Error: Cannot find module vitest.config.ts\n')).toEqual({ figures: {}, notes: [] });
  });

  it('jest: the coloured summary and the coverage table', () => {
    expect(withPreset('jest', fixture('jest-fail.txt')).figures).toEqual({
      tests_passed: 5,
      tests_failed: 1,
      tests_skipped: 1,
      coverage_lines: 81.81,
    });
    expect(withPreset('jest', fixture('jest-pass.txt')).figures).toEqual({
      tests_passed: 1204,
      tests_failed: 0,
      tests_skipped: 0,
    });
    expect(withPreset('jest', 'Tests:       1 failed, 5 passed, 6 total\n').figures).toEqual({
      tests_passed: 5,
      tests_failed: 1,
      tests_skipped: 0,
    });
    expect(withPreset('jest', 'Tests:       3 failed, 2 todo, 5 total\n').figures).toEqual({
      tests_passed: 0,
      tests_failed: 3,
      tests_skipped: 0,
    });
  });

  it('mocha: passing, pending and failing, the last two only when not 0', () => {
    expect(withPreset('mocha', fixture('mocha.txt')).figures).toEqual({
      tests_passed: 3,
      tests_failed: 1,
      tests_skipped: 1,
    });
    const clean = `\n${ESC}[92m ${ESC}[0m${ESC}[32m 12 passing${ESC}[0m${ESC}[90m (31ms)${ESC}[0m\n\n`;
    expect(withPreset('mocha', clean).figures).toEqual({ tests_passed: 12, tests_failed: 0, tests_skipped: 0 });
    const failing = '\n  0 passing (4ms)\n  2 failing\n\n  1) a:\n';
    expect(withPreset('mocha', failing).figures).toEqual({ tests_passed: 0, tests_failed: 2, tests_skipped: 0 });
  });

  it('node --test: the TAP and the spec summaries', () => {
    const expected = { tests_passed: 2, tests_failed: 1, tests_skipped: 1 };
    expect(withPreset('node-test', fixture('node-test-tap.txt')).figures).toEqual(expected);
    expect(withPreset('node-test', fixture('node-test-spec.txt')).figures).toEqual(expected);
    const coloured = ['tests 3', 'pass 3', 'fail 0', 'skipped 0'].map((l) => `${ESC}[34mℹ ${l}${ESC}[39m`).join('\n');
    expect(withPreset('node-test', coloured).figures).toEqual({ tests_passed: 3, tests_failed: 0, tests_skipped: 0 });
  });

  it('pytest: the summary line with and without rules and colours', () => {
    const expected = { tests_passed: 2, tests_failed: 1, tests_skipped: 1 };
    expect(withPreset('pytest', fixture('pytest-fail.txt')).figures).toEqual(expected);
    expect(withPreset('pytest', fixture('pytest-quiet.txt')).figures).toEqual(expected);
    const coloured = `${ESC}[31m==== ${ESC}[31m${ESC}[1m2 failed${ESC}[0m, ${ESC}[32m10 passed${ESC}[0m, ${ESC}[33m1 skipped${ESC}[0m${ESC}[31m in 0.12s${ESC}[0m${ESC}[31m ====${ESC}[0m\n`;
    expect(withPreset('pytest', coloured).figures).toEqual({ tests_passed: 10, tests_failed: 2, tests_skipped: 1 });
    expect(withPreset('pytest', '========== 40 passed, 3 warnings in 61.20s (0:01:01) ==========\n').figures).toEqual({
      tests_passed: 40,
      tests_failed: 0,
      tests_skipped: 0,
    });
    // A collection error: the summary says no test ran, so none passed.
    const interrupted = '!!!!!!! Interrupted: 1 error during collection !!!!!!!\n===== 1 error in 0.31s =====\n';
    expect(withPreset('pytest', interrupted).figures).toEqual({ tests_passed: 0, tests_failed: 0, tests_skipped: 0 });
    // A line that merely ends like a summary is not one.
    expect(withPreset('pytest', 'Finished in 1.20s\n').figures).toEqual({});
  });

  it('go test: failed tests by their top-level lines, packages by ok and FAIL', () => {
    expect(withPreset('go-test', fixture('go-test.txt')).figures).toEqual({
      tests_failed: 2,
      packages_passed: 2,
      packages_failed: 2,
    });
    expect(withPreset('go-test', 'ok  \texample.com/a\t0.01s\n').figures).toEqual({
      tests_failed: 0,
      packages_passed: 1,
      packages_failed: 0,
    });
  });

  it('cargo test: sums the result line of every test binary', () => {
    expect(withPreset('cargo-test', fixture('cargo-test.txt')).figures).toEqual({
      tests_passed: 3,
      tests_failed: 1,
      tests_skipped: 1,
    });
    // A build error prints no result line: nothing is known.
    expect(withPreset('cargo-test', 'error[E0425]: cannot find value `x`\n')).toEqual({ figures: {}, notes: [] });
  });

  it('eslint: the stylish summary, 0 when it prints nothing', () => {
    expect(withPreset('eslint', fixture('eslint-stylish.txt')).figures).toEqual({ lint_errors: 3, lint_warnings: 3 });
    const coloured = `${ESC}[0m${ESC}[31m${ESC}[1m✖ 1 problem (1 error, 0 warnings)${ESC}[22m${ESC}[39m${ESC}[0m\n`;
    expect(withPreset('eslint', coloured).figures).toEqual({ lint_errors: 1, lint_warnings: 0 });
    expect(withPreset('eslint', '')).toEqual({ figures: { lint_errors: 0, lint_warnings: 0 }, notes: [] });
  });

  it('tsc: error lines, plain and pretty', () => {
    expect(withPreset('tsc', fixture('tsc.txt')).figures).toEqual({ type_errors: 2 });
    expect(withPreset('tsc', fixture('tsc-pretty.txt')).figures).toEqual({ type_errors: 2 });
    expect(withPreset('tsc', '').figures).toEqual({ type_errors: 0 });
  });

  it('ruff: errors found, remaining after fixes, or all passed', () => {
    expect(withPreset('ruff', fixture('ruff.txt')).figures).toEqual({ lint_errors: 3 });
    expect(withPreset('ruff', 'Found 1 error.\n').figures).toEqual({ lint_errors: 1 });
    expect(withPreset('ruff', 'Found 5 errors (4 fixed, 1 remaining).\n').figures).toEqual({ lint_errors: 1 });
    expect(withPreset('ruff', 'All checks passed!\n').figures).toEqual({ lint_errors: 0 });
  });

  it('mypy: the summary or success line', () => {
    expect(withPreset('mypy', fixture('mypy.txt')).figures).toEqual({ type_errors: 2 });
    expect(withPreset('mypy', 'Found 1 error in 1 file (checked 3 source files)\n').figures).toEqual({
      type_errors: 1,
    });
    expect(withPreset('mypy', 'Success: no issues found in 14 source files\n').figures).toEqual({ type_errors: 0 });
  });

  it('coverage-istanbul: the json-summary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ao-figures-cov-'));
    expect(withPreset('coverage-istanbul', '', dir)).toEqual({
      figures: {},
      notes: ['coverage_lines: coverage/coverage-summary.json not found'],
    });
    mkdirSync(join(dir, 'coverage'));
    writeFileSync(join(dir, 'coverage', 'coverage-summary.json'), fixture('coverage-summary.json'));
    expect(withPreset('coverage-istanbul', '', dir)).toEqual({ figures: { coverage_lines: 85.56 }, notes: [] });
  });
});

describe('large and odd output', () => {
  it('reads the summary at the end of ~1 MiB of output', () => {
    const noise = Array.from({ length: 20_000 }, (_, i) => ` ✓ src/t${i}.test.ts > case ${i} {"x": [${i}]} 1ms`).join(
      '\n',
    );
    const out = `${noise}\n${fixture('vitest-fail.txt')}`;
    expect(out.length).toBeGreaterThan(1_000_000);
    expect(withPreset('vitest', out).figures).toEqual({ tests_passed: 3, tests_failed: 1, tests_skipped: 1 });
    expect(extractFigures([spec({ count: '^ ✓ src/t' })], out, '/').figures).toEqual({ n: 20_000 });
    expect(extractFigures([spec({ json: 'x.0' })], noise, '/').figures).toEqual({ n: 19_999 });
  });

  it('reads output cut in the middle of a line or an escape code', () => {
    const cut = `[31m half a colour\n${fixture('pytest-fail.txt').slice(-200)}`;
    expect(withPreset('pytest', cut).figures.tests_passed).toBe(2);
  });

  it('reads CRLF output', () => {
    const crlf = fixture('mocha.txt').replace(/\n/g, '\r\n');
    expect(withPreset('mocha', crlf).figures).toEqual({ tests_passed: 3, tests_failed: 1, tests_skipped: 1 });
    expect(withPreset('eslint', fixture('eslint-stylish.txt').replace(/\n/g, '\r\n')).figures).toEqual({
      lint_errors: 3,
      lint_warnings: 3,
    });
  });
});
