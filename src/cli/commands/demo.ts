import { defineCommand } from 'citty';

export default defineCommand({
  meta: { name: 'demo', description: 'Show what ao does, on the sample transcripts bundled with it' },
  args: {
    json: { type: 'boolean', description: 'print the usage report as JSON', default: false },
  },
  async run({ args }) {
    const { runDemo } = await import('./demo-run.js');
    await runDemo({ json: args.json });
  },
});
