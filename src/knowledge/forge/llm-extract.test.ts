import { describe, expect, it } from 'vitest';
import { ScriptedRuntime } from '../../runtimes/scripted.js';
import { emptyTokens, type SessionDetail, type TimelineEvent } from '../../sessions/types.js';
import { extractWithRuntime } from './llm-extract.js';

// Looks like an Anthropic key; made up for the test.
const SECRET = 'sk-ant-api03-Zq8vW2xK9mN4pL7rT1yU6hJ3gF5dS0aQwErTyUiOp';
const AWS = 'AKIAQ4EXAMPLE7Z2KD9X';

function session(timeline: TimelineEvent[]): SessionDetail {
  return {
    summary: {
      id: 'sess-1',
      agent: 'claude',
      file: '/home/dev/proj/.transcripts/sess-1.jsonl',
      project: '/home/dev/proj',
      gitBranch: 'main',
      title: 'Fix the build',
      startedAt: '2025-01-01T09:59:00.000Z',
      endedAt: '2025-01-01T10:30:00.000Z',
      models: ['claude-sonnet-4-5'],
      tokens: emptyTokens(),
      usage: [],
      peakContextTokens: 0,
      peakContextModel: null,
      contextSamples: [],
      turns: 3,
      userPrompts: 2,
      toolCalls: 2,
      errors: 1,
      compactions: 0,
      parentId: null,
      parentToolUseId: null,
      replyKeys: [],
    },
    timeline,
    filesRead: [],
    filesWritten: [],
    commands: [],
  };
}

const TIMELINE: TimelineEvent[] = [
  {
    kind: 'prompt',
    timestamp: '2025-01-01T10:00:00.000Z',
    line: 3,
    text: `Build is broken. My key is ${SECRET}, use it.`,
  },
  { kind: 'assistant', timestamp: '2025-01-01T10:00:05.000Z', text: 'Running the build.', model: null },
  {
    kind: 'tool',
    timestamp: '2025-01-01T10:00:06.000Z',
    call: {
      id: 't1',
      name: 'Bash',
      input: { command: `ANTHROPIC_API_KEY=${SECRET} npm run build`, env: { AWS_ACCESS_KEY_ID: AWS } },
      result: `Error: Cannot find module 'esbuild'\nkey was ${SECRET}`,
      isError: true,
      timestamp: null,
    },
  },
  { kind: 'prompt', timestamp: '2025-01-01T10:01:00.000Z', text: 'No, use pnpm instead of npm in this repo.' },
  {
    kind: 'tool',
    timestamp: '2025-01-01T10:01:10.000Z',
    call: {
      id: 't2',
      name: 'Bash',
      input: { command: 'pnpm build' },
      result: 'ok',
      isError: false,
      timestamp: null,
    },
  },
];

const GOOD = {
  title: 'Use pnpm, not npm, in this repository',
  type: 'convention',
  body: '**What**\nThe repo uses pnpm.\n\n**Why**\nnpm misses the workspace links.\n\n**How to apply**\nRun `pnpm build`.',
  tags: ['pnpm', 'Build Tools'],
  scope: ['/home/dev/proj/package.json', '../outside/**'],
  evidence: ['No, use pnpm instead of npm in this repo.'],
  confidence: 0.8,
};

function runtimeAnswering(answer: string): ScriptedRuntime {
  return new ScriptedRuntime({ name: 'test', answers: [answer] });
}

describe('extractWithRuntime', () => {
  it('turns a good answer into candidates with the session as source', async () => {
    const runtime = runtimeAnswering(
      JSON.stringify([GOOD, { ...GOOD, title: 'Esbuild must be installed', type: 'gotcha', confidence: 3 }]),
    );
    const { candidates, problems } = await extractWithRuntime(session(TIMELINE), runtime, {});
    expect(problems).toEqual([]);
    expect(candidates).toHaveLength(2);
    const [first, second] = candidates;
    expect(first).toMatchObject({
      title: GOOD.title,
      type: 'convention',
      tags: ['pnpm', 'build-tools'],
      scope: ['package.json'],
      evidence: GOOD.evidence,
      confidence: 0.8,
      extractor: 'llm:test',
      source: {
        agent: 'claude',
        session: 'sess-1',
        transcript: '.transcripts/sess-1.jsonl',
        line: 3,
        time: '2025-01-01T10:00:00.000Z',
      },
    });
    expect(first!.body).toContain('**How to apply**');
    expect(second!.confidence).toBe(1);
  });

  it('reads a fenced answer after some prose', async () => {
    const answer = `Here is what I found:\n\n\`\`\`json\n${JSON.stringify([GOOD], null, 2)}\n\`\`\`\nHope it helps [1].`;
    const { candidates, problems } = await extractWithRuntime(session(TIMELINE), runtimeAnswering(answer));
    expect(problems).toEqual([]);
    expect(candidates.map((c) => c.title)).toEqual([GOOD.title]);
  });

  it('gives a problem, not a throw, for garbage', async () => {
    const runtime = new ScriptedRuntime({ answers: [{ garbage: true }] });
    const { candidates, problems } = await extractWithRuntime(session(TIMELINE), runtime);
    expect(candidates).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/no JSON array/);
  });

  it('keeps the valid items of a partly valid answer and says what was wrong with the rest', async () => {
    const items = [
      GOOD,
      { ...GOOD, title: 'No body', body: undefined },
      { ...GOOD, title: 'Bad tags', tags: 'pnpm' },
      { ...GOOD, title: 'Bad type', type: 'insight' },
      { ...GOOD, title: 'Bad confidence', confidence: 'high' },
      'just a string',
      { ...GOOD, title: 'Negative confidence', type: 'Gotcha', confidence: -2 },
      { ...GOOD, title: `  ${'Long '.repeat(100)}` },
    ];
    const { candidates, problems } = await extractWithRuntime(
      session(TIMELINE),
      runtimeAnswering(JSON.stringify(items)),
    );
    expect(candidates.map((c) => c.title.slice(0, 20))).toEqual([
      GOOD.title.slice(0, 20),
      'Negative confidence',
      'Long Long Long Long ',
    ]);
    expect(candidates[1]).toMatchObject({ type: 'gotcha', confidence: 0 });
    expect(candidates[2]!.title.length).toBeLessThanOrEqual(120);
    expect(problems).toEqual([
      'item 2: "body" is missing or not a string',
      'item 3: "tags" is missing or not a list of strings',
      expect.stringMatching(/^item 4: "type" "insight" is not one of/),
      'item 5: "confidence" is missing or not a number',
      'item 6: not an object',
    ]);
  });

  it('redacts secrets in the answer', async () => {
    const leaky = { ...GOOD, body: `Set the key ${SECRET} first.`, evidence: [`export KEY=${SECRET}`] };
    const { candidates } = await extractWithRuntime(session(TIMELINE), runtimeAnswering(JSON.stringify([leaky])));
    expect(JSON.stringify(candidates)).not.toContain(SECRET);
    expect(candidates[0]!.body).toContain('[REDACTED:');
  });

  it('gives a problem, not a throw, when the runtime times out or fails', async () => {
    const runtime = new ScriptedRuntime({
      name: 'slow',
      answers: [{ timeout: true }, { fail: 'exit', message: 'exit 3' }],
    });
    const timedOut = await extractWithRuntime(session(TIMELINE), runtime, { timeoutMs: 5 });
    expect(timedOut.candidates).toEqual([]);
    expect(timedOut.problems[0]).toBe('slow gave no answer: (timeout) no answer within 5 ms');
    const failed = await extractWithRuntime(session(TIMELINE), runtime);
    expect(failed.problems[0]).toContain('exit 3');
  });

  it('sends a redacted prompt: no planted secret reaches the runtime', async () => {
    const runtime = runtimeAnswering('[]');
    const result = await extractWithRuntime(session(TIMELINE), runtime);
    expect(result).toEqual({ candidates: [], problems: [] });
    const [request] = runtime.requests;
    const sent = `${request!.system ?? ''}\n${request!.prompt}`;
    expect(sent).not.toContain(SECRET);
    expect(sent).not.toContain(SECRET.slice(0, 24));
    expect(sent).not.toContain(AWS);
    expect(sent).toContain('[REDACTED:');
    expect(sent).toContain("Cannot find module 'esbuild'");
    expect(sent).toContain('No, use pnpm instead of npm');
    expect(sent).not.toContain('/home/dev/proj/');
  });

  it('bounds the prompt and keeps failures and corrections from a long session', async () => {
    const filler = (i: number): TimelineEvent[] => [
      {
        kind: 'assistant',
        timestamp: null,
        text: `Step ${i}: ${'reading files and thinking '.repeat(40)}`,
        model: null,
      },
      {
        kind: 'tool',
        timestamp: null,
        call: {
          id: `r${i}`,
          name: 'Read',
          input: { file_path: `/home/dev/proj/src/f${i}.ts` },
          result: 'x',
          isError: false,
          timestamp: null,
        },
      },
    ];
    const timeline: TimelineEvent[] = [
      { kind: 'prompt', timestamp: null, text: 'Refactor the loader.' },
      ...Array.from({ length: 300 }, (_, i) => filler(i)).flat(),
      { kind: 'error', timestamp: null, text: `TypeError: loader is not a function (token ${SECRET})` },
      ...Array.from({ length: 300 }, (_, i) => filler(300 + i)).flat(),
      { kind: 'prompt', timestamp: null, text: "Don't use default exports here." },
      ...Array.from({ length: 300 }, (_, i) => filler(600 + i)).flat(),
    ];
    const runtime = runtimeAnswering('[]');
    await extractWithRuntime(session(timeline), runtime, { maxPromptChars: 8000 });
    const request = runtime.requests[0]!;
    expect(request.prompt.length + (request.system ?? '').length).toBeLessThanOrEqual(8000);
    expect(request.prompt).toContain('Refactor the loader.');
    expect(request.prompt).toContain('TypeError: loader is not a function');
    expect(request.prompt).toContain("Don't use default exports here.");
    expect(request.prompt).toMatch(/… \d+ events omitted …/);
    expect(request.prompt).not.toContain(SECRET);
  });

  it('does not call the runtime for an empty session or a bound too small to be useful', async () => {
    const runtime = runtimeAnswering('[]');
    expect((await extractWithRuntime(session([]), runtime)).problems).toHaveLength(1);
    expect((await extractWithRuntime(session(TIMELINE), runtime, { maxPromptChars: 100 })).problems).toHaveLength(1);
    expect(runtime.requests).toHaveLength(0);
  });
});
