import { describe, expect, it } from 'vitest';
import { RuntimeError } from './runtime.js';
import { GARBAGE_ANSWER, ScriptedRuntime } from './scripted.js';

async function failure(promise: Promise<unknown>): Promise<RuntimeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RuntimeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('scripted runtime', () => {
  it('answers from a list in order and records the requests', async () => {
    const runtime = new ScriptedRuntime({ answers: ['one', { text: 'two' }] });
    expect((await runtime.complete({ prompt: 'a', system: 's', timeoutMs: 1000 })).text).toBe('one');
    expect((await runtime.complete({ prompt: 'b', timeoutMs: 1000 })).text).toBe('two');
    expect(runtime.prompts).toEqual(['a', 'b']);
    expect(runtime.requests[0]!.system).toBe('s');
    const error = await failure(runtime.complete({ prompt: 'c', timeoutMs: 1000 }));
    expect(error.kind).toBe('empty');
    expect(runtime.prompts).toEqual(['a', 'b', 'c']);
  });

  it('answers from a function of the prompt', async () => {
    const runtime = new ScriptedRuntime({ name: 'echo', answers: (prompt) => prompt.toUpperCase() });
    expect((await runtime.complete({ prompt: 'hi', timeoutMs: 1000 })).text).toBe('HI');
    expect(runtime.name).toBe('echo');
  });

  it('simulates timeout, failure and garbage', async () => {
    const runtime = new ScriptedRuntime({
      answers: [{ timeout: true }, { fail: 'exit', message: 'exit 3' }, { garbage: true }],
    });
    expect((await failure(runtime.complete({ prompt: 'a', timeoutMs: 1000 }))).kind).toBe('timeout');
    const exit = await failure(runtime.complete({ prompt: 'b', timeoutMs: 1000 }));
    expect(exit.kind).toBe('exit');
    expect(exit.message).toContain('exit 3');
    expect((await runtime.complete({ prompt: 'c', timeoutMs: 1000 })).text).toBe(GARBAGE_ANSWER);
  });

  it('delays an answer, within the request timeout', async () => {
    const runtime = new ScriptedRuntime({
      answers: [
        { text: 'slow', delayMs: 20 },
        { text: 'too slow', delayMs: 60_000 },
      ],
    });
    expect((await runtime.complete({ prompt: 'a', timeoutMs: 10_000 })).text).toBe('slow');
    expect((await failure(runtime.complete({ prompt: 'b', timeoutMs: 50 }))).kind).toBe('timeout');
  });

  it('stops a delayed answer when the caller aborts', async () => {
    const runtime = new ScriptedRuntime({ answers: [{ text: 'never', delayMs: 60_000 }] });
    const controller = new AbortController();
    const call = failure(runtime.complete({ prompt: 'a', timeoutMs: 60_000, signal: controller.signal }));
    controller.abort();
    expect((await call).kind).toBe('aborted');
  });
});
