import { spawn } from 'node:child_process';

/**
 * One check's command: `/bin/sh -c` in a process group of its own, so that a time-out or an
 * interrupt kills everything it started (a test runner's workers, a server it forgot), not only
 * the shell. Output is kept as a bounded tail: a check that prints megabytes costs its tail.
 */
export interface CommandOptions {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Bytes of output kept (the tail), enough for summaries and figures. */
  keepBytes?: number;
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL. */
  graceMs?: number;
}

export interface CommandOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** The kept tail of stdout and stderr as they arrived. */
  output: string;
  outputBytes: number;
  /** The command could not start at all (no shell, no such folder). */
  spawnError?: string;
}

export const KEEP_BYTES = 1024 * 1024;
const GRACE_MS = 2000;
/** After the command exits, how long to wait for its output pipes to close (a child it left may hold them). */
const DRAIN_MS = 500;

export function runCommand(options: CommandOptions): Promise<CommandOutcome> {
  const started = Date.now();
  const keep = options.keepBytes ?? KEEP_BYTES;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let exit: { code: number | null; signal: string | null } | null = null;
    const timers: NodeJS.Timeout[] = [];

    const child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    const take = (chunk: Buffer): void => {
      total += chunk.length;
      chunks.push(chunk);
      kept += chunk.length;
      // Trim once the kept part is twice the bound: cheap, and never below the bound.
      if (kept > keep * 2) {
        const all = Buffer.concat(chunks);
        chunks.length = 0;
        chunks.push(all.subarray(all.length - keep));
        kept = keep;
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const stop = (): void => {
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), options.graceMs ?? GRACE_MS));
    };

    const finish = (spawnError?: string): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      // Whatever the command left behind in its group goes with it.
      if (exit) killGroup('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      const all = Buffer.concat(chunks);
      const tail = all.length > keep ? all.subarray(all.length - keep) : all;
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        aborted,
        durationMs: Date.now() - started,
        output: decodeTail(tail),
        outputBytes: total,
        ...(spawnError ? { spawnError } : {}),
      });
    };

    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    timers.push(
      setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs),
    );

    child.on('error', (error) => {
      // A spawn failure; an error after exit is about the pipes and changes nothing.
      if (!exit) finish(error.message);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      timers.push(setTimeout(() => finish(), DRAIN_MS));
    });
    child.on('close', () => {
      if (exit) finish();
    });
  });
}

/** UTF-8 text of a tail that may start inside a character: the broken start is dropped. */
function decodeTail(buf: Buffer): string {
  let start = 0;
  while (start < buf.length && start < 4 && (buf[start]! & 0xc0) === 0x80) start++;
  return buf.toString('utf8', start);
}
