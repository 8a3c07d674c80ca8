import { defineCommand } from 'citty';

const sync = defineCommand({
  meta: {
    name: 'sync',
    description:
      'Regenerate the managed blocks in AGENTS.md, CLAUDE.md, GEMINI.md and the Cursor rule from the learnings',
  },
  args: {
    'dry-run': { type: 'boolean', description: 'show the changes as a diff and write nothing', default: false },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runContextSync } = await import('./context-run.js');
    await runContextSync(args);
  },
});

export default defineCommand({
  meta: { name: 'context', description: "The always-on context in the agents' instruction files" },
  subCommands: { sync },
});
