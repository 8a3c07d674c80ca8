import { defineCommand } from 'citty';

const retrieval = defineCommand({
  meta: { name: 'retrieval', description: 'Recall@k, MRR and nDCG of search over a labeled set of prompts' },
  args: {
    set: { type: 'string', description: 'the labeled set (YAML or JSON)', required: true },
    here: {
      type: 'boolean',
      description: "evaluate this workspace's store instead of building the set's own",
      default: false,
    },
    k: { type: 'string', description: 'cut-off (default: the set\u2019s k, else 5)' },
    'min-recall': { type: 'string', description: 'exit 1 when recall@k is below this (for CI)' },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runEvalRetrieval } = await import('./eval-run.js');
    await runEvalRetrieval(args);
  },
});

export default defineCommand({
  meta: { name: 'eval', description: 'Evaluate what ao does: retrieval quality on a labeled set' },
  subCommands: { retrieval },
});
