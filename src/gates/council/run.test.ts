import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../lib/errors.js';
import type { Runtime } from '../../runtimes/runtime.js';
import { ScriptedRuntime, type ScriptedStep } from '../../runtimes/scripted.js';
import { aggregateVerdict } from './aggregate.js';
import { splitJudgeSpecs } from './judge-specs.js';
import { evidenceOf, JUDGE_SYSTEM } from './prompt.js';
import { runCouncil, type CouncilOptions } from './run.js';
import type { CouncilEvent } from './types.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A folder with `.agents/` and a plan and a source file: no git needed for these targets. */
function workspace(): { root: string; agents: string } {
  const root = mkdtempSync(join(os.tmpdir(), 'ao-council-run-'));
  dirs.push(root);
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'plan.md'), '# Plan\n\n1. Add a cache.\n2. Ship on Friday.\n');
  writeFileSync(join(root, 'src', 'cache.ts'), 'export const cache = new Map();\nexport const ttl = 0;\n');
  return { root, agents: join(root, '.agents') };
}

const verdict = (v: string, findings: unknown[] = [], summary = `${v} summary`): string =>
  JSON.stringify({ verdict: v, summary, findings });

const judge = (name: string, step: ScriptedStep): ScriptedRuntime => new ScriptedRuntime({ name, answers: [step] });

function council(
  ws: { root: string; agents: string },
  judges: Runtime[],
  extra: Partial<CouncilOptions> = {},
): ReturnType<typeof runCouncil> {
  return runCouncil({
    root: ws.root,
    agentsDir: ws.agents,
    preset: 'vibe',
    target: 'src/cache.ts,plan.md',
    judges,
    timeoutMs: 5000,
    user: 'tester@example.com',
    now: () => new Date('2025-03-04T05:06:07.890Z'),
    ...extra,
  });
}

function ledger(agents: string): CouncilEvent[] {
  return readFileSync(join(agents, 'ledger', 'council.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as CouncilEvent);
}

describe('council', () => {
  it('gives every judge the same frozen evidence and aggregates PASS + WARN to WARN', async () => {
    const ws = workspace();
    const a = judge('alpha', verdict('PASS'));
    const b = judge('beta', verdict('WARN', [{ severity: 'medium', file: 'src/cache.ts', line: 2, message: 'ttl 0' }]));
    const result = await council(ws, [a, b]);

    expect(result.verdict).toBe('WARN');
    expect(result.reason).toBeUndefined();
    const [pa, pb] = [a.requests[0]!, b.requests[0]!];
    const saved = readFileSync(join(ws.root, result.evidence.file), 'utf8');
    expect(evidenceOf(pa.prompt)).toBe(saved);
    expect(evidenceOf(pb.prompt)).toBe(saved);
    expect(pa.system).toBe(JUDGE_SYSTEM);
    expect(pa.timeoutMs).toBe(5000);
    expect(pa.signal).toBeInstanceOf(AbortSignal);
    expect(result.judges.map((j) => [j.name, j.perspective, j.status, j.verdict])).toEqual([
      ['alpha', 'correctness', 'answered', 'PASS'],
      ['beta', 'maintainability', 'answered', 'WARN'],
    ]);
    expect(pa.prompt).toContain('Your perspective: correctness.');
    expect(pb.prompt).toContain('Your perspective: maintainability.');
    expect(result.findings).toEqual([
      {
        severity: 'medium',
        file: 'src/cache.ts',
        line: 2,
        message: 'ttl 0',
        inEvidence: true,
        judge: 'beta',
        perspective: 'maintainability',
      },
    ]);
    expect(result.evidence.files).toEqual(['plan.md', 'src/cache.ts']);
  });

  it('writes the report and appends one ledger line', async () => {
    const ws = workspace();
    const result = await council(ws, [
      judge('alpha', verdict('PASS')),
      judge('beta', verdict('WARN', [{ severity: 'high', file: 'src/cache.ts', line: 1, message: 'unbounded map' }])),
      judge('gamma', { timeout: true }),
    ]);
    expect(result.report).toMatch(/^\.agents\/council\/20250304T050607Z-vibe-[0-9a-f]{10}\.md$/);
    expect(result.evidence.file).toBe(result.report.replace(/\.md$/, '.evidence.md'));
    const report = readFileSync(join(ws.root, result.report), 'utf8');
    expect(report).toContain('# Council vibe: WARN');
    expect(report).toContain('| beta | maintainability | WARN | 1 |');
    expect(report).toContain('### `src/cache.ts`');
    expect(report).toContain('- **high** `src/cache.ts:1` unbounded map (beta, maintainability)');
    expect(report).toContain('## Failed judges');
    expect(report).toContain('- gamma (safety): timeout: no answer within 5000 ms');
    expect(report).toContain(`sha256 \`${result.evidence.sha256}\``);

    const [event, ...rest] = ledger(ws.agents);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      kind: 'council',
      ts: '2025-03-04T05:06:07.890Z',
      id: result.id,
      preset: 'vibe',
      target: { kind: 'paths', description: 'paths src/cache.ts, plan.md' },
      evidence: { sha256: result.evidence.sha256, chars: result.evidence.chars, cuts: 0, file: result.evidence.file },
      verdict: 'WARN',
      report: result.report,
      commit: null,
      user: 'tester@example.com',
    });
    expect(event!.judges.map((j) => ({ ...j, durationMs: 0 }))).toEqual([
      {
        name: 'alpha',
        by: 'alpha',
        perspective: 'correctness',
        status: 'answered',
        verdict: 'PASS',
        durationMs: 0,
        findings: 0,
      },
      {
        name: 'beta',
        by: 'beta',
        perspective: 'maintainability',
        status: 'answered',
        verdict: 'WARN',
        durationMs: 0,
        findings: 1,
      },
      {
        name: 'gamma',
        by: 'gamma',
        perspective: 'safety',
        status: 'failed',
        verdict: null,
        durationMs: 0,
        findings: 0,
        error: 'timeout: no answer within 5000 ms',
      },
    ]);

    await council(ws, [judge('alpha', verdict('PASS'))], { now: () => new Date('2025-03-04T06:00:00Z') });
    expect(ledger(ws.agents)).toHaveLength(2);
  });

  it('leaves earlier councils out of a folder under review', async () => {
    const ws = workspace();
    await council(ws, [judge('a', verdict('PASS'))], { target: '.' });
    const again = await council(ws, [judge('a', verdict('PASS'))], {
      target: '.',
      now: () => new Date('2025-03-04T07:00:00Z'),
    });
    expect(again.evidence.files).toEqual(['.agents/.gitattributes', '.agents/.gitignore', 'plan.md', 'src/cache.ts']);
  });

  it('fails the council when one judge says FAIL', async () => {
    const ws = workspace();
    const result = await council(ws, [judge('alpha', verdict('PASS')), judge('beta', verdict('FAIL'))]);
    expect(result.verdict).toBe('FAIL');
    expect(result.reason).toBeUndefined();
  });

  it('records garbage, timeouts, errors, empty and malformed answers as failed judges', async () => {
    const ws = workspace();
    const never: Runtime = { name: 'stuck', complete: () => new Promise(() => {}) };
    const result = await council(
      ws,
      [
        judge('ok', verdict('PASS')),
        judge('garbage', { garbage: true }),
        judge('slow', { timeout: true }),
        judge('broken', { fail: 'exit', message: 'exited with 3' }),
        judge('empty', '  '),
        judge('wrong', verdict('LGTM')),
        judge('half', '{"verdict": "PASS", "findings": ['),
        never,
      ],
      { timeoutMs: 50 },
    );
    expect(result.verdict).toBe('WARN');
    expect(result.reason).toBe('7 of 8 judges gave no usable answer');
    expect(Object.fromEntries(result.judges.map((j) => [j.name, j.status === 'failed' ? j.error : j.verdict]))).toEqual(
      {
        ok: 'PASS',
        garbage: 'no JSON object in the answer',
        slow: 'timeout: no answer within 50 ms',
        broken: 'exit: exited with 3',
        empty: 'empty answer',
        wrong: 'verdict "LGTM" is not one of PASS, WARN, FAIL',
        half: 'no JSON object in the answer',
        stuck: 'timeout: no answer within 50 ms',
      },
    );
  });

  it('fails with "no judge answered" when every judge failed', async () => {
    const ws = workspace();
    const result = await council(ws, [judge('a', { garbage: true }), judge('b', { timeout: true })]);
    expect(result.verdict).toBe('FAIL');
    expect(result.reason).toBe('no judge answered');
    expect(ledger(ws.agents)[0]).toMatchObject({ verdict: 'FAIL', reason: 'no judge answered' });
    expect(readFileSync(join(ws.root, result.report), 'utf8')).toContain('**FAIL** (must not land): no judge answered');
  });

  it('seats a runtime twice under two names and deals chosen perspectives', async () => {
    const ws = workspace();
    const twice = new ScriptedRuntime({ name: 'claude', answers: [verdict('PASS'), verdict('PASS')] });
    const result = await council(ws, [twice, twice, judge('x', verdict('PASS'))], {
      preset: 'pre-mortem',
      target: 'plan.md',
      perspectives: ['failure', 'safety'],
    });
    expect(result.judges.map((j) => [j.name, j.by, j.perspective])).toEqual([
      ['claude', 'claude', 'failure'],
      ['claude#2', 'claude', 'safety'],
      ['x', 'x', 'failure'],
    ]);
    expect(result.verdict).toBe('PASS');
    expect(result.target).toEqual({ kind: 'plan', description: 'plan plan.md' });
  });

  it('refuses an unknown preset or perspective, no judges, and a target that is nothing', async () => {
    const ws = workspace();
    const one = [judge('a', verdict('PASS'))];
    await expect(council(ws, one, { preset: 'review' })).rejects.toThrow(/unknown preset "review"/);
    await expect(council(ws, one, { perspectives: ['vibes'] })).rejects.toThrow(/unknown perspective "vibes"/);
    await expect(council(ws, [])).rejects.toThrow(UserError);
    await expect(council(ws, one, { target: 'HEAD~1..HEAD' })).rejects.toThrow(/neither an existing file/);
    expect(existsSync(join(ws.agents, 'ledger', 'council.jsonl'))).toBe(false);
  });

  it('writes nothing but the evidence when interrupted', async () => {
    const ws = workspace();
    const controller = new AbortController();
    const slow: Runtime = {
      name: 'slow',
      complete: () => {
        controller.abort();
        return new Promise(() => {});
      },
    };
    await expect(council(ws, [slow], { signal: controller.signal })).rejects.toThrow(/interrupted/);
    const deaf: Runtime = { name: 'deaf', complete: () => new Promise(() => {}) };
    await expect(council(ws, [deaf], { signal: AbortSignal.abort() })).rejects.toThrow(/interrupted/);
    expect(existsSync(join(ws.agents, 'ledger', 'council.jsonl'))).toBe(false);
  });
});

describe('aggregate', () => {
  const answered = (verdict: 'PASS' | 'WARN' | 'FAIL') => ({ status: 'answered' as const, verdict });
  const failed = { status: 'failed' as const, verdict: null };
  it('follows the documented rule', () => {
    expect(aggregateVerdict([answered('PASS'), answered('PASS')])).toEqual({ verdict: 'PASS' });
    expect(aggregateVerdict([answered('PASS'), answered('WARN')])).toEqual({ verdict: 'WARN' });
    expect(aggregateVerdict([answered('WARN'), answered('FAIL'), failed])).toEqual({ verdict: 'FAIL' });
    expect(aggregateVerdict([answered('PASS'), failed])).toEqual({
      verdict: 'WARN',
      reason: '1 of 2 judges gave no usable answer',
    });
    expect(aggregateVerdict([failed, failed])).toEqual({ verdict: 'FAIL', reason: 'no judge answered' });
    expect(aggregateVerdict([])).toEqual({ verdict: 'FAIL', reason: 'no judge answered' });
  });
});

describe('judge specs', () => {
  it('splits on commas but keeps a command line whole', () => {
    expect(splitJudgeSpecs('claude, codex')).toEqual(['claude', 'codex']);
    expect(splitJudgeSpecs('cmd:node judge.mjs --tags a,b,openai:gpt-4o-mini,,gemini')).toEqual([
      'cmd:node judge.mjs --tags a,b',
      'openai:gpt-4o-mini',
      'gemini',
    ]);
    expect(splitJudgeSpecs(' , ')).toEqual([]);
  });
});
