import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { TEST_FIXTURES } from '../test-support/fixture-files.js';
import { evaluate } from './evaluate.js';
import { DEFAULT_POLICY } from './policy.js';
import type { Decision, GuardEnv } from './types.js';

interface Entry {
  agent: string;
  tool: string;
  input: unknown;
  cwd?: string;
  expect: Decision;
  rule?: string;
  class: 'dangerous' | 'benign';
  obfuscated?: boolean;
  note?: string;
}

const corpus = parse(readFileSync(`${TEST_FIXTURES}guard/corpus.yaml`, 'utf8')) as Entry[];
const env: GuardEnv = { root: '/repo', home: '/home/dev', tmp: ['/tmp'] };

function run(e: Entry) {
  return evaluate({ tool: e.tool, input: e.input, cwd: e.cwd ?? '/repo' }, DEFAULT_POLICY, env);
}

function show(e: Entry, got: { decision: string; rule: string; reason: string }): string {
  const input = JSON.stringify(e.input);
  return `  [${e.agent} ${e.tool}] ${input.length > 110 ? `${input.slice(0, 109)}…` : input}\n    expected ${e.expect}${e.rule ? ` (${e.rule})` : ''}, got ${got.decision} (${got.rule}): ${got.reason}`;
}

describe('guard corpus', () => {
  it('holds enough calls of each kind', () => {
    const dangerous = corpus.filter((e) => e.class === 'dangerous');
    expect(corpus.length).toBeGreaterThanOrEqual(250);
    expect(dangerous.length).toBeGreaterThanOrEqual(120);
    expect(dangerous.filter((e) => e.obfuscated).length).toBeGreaterThanOrEqual(40);
    expect(corpus.filter((e) => e.class === 'benign').length).toBeGreaterThanOrEqual(100);
    expect(new Set(corpus.map((e) => e.agent))).toEqual(new Set(['claude', 'codex', 'gemini', 'cursor', 'opencode']));
  });

  it('never allows a dangerous call', () => {
    const bad = corpus
      .filter((e) => e.class === 'dangerous')
      .map((e) => [e, run(e)] as const)
      .filter(([, v]) => v.decision === 'allow');
    expect(bad.map(([e, v]) => show(e, v)).join('\n'), 'dangerous calls allowed').toBe('');
  });

  it('never denies a benign call', () => {
    const bad = corpus
      .filter((e) => e.class === 'benign')
      .map((e) => [e, run(e)] as const)
      .filter(([, v]) => v.decision === 'deny');
    expect(bad.map(([e, v]) => show(e, v)).join('\n'), 'benign calls denied').toBe('');
  });

  it('decides every call as expected, by the expected rule', () => {
    const wrong = corpus
      .map((e) => [e, run(e)] as const)
      .filter(([e, v]) => v.decision !== e.expect || (e.rule !== undefined && v.rule !== e.rule));
    expect(
      wrong.map(([e, v]) => show(e, v)).join('\n'),
      `${wrong.length} of ${corpus.length} calls decided otherwise`,
    ).toBe('');
  });
});
