import { type BuilderState, SessionBuilder } from './builder.js';
import type { SessionSummary } from './types.js';

/** FNV-1a: a 32-bit hash of a reply key, so the cache can keep keys compactly. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function hashKeys(keys: readonly string[]): Uint32Array {
  const out = new Uint32Array(keys.length);
  keys.forEach((k, i) => (out[i] = hashKey(k)));
  return out;
}

export interface DedupeInput {
  session: SessionSummary;
  hashes: Uint32Array;
}

/**
 * The same Claude reply can sit in two files (a resumed session copies its history; a sidechain
 * replays its parent's messages). Each reply is counted once: in a main session rather than a
 * subagent, then in the earliest session. Hashes find candidates cheaply; the real keys, from
 * the parser state, decide, so a hash collision never drops a reply. Callers check
 * `anyRepeated` first, which is all that most runs need.
 */
export function dedupeAcrossFiles(
  inputs: DedupeInput[],
  stateOf: (path: string) => BuilderState | undefined,
): SessionSummary[] {
  const sessions = inputs.map((x) => x.session);
  const order = inputs
    .map((_, i) => i)
    .filter((i) => inputs[i]?.session.agent === 'claude')
    .sort((a, b) => rank(inputs[a]?.session) - rank(inputs[b]?.session) || a - b);
  const owner = new Map<number, number>();
  const clashing = new Set<number>();
  const involved = new Set<number>();
  for (const i of order) {
    for (const h of inputs[i]?.hashes ?? []) {
      const first = owner.get(h);
      if (first === undefined) owner.set(h, i);
      else if (first !== i) {
        clashing.add(h);
        involved.add(first).add(i);
      }
    }
  }
  if (clashing.size === 0) return sessions;

  const keyOwner = new Map<string, number>();
  const losers = new Map<number, Set<string>>();
  const states = new Map<number, BuilderState>();
  for (const i of order) {
    if (!involved.has(i)) continue;
    const session = sessions[i];
    const state = session ? stateOf(session.file) : undefined;
    if (!session || !state) continue;
    states.set(i, state);
    for (const key of Object.keys(state.replies)) {
      if (!clashing.has(hashKey(key))) continue;
      const first = keyOwner.get(key);
      if (first === undefined) keyOwner.set(key, i);
      else if (first !== i) {
        let set = losers.get(i);
        if (!set) losers.set(i, (set = new Set()));
        set.add(key);
      }
    }
  }
  return sessions.map((session, i) => {
    const exclude = losers.get(i);
    const state = states.get(i);
    if (!exclude || !state) return session;
    return new SessionBuilder({ id: session.id, agent: session.agent, file: session.file }, false, state).toSummary(
      exclude,
    );
  });
}

/** Whether any hash occurs twice across the Claude sessions: one sort, no maps, in the common case. */
export function anyRepeated(inputs: DedupeInput[]): boolean {
  let total = 0;
  for (const x of inputs) if (x.session.agent === 'claude') total += x.hashes.length;
  const all = new Uint32Array(total);
  let at = 0;
  for (const x of inputs) {
    if (x.session.agent !== 'claude') continue;
    all.set(x.hashes, at);
    at += x.hashes.length;
  }
  all.sort();
  for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) return true;
  return false;
}

function rank(session: SessionSummary | undefined): number {
  if (!session) return Infinity;
  const start = session.startedAt ? Date.parse(session.startedAt) : Number.MAX_SAFE_INTEGER / 2;
  return (session.parentId ? Number.MAX_SAFE_INTEGER / 2 : 0) + start;
}
