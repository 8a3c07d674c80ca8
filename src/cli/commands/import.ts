import { defineCommand } from 'citty';

const common = {
  global: { type: 'boolean', description: 'import into the user store (AO_HOME)', default: false },
  'dry-run': { type: 'boolean', description: 'show what would be imported', default: false },
  json: { type: 'boolean', description: 'print JSON', default: false },
} as const;

const learningsMd = defineCommand({
  meta: {
    name: 'learnings-md',
    description: 'Import a plain learnings.md: one learning per section, list item or block',
  },
  args: { file: { type: 'positional', description: 'the markdown file', required: true }, ...common },
  async run({ args }) {
    const { runImportMarkdown } = await import('./import-run.js');
    runImportMarkdown(args);
  },
});

const agentops = defineCommand({
  meta: { name: 'agentops', description: 'Import a Go AgentOps store (.agents/learnings and .agents/patterns)' },
  args: {
    dir: {
      type: 'positional',
      description: 'the repository, its .agents folder, or a learnings folder',
      required: true,
    },
    ...common,
  },
  async run({ args }) {
    const { runImportAgentOps } = await import('./import-run.js');
    await runImportAgentOps(args);
  },
});

export default defineCommand({
  meta: { name: 'import', description: 'Import learnings from other stores' },
  subCommands: { 'learnings-md': learningsMd, agentops },
});
