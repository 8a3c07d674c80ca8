import { defineCommand } from 'citty';

const status = defineCommand({
  meta: { name: 'status', description: "Which agents have ao's hooks, in which file, and what is missing" },
  args: { json: { type: 'boolean', description: 'print JSON', default: false } },
  async run({ args }) {
    const { runHooksStatus } = await import('./hooks-run.js');
    runHooksStatus(args);
  },
});

const uninstall = defineCommand({
  meta: {
    name: 'uninstall',
    description: "Remove exactly what `ao init` added to the agents' files (hooks, managed blocks, plugin)",
  },
  args: {
    'dry-run': { type: 'boolean', description: 'show the changes as a diff and write nothing', default: false },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runHooksUninstall } = await import('./hooks-run.js');
    runHooksUninstall(args);
  },
});

export default defineCommand({
  meta: {
    name: 'hooks',
    description: "ao's hooks in the agents' settings: status and uninstall (install with `ao init`)",
  },
  subCommands: { status, uninstall },
});
