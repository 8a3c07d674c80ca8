/**
 * Statements: assistant sentences that state a root cause ("the issue was", "fails because"),
 * a gotcha ("X doesn't support Y", "note that") or a decision with its reason ("I'll use X
 * because"). Strict on purpose: most of what an agent says is narration, not a learning.
 */

import type { LearningType } from '../types.js';
import { type Draft, type ForgeContext, at, bodyOf, confidence, relText, scopeOf, sourceOf } from './context.js';
import { actionOf } from './diagnosis.js';
import { detectTags } from './tags.js';
import {
  firstLine,
  isHedged,
  isNarration,
  namesSomething,
  normaliseKey,
  quote,
  splitSentences,
  toTitle,
  truncate,
} from './text.js';
import { editsOf, pathOf, shellCommand } from './tools.js';

interface Cue {
  re: RegExp;
  type: LearningType;
  weight: number;
  /** Decisions start with "I'll …", which otherwise reads as narration. */
  allowFirstPerson?: boolean;
  /** A causal shape strong enough to keep a sentence that names things in plain words. */
  plain?: boolean;
}

const ROOT_CAUSE: Cue[] = [
  { re: /\broot cause\b/i, type: 'failure', weight: 0.65 },
  {
    re: /\bthe (?:real |actual |fundamental |underlying )?(?:issue|problem|bug|culprit|cause) (?:is|was|here is)\b/i,
    type: 'failure',
    weight: 0.6,
  },
  { re: /\bthat'?s (?:the|why)\b.{0,40}\b(?:bug|issue|problem|fail|broke|crash)/i, type: 'failure', weight: 0.6 },
  {
    re: /\b(?:fails?|failed|failing|crash(?:es|ed)?|breaks?|broke|happens|happened|errors?|hangs?|hung) because\b/i,
    type: 'failure',
    weight: 0.6,
    plain: true,
  },
  { re: /\bturns? out\b/i, type: 'failure', weight: 0.55 },
  { re: /\bcaused by\b/i, type: 'failure', weight: 0.55 },
  { re: /\bthe reason (?:is|was)\b/i, type: 'failure', weight: 0.55 },
  { re: /;\s*fixed (?:in|by)\b/i, type: 'fix', weight: 0.55 },
  {
    re: /\bbefore (?:the \w+|it|they|\w+) (?:has |have |had |is |was )?(?:loaded|initiali[sz]ed|ready|mounted|started|resolved|awaited|finished)\b/i,
    type: 'failure',
    weight: 0.55,
  },
];

const GOTCHA: Cue[] = [
  {
    re: /\b(?:doesn't|does not|don't|do not|can't|cannot|won't|will not|isn't|is not|aren't)\s+(?:support|work|access|accept|allow|handle|exist|recogni[sz]e|apply|include|propagate|persist|respect|honou?r|bypass|share|see|reach)\b/i,
    type: 'gotcha',
    weight: 0.5,
  },
  { re: /\bwhich (?:will|would) (?:fail|break|crash)\b/i, type: 'gotcha', weight: 0.5 },
  { re: /\bnote that\b|^(?:important|note|gotcha|caveat|warning)\b\s*:/i, type: 'gotcha', weight: 0.5 },
  { re: /\bbe careful\b/i, type: 'gotcha', weight: 0.5 },
  { re: /\bknown (?:conflict|issue|bug|limitation|gotcha)\b/i, type: 'gotcha', weight: 0.55 },
  { re: /\bis gitignored\b|\bignored by git\b/i, type: 'gotcha', weight: 0.5 },
  { re: /\beven with\s+`?--?\w/i, type: 'gotcha', weight: 0.5 },
  { re: /\bexpects? .{3,80}\bto be (?:run|called|passed|set|present)\b/i, type: 'gotcha', weight: 0.5 },
  {
    re: /\bmust be (?:run|called|set|added|imported|required|declared|passed|awaited)\b/i,
    type: 'gotcha',
    weight: 0.5,
  },
  { re: /\bonly works (?:when|if|with|from)\b/i, type: 'gotcha', weight: 0.5 },
];

const DECISION: Cue[] = [
  {
    re: /\bI(?:'ll| will|'m going to) (?:use|go with|keep|switch to)\b.+\b(?:because|since|so that|as it)\b/i,
    type: 'decision',
    weight: 0.5,
    allowFirstPerson: true,
  },
  { re: /\b(?:decided|choosing|chose|opted) to\b/i, type: 'decision', weight: 0.5, allowFirstPerson: true },
  { re: /\bwe should\b.+\binstead of\b/i, type: 'decision', weight: 0.5, allowFirstPerson: true },
  { re: /\binstead of\b.+\b(?:because|since)\b|\b(?:because|since)\b.+\binstead of\b/i, type: 'decision', weight: 0.5 },
  { re: /\brather than\b.+\b(?:because|since|so)\b/i, type: 'decision', weight: 0.5 },
];

/** Words every cue contains one of: a cheap test that lets most texts and sentences skip the cues. */
const ANY_CUE =
  /because|cause|issue|problem|bug|culprit|turns? out|turned out|reason|fixed|before|n't|\bnot\b|\bwill\b|would|note|important|gotcha|caveat|warning|careful|known|ignored|even with|expect|must be|only works|decid|chose|choos|opted|instead|rather|since|so that/i;

/** Past this length an assistant text is a report or recap: only root causes count there. */
const REPORT_CHARS = 2000;

/** Reports and recaps (headings, many bullets, "Summary"): restate work, rarely state causes. */
function isReport(text: string): boolean {
  if (text.length > REPORT_CHARS) return true;
  const bullets = text.match(/^\s*(?:[-*]|\d+\.)\s/gm)?.length ?? 0;
  return /^#{1,4}\s/m.test(text) || bullets >= 5 || /\b(?:summary|all done|completed)\b/i.test(firstLine(text));
}

export function extractStatements(ctx: ForgeContext): Draft[] {
  if (isSummarySession(ctx)) return [];
  const drafts: Draft[] = [];
  let lastCommand: string | null = null;
  let lastEdited: string | null = null;
  let lastFiles: string[] = [];
  for (const event of ctx.detail.timeline) {
    if (event.kind === 'tool') {
      const command = shellCommand(event.call);
      const files = editsOf(event.call).map((e) => e.path);
      const path = files[0] ?? pathOf(event.call);
      if (command || files[0]) {
        lastCommand = command;
        lastEdited = command ? null : (files[0] ?? null);
      }
      if (path) lastFiles = files.length > 0 ? files : [path];
      continue;
    }
    if (event.kind !== 'assistant' || /<analysis>|<summary>/.test(event.text)) continue;
    const report = isReport(event.text);
    const cues = report ? ROOT_CAUSE : [...ROOT_CAUSE, ...GOTCHA, ...DECISION];
    const sentences = splitSentences(event.text, ANY_CUE);
    for (let i = 0; i < sentences.length; i++) {
      // "X fails because Y; shall I fix it?": the statement without the trailing question.
      const sentence = (sentences[i] ?? '').replace(/[;,]\s+[^;,]*\?$/, '.');
      const cue = cueOf(sentence, cues);
      if (!cue) continue;
      const next = sentences[i + 1] ?? '';
      const context = lastCommand
        ? `ran ${code(relText(ctx, lastCommand))}`
        : lastEdited
          ? `editing \`${relText(ctx, lastEdited)}\``
          : null;
      drafts.push(draftOf(ctx, event, sentence, next, cue, report, context, lastFiles));
    }
  }
  return drafts;
}

function code(text: string): string {
  return `\`${truncate(text.replace(/`/g, "'"), 120)}\``;
}

function cueOf(sentence: string, cues: Cue[]): Cue | null {
  if (!ANY_CUE.test(sentence)) return null;
  if (sentence.length < 25 || sentence.length > 400 || sentence.endsWith('?') || isHedged(sentence)) return null;
  // "doesn't exist yet": a transient state of the work, not a fact about the code.
  if (/\byet\b|\bI need\b|\bI have to\b|\blet me\b|\bI'll\b(?!.*\bbecause\b)/i.test(sentence)) return null;
  if (/^(?:expected|as expected)\b/i.test(sentence)) return null;
  const cue = cues.find((c) => c.re.test(sentence));
  if (!cue) return null;
  // A stated cause may name things in plain words; gotchas and decisions must name them exactly.
  const concrete = namesSomething(sentence) || detectTags([sentence]).length > 0;
  if (!concrete && !(cue.plain && sentence.split(/\s+/).length >= 8)) return null;
  if (!cue.allowFirstPerson && isNarration(sentence)) return null;
  // Not standalone: it points at the conversation ("that branch", "I added there").
  if (/\b(?:that|this|these|those) (?:branch|case|path|part|line|one|call|clause|version|approach)\b/i.test(sentence)) {
    return null;
  }
  if (cue.type === 'gotcha' && /\b(?:I|my|we|our)\b|\bthere\b(?! (?:is|are|was|were)\b)/.test(sentence)) return null;
  return cue;
}

/** Compaction summaries restate a whole earlier session: not evidence of anything new. */
function isSummarySession(ctx: ForgeContext): boolean {
  const first = ctx.detail.timeline.find((e) => e.kind === 'prompt');
  return first?.kind === 'prompt' && /^Your task is to create a detailed summary/.test(first.text.trimStart());
}

function draftOf(
  ctx: ForgeContext,
  event: Extract<ForgeContext['detail']['timeline'][number], { kind: 'assistant' }>,
  sentence: string,
  next: string,
  cue: Cue,
  report: boolean,
  context: string | null,
  recentFiles: string[],
): Draft {
  const text = relText(ctx, sentence);
  const action = actionOf(next);
  const why =
    !action && /^(?:because|since|this is because|that's because)\b/i.test(next) ? relText(ctx, next) : undefined;
  const named = recentFiles.filter((f) => {
    const base = f.slice(f.lastIndexOf('/') + 1);
    return base.length > 2 && sentence.includes(base);
  });
  const evidence = [`assistant${at(event.line)}: ${quote(text).slice(2)}`];
  if (context) evidence.push(`context: ${context}`);
  return {
    candidate: {
      title: toTitle(text),
      type: cue.type,
      body: bodyOf({
        what: text,
        why,
        how: action ? `${relText(ctx, action)}.` : undefined,
        evidence,
      }),
      tags: detectTags([sentence, next, context ?? ''], named.length > 0 ? named : recentFiles.slice(0, 1)),
      scope: scopeOf(ctx, named),
      source: sourceOf(ctx, event),
      confidence: confidence(cue.weight + (/`[^`]+`/.test(sentence) ? 0.05 : 0) - (report ? 0.1 : 0)),
      extractor: 'statement',
      evidence: [truncate(text, 300)],
    },
    keys: [`s:${normaliseKey(sentence)}`],
  };
}
