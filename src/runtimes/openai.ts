import { performance } from 'node:perf_hooks';
import { isRecord } from '../lib/json.js';
import { RuntimeError, tail, type Runtime, type RuntimeRequest, type RuntimeResponse } from './runtime.js';

/** Bound on a response body: a chat answer or a batch of embeddings larger than this is refused. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_EMBEDDING_TIMEOUT_MS = 60_000;

export interface OpenAIRuntimeOptions {
  /** Endpoint root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  /** Name of the environment variable that holds the API key; no key, no Authorization header. */
  apiKeyEnv?: string;
  /** Model for `embeddings()`; `model` when absent (endpoints that serve both from one model). */
  embeddingModel?: string;
  env?: NodeJS.ProcessEnv;
  temperature?: number;
  maxTokens?: number;
}

/**
 * A client for any OpenAI-compatible endpoint (`POST /chat/completions`, `POST /embeddings`)
 * over the global `fetch`. The key is read from the environment at call time, never from a file.
 */
export class OpenAIRuntime implements Runtime {
  readonly name: string;
  private readonly options: OpenAIRuntimeOptions;

  constructor(options: OpenAIRuntimeOptions) {
    this.options = options;
    this.name = `openai:${options.model}`;
  }

  /** Asks the chat completions endpoint; the first choice's message is the answer. */
  async complete(request: RuntimeRequest): Promise<RuntimeResponse> {
    const started = performance.now();
    const messages: { role: string; content: string }[] = [];
    if (request.system) messages.push({ role: 'system', content: request.system });
    messages.push({ role: 'user', content: request.prompt });
    const body: Record<string, unknown> = { model: this.options.model, messages };
    if (this.options.temperature !== undefined) body.temperature = this.options.temperature;
    if (this.options.maxTokens !== undefined) body.max_tokens = this.options.maxTokens;

    const json = await this.post('chat/completions', body, request.timeoutMs, request.signal);
    const text = messageText(json);
    if (text === null || text.trim() === '') {
      throw new RuntimeError(this.name, 'empty', 'the response has no message text', {
        detail: tail(JSON.stringify(json), 500),
      });
    }
    return { text, durationMs: performance.now() - started };
  }

  /** One embedding vector per text, in the order given. */
  async embeddings(texts: string[], options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<number[][]> {
    if (texts.length === 0) return [];
    const model = this.options.embeddingModel ?? this.options.model;
    const json = await this.post(
      'embeddings',
      { model, input: texts },
      options.timeoutMs ?? DEFAULT_EMBEDDING_TIMEOUT_MS,
      options.signal,
    );
    const vectors = embeddingVectors(json, texts.length);
    if (vectors === null) {
      throw new RuntimeError(this.name, 'empty', `expected ${texts.length} embeddings in the response`, {
        detail: tail(JSON.stringify(json), 500),
      });
    }
    return vectors;
  }

  private async post(path: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/${path}`;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const key = (this.options.env ?? process.env)[this.options.apiKeyEnv ?? 'OPENAI_API_KEY'];
    if (key) headers.authorization = `Bearer ${key}`;

    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: combined });
      text = await readBounded(response, MAX_BODY_BYTES, this.name);
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      if (timeout.aborted) throw new RuntimeError(this.name, 'timeout', `no answer within ${timeoutMs} ms`);
      if (signal?.aborted) throw new RuntimeError(this.name, 'aborted', 'aborted', { cause: signal.reason });
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
      throw new RuntimeError(this.name, 'http', `request to ${url} failed${reason ? `: ${reason}` : ''}`, {
        cause: error,
      });
    }
    if (!response.ok) {
      const detail = tail(text, 1000);
      throw new RuntimeError(this.name, 'http', `${url} answered ${response.status}${detail ? `: ${detail}` : ''}`, {
        detail,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new RuntimeError(this.name, 'http', `${url} answered with something other than JSON`, {
        cause: error,
        detail: tail(text, 500),
      });
    }
  }
}

/** Reads a body up to `max` bytes; past it the request is cancelled. */
async function readBounded(response: Response, max: number, runtime: string): Promise<string> {
  if (!response.body) return '';
  // undici types the body's chunks as `any`; they are bytes.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new RuntimeError(runtime, 'overflow', `response larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `choices[0].message.content`, as a string or as an array of text parts. */
function messageText(json: unknown): string | null {
  if (!isRecord(json) || !Array.isArray(json.choices)) return null;
  const first: unknown = json.choices[0];
  if (!isRecord(first) || !isRecord(first.message)) return null;
  const content = first.message.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''));
    return parts.join('');
  }
  return null;
}

/** `data[].embedding`, ordered by `index` when the endpoint gives one; null unless all `count` are there. */
function embeddingVectors(json: unknown, count: number): number[][] | null {
  if (!isRecord(json) || !Array.isArray(json.data) || json.data.length !== count) return null;
  const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(count);
  for (const [position, item] of (json.data as unknown[]).entries()) {
    if (!isRecord(item) || !Array.isArray(item.embedding)) return null;
    const vector = item.embedding as unknown[];
    if (!vector.every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
    const index = typeof item.index === 'number' ? item.index : position;
    if (!Number.isInteger(index) || index < 0 || index >= count || vectors[index] !== undefined) return null;
    vectors[index] = vector as number[];
  }
  return vectors.every((v) => v !== undefined) ? vectors : null;
}
