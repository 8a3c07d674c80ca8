import {
  RuntimeError,
  type Runtime,
  type RuntimeErrorKind,
  type RuntimeRequest,
  type RuntimeResponse,
} from './runtime.js';

/**
 * One scripted reaction: a plain string is an answer; the objects simulate a slow answer, a
 * timeout (rejected at once: tests never wait), a failure of any kind, or an answer that is garbage.
 */
export type ScriptedStep =
  | string
  | { text: string; delayMs?: number }
  | { fail: RuntimeErrorKind; message?: string }
  | { timeout: true }
  | { garbage: true };

export interface ScriptedRuntimeOptions {
  name?: string;
  /** Steps used in order, one per call; or a function of the prompt that picks the step. */
  answers:
    | readonly ScriptedStep[]
    | ((prompt: string, request: RuntimeRequest) => ScriptedStep | Promise<ScriptedStep>);
}

/** What a model sometimes sends back instead of the asked-for JSON. */
export const GARBAGE_ANSWER = 'Sure! Here are the learnings:\n{"title": "unterminated, [1, 2,\n\u0000\uFFFD }}}]]';

/**
 * A runtime for tests: answers from a script, records every request it received, and can
 * simulate delay, timeout, garbage and failure without a network or a child process.
 */
export class ScriptedRuntime implements Runtime {
  readonly name: string;
  /** Every request received, in order. */
  readonly requests: RuntimeRequest[] = [];
  private readonly answers: ScriptedRuntimeOptions['answers'];
  private next = 0;

  constructor(options: ScriptedRuntimeOptions) {
    this.name = options.name ?? 'scripted';
    this.answers = options.answers;
  }

  /** The prompts received, in order. */
  get prompts(): string[] {
    return this.requests.map((r) => r.prompt);
  }

  async complete(request: RuntimeRequest): Promise<RuntimeResponse> {
    this.requests.push(request);
    if (request.signal?.aborted) throw new RuntimeError(this.name, 'aborted', 'aborted before start');
    const step = await this.pick(request);
    if (typeof step === 'string') return { text: step, durationMs: 0 };
    if ('timeout' in step) throw new RuntimeError(this.name, 'timeout', `no answer within ${request.timeoutMs} ms`);
    if ('fail' in step) throw new RuntimeError(this.name, step.fail, step.message ?? `scripted ${step.fail} failure`);
    if ('garbage' in step) return { text: GARBAGE_ANSWER, durationMs: 0 };
    if (step.delayMs) await this.wait(step.delayMs, request);
    return { text: step.text, durationMs: step.delayMs ?? 0 };
  }

  private async pick(request: RuntimeRequest): Promise<ScriptedStep> {
    if (typeof this.answers === 'function') return this.answers(request.prompt, request);
    const step = this.answers[this.next];
    if (step === undefined) {
      throw new RuntimeError(this.name, 'empty', `the script has no answer left (${this.answers.length} used)`);
    }
    this.next += 1;
    return step;
  }

  /** Waits like a slow model would: the request's own timeout and signal still apply. */
  private wait(delayMs: number, request: RuntimeRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (request.signal?.aborted) {
        reject(new RuntimeError(this.name, 'aborted', 'aborted'));
        return;
      }
      const finish = (error?: RuntimeError): void => {
        clearTimeout(delay);
        clearTimeout(bound);
        request.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = (): void => finish(new RuntimeError(this.name, 'aborted', 'aborted'));
      const delay = setTimeout(() => finish(), delayMs);
      const bound = setTimeout(
        () => finish(new RuntimeError(this.name, 'timeout', `no answer within ${request.timeoutMs} ms`)),
        request.timeoutMs,
      );
      request.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
