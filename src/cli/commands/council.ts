import { defineCommand } from 'citty';

export default defineCommand({
  meta: {
    name: 'council',
    description:
      'Several models review the same frozen evidence from different perspectives; verdict PASS, WARN or FAIL',
  },
  args: {
    preset: {
      type: 'string',
      description: 'the review: pre-mortem (a plan), vibe (a change), post-mortem (finished work)',
      required: true,
    },
    target: {
      type: 'string',
      description: 'a plan file, a commit range (a..b, a...b, a commit) or paths (comma-separated files and folders)',
      required: true,
    },
    judges: {
      type: 'string',
      description: 'runtimes, comma-separated: claude, codex, gemini, openai:<model>, cmd:<command line>',
      required: true,
    },
    perspectives: {
      type: 'string',
      description: "perspective names to deal round-robin instead of the preset's (comma-separated)",
    },
    timeout: { type: 'string', description: 'seconds each judge has to answer (default 300)' },
    'max-evidence': { type: 'string', description: 'bound on the evidence packet in characters (default 60000)' },
    json: { type: 'boolean', description: 'print JSON', default: false },
  },
  async run({ args }) {
    const { runCouncilCommand } = await import('./council-run.js');
    await runCouncilCommand(args);
  },
});
