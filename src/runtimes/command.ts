import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import {
  joinSystemAndPrompt,
  RuntimeError,
  tail,
  type Runtime,
  type RuntimeRequest,
  type RuntimeResponse,
} from './runtime.js';

/** Default bound on a command's stdout: an answer larger than this is not an answer. */
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/** How much of stderr is kept (its tail) to explain a failure. */
const STDERR_KEEP_BYTES = 64 * 1024;

export interface CommandRuntimeOptions {
  /** Name recorded with the answers; defaults to `cmd:<argv[0]>`. */
  name?: string;
  /** Program and arguments; run without a shell. */
  argv: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bound on stdout in bytes; past it the process group is killed. */
  maxOutputBytes?: number;
  /** What the command reads on stdin; by default the system text, a blank line, then the prompt. */
  formatInput?: (request: RuntimeRequest) => string;
}

/**
 * A runtime that runs a command: the prompt goes to its stdin, its stdout is the answer.
 * The command runs in its own process group so that a timeout, an abort or too much output
 * kills everything it started (agent CLIs spawn helpers: MCP servers, shells).
 */
export function createCommandRuntime(options: CommandRuntimeOptions): Runtime {
  const [program] = options.argv;
  if (program === undefined || program === '') throw new TypeError('command runtime needs a program');
  const name = options.name ?? `cmd:${program}`;
  return {
    name,
    complete: (request) => runCommand(name, options, request),
  };
}

function runCommand(name: string, options: CommandRuntimeOptions, request: RuntimeRequest): Promise<RuntimeResponse> {
  const started = performance.now();
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const input = (options.formatInput ?? joinSystemAndPrompt)(request);
  const [program, ...args] = options.argv as [string, ...string[]];

  return new Promise<RuntimeResponse>((resolve, reject) => {
    if (request.signal?.aborted) {
      reject(new RuntimeError(name, 'aborted', 'aborted before start'));
      return;
    }
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group (pgid = pid): one signal to -pid reaches every descendant.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });

    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr: Buffer[] = [];
    let stderrBytes = 0;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        if (process.platform === 'win32') child.kill('SIGKILL');
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the whole group is already gone.
      }
    };
    const fail = (error: RuntimeError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      killGroup();
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(new RuntimeError(name, 'timeout', `no answer within ${request.timeoutMs} ms`, { detail: stderrTail() }));
    }, request.timeoutMs);
    const onAbort = (): void => fail(new RuntimeError(name, 'aborted', 'aborted', { cause: request.signal?.reason }));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    };
    const stderrTail = (): string => tail(Buffer.concat(stderr).toString('utf8'));

    child.on('error', (error) => {
      fail(new RuntimeError(name, 'spawn', `could not run ${program}: ${error.message}`, { cause: error }));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutput) {
        fail(new RuntimeError(name, 'overflow', `more than ${maxOutput} bytes of output`));
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      stderrBytes += chunk.length;
      if (stderrBytes > STDERR_KEEP_BYTES * 2) {
        const kept = Buffer.concat(stderr);
        stderr = [kept.subarray(kept.length - STDERR_KEEP_BYTES)];
        stderrBytes = STDERR_KEEP_BYTES;
      }
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Descendants left behind may hold stdout open, and 'close' would wait for them; a runtime
      // call leaves nothing running. Data already in the pipe stays readable after the kill.
      killGroup();
    });
    child.on('close', () => {
      if (settled) return;
      const status = exit ?? { code: null, signal: null };
      if (status.code !== 0) {
        const how =
          status.code === null ? `was killed by ${status.signal ?? 'a signal'}` : `exited with ${status.code}`;
        const detail = stderrTail();
        const short = tail(detail, 500);
        fail(new RuntimeError(name, 'exit', `${program} ${how}${short ? `: ${short}` : ''}`, { detail }));
        return;
      }
      const text = Buffer.concat(stdout).toString('utf8');
      if (text.trim() === '') {
        fail(new RuntimeError(name, 'empty', `${program} printed nothing`, { detail: stderrTail() }));
        return;
      }
      settled = true;
      cleanup();
      resolve({ text, durationMs: performance.now() - started });
    });

    // A command that exits without reading its input makes the write fail with EPIPE; its exit
    // status (or its output) says what happened, so the write error itself is not the story.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
