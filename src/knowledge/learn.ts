import { UserError } from '../lib/errors.js';
import { appendEvents, nowIso } from './ledger.js';
import { redact } from './redact.js';
import { buildLearning, findLearning, saveLearning, type NewLearning, type StoreDir } from './store.js';
import type { Learning, StoredLearning } from './types.js';

/**
 * Operations on one store that a person (or forge) performs: add, retire, restore, rate. Each
 * writes the learning file atomically and records an event in the store's ledger.
 */

/** Adds a learning (redacted first), recording who added it. Adding the same content twice is a no-op. */
export function addLearning(
  agents: string,
  input: NewLearning,
  via: string,
): { learning: Learning; file: string; created: boolean } {
  const clean: NewLearning = {
    ...input,
    text: redact(input.text).text,
    title: input.title === undefined ? undefined : redact(input.title).text,
  };
  const learning = buildLearning(clean);
  const saved = saveLearning(agents, learning);
  if (saved.created) appendEvents(agents, [{ kind: 'add', ts: nowIso(), id: learning.id, via }]);
  return { learning, ...saved };
}

/** Finds a learning by id or prefix among `learnings`; a clear error otherwise. */
export function requireLearning<T extends Learning>(learnings: readonly T[], query: string): T {
  const found = findLearning(learnings, query);
  if (typeof found === 'string') throw new UserError(found);
  if (!found) throw new UserError(`no learning "${query}": \`ao learn list\` shows the ids`);
  return found;
}

/** The `.agents/` folder a stored learning belongs to. */
export function agentsOf(learning: Pick<StoredLearning, 'file'>, stores: readonly StoreDir[]): string {
  const store = stores.find((s) => learning.file.startsWith(s.agents));
  if (!store) throw new UserError(`${learning.file} is outside the known stores`);
  return store.agents;
}

export function retireLearning(agents: string, id: string, reason: string, by: string): void {
  appendEvents(agents, [{ kind: 'retire', ts: nowIso(), id, reason, by }]);
}

export function restoreLearning(agents: string, id: string, by: string): void {
  appendEvents(agents, [{ kind: 'restore', ts: nowIso(), id, by }]);
}

export function rateLearning(agents: string, id: string, helpful: boolean, by: string, note?: string): void {
  appendEvents(agents, [{ kind: 'feedback', ts: nowIso(), id, helpful, by, ...(note ? { note } : {}) }]);
}

/** Who is acting, for the ledger: the git user when known, else the OS user. */
export function actor(env: NodeJS.ProcessEnv = process.env): string {
  return env.AO_ACTOR || env.GIT_AUTHOR_NAME || env.USER || env.USERNAME || 'unknown';
}
