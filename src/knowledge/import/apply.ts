import { existsSync } from 'node:fs';
import { appendEvents, nowIso, type LedgerEvent } from '../ledger.js';
import { mintId } from '../id.js';
import { redact } from '../redact.js';
import { learningPath, saveLearning } from '../store.js';
import type { Learning } from '../types.js';
import type { LearningDraft } from './draft.js';

export interface AppliedImport {
  id: string;
  title: string;
  type: string;
  from: string;
  created: boolean;
}

/**
 * Writes imported drafts into a store (redacted, like everything that reaches `.agents/`) and
 * seeds the ledger with what the foreign store knew (maturity, utility, helpful and harmful
 * counts). Importing the same store twice adds nothing: ids are content hashes.
 */
export function applyImport(
  agents: string,
  drafts: readonly LearningDraft[],
  options: { dryRun?: boolean } = {},
): AppliedImport[] {
  const out: AppliedImport[] = [];
  const events: LedgerEvent[] = [];
  const ts = nowIso();
  for (const draft of drafts) {
    const { imported, ...fields } = draft;
    const title = redact(fields.title).text;
    const body = redact(fields.body).text;
    const learning: Learning = { ...fields, title, body, id: mintId(title, body) };
    if (learning.extra) learning.extra = redactExtra(learning.extra);
    const from = imported?.originalPath ?? fields.source.transcript ?? 'import';
    const created = options.dryRun
      ? !existsSync(learningPath(agents, learning.id))
      : saveLearning(agents, learning).created;
    out.push({ id: learning.id, title, type: learning.type, from, created });
    if (created && !options.dryRun) {
      events.push({
        kind: 'import',
        ts,
        id: learning.id,
        from,
        ...(imported?.maturity ? { maturity: imported.maturity } : {}),
        ...(imported?.utility !== undefined ? { utility: imported.utility } : {}),
        ...(imported?.helpful ? { helpful: imported.helpful } : {}),
        ...(imported?.harmful ? { harmful: imported.harmful } : {}),
      });
    }
  }
  if (!options.dryRun) appendEvents(agents, events);
  return out;
}

function redactExtra(extra: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(redact(JSON.stringify(extra)).text) as Record<string, unknown>;
}
