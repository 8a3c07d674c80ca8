import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ciJob } from './ci.js';

const dir = mkdtempSync(join(os.tmpdir(), 'ao-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ao gate ci', () => {
  it('prints a GitHub Actions workflow that sets up the stack and runs the ci stage', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ devDependencies: { agentops: '^0.1.0' } }));
    writeFileSync(join(dir, 'pnpm-lock.yaml'), '');
    writeFileSync(join(dir, 'go.mod'), 'module x\n');
    const doc = parse(ciJob('github', dir)) as {
      jobs: { gates: { steps: { run?: string; uses?: string }[] } };
    };
    const steps = doc.jobs.gates.steps;
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'actions/setup-go@v5',
      'actions/upload-artifact@v4',
    ]);
    const runs = steps.map((s) => s.run).filter(Boolean);
    expect(runs).toEqual(['corepack enable && pnpm install --frozen-lockfile', 'npx ao gate run --stage ci --via ci']);
  });

  it('prints a GitLab job, installing ao when the project does not depend on it', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app' }));
    const doc = parse(ciJob('gitlab', dir)) as { 'ao-gates': { image: string; script: string[] } };
    expect(doc['ao-gates'].image).toBe('node:20');
    expect(doc['ao-gates'].script.slice(-2)).toEqual(['npm install -g agentops', 'ao gate run --stage ci --via ci']);
  });
});
