import { defineCommand } from 'citty';

const json = { type: 'boolean', description: 'print JSON', default: false } as const;

const add = defineCommand({
  meta: { name: 'add', description: 'Add a learning: the text alone is enough; title, type and tags are inferred' },
  args: {
    text: { type: 'positional', description: 'what was learned (markdown)', required: true },
    title: { type: 'string', description: 'title (default: the first sentence)' },
    type: { type: 'string', description: 'failure, fix, decision, convention, preference, gotcha or pattern' },
    tags: { type: 'string', description: 'comma-separated tags' },
    scope: { type: 'string', description: 'comma-separated path globs it applies to (default: the whole repository)' },
    confidence: { type: 'string', description: 'how sure, 0 to 1 (default 0.7)' },
    supersedes: { type: 'string', description: 'comma-separated ids this learning replaces' },
    expires: { type: 'string', description: 'date after which it is no longer injected (YYYY-MM-DD)' },
    global: { type: 'boolean', description: 'add to the user store (AO_HOME), for all repositories', default: false },
    json,
  },
  async run({ args }) {
    const { runLearnAdd } = await import('./learn-run.js');
    runLearnAdd(args);
  },
});

const list = defineCommand({
  meta: { name: 'list', description: 'List learnings with their maturity, utility and use' },
  args: {
    type: { type: 'string', description: 'only this type' },
    tag: { type: 'string', description: 'only learnings with this tag' },
    maturity: {
      type: 'string',
      description: 'only this maturity (provisional, candidate, established, anti-pattern, retired)',
    },
    store: { type: 'string', description: 'only this store: repo or user' },
    all: { type: 'boolean', description: 'include retired, superseded and expired learnings', default: false },
    limit: { type: 'string', description: 'at most this many' },
    json,
  },
  async run({ args }) {
    const { runLearnList } = await import('./learn-run.js');
    await runLearnList(args);
  },
});

const show = defineCommand({
  meta: { name: 'show', description: 'Show one learning with its source and what the ledger says about it' },
  args: { id: { type: 'positional', description: 'learning id (a unique prefix is enough)', required: true }, json },
  async run({ args }) {
    const { runLearnShow } = await import('./learn-run.js');
    await runLearnShow(args);
  },
});

const edit = defineCommand({
  meta: { name: 'edit', description: 'Edit a learning: fields by option, or the whole file in $EDITOR' },
  args: {
    id: { type: 'positional', description: 'learning id', required: true },
    title: { type: 'string', description: 'new title' },
    text: { type: 'string', description: 'new body' },
    type: { type: 'string', description: 'new type' },
    tags: { type: 'string', description: 'new comma-separated tags' },
    scope: { type: 'string', description: 'new comma-separated scope globs' },
    confidence: { type: 'string', description: 'new confidence, 0 to 1' },
    expires: { type: 'string', description: 'new expiry date, or "never"' },
    json,
  },
  async run({ args }) {
    const { runLearnEdit } = await import('./learn-run.js');
    await runLearnEdit(args);
  },
});

const retire = defineCommand({
  meta: { name: 'retire', description: 'Retire a learning: it stays in git but is no longer injected' },
  args: {
    id: { type: 'positional', description: 'learning id', required: true },
    reason: { type: 'string', description: 'why (recorded in the ledger)', default: 'retired by hand' },
  },
  async run({ args }) {
    const { runLearnRetire } = await import('./learn-run.js');
    await runLearnRetire(args);
  },
});

const restore = defineCommand({
  meta: { name: 'restore', description: 'Bring a retired learning back into injection' },
  args: { id: { type: 'positional', description: 'learning id', required: true } },
  async run({ args }) {
    const { runLearnRestore } = await import('./learn-run.js');
    await runLearnRestore(args);
  },
});

const rate = defineCommand({
  meta: { name: 'rate', description: 'Record that a learning helped or harmed (feeds maturity and utility)' },
  args: {
    id: { type: 'positional', description: 'learning id', required: true },
    helpful: { type: 'boolean', description: 'it helped' },
    harmful: { type: 'boolean', description: 'it misled' },
    note: { type: 'string', description: 'why' },
  },
  async run({ args }) {
    const { runLearnRate } = await import('./learn-run.js');
    await runLearnRate(args);
  },
});

const review = defineCommand({
  meta: { name: 'review', description: 'Candidates the gate held for a person: list, accept or reject them' },
  args: {
    accept: { type: 'string', description: 'comma-separated candidate ids to accept' },
    reject: { type: 'string', description: 'comma-separated candidate ids to reject' },
    json,
  },
  async run({ args }) {
    const { runLearnReview } = await import('./learn-run.js');
    runLearnReview(args);
  },
});

const decay = defineCommand({
  meta: { name: 'decay', description: 'Retire learnings unused for longer than knowledge.retireAfterDays' },
  args: { 'dry-run': { type: 'boolean', description: 'show what would retire', default: false }, json },
  async run({ args }) {
    const { runLearnDecay } = await import('./learn-run.js');
    await runLearnDecay(args);
  },
});

export default defineCommand({
  meta: { name: 'learn', description: 'Learnings kept in .agents/learnings: add, list, show, edit, retire, review' },
  subCommands: { add, list, show, edit, retire, restore, rate, review, decay },
});
