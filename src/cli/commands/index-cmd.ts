import { defineCommand } from 'citty';

const rebuild = defineCommand({
  meta: { name: 'rebuild', description: 'Delete the knowledge index and build it again from the files and the ledger' },
  args: { json: { type: 'boolean', description: 'print JSON', default: false } },
  async run({ args }) {
    const { runIndexRebuild } = await import('./index-run.js');
    await runIndexRebuild(args);
  },
});

const status = defineCommand({
  meta: { name: 'status', description: 'Where the index is, what it holds, and which files it skipped' },
  args: { json: { type: 'boolean', description: 'print JSON', default: false } },
  async run({ args }) {
    const { runIndexStatus } = await import('./index-run.js');
    await runIndexStatus(args);
  },
});

export default defineCommand({
  meta: { name: 'index', description: 'The SQLite index of learnings (derived; never the source of truth)' },
  subCommands: { rebuild, status },
});
