import { defineCommand } from 'citty';
import { type SessionArgValues, sessionArgs } from '../common.js';

export default defineCommand({
  meta: { name: 'usage', description: 'Token and cost totals by day, session, model, project or agent' },
  args: {
    ...sessionArgs,
    by: {
      type: 'enum',
      options: ['day', 'session', 'model', 'project', 'agent'],
      default: 'day',
      description: 'group rows by',
    },
    tz: { type: 'string', description: 'time zone for days (IANA name; default: config, then this machine)' },
  },
  async run({ args }) {
    const { runUsage } = await import('./usage-run.js');
    await runUsage(args as SessionArgValues & { by: string; tz?: string });
  },
});
