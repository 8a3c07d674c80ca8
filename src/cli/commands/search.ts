import { defineCommand } from 'citty';

export default defineCommand({
  meta: {
    name: 'search',
    description: 'Search learnings (BM25 over title, body and tags; scope, decay, utility, maturity)',
  },
  args: {
    query: { type: 'positional', description: 'what to look for', required: true },
    paths: { type: 'string', description: 'comma-separated files in play (learnings scoped to them rank higher)' },
    limit: { type: 'string', description: 'at most this many (default 10)' },
    all: { type: 'boolean', description: 'include retired, superseded and expired learnings', default: false },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runSearch } = await import('./search-run.js');
    await runSearch(args);
  },
});
