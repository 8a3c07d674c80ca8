import { performance } from 'node:perf_hooks';
import { RuntimeError, type Runtime } from '../../runtimes/runtime.js';
import { parseJudgeAnswer } from './answer.js';
import type { Perspective } from './presets.js';
import type { JudgeResult } from './types.js';

/** A judge's place on the council: who judges, under which name, from which perspective. */
export interface JudgeSeat {
  runtime: Runtime;
  name: string;
  perspective: Perspective;
}

export interface AskOptions {
  system: string;
  timeoutMs: number;
  /** The files the evidence shows, to flag findings elsewhere. */
  evidenceFiles: readonly string[];
  signal?: AbortSignal | undefined;
}

/** Seats for runtimes: a runtime named twice sits as `name`, `name#2`, …; perspectives in order. */
export function seatJudges(runtimes: readonly Runtime[], perspectives: readonly Perspective[]): JudgeSeat[] {
  const seen = new Map<string, number>();
  return runtimes.map((runtime, i) => {
    const n = (seen.get(runtime.name) ?? 0) + 1;
    seen.set(runtime.name, n);
    return { runtime, name: n === 1 ? runtime.name : `${runtime.name}#${n}`, perspective: perspectives[i]! };
  });
}

/**
 * Asks every judge at once and waits for all; `onDone` hears of each as it finishes. No judge can
 * make this throw: whatever goes wrong becomes that judge's failure.
 */
export async function runJudges(
  seats: readonly JudgeSeat[],
  promptOf: (seat: JudgeSeat) => string,
  options: AskOptions,
  onDone?: (judge: JudgeResult) => void,
): Promise<JudgeResult[]> {
  return Promise.all(
    seats.map(async (seat) => {
      const result = await askJudge(seat, promptOf(seat), options);
      onDone?.(result);
      return result;
    }),
  );
}

/**
 * One judge's verdict. The runtime gets the timeout with the request and an abort signal; a
 * runtime that ignores both is still cut off a little later, so one stuck judge never holds the
 * council.
 */
export async function askJudge(seat: JudgeSeat, prompt: string, options: AskOptions): Promise<JudgeResult> {
  const started = performance.now();
  const base = { name: seat.name, by: seat.runtime.name, perspective: seat.perspective.name };
  const failed = (error: string): JudgeResult => ({
    ...base,
    status: 'failed',
    verdict: null,
    summary: '',
    findings: [],
    durationMs: Math.round(performance.now() - started),
    error: error.length > 500 ? `${error.slice(0, 499)}…` : error,
    notes: [],
  });
  let text: string;
  try {
    text = await bounded(seat.runtime, prompt, options);
  } catch (error) {
    return failed(reasonOf(error));
  }
  const parsed = parseJudgeAnswer(text, options.evidenceFiles);
  if (!parsed.ok) return failed(parsed.error);
  return {
    ...base,
    status: 'answered',
    verdict: parsed.verdict,
    summary: parsed.summary,
    findings: parsed.findings,
    durationMs: Math.round(performance.now() - started),
    notes: parsed.notes,
  };
}

function bounded(runtime: Runtime, prompt: string, options: AskOptions): Promise<string> {
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  // The runtime's own timeout usually fires first and says more (stderr); this one is the backstop.
  const grace = Math.min(2000, Math.ceil(options.timeoutMs / 10));
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new RuntimeError(runtime.name, 'timeout', `no answer within ${options.timeoutMs} ms`));
      controller.abort();
    }, options.timeoutMs + grace);
    const interrupted = (): void => reject(new RuntimeError(runtime.name, 'aborted', 'the council was interrupted'));
    if (controller.signal.aborted) interrupted();
    else controller.signal.addEventListener('abort', interrupted, { once: true });
  });
  const call = (async () => {
    const response = await runtime.complete({
      prompt,
      system: options.system,
      timeoutMs: options.timeoutMs,
      signal: controller.signal,
    });
    return response.text;
  })();
  return Promise.race([call, backstop]).finally(() => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  });
}

function reasonOf(error: unknown): string {
  if (error instanceof RuntimeError) {
    const message = error.message.startsWith(`${error.runtime}: `)
      ? error.message.slice(error.runtime.length + 2)
      : error.message;
    return `${error.kind}: ${message}`;
  }
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}
