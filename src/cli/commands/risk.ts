import { defineCommand } from 'citty';

export default defineCommand({
  meta: {
    name: 'risk',
    description:
      "Score a change (size, files, sensitive paths, tests, ratchet) and say whether it may merge on gates alone or needs a person's sign-off",
  },
  args: {
    range: {
      type: 'positional',
      description: 'a..b, a...b (from the merge base) or one commit (default: since the merge base with main)',
      required: false,
    },
    staged: { type: 'boolean', description: 'score the staged changes (git diff --cached)', default: false },
    worktree: {
      type: 'boolean',
      description: 'score uncommitted work: tracked changes and new files against HEAD',
      default: false,
    },
    strict: { type: 'boolean', description: 'exit 1 when a sign-off is needed (for CI)', default: false },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runRisk } = await import('./risk-run.js');
    runRisk(args);
  },
});
