/**
 * The OpenCode plugin `ao init` writes to `.opencode/plugins/agentops.js`. OpenCode has no hook
 * protocol of its own, so the plugin runs `ao hook <event> --agent opencode` with the plugin
 * hook's own input and output objects on stdin (agents/opencode.ts reads them) and applies the
 * answer: a refusal throws (OpenCode's way to block a tool; `ask` is refused too, with the reason,
 * since a plugin cannot ask), context is appended to the prompt or to the tool's output (the
 * session start's waits for the first prompt: OpenCode has no other way in), and on idle it
 * becomes the next prompt. If ao cannot be run at all, the plugin stays out of the way.
 */
export const PLUGIN_MARK = 'AgentOps plugin for OpenCode';

export function opencodePlugin(prefix: string): string {
  return `// ${PLUGIN_MARK}: written by \`ao init\`, removed by \`ao hooks uninstall\`.
// Each hook runs \`ao hook <event> --agent opencode\` with the hook's input and output on stdin.
import { spawnSync } from 'node:child_process';

const COMMAND = ${JSON.stringify(prefix)};

function ao(event, hook, sessionID, ctx, input, output) {
  const payload = JSON.stringify({ hook, session_id: sessionID ?? null, directory: ctx.directory, worktree: ctx.worktree, input, output });
  const run = spawnSync(\`\${COMMAND} hook \${event} --agent opencode\`, {
    input: payload,
    shell: true,
    encoding: 'utf8',
    cwd: ctx.directory,
    timeout: event === 'pre-tool' ? 5000 : 10000,
  });
  try {
    const answer = JSON.parse(run.stdout || '{}');
    return answer && typeof answer === 'object' ? answer : {};
  } catch {
    return {};
  }
}

// Context from session start, held for the session's first prompt.
const pending = new Map();

export const AgentOps = async (ctx) => ({
  event: async ({ event }) => {
    const id = event.properties?.info?.id ?? event.properties?.sessionID;
    if (event.type === 'session.created') {
      const answer = ao('session-start', event.type, id, ctx, event.properties ?? {}, {});
      if (answer.context && id) pending.set(id, answer.context);
    }
    else if (event.type === 'session.deleted') ao('session-end', event.type, id, ctx, event.properties ?? {}, {});
    else if (event.type === 'session.idle') {
      const answer = ao('stop', event.type, id, ctx, event.properties ?? {}, {});
      if (answer.context && id) {
        await ctx.client.session.prompt({ path: { id }, body: { parts: [{ type: 'text', text: answer.context }] } });
      }
    }
  },
  'chat.message': async (input, output) => {
    const answer = ao('user-prompt', 'chat.message', input.sessionID, ctx, input, { parts: output.parts });
    const context = [pending.get(input.sessionID), answer.context].filter(Boolean).join('\\n\\n');
    pending.delete(input.sessionID);
    const part = output.parts.find((p) => p.type === 'text');
    if (context && part) part.text = \`\${part.text}\\n\\n\${context}\`;
  },
  'tool.execute.before': async (input, output) => {
    const answer = ao('pre-tool', 'tool.execute.before', input.sessionID, ctx, input, output);
    if (answer.decision === 'deny' || answer.decision === 'ask') throw new Error(answer.reason ?? 'refused by the ao guard');
  },
  'tool.execute.after': async (input, output) => {
    const answer = ao('post-tool', 'tool.execute.after', input.sessionID, ctx, input, output);
    if (answer.context && typeof output.output === 'string') output.output = \`\${output.output}\\n\\n\${answer.context}\`;
  },
});
`;
}
