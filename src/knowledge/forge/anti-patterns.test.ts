import { describe, expect, it } from 'vitest';
import { extractAntiPatterns } from './anti-patterns.js';
import { type ScriptEvent, buildDetail } from './build-detail.js';
import { contextOf } from './context.js';

function antiPatterns(script: ScriptEvent[]) {
  return extractAntiPatterns(contextOf(buildDetail(script))).map((d) => d.candidate);
}

const DIALYZER = 'Pre-commit validation failed:\\n\\n[DIALYZER]\\nFinding suitable PLTs\\nTotal errors: 1';

function commit(message: string, extra = ''): ScriptEvent {
  return { bash: `git add -A && git commit ${extra}-m "${message}"`, result: DIALYZER, error: true };
}

describe('extractAntiPatterns', () => {
  it('flags the same failure three times in a row', () => {
    const [c, ...rest] = antiPatterns([
      commit('feat: a'),
      { agent: 'The dialyzer issue is that `trace_id/0` always returns `:error` because of the rescue clause.' },
      { tool: 'Edit', input: { file_path: '/repo/lib/a.ex', old_string: 'a', new_string: 'b' } },
      commit('feat: a'),
      commit('feat: a', '--no-verify '),
    ]);
    expect(rest).toHaveLength(0);
    expect(c?.type).toBe('failure');
    expect(c?.extractor).toBe('anti-pattern');
    expect(c?.title).toBe("Don't retry `git commit` unchanged: it failed 3 times with Pre-commit [DIALYZER]");
    expect(c?.source.line).toBe(1);
    expect(c?.body).toContain('always returns `:error`');
    expect(c?.body).toContain('It never passed in this session.');
    expect(c?.body.match(/attempt \(line \d+\)/g)).toHaveLength(3);
    expect(c?.tags).toEqual(expect.arrayContaining(['git', 'dialyzer', 'pre-commit']));
  });

  it('counts failures of a non-shell tool with the same input', () => {
    const edit: ScriptEvent = {
      tool: 'Edit',
      input: { file_path: '/repo/lib/a.ex', old_string: 'defp x', new_string: 'defp y' },
      result: '<tool_use_error>String to replace not found in file.</tool_use_error>',
      error: true,
    };
    const [c] = antiPatterns([edit, edit, edit]);
    expect(c?.title).toContain("Don't retry `Edit` unchanged: it failed 3 times");
  });

  it('needs three same-signature failures with no success in between', () => {
    expect(antiPatterns([commit('a'), commit('a')])).toEqual([]);
    expect(
      antiPatterns([commit('a'), commit('a'), { bash: 'git commit -m "a"', result: '[main 1a2b3c4] a' }, commit('b')]),
    ).toEqual([]);
    expect(
      antiPatterns([
        { bash: 'mix test', result: 'Exit code 2\n** (RuntimeError) no :secret_key_base', error: true },
        { bash: 'mix test', result: 'Exit code 2\n** (RuntimeError) requires lazy_html', error: true },
        { bash: 'mix test', result: 'Exit code 2\nAssertion with =~ failed', error: true },
      ]),
    ).toEqual([]);
  });

  it('ignores failed reads and lookups', () => {
    const read: ScriptEvent = {
      tool: 'Read',
      input: { file_path: '/repo/missing.ex' },
      result: '<tool_use_error>File does not exist.</tool_use_error>',
      error: true,
    };
    const cat: ScriptEvent = { bash: 'cat missing.ex', result: 'No such file or directory', error: true };
    expect(antiPatterns([read, read, read, cat, cat, cat])).toEqual([]);
  });
});
