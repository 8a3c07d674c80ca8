import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentRuntime } from './agents.js';

let dir: string;
let fake: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ao-agents-'));
  // Stands in for the agent CLI: prints its arguments, then what it read on stdin.
  fake = join(dir, 'fake-agent');
  writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf "arg:%s\\n" "$a"; done\nprintf "stdin:"\ncat\n');
  chmodSync(fake, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(agent: 'claude' | 'codex' | 'gemini', model?: string): Promise<string> {
  const runtime = createAgentRuntime(agent, { command: fake, model });
  expect(runtime.name).toBe(agent);
  return (await runtime.complete({ prompt: 'the prompt', system: 'the rules', timeoutMs: 20_000 })).text;
}

describe.skipIf(process.platform === 'win32')('agent CLI runtimes', () => {
  it('runs claude in print mode with the prompt on stdin', async () => {
    expect(await run('claude', 'sonnet')).toBe(
      'arg:-p\narg:--output-format\narg:text\narg:--model\narg:sonnet\nstdin:the rules\n\nthe prompt',
    );
  });

  it('runs codex exec reading the prompt from stdin', async () => {
    expect(await run('codex')).toBe('arg:exec\narg:--skip-git-repo-check\narg:-\nstdin:the rules\n\nthe prompt');
  });

  it('runs gemini headless with the prompt on stdin', async () => {
    expect(await run('gemini', 'flash')).toBe(
      'arg:--model\narg:flash\narg:-p\narg:Answer the request above.\nstdin:the rules\n\nthe prompt',
    );
  });
});
