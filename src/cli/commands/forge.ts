import { defineCommand } from 'citty';
import { sessionArgs } from '../common.js';

export default defineCommand({
  meta: { name: 'forge', description: 'Extract learnings from sessions not forged yet: extract, redact, gate, store' },
  args: {
    ...sessionArgs,
    session: { type: 'string', description: 'only this session (id or unique prefix)' },
    queued: {
      type: 'boolean',
      description: 'only the finished sessions the hooks queued (then clears the queue)',
      default: false,
    },
    again: {
      type: 'boolean',
      description: 'forge sessions again even if unchanged since the last forge',
      default: false,
    },
    'dry-run': { type: 'boolean', description: 'show the gate decisions without writing anything', default: false },
    runtime: {
      type: 'string',
      description: 'also extract with a model: claude, codex, gemini, openai:<model> or cmd:<command>',
    },
    global: { type: 'boolean', description: 'write to the user store (AO_HOME)', default: false },
  },
  async run({ args }) {
    const { runForge } = await import('./forge-run.js');
    await runForge(args);
  },
});
