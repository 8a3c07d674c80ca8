import { defineCommand } from 'citty';

const check = defineCommand({
  meta: { name: 'check', description: 'Fail when a figure of the latest verdict moved backward (exit 1)' },
  args: {
    stage: { type: 'string', description: 'the latest verdict of this stage (default: the latest of any)' },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { ratchetCheck } = await import('./ratchet-run.js');
    ratchetCheck(args);
  },
});

const allow = defineCommand({
  meta: {
    name: 'allow',
    description: 'Let one figure move backward once, with a reason that is recorded with your name',
  },
  args: {
    figure: {
      type: 'positional',
      description: 'the figure, <check>.<figure> (e.g. test.tests_passed)',
      required: true,
    },
    reason: { type: 'string', description: 'why it may go back (recorded in the ledger)', required: true },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { ratchetAllow } = await import('./ratchet-run.js');
    ratchetAllow(args);
  },
});

const history = defineCommand({
  meta: {
    name: 'history',
    description: 'The series of each figure: values per commit, locks, allowed reversals, blocked regressions',
  },
  args: {
    figure: { type: 'positional', description: 'only this figure', required: false },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { ratchetHistory } = await import('./ratchet-run.js');
    ratchetHistory(args);
  },
});

export default defineCommand({
  meta: {
    name: 'ratchet',
    description: 'Progress that cannot silently regress: figures checks measure, locked per commit',
  },
  subCommands: { check, allow, history },
});
