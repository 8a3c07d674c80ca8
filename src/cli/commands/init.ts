import { defineCommand } from 'citty';

export default defineCommand({
  meta: {
    name: 'init',
    description: "Set up .agents/ in this repository and wire ao into every agent's hooks (idempotent)",
  },
  args: {
    hooks: {
      type: 'boolean',
      description: 'install hooks and managed blocks; --no-hooks sets up .agents/ alone',
      default: true,
    },
    agents: {
      type: 'string',
      description: 'comma-separated agents (default: those detected): claude,codex,gemini,cursor,opencode',
    },
    command: { type: 'string', description: 'how the hooks call ao (default: ao)' },
    'dry-run': { type: 'boolean', description: 'show the changes as a diff and write nothing', default: false },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runInit } = await import('./init-run.js');
    await runInit(args);
  },
});
