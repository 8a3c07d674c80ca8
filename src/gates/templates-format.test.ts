import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { format } from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { POLICY_TEMPLATE } from '../guard/template.js';
import { CONFIG_TEMPLATE } from '../hooks/install/templates.js';
import { proposeGates, renderGatesYaml } from './propose.js';

/**
 * What `ao init` writes into a repository must pass that repository's own formatter: many run
 * `prettier --check .` in their lint, which would fail on the files ao just added.
 */
const dir = mkdtempSync(join(os.tmpdir(), 'ao-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stable(text: string): Promise<void> {
  expect(await format(text, { parser: 'yaml' })).toBe(text);
}

describe('the files ao init writes', () => {
  it('are as Prettier would write them', async () => {
    await stable(CONFIG_TEMPLATE);
    await stable(POLICY_TEMPLATE);
    await stable(renderGatesYaml({ stack: [], checks: [], stages: {} }));
    mkdirSync(join(dir, 'node'));
    writeFileSync(
      join(dir, 'node', 'package.json'),
      JSON.stringify({ scripts: { lint: 'eslint .', test: 'vitest run', build: 'tsc' } }),
    );
    writeFileSync(join(dir, 'node', 'package-lock.json'), '{}');
    const proposal = proposeGates(join(dir, 'node'));
    expect(proposal.checks.length).toBeGreaterThan(0);
    await stable(renderGatesYaml(proposal));
  });
});
