import { defineCommand } from 'citty';

const check = defineCommand({
  meta: {
    name: 'check',
    description: 'Judge one tool call against the policy: allow, ask or deny, and the rule that decided',
  },
  args: {
    tool: {
      type: 'string',
      description: 'the tool name as the agent calls it (Bash, Write, run_shell_command, …)',
      required: true,
    },
    input: { type: 'string', description: 'the tool input as JSON, e.g. \'{"command":"rm -rf /"}\'', required: true },
    cwd: { type: 'string', description: 'where the call runs (default: the current folder)' },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runGuardCheck } = await import('./guard-run.js');
    runGuardCheck(args);
  },
});

export default defineCommand({
  meta: { name: 'guard', description: 'The least-privilege policy checked on every tool call (.agents/policy.yaml)' },
  subCommands: { check },
});
