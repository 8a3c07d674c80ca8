import { defineCommand } from 'citty';

export default defineCommand({
  meta: { name: 'inject', description: 'A context packet of the learnings that fit a prompt, within a token budget' },
  args: {
    prompt: { type: 'string', description: 'the task or prompt the packet is for', required: true },
    paths: { type: 'string', description: 'comma-separated files in play' },
    budget: { type: 'string', description: 'token budget (default 1500, or knowledge.injectBudget)' },
    session: { type: 'string', description: 'the agent session the packet goes to (recorded in the ledger)' },
    record: {
      type: 'boolean',
      description: 'record the injection in the ledger; --no-record to preview',
      default: true,
    },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runInject } = await import('./inject-run.js');
    await runInject(args);
  },
});
