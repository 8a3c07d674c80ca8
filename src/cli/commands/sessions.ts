import { defineCommand } from 'citty';
import { type SessionArgValues, sessionArgs } from '../common.js';

const list = defineCommand({
  meta: { name: 'list', description: 'List sessions with their tokens, cost and peak context use' },
  args: {
    ...sessionArgs,
    limit: { type: 'string', description: 'show at most this many (newest first)' },
  },
  async run({ args }) {
    const { runSessionsList } = await import('./sessions-list.js');
    await runSessionsList(args as SessionArgValues & { limit?: string });
  },
});

const show = defineCommand({
  meta: {
    name: 'show',
    description: 'Show one session as a timeline: prompts, tool calls, errors, compactions, subagents',
  },
  args: {
    id: { type: 'positional', description: 'session id (a unique prefix is enough)', required: true },
    ...sessionArgs,
    full: { type: 'boolean', description: 'show assistant text and tool results in full', default: false },
    events: { type: 'string', description: 'show only the first N timeline events' },
  },
  async run({ args }) {
    const { runSessionsShow } = await import('./sessions-show.js');
    await runSessionsShow(args as SessionArgValues & { id: string; full?: boolean; events?: string });
  },
});

export default defineCommand({
  meta: { name: 'sessions', description: 'Coding-agent sessions found on this machine' },
  subCommands: { list, show },
});
