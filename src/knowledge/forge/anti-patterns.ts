/**
 * Anti-patterns: the same call (same command family, or same tool and input) failing with the
 * same error signature three or more times with no success in between. The learning is to stop
 * retrying and change approach; the attempts are the evidence.
 */

import type { TimelineEvent } from '../../sessions/types.js';
import { type Draft, type ForgeContext, at, bodyOf, confidence, relText, sourceOf } from './context.js';
import { diagnose } from './diagnosis.js';
import { errorLine, normaliseSignature } from './signature.js';
import { detectTags } from './tags.js';
import { MAX_TITLE, code, normaliseKey, truncate } from './text.js';
import { callKey, notRun, shellCommand, shellRun } from './tools.js';

type ToolEvent = Extract<TimelineEvent, { kind: 'tool' }>;

interface Failure {
  event: ToolEvent;
  label: string;
  error: string;
  signature: string;
  /** Index into the assistant notes when it happened. */
  notes: number;
}

const MIN_ATTEMPTS = 3;
/** Tools that only look: a failed read is a missing file, not an approach that keeps failing. */
const LOOKING =
  /^(?:read|read_file|read_many_files|view|glob|grep|search|ls|list|list_directory|find|webfetch|web_fetch|websearch|web_search|google_web_search|taskoutput|bashoutput|todowrite|todoread)$/i;

export function extractAntiPatterns(ctx: ForgeContext): Draft[] {
  const notes: string[] = [];
  const runs = new Map<string, Failure[]>();
  const drafts: Draft[] = [];
  const close = (key: string, resolvedAt: ToolEvent | null): void => {
    const run = runs.get(key);
    runs.delete(key);
    const draft = run ? evaluate(ctx, run, notes, resolvedAt) : null;
    if (draft) drafts.push(draft);
  };
  for (const event of ctx.detail.timeline) {
    if (event.kind === 'assistant') {
      notes.push(event.text);
      continue;
    }
    if (event.kind !== 'tool' || notRun(event.call) || LOOKING.test(event.call.name)) continue;
    const shell = shellRun(event.call);
    if (shell?.readOnly) continue;
    const family = shell?.family ?? null;
    const outcome = shell ? shell.outcome : event.call.isError ? 'fail' : 'ok';
    if (outcome === 'unknown') continue;
    const key = family ?? callKey(event.call);
    if (outcome === 'ok') {
      if (runs.has(key)) close(key, event);
      continue;
    }
    const error = errorLine(event.call.result ?? '');
    if (!error) continue;
    const failure: Failure = {
      event,
      label: family ?? event.call.name,
      error,
      signature: normaliseSignature(error),
      notes: notes.length,
    };
    const run = runs.get(key);
    if (run) run.push(failure);
    else runs.set(key, [failure]);
  }
  for (const key of [...runs.keys()]) close(key, null);
  return drafts;
}

/** The largest group of same-signature failures in a run, as a draft when it is large enough. */
function evaluate(ctx: ForgeContext, run: Failure[], notes: string[], resolvedAt: ToolEvent | null): Draft | null {
  const groups = new Map<string, Failure[]>();
  for (const f of run) {
    const group = groups.get(f.signature);
    if (group) group.push(f);
    else groups.set(f.signature, [f]);
  }
  let best: Failure[] = [];
  for (const group of groups.values()) if (group.length > best.length) best = group;
  const first = best[0];
  const last = best[best.length - 1];
  if (best.length < MIN_ATTEMPTS || !first || !last) return null;

  const error = relText(ctx, first.error);
  const diagnosis = diagnose(notes.slice(first.notes, last.notes + 1), 8);
  const label = `\`${first.label}\``;
  const prefix = `Don't retry ${label} unchanged: it failed ${best.length} times with `;
  const sig = error
    .replace(/^(?:✘\s*\[ERROR\]|(?:error|fatal)(?:\[\w+\])?:)\s*/i, '')
    .replace(/^(\S+) (?:validation |checks? )?failed:\s+(?=\S)/i, '$1 ');
  const title = `${prefix}${truncate(sig, Math.max(20, MAX_TITLE - prefix.length))}`;
  const attempts = best.slice(0, 6).map((f) => {
    const command = shellCommand(f.event.call);
    return `attempt${at(f.event.line)}: ${code(truncate(relText(ctx, command ?? f.label), 160))}`;
  });
  const resolution = resolvedAt
    ? `It passed later${at(resolvedAt.line)}: ${code(truncate(relText(ctx, shellCommand(resolvedAt.call) ?? resolvedAt.call.name), 160))}.`
    : 'It never passed in this session.';
  return {
    candidate: {
      title: title.length <= MAX_TITLE ? title : truncate(title, MAX_TITLE),
      type: 'failure',
      body: bodyOf({
        what: `${label} failed ${best.length} times in a row with the same error, ${code(truncate(error, 160))}. ${resolution}`,
        why: diagnosis.cause ? `The agent's diagnosis while retrying: ${relText(ctx, diagnosis.cause)}` : undefined,
        // The agent's own remedies during the run are what kept failing: not repeated here.
        how: `After the second identical failure, stop retrying ${label} and change the approach (read the error, fix its cause).`,
        evidence: [`error: ${code(truncate(error, 200))}`, ...attempts],
      }),
      tags: detectTags([first.label, error, diagnosis.cause ?? ''], [], error),
      scope: [],
      source: sourceOf(ctx, first.event),
      confidence: confidence(0.5 + Math.min(0.15, (best.length - MIN_ATTEMPTS) * 0.05) + (diagnosis.cause ? 0.05 : 0)),
      extractor: 'anti-pattern',
      evidence: [
        truncate(error, 200),
        ...best.slice(0, 3).map((f) => truncate(relText(ctx, shellCommand(f.event.call) ?? f.label), 160)),
      ],
    },
    keys: [`sig:${first.label}:${first.signature}`, ...(diagnosis.cause ? [`s:${normaliseKey(diagnosis.cause)}`] : [])],
  };
}
