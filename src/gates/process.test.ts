import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './process.js';

const dir = mkdtempSync(join(os.tmpdir(), 'ao-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { cwd: dir, env: process.env, timeoutMs: 30_000 };

describe('runCommand', () => {
  it('gives the exit code and the output of both streams', async () => {
    const r = await runCommand({ ...base, command: 'echo out; echo err >&2; exit 3' });
    expect(r.exitCode).toBe(3);
    expect(r.timedOut).toBe(false);
    expect(r.output).toContain('out');
    expect(r.output).toContain('err');
    expect(r.outputBytes).toBe(8);
  });

  it('kills a hanging command with its whole process group at the timeout', async () => {
    const marker = join(dir, 'survivor');
    // The shell starts a grandchild that would write the marker after the timeout.
    const r = await runCommand({
      ...base,
      command: `(sleep 1; touch ${marker}) & sleep 60`,
      timeoutMs: 300,
      graceMs: 200,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(existsSync(marker)).toBe(false);
  });

  it('kills what a passing command left running in its group', async () => {
    const marker = join(dir, 'leftover');
    const r = await runCommand({ ...base, command: `(sleep 1; touch ${marker}) >/dev/null 2>&1 & echo done` });
    expect(r.exitCode).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps a bounded tail of megabytes of output', async () => {
    const r = await runCommand({
      ...base,
      command: `node -e "for (let i = 0; i < 200000; i++) console.log('line ' + i)"; echo THE END`,
      keepBytes: 64 * 1024,
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputBytes).toBeGreaterThan(2_000_000);
    expect(r.output.length).toBeLessThanOrEqual(64 * 1024);
    expect(r.output.trimEnd().endsWith('THE END')).toBe(true);
  });

  it('stops on abort, and reports a folder that does not exist', async () => {
    const controller = new AbortController();
    const pending = runCommand({ ...base, command: 'sleep 60', signal: controller.signal, graceMs: 100 });
    setTimeout(() => controller.abort(), 100);
    const r = await pending;
    expect(r.aborted).toBe(true);
    const missing = await runCommand({ ...base, cwd: join(dir, 'nope'), command: 'true' });
    expect(missing.spawnError).toBeTruthy();
  });

  it('reads no stdin', async () => {
    writeFileSync(join(dir, 'cat.sh'), 'cat; echo read-done\n');
    const r = await runCommand({ ...base, command: 'sh cat.sh' });
    expect(r.output).toContain('read-done');
  });
});
