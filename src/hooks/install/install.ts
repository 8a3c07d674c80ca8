import { join } from 'node:path';
import type { Json } from '../../lib/json.js';
import { sha256Hex } from '../../lib/sha256.js';
import { readText, type Change, type Manifest } from '../../lib/tracked.js';
import { BLOCK_FILES, CURSOR_RULE_HEADER } from '../../context/sync.js';
import { removeBlock } from '../../context/managed-block.js';
import { AGENTS, type AgentName } from '../types.js';
import { opencodePlugin, PLUGIN_MARK } from './opencode-plugin.js';
import { formatSettings, installedEntries, parseSettings, SettingsError } from './settings.js';
import { TARGETS, type SettingsTarget } from './targets.js';

/**
 * Planning, not doing: install and uninstall compute the changes (before and after text of each
 * file), which the command shows as a diff (`--dry-run`) or applies and records (lib/tracked.ts).
 */
export interface Plan {
  changes: Change[];
  /** Files left alone, and why (a settings file that is not JSON, a plugin that is not ao's). */
  problems: string[];
}

export function planInstall(root: string, agents: readonly AgentName[], prefix: string): Plan {
  const changes: Change[] = [];
  const problems: string[] = [];
  for (const agent of agents) {
    const target = TARGETS[agent];
    const before = readText(join(root, target.file));
    if (target.kind === 'plugin') {
      if (before !== null && !before.includes(PLUGIN_MARK)) {
        problems.push(`${target.file} exists and is not ao's plugin; it was left as it is`);
        continue;
      }
      const after = opencodePlugin(prefix);
      if (after !== before) changes.push({ path: target.file, before, after });
      continue;
    }
    try {
      const doc = parseSettings(before, target.file);
      const next = target.add(doc, target.entries(prefix));
      if (before === null || JSON.stringify(next) !== JSON.stringify(doc)) {
        changes.push({ path: target.file, before, after: formatSettings(next, before) });
      }
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      problems.push(error.message);
    }
  }
  return { changes, problems };
}

/** Every file ao may have changed: the manifest's, every agent's settings, the managed blocks. */
function candidateFiles(manifest: Manifest | null): string[] {
  const files = new Set<string>(Object.keys(manifest?.files ?? {}));
  for (const agent of AGENTS) files.add(TARGETS[agent].file);
  for (const path of Object.values(BLOCK_FILES)) files.add(path);
  return [...files].sort();
}

function settingsTargetOf(path: string): SettingsTarget | null {
  const target = AGENTS.map((a) => TARGETS[a]).find((t) => t.file === path);
  return target && target.kind === 'settings' ? target : null;
}

/**
 * Takes out exactly what ao added. A file unchanged since ao wrote it gets its original text
 * back, byte for byte (or is deleted if ao created it); a file edited since loses only ao's
 * entries, block or plugin, and the rest of the edit stays.
 */
export function planUninstall(root: string, manifest: Manifest | null): Plan {
  const changes: Change[] = [];
  const problems: string[] = [];
  for (const path of candidateFiles(manifest)) {
    const current = readText(join(root, path));
    if (current === null) continue;
    const entry = manifest?.files[path];
    let after: string | null;
    if (entry && sha256Hex(current) === entry.after) after = entry.before;
    else {
      try {
        after = stripOurs(path, current, entry ? entry.before === null : false);
      } catch (error) {
        if (!(error instanceof SettingsError)) throw error;
        problems.push(error.message);
        continue;
      }
    }
    if (after !== current) changes.push({ path, before: current, after });
  }
  return { changes, problems };
}

function stripOurs(path: string, current: string, created: boolean): string | null {
  const target = settingsTargetOf(path);
  if (target) {
    const doc = parseSettings(current, path);
    const next = target.remove(doc);
    if (JSON.stringify(next) === JSON.stringify(doc)) return current;
    if (created && isEmptySettings(next)) return null;
    return formatSettings(next, current);
  }
  if (path === TARGETS.opencode.file) return current.includes(PLUGIN_MARK) ? null : current;
  const rest = removeBlock(current);
  if (rest === null) return null;
  if (created && path === BLOCK_FILES.cursor && rest.trim() === CURSOR_RULE_HEADER.trim()) return null;
  return rest;
}

function isEmptySettings(doc: Json): boolean {
  return Object.keys(doc).every((k) => k === 'version');
}

export interface AgentStatus {
  agent: AgentName;
  file: string;
  /** ao's hook entries present, by the agent's event name. */
  events: Record<string, string[]>;
  /** Agent events ao installs that are missing from the file. */
  missing: string[];
  /** The file changed since ao last wrote it (someone edited it, or another ao version did). */
  editedSince: boolean;
  problem?: string;
}

export function hooksStatus(root: string, manifest: Manifest | null): AgentStatus[] {
  return AGENTS.map((agent) => {
    const target = TARGETS[agent];
    const text = readText(join(root, target.file));
    const entry = manifest?.files[target.file];
    const editedSince = text !== null && entry !== undefined && sha256Hex(text) !== entry.after;
    if (target.kind === 'plugin') {
      const ours = text !== null && text.includes(PLUGIN_MARK);
      return {
        agent,
        file: target.file,
        events: ours ? { plugin: [target.file] } : {},
        missing: ours ? [] : ['plugin'],
        editedSince,
      };
    }
    const expected = [...new Set(target.entries(manifest?.command ?? 'ao').map((e) => e.agentEvent))];
    try {
      const events = installedEntries(parseSettings(text, target.file));
      return { agent, file: target.file, events, missing: expected.filter((e) => !events[e]), editedSince };
    } catch (error) {
      return {
        agent,
        file: target.file,
        events: {},
        missing: expected,
        editedSince,
        problem: (error as Error).message,
      };
    }
  });
}
