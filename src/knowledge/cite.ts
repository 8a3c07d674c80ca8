import type { SessionDetail } from '../sessions/types.js';
import { ID_PATTERN } from './id.js';
import type { CiteEvent, InjectEvent } from './ledger.js';
import { redact } from './redact.js';
import type { Learning } from './types.js';

/**
 * Citations: which learnings a session used. Explicit: the agent wrote a learning's id. Implicit:
 * a learning injected into the session whose distinctive terms (code, identifiers, paths, flags)
 * reappear in the agent's own commands or edits after the injection, and not in what the user
 * asked. Only the learning used gets the credit, never every learning of the packet.
 */
export interface CitationInput {
  detail: SessionDetail;
  /** The learnings known to the store, by id. */
  learnings: ReadonlyMap<string, Pick<Learning, 'id' | 'title' | 'body'>>;
  /** Injections recorded in the ledger. */
  injections: readonly InjectEvent[];
  /** (id, session) pairs already cited: a session credits a learning once. */
  alreadyCited: ReadonlySet<string>;
  now: string;
}

/** Terms that must reappear for implicit use: at least this many, and this share of them. */
const MIN_TERMS = 2;
const MIN_SHARE = 0.4;
/** An injection counts for a session that starts within this margin after it (hooks without ids). */
const WINDOW_MS = 10 * 60_000;

export function findCitations(input: CitationInput): CiteEvent[] {
  const { detail, learnings } = input;
  const session = detail.summary.id;
  const out: CiteEvent[] = [];
  const credit = (id: string, how: CiteEvent['how'], evidence: string): void => {
    const key = `${id}\u0000${session}`;
    if (input.alreadyCited.has(key) || out.some((c) => c.id === id)) return;
    out.push({ kind: 'cite', ts: input.now, id, session, how, evidence: redact(evidence.slice(0, 300)).text });
  };
  // Explicit ids in what the agent wrote (text, commands, edits): never in what the user or a hook said.
  for (const { text } of agentOutputs(detail)) {
    for (const m of text.matchAll(ID_PATTERN)) {
      if (learnings.has(m[0])) credit(m[0], 'explicit', snippet(text, m.index, m[0].length));
    }
  }
  const injected = injectedInto(detail, input.injections);
  if (injected.size === 0) return out;
  const userText = detail.timeline
    .filter((e) => e.kind === 'prompt')
    .map((e) => e.text.toLowerCase())
    .join('\n');
  const actions = agentOutputs(detail).filter((o) => o.action);
  for (const [id, since] of injected) {
    const learning = learnings.get(id);
    if (!learning || out.some((c) => c.id === id)) continue;
    const terms = distinctiveTerms(`${learning.title}\n${learning.body}`).filter((t) => !userText.includes(t));
    if (terms.length < MIN_TERMS) continue;
    const after = actions.filter((a) => a.time === null || since === null || a.time >= since);
    const text = after.map((a) => a.text.toLowerCase()).join('\n');
    const used = terms.filter((t) => text.includes(t));
    if (used.length >= MIN_TERMS && used.length / terms.length >= MIN_SHARE) {
      const where = after.find((a) => used.some((t) => a.text.toLowerCase().includes(t)));
      credit(id, 'implicit', `used ${used.slice(0, 6).join(', ')}${where ? ` in: ${where.text.slice(0, 160)}` : ''}`);
    }
  }
  return out;
}

interface Output {
  text: string;
  time: number | null;
  /** A command or an edit, as opposed to prose. */
  action: boolean;
}

function agentOutputs(detail: SessionDetail): Output[] {
  const out: Output[] = [];
  for (const e of detail.timeline) {
    const time = e.timestamp ? Date.parse(e.timestamp) : null;
    if (e.kind === 'assistant') out.push({ text: e.text, time, action: false });
    else if (e.kind === 'tool') out.push({ text: inputText(e.call.input), time, action: true });
  }
  return out;
}

function inputText(input: unknown): string {
  if (typeof input === 'string') return input;
  try {
    return JSON.stringify(input) ?? '';
  } catch {
    return '';
  }
}

/** Learnings injected into this session, with the time of their first injection. */
function injectedInto(detail: SessionDetail, injections: readonly InjectEvent[]): Map<string, number | null> {
  const s = detail.summary;
  const start = s.startedAt ? Date.parse(s.startedAt) : null;
  const end = s.endedAt ? Date.parse(s.endedAt) : null;
  const out = new Map<string, number | null>();
  for (const inj of injections) {
    const t = Date.parse(inj.ts);
    const mine =
      inj.session !== undefined
        ? inj.session === s.id
        : start !== null && end !== null && t >= start - WINDOW_MS && t <= end;
    if (!mine) continue;
    for (const id of inj.ids) if (!out.has(id)) out.set(id, Number.isNaN(t) ? null : t);
  }
  return out;
}

const TERM_PATTERNS = [
  /`([^`\n]{3,60})`/g, // code spans
  /\b([\w.-]*\/[\w./-]+)/g, // paths
  /(--?[a-z][\w-]{2,})/g, // flags
  /\b([a-z]+[A-Z]\w+)\b/g, // camelCase
  /\b([A-Za-z]+_[\w]+)\b/g, // snake_case and ENV_VARS
  /\b([\w-]+\.(?:ts|js|mjs|ex|exs|py|go|rs|rb|json|ya?ml|toml|sql|sh|md))\b/g, // file names
];

/** Code-like terms of a learning, lower-cased: what the agent would type if it applied it. */
export function distinctiveTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const re of TERM_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const t = (m[1] ?? '').trim().toLowerCase();
      if (t.length >= 4 && !/^l-[0-9a-z]{10}$/.test(t)) terms.add(t);
    }
  }
  return [...terms].slice(0, 24);
}

function snippet(text: string, index: number, length: number): string {
  const from = Math.max(0, index - 80);
  return text
    .slice(from, index + length + 80)
    .replace(/\s+/g, ' ')
    .trim();
}
