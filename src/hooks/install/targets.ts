import type { Json } from '../../lib/json.js';
import { CLAUDE_EVENTS } from '../agents/claude.js';
import { CODEX_EVENTS } from '../agents/codex.js';
import { CURSOR_EVENTS } from '../agents/cursor.js';
import { GEMINI_EVENTS } from '../agents/gemini.js';
import { HOOK_EVENTS, type AgentName, type HookEventName } from '../types.js';
import { addFlatHooks, addGroupedHooks, removeFlatHooks, removeGroupedHooks, type HookEntry } from './settings.js';

/**
 * Where each agent's hooks go and what ao puts there. The time bounds given to the agents sit
 * above ao's own (2 s for the guard, 25 min for the stop stage, 5 s otherwise), so ao answers
 * before the agent gives up.
 */
export interface SettingsTarget {
  agent: AgentName;
  kind: 'settings';
  /** Relative to the repository root. */
  file: string;
  entries(command: string): HookEntry[];
  add(doc: Json, entries: readonly HookEntry[]): Json;
  remove(doc: Json): Json;
}

export interface PluginTarget {
  agent: 'opencode';
  kind: 'plugin';
  file: string;
}

export type Target = SettingsTarget | PluginTarget;

const TOOL_EVENTS: ReadonlySet<HookEventName> = new Set(['pre-tool', 'post-tool']);

export function hookCommand(prefix: string, event: HookEventName, agent: AgentName): string {
  return `${prefix} hook ${event} --agent ${agent}`;
}

/** The stop hook runs the gates' stop stage (ao bounds it at 25 min); the others answer in seconds. */
function agentTimeoutSeconds(event: HookEventName): number {
  return event === 'pre-tool' ? 5 : event === 'stop' ? 1800 : 10;
}

function groupedEntries(
  agent: AgentName,
  events: Partial<Record<HookEventName, readonly string[]>>,
  extra: (event: HookEventName) => Json,
  matcher: string,
): (command: string) => HookEntry[] {
  return (prefix) =>
    HOOK_EVENTS.flatMap((event) =>
      (events[event] ?? []).map((agentEvent) => ({
        agentEvent,
        command: hookCommand(prefix, event, agent),
        ...(TOOL_EVENTS.has(event) ? { matcher } : {}),
        extra: extra(event),
      })),
    );
}

export const TARGETS: Record<AgentName, Target> = {
  claude: {
    agent: 'claude',
    kind: 'settings',
    file: '.claude/settings.json',
    // Current versions send failed tool calls to PostToolUseFailure, not PostToolUse: both are installed.
    entries: groupedEntries('claude', CLAUDE_EVENTS, (e) => ({ timeout: agentTimeoutSeconds(e) }), '*'),
    add: addGroupedHooks,
    remove: removeGroupedHooks,
  },
  codex: {
    agent: 'codex',
    kind: 'settings',
    file: '.codex/hooks.json',
    entries: groupedEntries('codex', CODEX_EVENTS, (e) => ({ timeout: agentTimeoutSeconds(e) }), '*'),
    add: addGroupedHooks,
    remove: removeGroupedHooks,
  },
  gemini: {
    agent: 'gemini',
    kind: 'settings',
    file: '.gemini/settings.json',
    entries: groupedEntries(
      'gemini',
      GEMINI_EVENTS,
      (e) => ({ name: `agentops-${e}`, timeout: agentTimeoutSeconds(e) * 1000 }),
      '*',
    ),
    add: addGroupedHooks,
    remove: removeGroupedHooks,
  },
  cursor: {
    agent: 'cursor',
    kind: 'settings',
    file: '.cursor/hooks.json',
    entries: (prefix) =>
      HOOK_EVENTS.flatMap((event) =>
        CURSOR_EVENTS[event].map((agentEvent) => ({ agentEvent, command: hookCommand(prefix, event, 'cursor') })),
      ),
    add: addFlatHooks,
    remove: removeFlatHooks,
  },
  opencode: { agent: 'opencode', kind: 'plugin', file: '.opencode/plugins/agentops.js' },
};
