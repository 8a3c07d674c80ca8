import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRuntime } from './openai.js';
import { RuntimeError } from './runtime.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Handler = (seen: Seen, res: ServerResponse) => void;

let server: Server | undefined;

/** A real HTTP server on 127.0.0.1: no network beyond the loopback. */
async function serve(handler: Handler): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const entry: Seen = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: text ? JSON.parse(text) : null,
      };
      seen.push(entry);
      handler(entry, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1/`, seen };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server!.close(() => resolve()));
  server = undefined;
});

async function failure(promise: Promise<unknown>): Promise<RuntimeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RuntimeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAI-compatible runtime', () => {
  it('posts the chat and answers with the first message', async () => {
    const { baseUrl, seen } = await serve((_, res) =>
      json(res, 200, { choices: [{ message: { role: 'assistant', content: 'the answer' } }] }),
    );
    const runtime = new OpenAIRuntime({
      baseUrl,
      model: 'm-1',
      apiKeyEnv: 'AO_TEST_KEY',
      env: { AO_TEST_KEY: 'k-123' },
    });
    const response = await runtime.complete({ prompt: 'question', system: 'rules', timeoutMs: 10_000 });
    expect(response.text).toBe('the answer');
    expect(runtime.name).toBe('openai:m-1');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.url).toBe('/v1/chat/completions');
    expect(seen[0]!.headers.authorization).toBe('Bearer k-123');
    expect(seen[0]!.body).toEqual({
      model: 'm-1',
      messages: [
        { role: 'system', content: 'rules' },
        { role: 'user', content: 'question' },
      ],
    });
  });

  it('sends no Authorization header without a key', async () => {
    const { baseUrl, seen } = await serve((_, res) => json(res, 200, { choices: [{ message: { content: 'ok' } }] }));
    const runtime = new OpenAIRuntime({ baseUrl, model: 'm', env: {} });
    await runtime.complete({ prompt: 'q', timeoutMs: 10_000 });
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it('joins content given as parts', async () => {
    const { baseUrl } = await serve((_, res) =>
      json(res, 200, {
        choices: [
          {
            message: {
              content: [
                { type: 'text', text: 'a' },
                { type: 'text', text: 'b' },
              ],
            },
          },
        ],
      }),
    );
    const runtime = new OpenAIRuntime({ baseUrl, model: 'm', env: {} });
    expect((await runtime.complete({ prompt: 'q', timeoutMs: 10_000 })).text).toBe('ab');
  });

  it('reports a non-2xx status with the tail of the body', async () => {
    const { baseUrl } = await serve((_, res) => json(res, 429, { error: { message: 'rate limited, slow down' } }));
    const runtime = new OpenAIRuntime({ baseUrl, model: 'm', env: {} });
    const error = await failure(runtime.complete({ prompt: 'q', timeoutMs: 10_000 }));
    expect(error.kind).toBe('http');
    expect(error.message).toContain('429');
    expect(error.message).toContain('rate limited, slow down');
  });

  it('reports a body that is not JSON', async () => {
    const { baseUrl } = await serve((_, res) => res.end('<html>gateway</html>'));
    const runtime = new OpenAIRuntime({ baseUrl, model: 'm', env: {} });
    const error = await failure(runtime.complete({ prompt: 'q', timeoutMs: 10_000 }));
    expect(error.kind).toBe('http');
    expect(error.detail).toContain('gateway');
  });

  it('treats a response without message text as empty', async () => {
    const { baseUrl } = await serve((_, res) => json(res, 200, { choices: [] }));
    const runtime = new OpenAIRuntime({ baseUrl, model: 'm', env: {} });
    expect((await failure(runtime.complete({ prompt: 'q', timeoutMs: 10_000 }))).kind).toBe('empty');
  });

  it('gives up on a server that never answers', async () => {
    const { baseUrl } = await serve(() => {
      // Never respond: the client's timeout has to end the call.
    });
    const runtime = new OpenAIRuntime({ baseUrl, model: 'm', env: {} });
    expect((await failure(runtime.complete({ prompt: 'q', timeoutMs: 200 }))).kind).toBe('timeout');
  });

  it('stops when the caller aborts', async () => {
    const { baseUrl } = await serve(() => {});
    const runtime = new OpenAIRuntime({ baseUrl, model: 'm', env: {} });
    const controller = new AbortController();
    const call = failure(runtime.complete({ prompt: 'q', timeoutMs: 60_000, signal: controller.signal }));
    controller.abort();
    expect((await call).kind).toBe('aborted');
  });

  it('reports a refused connection as an http failure', async () => {
    const { baseUrl } = await serve(() => {});
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const runtime = new OpenAIRuntime({ baseUrl, model: 'm', env: {} });
    expect((await failure(runtime.complete({ prompt: 'q', timeoutMs: 10_000 }))).kind).toBe('http');
  });

  it('returns embeddings in the order of the input', async () => {
    const { baseUrl, seen } = await serve((_, res) =>
      json(res, 200, {
        data: [
          { index: 1, embedding: [0, 1] },
          { index: 0, embedding: [1, 0] },
        ],
      }),
    );
    const runtime = new OpenAIRuntime({ baseUrl, model: 'chat', embeddingModel: 'emb', env: {} });
    expect(await runtime.embeddings(['first', 'second'])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(seen[0]!.url).toBe('/v1/embeddings');
    expect(seen[0]!.body).toEqual({ model: 'emb', input: ['first', 'second'] });
    expect(await runtime.embeddings([])).toEqual([]);
  });

  it('refuses embeddings that do not match the input', async () => {
    const { baseUrl } = await serve((_, res) => json(res, 200, { data: [{ index: 0, embedding: [1, 'x'] }] }));
    const runtime = new OpenAIRuntime({ baseUrl, model: 'm', env: {} });
    expect((await failure(runtime.embeddings(['one']))).kind).toBe('empty');
  });
});
