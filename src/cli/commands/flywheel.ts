import { defineCommand } from 'citty';

export default defineCommand({
  meta: {
    name: 'flywheel',
    description: 'Is knowledge compounding? Retrieval, citation and decay rates, and unused learnings',
  },
  args: {
    days: { type: 'string', description: 'window in days (default 30)' },
    'unused-after': { type: 'string', description: 'list learnings injected this often and never cited (default 3)' },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runFlywheel } = await import('./flywheel-run.js');
    await runFlywheel(args);
  },
});
