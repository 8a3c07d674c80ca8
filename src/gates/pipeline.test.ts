import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseGates } from './config.js';
import { runStage } from './pipeline.js';

const root = mkdtempSync(join(os.tmpdir(), 'ao-pipeline-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function config(yaml: string) {
  const read = parseGates(yaml, join(root, '.agents', 'gates.yaml'));
  expect(read.problems).toEqual([]);
  return read.config;
}

describe('runStage', () => {
  it('runs independent checks at once, up to the bound, and checks after their needs', async () => {
    // a and b each wait until both have started: they only pass when they run at the same time.
    const cfg = config(`checks:
  a: { command: "touch a.started; for i in $(seq 50); do [ -f b.started ] && exit 0; sleep 0.1; done; exit 1" }
  b: { command: "touch b.started; for i in $(seq 50); do [ -f a.started ] && exit 0; sleep 0.1; done; exit 1" }
  c: { command: "[ -f a.started ] && [ -f b.started ] && echo 'passed 7'", needs: [a, b], figures: { passed: { pattern: 'passed (\\d+)' } } }
stages:
  ci: [c]
settings:
  parallel: 2
`);
    const started: string[] = [];
    const run = await runStage({ root, config: cfg, stage: 'ci', onStart: (c) => started.push(c.name) });
    expect(run.checks.map((c) => [c.name, c.status])).toEqual([
      ['a', 'pass'],
      ['b', 'pass'],
      ['c', 'pass'],
    ]);
    expect(started[2]).toBe('c');
    expect(run.checks[2]!.figures).toEqual({ passed: 7 });
  });

  it('skips a check whose need failed, and stops launching with fail-fast', async () => {
    const cfg = config(`checks:
  build: { command: "echo broken; exit 2" }
  test: { command: "true", needs: [build] }
  lint: { command: "true" }
stages:
  ci: [build, test, lint]
settings:
  parallel: 1
`);
    const run = await runStage({ root, config: cfg, stage: 'ci' });
    const by = Object.fromEntries(run.checks.map((c) => [c.name, c]));
    expect(by.build).toMatchObject({ status: 'fail', exitCode: 2 });
    expect(by.build!.outputTail).toBe('broken');
    expect(by.test).toMatchObject({ status: 'skipped' });
    expect(by.test!.notes[0]).toMatch(/needs build/);
    expect(by.lint!.status).toBe('pass');
    const fast = await runStage({ root, config: cfg, stage: 'ci', failFast: true });
    expect(fast.checks.find((c) => c.name === 'lint')!.status).toBe('skipped');
  });

  it('times a hanging check out and truncates a flood of output in what it keeps', async () => {
    const cfg = config(`checks:
  hang: { command: "sleep 60", timeout: 0.3 }
  flood: { command: "yes 0123456789 | head -c 3000000; echo; echo tail-line" }
stages:
  ci: [hang, flood]
settings:
  output: 500
`);
    const run = await runStage({ root, config: cfg, stage: 'ci' });
    const [hang, flood] = run.checks;
    expect(hang).toMatchObject({ status: 'timeout', exitCode: null });
    expect(hang!.notes[0]).toMatch(/killed after/);
    expect(flood!.status).toBe('pass');
    expect(flood!.outputBytes).toBeGreaterThan(3_000_000);
    expect(flood!.outputTail.length).toBeLessThanOrEqual(501);
    expect(flood!.outputTail.endsWith('tail-line')).toBe(true);
    expect(flood!.notes.some((n) => n.includes('bytes'))).toBe(true);
  });
});
