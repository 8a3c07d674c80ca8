import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopGate } from './stop-gate.js';
import type { HookEvent } from './types.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(gates: string) {
  const root = mkdtempSync(join(os.tmpdir(), 'ao-stop-gate-'));
  dirs.push(root);
  mkdirSync(join(root, '.agents'));
  writeFileSync(join(root, '.agents', 'gates.yaml'), gates);
  const agentsDir = join(root, '.agents');
  const ctx = {
    ws: { root, repoAgents: agentsDir, userAgents: join(root, 'user') },
    agentsDir,
    now: 0,
    agent: 'claude',
  };
  const stop = (sessionId: string | null, active = false): HookEvent => ({
    event: 'stop',
    sessionId,
    cwd: root,
    transcriptPath: null,
    stopHookActive: active,
  });
  return { ctx, stop };
}

const FAILING = 'checks:\n  t: { command: "exit 1" }\nstages:\n  stop: [t]\n';

describe('the stop stage', () => {
  it('sends the agent back up to the bound, then lets it stop and counts again', async () => {
    const { ctx, stop } = repo(`${FAILING}settings:\n  stop-retries: 2\n`);
    expect((await stopGate(stop('s1'), ctx)).block).toMatch(/attempt 1 of 2/);
    expect((await stopGate(stop('s1', true), ctx)).block).toMatch(/attempt 2 of 2/);
    expect((await stopGate(stop('s1', true), ctx)).problems?.[0]).toMatch(/still failing after 2 attempts/);
    expect((await stopGate(stop('s1'), ctx)).block).toMatch(/attempt 1 of 2/);
  });

  it("without a session id, the agent's own flag bounds it to one retry", async () => {
    const { ctx, stop } = repo(FAILING);
    expect((await stopGate(stop(null), ctx)).block).toBeTruthy();
    expect((await stopGate(stop(null, true), ctx)).block).toBeUndefined();
  });

  it('with stop-retries 0 it records the verdict and never blocks; a broken file blocks nothing', async () => {
    const zero = repo(`${FAILING}settings:\n  stop-retries: 0\n`);
    expect(await stopGate(zero.stop('s'), zero.ctx)).toEqual({});
    const broken = repo('checks: [nope\n');
    expect((await stopGate(broken.stop('s'), broken.ctx)).problems?.[0]).toMatch(/gates\.yaml:\d+/);
  });
});
