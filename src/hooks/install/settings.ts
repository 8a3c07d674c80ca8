import { isRecord, type Json } from '../../lib/json.js';

/**
 * Editing the agents' JSON settings: add ao's hook entries beside the user's, or take exactly
 * ao's out. An entry is ao's when its command calls `hook <event> --agent <agent>`, whatever
 * the prefix (`ao`, `npx ao`, a path), so a changed prefix replaces the old entry.
 */
const OURS =
  /(?:^|\s)hook (?:session-start|user-prompt|pre-tool|post-tool|stop|session-end) --agent (?:claude|codex|gemini|cursor|opencode)\b/;

export function isOurs(command: unknown): boolean {
  return typeof command === 'string' && OURS.test(command);
}

/** One handler ao adds: under the agent's event name, with a command and the agent's own extras. */
export interface HookEntry {
  agentEvent: string;
  command: string;
  /** Claude-like shapes: the tool-name matcher (tool events only). */
  matcher?: string;
  /** Fields of the handler besides the command (type, timeout, name). */
  extra?: Json;
}

export class SettingsError extends Error {}

/** Parses a settings file; empty or missing is an empty object; anything but an object is an error. */
export function parseSettings(text: string | null, file: string): Json {
  if (text === null || text.trim() === '') return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`${file} is not valid JSON (${(error as Error).message}); it was left as it is`);
  }
  if (!isRecord(doc)) throw new SettingsError(`${file} does not hold a JSON object; it was left as it is`);
  return doc;
}

/** Serialises with the file's own indentation (two spaces when new) and a final newline. */
export function formatSettings(doc: Json, original: string | null): string {
  const indent = /\n([ \t]+)"/.exec(original ?? '')?.[1] ?? '  ';
  return `${JSON.stringify(doc, null, indent)}\n`;
}

function hooksOf(doc: Json): Json {
  return isRecord(doc.hooks) ? doc.hooks : {};
}

/**
 * Claude Code, Codex and Gemini: `hooks: {Event: [{matcher?, hooks: [{type, command, …}]}]}`.
 * ao's entries go in groups of their own, after the user's.
 */
export function addGroupedHooks(doc: Json, entries: readonly HookEntry[]): Json {
  const next = removeGroupedHooks(doc);
  const hooks = { ...hooksOf(next) };
  for (const entry of entries) {
    const list = Array.isArray(hooks[entry.agentEvent]) ? [...(hooks[entry.agentEvent] as unknown[])] : [];
    list.push({
      ...(entry.matcher !== undefined ? { matcher: entry.matcher } : {}),
      hooks: [{ type: 'command', command: entry.command, ...entry.extra }],
    });
    hooks[entry.agentEvent] = list;
  }
  return { ...next, hooks };
}

export function removeGroupedHooks(doc: Json): Json {
  if (!isRecord(doc.hooks)) return doc;
  const hooks: Json = {};
  for (const [event, groups] of Object.entries(doc.hooks)) {
    if (!Array.isArray(groups)) {
      hooks[event] = groups;
      continue;
    }
    const kept: unknown[] = [];
    for (const group of groups) {
      if (!isRecord(group) || !Array.isArray(group.hooks)) {
        kept.push(group);
        continue;
      }
      const handlers = group.hooks.filter((h) => !(isRecord(h) && isOurs(h.command)));
      if (handlers.length === group.hooks.length) kept.push(group);
      else if (handlers.length > 0) kept.push({ ...group, hooks: handlers });
    }
    if (kept.length > 0) hooks[event] = kept;
  }
  return withHooks(doc, hooks);
}

/** Cursor: `{version: 1, hooks: {event: [{command, …}]}}`. */
export function addFlatHooks(doc: Json, entries: readonly HookEntry[]): Json {
  const next = removeFlatHooks(doc);
  const hooks = { ...hooksOf(next) };
  for (const entry of entries) {
    const list = Array.isArray(hooks[entry.agentEvent]) ? [...(hooks[entry.agentEvent] as unknown[])] : [];
    list.push({ command: entry.command, ...entry.extra });
    hooks[entry.agentEvent] = list;
  }
  return { version: 1, ...next, hooks };
}

export function removeFlatHooks(doc: Json): Json {
  if (!isRecord(doc.hooks)) return doc;
  const hooks: Json = {};
  for (const [event, list] of Object.entries(doc.hooks)) {
    if (!Array.isArray(list)) {
      hooks[event] = list;
      continue;
    }
    const kept = list.filter((h) => !(isRecord(h) && isOurs(h.command)));
    if (kept.length > 0) hooks[event] = kept;
  }
  return withHooks(doc, hooks);
}

function withHooks(doc: Json, hooks: Json): Json {
  const { hooks: _old, ...rest } = doc;
  return Object.keys(hooks).length > 0 ? { ...rest, hooks } : rest;
}

/** ao's entries found in a settings document, as `agentEvent → commands`. */
export function installedEntries(doc: Json): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [event, list] of Object.entries(hooksOf(doc))) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (!isRecord(item)) continue;
      const handlers = Array.isArray(item.hooks) ? item.hooks : [item];
      for (const h of handlers) if (isRecord(h) && isOurs(h.command)) (found[event] ??= []).push(h.command as string);
    }
  }
  return found;
}
