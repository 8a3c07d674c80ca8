import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandRuntime } from './command.js';
import { RuntimeError } from './runtime.js';

const node = process.execPath;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ao-command-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<RuntimeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RuntimeError) return error;
    throw error;
  }
  throw new Error('expected the runtime to fail');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True once a process no longer runs (gone, or a zombie waiting for a parent that does not reap). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return !existsSync(`/proc/${pid}`);
  }
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('command runtime', () => {
  it('writes the system text and the prompt to stdin and answers with stdout', async () => {
    const runtime = createCommandRuntime({ argv: [node, '-e', 'process.stdin.pipe(process.stdout)'] });
    const response = await runtime.complete({ prompt: 'the prompt', system: 'the system', timeoutMs: 20_000 });
    expect(response.text).toBe('the system\n\nthe prompt');
    expect(response.durationMs).toBeGreaterThanOrEqual(0);
    expect(runtime.name).toBe(`cmd:${node}`);
  });

  it('passes arguments without a shell', async () => {
    const runtime = createCommandRuntime({
      name: 'args',
      argv: [node, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '$HOME', 'a b', ';', '*'],
    });
    const response = await runtime.complete({ prompt: '', timeoutMs: 20_000 });
    expect(JSON.parse(response.text)).toEqual(['$HOME', 'a b', ';', '*']);
  });

  it('kills a command that outlives its timeout', async () => {
    const runtime = createCommandRuntime({ argv: [node, '-e', 'setTimeout(() => {}, 60_000)'] });
    const error = await failure(runtime.complete({ prompt: 'x', timeoutMs: 300 }));
    expect(error.kind).toBe('timeout');
  });

  it('reports a non-zero exit with the tail of stderr', async () => {
    const script = 'process.stderr.write("x".repeat(10000) + "the real reason"); process.exit(3)';
    const runtime = createCommandRuntime({ argv: [node, '-e', script] });
    const error = await failure(runtime.complete({ prompt: 'x', timeoutMs: 20_000 }));
    expect(error.kind).toBe('exit');
    expect(error.message).toContain('exited with 3');
    expect(error.message).toContain('the real reason');
    expect(error.message.length).toBeLessThan(1000);
    expect(error.detail).toContain('the real reason');
  });

  it('kills a command that prints more than the bound', async () => {
    const script = 'const b = Buffer.alloc(65536, 97); const w = () => process.stdout.write(b, w); w()';
    const runtime = createCommandRuntime({ argv: [node, '-e', script], maxOutputBytes: 256 * 1024 });
    const error = await failure(runtime.complete({ prompt: 'x', timeoutMs: 20_000 }));
    expect(error.kind).toBe('overflow');
  });

  it('reports a command that cannot start', async () => {
    const runtime = createCommandRuntime({ argv: [join(dir, 'no-such-program')] });
    const error = await failure(runtime.complete({ prompt: 'x', timeoutMs: 20_000 }));
    expect(error.kind).toBe('spawn');
  });

  it('treats an empty answer as no answer', async () => {
    const runtime = createCommandRuntime({ argv: [node, '-e', ''] });
    const error = await failure(runtime.complete({ prompt: 'x', timeoutMs: 20_000 }));
    expect(error.kind).toBe('empty');
  });

  it('survives a command that exits without reading its input', async () => {
    const runtime = createCommandRuntime({ argv: [node, '-e', 'process.stdout.write("early")'] });
    const response = await runtime.complete({ prompt: 'y'.repeat(4 * 1024 * 1024), timeoutMs: 20_000 });
    expect(response.text).toBe('early');
  });

  it.skipIf(process.platform === 'win32')('kills the whole process group when aborted', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const runtime = createCommandRuntime({ argv: ['sh', '-c', 'sleep 30 & echo $! > "$1"; wait', 'sh', pidFile] });
    const controller = new AbortController();
    const call = failure(runtime.complete({ prompt: 'x', timeoutMs: 60_000, signal: controller.signal }));
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'the grandchild');
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    expect(isGone(grandchild)).toBe(false);
    controller.abort();
    expect((await call).kind).toBe('aborted');
    await waitFor(() => isGone(grandchild), 'the grandchild to be killed');
  });

  it.skipIf(process.platform === 'win32')('kills the process group on timeout', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const runtime = createCommandRuntime({ argv: ['sh', '-c', 'sleep 30 & echo $! > "$1"; wait', 'sh', pidFile] });
    const error = await failure(runtime.complete({ prompt: 'x', timeoutMs: 1000 }));
    expect(error.kind).toBe('timeout');
    // The timeout may fire before sh wrote the file on a slow machine; then there is nothing to check.
    if (existsSync(pidFile)) {
      const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
      if (grandchild > 0) await waitFor(() => isGone(grandchild), 'the grandchild to be killed');
    }
  });

  it.skipIf(process.platform === 'win32')('does not wait for descendants left holding stdout', async () => {
    // Without the group kill on exit, 'close' would wait for the background sleep (30 s) and time out.
    const runtime = createCommandRuntime({ argv: ['sh', '-c', 'sleep 30 & echo answer'] });
    const response = await runtime.complete({ prompt: 'x', timeoutMs: 20_000 });
    expect(response.text).toBe('answer\n');
  });

  it('fails at once when the signal is already aborted', async () => {
    const runtime = createCommandRuntime({ argv: [node, '-e', ''] });
    const error = await failure(runtime.complete({ prompt: 'x', timeoutMs: 20_000, signal: AbortSignal.abort() }));
    expect(error.kind).toBe('aborted');
  });
});
