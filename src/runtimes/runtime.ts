/**
 * The one interface through which anything that needs a language model talks to one: agent CLIs
 * in headless mode, an OpenAI-compatible endpoint, or a scripted runtime in tests. The core never
 * requires a runtime; a failed call is "no answer", reported as a `RuntimeError`, never a crash.
 */

/** One question to a model. */
export interface RuntimeRequest {
  prompt: string;
  /** Standing instructions; runtimes without a system role put them before the prompt. */
  system?: string;
  /** Hard bound on the whole call, including process start-up or connection. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A model's answer. */
export interface RuntimeResponse {
  text: string;
  durationMs: number;
}

/** Anything that can answer a prompt with text. */
export interface Runtime {
  /** Short name, recorded with what the runtime produced (`claude`, `openai:gpt-4o-mini`, ...). */
  readonly name: string;
  complete(request: RuntimeRequest): Promise<RuntimeResponse>;
}

/**
 * Why a runtime gave no answer: `timeout` (the bound passed), `aborted` (the caller's signal),
 * `exit` (the command failed), `spawn` (it could not start), `http` (transport or status),
 * `overflow` (more output than the bound), `empty` (it answered with nothing usable).
 */
export type RuntimeErrorKind = 'timeout' | 'aborted' | 'exit' | 'spawn' | 'http' | 'overflow' | 'empty';

/** A runtime call that gave no answer; callers treat it as "no answer", not as a bug. */
export class RuntimeError extends Error {
  readonly kind: RuntimeErrorKind;
  /** Name of the runtime that failed. */
  readonly runtime: string;
  /** Tail of stderr or of the response body, when there was one (may hold anything: do not store). */
  readonly detail: string | undefined;

  constructor(
    runtime: string,
    kind: RuntimeErrorKind,
    message: string,
    options: { cause?: unknown; detail?: string | undefined } = {},
  ) {
    super(`${runtime}: ${message}`, { cause: options.cause });
    this.name = 'RuntimeError';
    this.kind = kind;
    this.runtime = runtime;
    this.detail = options.detail;
  }
}

/** Narrowing helper for `catch` blocks. */
export function isRuntimeError(error: unknown): error is RuntimeError {
  return error instanceof RuntimeError;
}

/** The text a runtime without a system role receives: system first, then the prompt. */
export function joinSystemAndPrompt(request: Pick<RuntimeRequest, 'prompt' | 'system'>): string {
  return request.system ? `${request.system}\n\n${request.prompt}` : request.prompt;
}

/** The last `max` characters of a text, marked when cut: enough of stderr or a body to explain a failure. */
export function tail(text: string, max = 2000): string {
  const trimmed = text.trimEnd();
  return trimmed.length <= max ? trimmed : `…${trimmed.slice(trimmed.length - max)}`;
}
