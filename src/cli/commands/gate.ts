import { defineCommand } from 'citty';

const run = defineCommand({
  meta: {
    name: 'run',
    description:
      "Run a stage's checks (.agents/gates.yaml), compare their figures with the ratchet, record the verdict",
  },
  args: {
    stage: {
      type: 'string',
      description: 'the stage: pre-commit, stop, ci or any name gates.yaml gives',
      required: true,
    },
    via: { type: 'string', description: 'where it runs, for the record: cli, pre-commit, ci (default cli)' },
    'fail-fast': { type: 'boolean', description: 'start no more checks after one fails', default: false },
    ratchet: { type: 'boolean', description: 'compare figures with the ratchet (--no-ratchet to skip)', default: true },
    json: { type: 'boolean', description: 'print JSON: verdict, checks, regressions', default: false },
  },
  async run({ args }) {
    const { runGateCommand } = await import('./gate-run.js');
    await runGateCommand(args);
  },
});

const list = defineCommand({
  meta: { name: 'list', description: 'Show the stages and checks of .agents/gates.yaml, and any problem in it' },
  args: { json: { type: 'boolean', description: 'print JSON', default: false } },
  async run({ args }) {
    const { listGates } = await import('./gate-run.js');
    listGates(args);
  },
});

const install = defineCommand({
  meta: { name: 'install', description: 'Add the git pre-commit hook that runs the pre-commit stage' },
  args: {
    command: { type: 'string', description: 'how the hook calls ao (default: what `ao init` used, else ao)' },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { installGateHook } = await import('./gate-run.js');
    installGateHook(args);
  },
});

const uninstall = defineCommand({
  meta: {
    name: 'uninstall',
    description: "Remove ao's pre-commit hook (a hook of your own it had chained comes back)",
  },
  args: { json: { type: 'boolean', description: 'print JSON', default: false } },
  async run({ args }) {
    const { uninstallGateHook } = await import('./gate-run.js');
    uninstallGateHook(args);
  },
});

const ci = defineCommand({
  meta: { name: 'ci', description: 'Print (or --write) a CI job that runs the ci stage: GitHub Actions or GitLab CI' },
  args: {
    provider: { type: 'string', description: 'github or gitlab (default github)', default: 'github' },
    write: {
      type: 'boolean',
      description: 'write the file (.github/workflows/ao-gates.yml or .gitlab-ci.yml) if it does not exist',
      default: false,
    },
  },
  async run({ args }) {
    const { printCiJob } = await import('./gate-run.js');
    printCiJob(args);
  },
});

export default defineCommand({
  meta: {
    name: 'gate',
    description: "The validation pipeline: one set of checks for pre-commit, the agents' stop hook and CI",
  },
  subCommands: { run, list, install, uninstall, ci },
});
