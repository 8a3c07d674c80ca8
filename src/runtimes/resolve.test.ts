import { describe, expect, it } from 'vitest';
import { UserError } from '../lib/errors.js';
import { OpenAIRuntime } from './openai.js';
import { resolveRuntime, splitCommandLine } from './resolve.js';

describe('resolveRuntime', () => {
  it('knows the agent CLIs', () => {
    expect(resolveRuntime('claude').name).toBe('claude');
    expect(resolveRuntime('codex').name).toBe('codex');
    expect(resolveRuntime(' gemini ').name).toBe('gemini');
  });

  it('builds an OpenAI-compatible runtime with the base URL from config, then the environment', () => {
    const fromEnv = resolveRuntime('openai:gpt-x', { env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(fromEnv).toBeInstanceOf(OpenAIRuntime);
    expect(fromEnv.name).toBe('openai:gpt-x');
    const fromConfig = resolveRuntime('openai:local', {
      openai: { baseUrl: 'http://127.0.0.1:8/v1', apiKeyEnv: 'MY_KEY' },
    });
    expect(fromConfig.name).toBe('openai:local');
  });

  it('runs a command line as a runtime', async () => {
    const runtime = resolveRuntime(`cmd:'${process.execPath}' -e "process.stdin.pipe(process.stdout)"`);
    expect(runtime.name).toBe(`cmd:${process.execPath}`);
    expect((await runtime.complete({ prompt: 'ping', timeoutMs: 20_000 })).text).toBe('ping');
  });

  it('refuses unknown and incomplete specs with the list of known ones', () => {
    expect(() => resolveRuntime('gpt')).toThrow(UserError);
    expect(() => resolveRuntime('gpt')).toThrow(/claude, codex, gemini, openai:<model>, cmd:<command line>/);
    expect(() => resolveRuntime('openai:')).toThrow(UserError);
    expect(() => resolveRuntime('cmd:   ')).toThrow(UserError);
    expect(() => resolveRuntime('cmd:echo "open')).toThrow(UserError);
  });
});

describe('splitCommandLine', () => {
  it('splits on whitespace and honours quotes and escapes', () => {
    expect(splitCommandLine('  llm  -m  small ')).toEqual(['llm', '-m', 'small']);
    expect(splitCommandLine(`a 'b c' "d \\"e\\" \\\\f" g\\ h ''`)).toEqual(['a', 'b c', 'd "e" \\f', 'g h', '']);
    expect(splitCommandLine(`'$HOME' "x;y"`)).toEqual(['$HOME', 'x;y']);
    expect(splitCommandLine('pre"fix"post')).toEqual(['prefixpost']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitCommandLine("it's")).toThrow(UserError);
  });
});
