import { describe, expect, it } from 'vitest';
import { GARBAGE_ANSWER } from '../../runtimes/scripted.js';
import { jsonObjects, parseJudgeAnswer } from './answer.js';

const FILES = ['src/a.ts', 'docs/plan.md'];

function failure(text: string): string {
  const parsed = parseJudgeAnswer(text, FILES);
  if (parsed.ok) throw new Error(`expected a failure for ${text}`);
  return parsed.error;
}

describe('judge answers', () => {
  it('reads a plain JSON verdict', () => {
    const parsed = parseJudgeAnswer(
      JSON.stringify({
        verdict: 'WARN',
        summary: ' Mostly fine. ',
        findings: [{ severity: 'high', file: 'src/a.ts', line: 12, message: 'Off by one.' }],
      }),
      FILES,
    );
    expect(parsed).toEqual({
      ok: true,
      verdict: 'WARN',
      summary: 'Mostly fine.',
      findings: [{ severity: 'high', file: 'src/a.ts', line: 12, message: 'Off by one.', inEvidence: true }],
      notes: [],
    });
  });

  it('tolerates code fences, prose around the object and a lower-case verdict', () => {
    const text =
      'Here is my review:\n```json\n{"verdict": "pass", "summary": "ok {not a brace}", "findings": []}\n```\nThanks!';
    expect(parseJudgeAnswer(text, FILES)).toMatchObject({ ok: true, verdict: 'PASS', summary: 'ok {not a brace}' });
  });

  it('repairs findings where the intent is clear and flags files outside the evidence', () => {
    const parsed = parseJudgeAnswer(
      JSON.stringify({
        verdict: 'FAIL',
        findings: [
          { severity: 'low', message: 'No rollback plan.' },
          { severity: 'medium', file: 'b/src/a.ts', line: '7', message: 'Diff prefix.' },
          { severity: 'medium', file: './docs/plan.md:3', message: 'Line in the path.' },
          { severity: 'urgent', file: 'src/other.ts', line: 0, message: 'Elsewhere.' },
          { severity: 'high', file: 'src/a.ts', line: 2 },
          'A bare remark.',
          42,
        ],
      }),
      FILES,
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.summary).toBe('');
    expect(parsed.findings).toEqual([
      { severity: 'low', file: null, line: null, message: 'No rollback plan.', inEvidence: true },
      { severity: 'medium', file: 'src/a.ts', line: 7, message: 'Diff prefix.', inEvidence: true },
      { severity: 'medium', file: 'docs/plan.md', line: 3, message: 'Line in the path.', inEvidence: true },
      { severity: 'medium', file: 'src/other.ts', line: null, message: 'Elsewhere.', inEvidence: false },
      { severity: 'medium', file: null, line: null, message: 'A bare remark.', inEvidence: true },
    ]);
    expect(parsed.notes).toEqual([
      '2 findings without a message dropped',
      '2 findings without a known severity taken as medium',
      '1 finding cites a file not in the evidence',
    ]);
  });

  it('fails answers that are empty, not JSON, or without a valid verdict', () => {
    expect(failure('')).toBe('empty answer');
    expect(failure('   \n')).toBe('empty answer');
    expect(failure('I think it is fine.')).toBe('no JSON object in the answer');
    expect(failure(GARBAGE_ANSWER)).toBe('no JSON object in the answer');
    expect(failure('{"verdict": "PASS", "summary": "cut off')).toBe('no JSON object in the answer');
    expect(failure('{"summary": "no verdict"}')).toBe('no "verdict" in the JSON answer');
    expect(failure('{"verdict": "APPROVE"}')).toBe('verdict "APPROVE" is not one of PASS, WARN, FAIL');
    expect(failure('{"verdict": 1}')).toBe('verdict 1 is not one of PASS, WARN, FAIL');
    expect(failure('{"verdict": "PASS", "findings": "none"}')).toBe('"findings" is not an array');
    expect(failure('{"verdict": "PASS", "summary": ["a"]}')).toBe('"summary" is not a string');
    expect(failure('{"verdict": "PASS"} or maybe {"verdict": "FAIL"}')).toBe(
      '2 different verdict objects in the answer',
    );
  });

  it('takes the same object repeated as one answer', () => {
    expect(parseJudgeAnswer('{"verdict":"PASS"}\n\nAgain: {"verdict":"PASS"}', FILES)).toMatchObject({
      ok: true,
      verdict: 'PASS',
    });
  });
});

describe('JSON objects in text', () => {
  it('finds top-level objects, with braces and quotes inside strings', () => {
    expect(jsonObjects('a {"x": "}{\\"", "y": {"z": 1}} b {c} {"d": 2}')).toEqual([
      { x: '}{"', y: { z: 1 } },
      { d: 2 },
    ]);
    expect(jsonObjects('[1, 2] {')).toEqual([]);
  });
});
