import { defineCommand } from 'citty';

/**
 * `ao hook <event> --agent <name>`: what the agents' hook settings call. bin/ao.js runs it from
 * its bundle (cli/hook-main.ts), straight to hook-run.ts without citty (faster, and a usage error
 * must never exit 2, which some agents read as "block"); this definition gives `ao hook --help`.
 */
export default defineCommand({
  meta: {
    name: 'hook',
    description:
      "Answer an agent's hook: reads its payload on stdin, prints the answer in its shape (set up by `ao init`)",
  },
  args: {
    event: {
      type: 'positional',
      description: 'session-start, user-prompt, pre-tool, post-tool, stop or session-end',
      required: true,
    },
    agent: { type: 'string', description: 'claude, codex, gemini, cursor or opencode', required: true },
    timeout: { type: 'string', description: 'time bound in ms (default 5000; 2000 for pre-tool)' },
    'guard-fail-open': {
      type: 'boolean',
      description: 'allow a tool call the guard could not judge (default: refuse it)',
      default: false,
    },
  },
  async run({ rawArgs }) {
    const { hookMain } = await import('./hook-run.js');
    const { ExitError } = await import('../../lib/errors.js');
    const code = await hookMain(rawArgs);
    if (code !== 0) throw new ExitError(code);
  },
});
