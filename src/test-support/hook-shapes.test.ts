import { describe, expect, it } from 'vitest';
import {
  AO_HOOK_EVENTS,
  HOOK_AGENTS,
  agentEventsFor,
  aoEventOf,
  checkAnswer,
  contextOf,
  decisionOf,
  inputFieldsOf,
  listHookPayloads,
  valueAt,
  type HookAgent,
  type HookAnswer,
  type HookDecision,
} from './hook-shapes.js';

const say = (stdout: string, exitCode = 0, stderr = ''): HookAnswer => ({ stdout, stderr, exitCode });
const json = (value: unknown): HookAnswer => say(JSON.stringify(value) + '\n');
const block = (stderr: string): HookAnswer => say('', 2, stderr);
const silent = say('');

type Valid = [HookAgent, string, HookAnswer, HookDecision, string | null];

const VALID: Valid[] = [
  // Claude Code
  ['claude', 'SessionStart', silent, 'none', null],
  [
    'claude',
    'SessionStart',
    json({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'L1: use pnpm' } }),
    'none',
    'L1: use pnpm',
  ],
  ['claude', 'SessionStart', say('L1: use pnpm\n'), 'none', 'L1: use pnpm'],
  ['claude', 'UserPromptSubmit', silent, 'allow', null],
  [
    'claude',
    'UserPromptSubmit',
    json({ hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'see L7' } }),
    'allow',
    'see L7',
  ],
  ['claude', 'UserPromptSubmit', json({ decision: 'block', reason: 'prompt holds a secret' }), 'deny', null],
  ['claude', 'PreToolUse', silent, 'allow', null],
  ['claude', 'PreToolUse', json({}), 'allow', null],
  [
    'claude',
    'PreToolUse',
    json({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: 'rm -rf / is blocked by .agents/policy.yaml',
      },
    }),
    'deny',
    null,
  ],
  [
    'claude',
    'PreToolUse',
    json({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask', permissionDecisionReason: 'push?' },
    }),
    'ask',
    null,
  ],
  [
    'claude',
    'PreToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } }),
    'allow',
    null,
  ],
  ['claude', 'PreToolUse', block('blocked: rm -rf /'), 'deny', null],
  [
    'claude',
    'PostToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'tsc fails: see L3' } }),
    'allow',
    'tsc fails: see L3',
  ],
  [
    'claude',
    'PostToolUseFailure',
    json({ hookSpecificOutput: { hookEventName: 'PostToolUseFailure', additionalContext: 'known flake' } }),
    'allow',
    'known flake',
  ],
  ['claude', 'Stop', silent, 'allow', null],
  ['claude', 'Stop', json({ decision: 'block', reason: 'tests are red' }), 'deny', null],
  ['claude', 'Stop', block('run the gate first'), 'deny', null],
  ['claude', 'SessionEnd', silent, 'none', null],
  // Codex CLI
  ['codex', 'SessionStart', silent, 'none', null],
  [
    'codex',
    'SessionStart',
    json({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'L1', env: { AO: '1' } } }),
    'none',
    'L1',
  ],
  ['codex', 'SessionStart', say('L1 as plain text'), 'none', 'L1 as plain text'],
  [
    'codex',
    'UserPromptSubmit',
    json({ hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'L2' } }),
    'allow',
    'L2',
  ],
  ['codex', 'UserPromptSubmit', json({ decision: 'block', reason: 'secret in prompt' }), 'deny', null],
  ['codex', 'PreToolUse', silent, 'allow', null],
  [
    'codex',
    'PreToolUse',
    json({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no' },
    }),
    'deny',
    null,
  ],
  ['codex', 'PreToolUse', json({ decision: 'block', reason: 'legacy block' }), 'deny', null],
  [
    'codex',
    'PreToolUse',
    json({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', updatedInput: { command: 'ls' } },
    }),
    'allow',
    null,
  ],
  ['codex', 'PreToolUse', block('blocked by policy'), 'deny', null],
  [
    'codex',
    'PostToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'L4' } }),
    'allow',
    'L4',
  ],
  ['codex', 'Stop', silent, 'allow', null],
  ['codex', 'Stop', json({ decision: 'block', reason: 'gate failed' }), 'deny', null],
  ['codex', 'Stop', json({ systemMessage: 'gate skipped' }), 'allow', null],
  // Gemini CLI
  ['gemini', 'SessionStart', silent, 'none', null],
  [
    'gemini',
    'SessionStart',
    json({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'L1' } }),
    'none',
    'L1',
  ],
  [
    'gemini',
    'BeforeAgent',
    json({ hookSpecificOutput: { hookEventName: 'BeforeAgent', additionalContext: 'L2' } }),
    'allow',
    'L2',
  ],
  ['gemini', 'BeforeTool', silent, 'allow', null],
  ['gemini', 'BeforeTool', json({ decision: 'allow' }), 'allow', null],
  ['gemini', 'BeforeTool', json({ decision: 'deny', reason: 'blocked by policy' }), 'deny', null],
  ['gemini', 'BeforeTool', json({ decision: 'block', reason: 'blocked by policy' }), 'deny', null],
  ['gemini', 'BeforeTool', json({ decision: 'ask', systemMessage: 'force push?' }), 'ask', null],
  ['gemini', 'BeforeTool', block('blocked by policy'), 'deny', null],
  [
    'gemini',
    'AfterTool',
    json({ hookSpecificOutput: { hookEventName: 'AfterTool', additionalContext: 'L5' } }),
    'allow',
    'L5',
  ],
  ['gemini', 'AfterAgent', json({ decision: 'deny', reason: 'tests are red' }), 'deny', null],
  ['gemini', 'SessionEnd', json({ systemMessage: 'ao: 2 learnings queued' }), 'none', null],
  // Cursor
  ['cursor', 'sessionStart', json({ additional_context: 'L1' }), 'none', 'L1'],
  ['cursor', 'sessionStart', json({}), 'none', null],
  ['cursor', 'beforeSubmitPrompt', json({ additional_context: 'L2' }), 'allow', 'L2'],
  ['cursor', 'beforeSubmitPrompt', json({ continue: false, user_message: 'secret in prompt' }), 'deny', null],
  ['cursor', 'preToolUse', json({}), 'allow', null],
  ['cursor', 'preToolUse', json({ permission: 'deny', agent_message: 'blocked by policy' }), 'deny', null],
  ['cursor', 'beforeShellExecution', json({ permission: 'ask', user_message: 'run this?' }), 'ask', null],
  ['cursor', 'beforeShellExecution', block('blocked by policy'), 'deny', null],
  ['cursor', 'beforeMCPExecution', json({ permission: 'allow' }), 'allow', null],
  ['cursor', 'beforeReadFile', json({ permission: 'deny', user_message: 'private key' }), 'deny', null],
  ['cursor', 'postToolUse', json({ additional_context: 'L3' }), 'allow', 'L3'],
  ['cursor', 'afterShellExecution', json({}), 'allow', null],
  ['cursor', 'afterFileEdit', silent, 'allow', null],
  ['cursor', 'stop', json({}), 'allow', null],
  ['cursor', 'stop', json({ followup_message: 'the gate failed: fix the tests' }), 'deny', null],
  ['cursor', 'sessionEnd', json({}), 'none', null],
  // OpenCode (ao's own plugin protocol)
  ['opencode', 'session.created', json({ context: 'L1' }), 'none', 'L1'],
  ['opencode', 'chat.message', silent, 'allow', null],
  ['opencode', 'tool.execute.before', json({ decision: 'deny', reason: 'blocked' }), 'deny', null],
  ['opencode', 'tool.execute.before', json({ decision: 'ask' }), 'ask', null],
  ['opencode', 'tool.execute.after', json({ decision: 'allow', context: 'L3' }), 'allow', 'L3'],
  ['opencode', 'session.idle', json({}), 'allow', null],
  ['opencode', 'session.deleted', silent, 'none', null],
];

type Invalid = [HookAgent, string, HookAnswer, string];

const INVALID: Invalid[] = [
  // frame rules, every command-hook agent
  ['claude', 'PreToolUse', say('', 1, 'crash'), 'only 0 or 2'],
  ['claude', 'PreToolUse', block(''), 'reason on stderr'],
  ['claude', 'SessionStart', block('nope'), 'no blocking effect'],
  ['claude', 'PreToolUse', say('allowed'), 'plain text'],
  ['claude', 'PreToolUse', say('{"hookSpecificOutput":'), 'broken JSON'],
  ['claude', 'PreToolUse', say('[1,2]'), 'not an object'],
  ['claude', 'SessionEnd', block('bye'), 'no blocking effect'],
  // Claude fields
  ['claude', 'SessionStart', json({ additionalContext: 'top level' }), 'belongs in hookSpecificOutput'],
  [
    'claude',
    'SessionStart',
    json({ hookSpecificOutput: { hookEventName: 'PreToolUse', additionalContext: 'x' } }),
    'hookEventName must be "SessionStart"',
  ],
  ['claude', 'SessionStart', json({ hookSpecificOutput: { additionalContext: 'x' } }), 'hookEventName must be'],
  [
    'claude',
    'SessionStart',
    json({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 42 } }),
    '"additionalContext" must be a string',
  ],
  ['claude', 'SessionStart', json({ decision: 'block', reason: 'x' }), '"decision" is not accepted'],
  [
    'claude',
    'PreToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'block' } }),
    'not allow, deny, ask or defer',
  ],
  [
    'claude',
    'PreToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny' } }),
    'needs a non-empty permissionDecisionReason',
  ],
  ['claude', 'PreToolUse', json({ decision: 'block', reason: 'x' }), 'deprecated'],
  ['claude', 'Stop', json({ decision: 'block' }), 'needs a non-empty reason'],
  ['claude', 'Stop', json({ decision: 'deny', reason: 'x' }), 'is not one of'],
  [
    'claude',
    'Stop',
    json({ hookSpecificOutput: { hookEventName: 'Stop', additionalContext: 'x' } }),
    '"hookSpecificOutput" is not accepted',
  ],
  // Codex, strict per its schemas and output parser
  ['codex', 'SessionStart', json({ continue: true }), 'must carry hookSpecificOutput'],
  ['codex', 'SessionStart', json({ additionalContext: 'x' }), '"additionalContext" is not accepted'],
  ['codex', 'SessionStart', say('{"status":"ready"'), 'broken JSON'],
  ['codex', 'SessionStart', block('x'), 'no blocking effect'],
  [
    'codex',
    'SessionStart',
    json({ hookSpecificOutput: { hookEventName: 'SessionStart', env: { N: 1 } } }),
    'env values must be strings',
  ],
  [
    'codex',
    'PreToolUse',
    json({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask', permissionDecisionReason: 'x' },
    }),
    'rejects permissionDecision "ask"',
  ],
  [
    'codex',
    'PreToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } }),
    'without updatedInput',
  ],
  [
    'codex',
    'PreToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny' } }),
    'non-empty permissionDecisionReason',
  ],
  [
    'codex',
    'PreToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecisionReason: 'x' } }),
    'without permissionDecision',
  ],
  ['codex', 'PreToolUse', json({ decision: 'approve' }), 'decision "approve"'],
  ['codex', 'PreToolUse', json({ reason: 'x' }), 'reason without a decision'],
  ['codex', 'PreToolUse', json({ continue: false, stopReason: 'halt' }), 'continue:false'],
  ['codex', 'PreToolUse', json({ suppressOutput: true }), 'rejects suppressOutput'],
  ['codex', 'PreToolUse', block('   '), 'reason on stderr'],
  [
    'codex',
    'PostToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PostToolUse', updatedMCPToolOutput: {} } }),
    '"updatedMCPToolOutput" is not accepted',
  ],
  ['codex', 'PostToolUse', json({ reason: 'x' }), 'reason without a decision'],
  ['codex', 'Stop', say('done'), 'plain text'],
  ['codex', 'Stop', json({ decision: 'block', reason: '  ' }), 'needs a non-empty reason'],
  ['codex', 'Stop', json({ hookSpecificOutput: { hookEventName: 'Stop' } }), '"hookSpecificOutput" is not accepted'],
  ['codex', 'SessionEnd', silent, 'not a codex event'],
  // Gemini
  ['gemini', 'BeforeTool', say('ok'), 'plain text'],
  ['gemini', 'BeforeTool', json({ decision: 'deny' }), 'needs a non-empty reason'],
  ['gemini', 'BeforeAgent', json({ decision: 'ask' }), 'is not one of'],
  ['gemini', 'BeforeTool', json({ permissionDecision: 'deny' }), '"permissionDecision" is not accepted'],
  ['gemini', 'SessionStart', json({ decision: 'deny', reason: 'x' }), '"decision" is not accepted'],
  ['gemini', 'SessionStart', say('context as text'), 'plain text'],
  ['gemini', 'SessionEnd', block('x'), 'no blocking effect'],
  [
    'gemini',
    'AfterTool',
    json({ hookSpecificOutput: { hookEventName: 'BeforeTool', additionalContext: 'x' } }),
    'must be "AfterTool"',
  ],
  // Cursor
  ['cursor', 'preToolUse', json({ permission: 'block' }), 'is not one of'],
  ['cursor', 'preToolUse', json({ permission: 'deny' }), 'agent_message or user_message'],
  ['cursor', 'beforeReadFile', json({ permission: 'ask' }), 'is not one of'],
  ['cursor', 'beforeShellExecution', json({ permission: 'allow', additional_context: 'x' }), 'not accepted'],
  ['cursor', 'beforeShellExecution', say('allow'), 'plain text'],
  [
    'cursor',
    'preToolUse',
    json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny' } }),
    '"hookSpecificOutput" is not accepted',
  ],
  ['cursor', 'sessionStart', json({ additional_context: 'x'.repeat(10_001) }), 'dropped by Cursor'],
  ['cursor', 'sessionStart', json({ env: { N: 1 } }), 'env values must be strings'],
  ['cursor', 'sessionStart', block('x'), 'no blocking effect'],
  ['cursor', 'stop', json({ additional_context: 'x' }), 'not accepted'],
  ['cursor', 'afterFileEdit', json({ permission: 'allow' }), 'not accepted'],
  // OpenCode
  ['opencode', 'tool.execute.before', json({ decision: 'block' }), 'not allow, ask or deny'],
  ['opencode', 'tool.execute.before', say('', 2, 'x'), 'expects 0'],
  ['opencode', 'chat.message', json({ additionalContext: 'x' }), 'not accepted'],
  ['opencode', 'chat.message', say('hello'), 'plain text'],
  ['opencode', 'session.compacted', silent, 'not a opencode event'],
];

describe('checkAnswer, decisionOf, contextOf on hand-written valid answers', () => {
  it.each(VALID)('%s %s %j', (agent, event, answer, decision, context) => {
    expect(checkAnswer(agent, event, answer)).toEqual([]);
    expect(decisionOf(agent, event, answer)).toBe(decision);
    expect(contextOf(agent, event, answer)).toBe(context);
  });
});

describe('checkAnswer on hand-written invalid answers', () => {
  it.each(INVALID)('%s %s %j', (agent, event, answer, problem) => {
    const problems = checkAnswer(agent, event, answer);
    expect(problems.join('\n')).toContain(problem);
  });
});

describe('decisionOf and contextOf on edge cases', () => {
  it('reads a Codex answer it would reject as a failed hook, so the call goes ahead', () => {
    const ask = json({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask', permissionDecisionReason: 'x' },
    });
    expect(decisionOf('codex', 'PreToolUse', ask)).toBe('allow');
    expect(decisionOf('codex', 'PreToolUse', block(''))).toBe('allow');
  });

  it('gives no context on exit 2 or for plain text where the agent does not take it', () => {
    expect(contextOf('claude', 'PreToolUse', say('plain'))).toBeNull();
    expect(contextOf('claude', 'UserPromptSubmit', block('x'))).toBeNull();
    expect(contextOf('cursor', 'preToolUse', json({ additional_context: 'x' }))).toBeNull();
    expect(contextOf('claude', 'SessionStart', json({ hookSpecificOutput: { additionalContext: '  ' } }))).toBeNull();
  });

  it('says none for events that only observe, whatever the answer', () => {
    expect(decisionOf('claude', 'SessionEnd', block('x'))).toBe('none');
    expect(decisionOf('gemini', 'SessionStart', json({ decision: 'deny', reason: 'x' }))).toBe('none');
    expect(decisionOf('opencode', 'session.deleted', json({ decision: 'deny' }))).toBe('none');
  });
});

describe('event mapping', () => {
  it('maps every ao event to at least one agent event, except session-end on Codex', () => {
    for (const agent of HOOK_AGENTS) {
      for (const event of AO_HOOK_EVENTS) {
        const names = agentEventsFor(agent, event);
        if (agent === 'codex' && event === 'session-end') expect(names).toEqual([]);
        else expect(names.length, `${agent} ${event}`).toBeGreaterThan(0);
        for (const name of names) expect(aoEventOf(agent, name)).toBe(event);
      }
    }
    expect(agentEventsFor('cursor', 'pre-tool').sort()).toEqual([
      'beforeMCPExecution',
      'beforeReadFile',
      'beforeShellExecution',
      'preToolUse',
    ]);
    expect(agentEventsFor('gemini', 'stop')).toEqual(['AfterAgent']);
  });
});

describe('recorded payloads', () => {
  const fixtures = listHookPayloads();

  it('are plenty, for every agent', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
    for (const agent of HOOK_AGENTS) expect(fixtures.filter((f) => f.agent === agent).length).toBeGreaterThan(5);
  });

  it.each(fixtures.map((f) => [`${f.agent}/${f.name}`, f] as const))('%s is well formed', (_, f) => {
    expect(aoEventOf(f.agent, f.agentEvent)).toBe(f.event);
    for (const field of inputFieldsOf(f.agent, f.agentEvent)) {
      expect(valueAt(f.payload, field), field).not.toBeUndefined();
    }
    const eventName = f.agent === 'opencode' ? f.payload.hook : f.payload.hook_event_name;
    expect(eventName).toBe(f.agentEvent);
    const sessionEvent = f.event === 'session-start' || f.event === 'session-end';
    expect(f.expect === 'none').toBe(sessionEvent);
    // Tests rewrite /repo and /home/dev to temp dirs: no other absolute roots may appear.
    const text = JSON.stringify(f.payload);
    for (const [, path] of text.matchAll(/"(\/[^"]*)"/g)) expect(path).toMatch(/^\/(repo|home\/dev)(\/|$)/);
    const cwd = f.agent === 'cursor' ? valueAt(f.payload, 'workspace_roots.0') : (f.payload.cwd ?? f.payload.directory);
    expect(cwd).toBe('/repo');
  });

  it('cover every mapped agent event that ao answers', () => {
    for (const agent of HOOK_AGENTS) {
      for (const event of AO_HOOK_EVENTS) {
        const have = new Set(fixtures.filter((f) => f.agent === agent && f.event === event).map((f) => f.agentEvent));
        const want = agentEventsFor(agent, event).filter(
          (name) => !['postToolUseFailure', 'afterMCPExecution'].includes(name),
        );
        expect([...have].sort(), `${agent} ${event}`).toEqual(want.sort());
      }
    }
  });

  it('hold a benign and a dangerous pre-tool call for every agent, and a looping stop', () => {
    for (const agent of HOOK_AGENTS) {
      const pre = fixtures.filter((f) => f.agent === agent && f.event === 'pre-tool');
      expect(pre.some((f) => f.expect === 'allow')).toBe(true);
      expect(pre.some((f) => f.expect === 'deny')).toBe(true);
    }
    for (const agent of ['claude', 'codex', 'gemini'] as const) {
      const stops = fixtures.filter((f) => f.agent === agent && f.event === 'stop');
      expect(stops.some((f) => f.payload.stop_hook_active === true)).toBe(true);
    }
  });

  it('name the tools each brief asked for', () => {
    const tools = (agent: HookAgent) =>
      new Set(fixtures.filter((f) => f.agent === agent && f.event === 'pre-tool').map((f) => f.payload.tool_name));
    expect([...tools('claude')]).toEqual(expect.arrayContaining(['Bash', 'Read', 'Write', 'mcp__github__get_issue']));
    expect([...tools('codex')]).toEqual(expect.arrayContaining(['Bash', 'apply_patch']));
    for (const f of fixtures.filter((x) => x.agent === 'codex' && x.event === 'pre-tool')) {
      if (f.payload.tool_name === 'Bash' || f.payload.tool_name === 'apply_patch') {
        expect(Object.keys(f.payload.tool_input as object)).toEqual(['command']);
      }
    }
    expect(fixtures.some((f) => f.agent === 'claude' && f.agentEvent === 'PostToolUseFailure')).toBe(true);
  });
});
