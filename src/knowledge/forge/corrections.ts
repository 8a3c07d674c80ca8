/**
 * Corrections, rules and preferences a person stated in a prompt: "no, use X", "don't …",
 * "always …", "we use …", "… instead". Only what a person typed counts: text the agent's harness
 * injects (command wrappers, reminders, compaction summaries) and subagent prompts (written by the
 * parent agent) are skipped. The rule sentence is extracted, not the whole prompt.
 */

import type { LearningType } from '../types.js';
import { type Draft, type ForgeContext, at, bodyOf, confidence, relText, sourceOf } from './context.js';
import { detectTags } from './tags.js';
import { capitalise, isHedged, normaliseKey, quote, splitSentences, toTitle, truncate } from './text.js';

interface Rule {
  re: RegExp;
  type: LearningType;
  weight: number;
}

const RULES: Rule[] = [
  { re: /^(?:always|never)\b/i, type: 'convention', weight: 0.7 },
  {
    re: /^(?:we|in this (?:repo|project|codebase),? we)\s+(?:use|prefer|always|never|don't|do not|avoid|keep|put|run|write)\b/i,
    type: 'convention',
    weight: 0.7,
  },
  { re: /^(?:make sure|remember|be sure) (?:to|that|you)\b/i, type: 'convention', weight: 0.65 },
  { re: /^(?:please\s+)?(?:don't|do not|stop|avoid|quit)\b/i, type: 'preference', weight: 0.65 },
  {
    re: /^(?:no|nope|wrong|not like that|that's (?:wrong|not (?:right|it|what))|that is (?:wrong|not right))\b[\s,.!:;—–-]+\S/i,
    type: 'preference',
    weight: 0.65,
  },
  {
    re: /^(?:please\s+)?(?:use|prefer|put|keep|run|call|write|name)\b.+\b(?:instead(?: of)?|rather than|over)\b/i,
    type: 'preference',
    weight: 0.65,
  },
  { re: /\binstead\s*[.!]?$|\binstead of\b|\brather than\b/i, type: 'preference', weight: 0.6 },
  { re: /^(?:you should(?:n't| not)?|you need to|you must|you have to)\b/i, type: 'convention', weight: 0.6 },
  { re: /^prefer\b/i, type: 'preference', weight: 0.65 },
  {
    re: /\b(?:always|never)\s+(?:use|run|call|add|write|put|commit|push|mock|import|edit|touch|modify|delete)\b/i,
    type: 'convention',
    weight: 0.65,
  },
];

/** Prompts (or their openings) that the harness wrote, not a person. */
const INJECTED =
  /^(?:<[a-z][\w-]*[\s>]|Caveat:|This session is being continued|Your task is to create a detailed summary|\[Request interrupted|Base directory for this skill|Stop hook feedback|<command-|API Error)/;

/** Past this length a prompt is a pasted task or spec: restating it is not a learning. */
const MAX_PROMPT_CHARS = 2000;

export function extractCorrections(ctx: ForgeContext): Draft[] {
  if (ctx.subagent) return [];
  const drafts: Draft[] = [];
  let lastAssistant: string | null = null;
  for (const event of ctx.detail.timeline) {
    if (event.kind === 'assistant') {
      lastAssistant = event.text;
      continue;
    }
    if (event.kind !== 'prompt') continue;
    const text = stripInjected(event.text);
    if (!text || INJECTED.test(text.trimStart()) || text.length > MAX_PROMPT_CHARS) continue;
    for (const sentence of splitSentences(text).flatMap(splitRules)) {
      const rule = ruleOf(sentence);
      if (!rule) continue;
      drafts.push(draftOf(ctx, event, sentence, rule, lastAssistant));
    }
  }
  return drafts;
}

/** Removes harness blocks a prompt may carry inline (`<system-reminder>…</system-reminder>`). */
function stripInjected(text: string): string {
  return text.replace(/<(system-reminder|user_info|local-command-\w+|command-\w+|ide_\w+)>[\s\S]*?<\/\1>/g, '').trim();
}

/** "always run X, and never commit Y": two rules, one learning each. */
function splitRules(sentence: string): string[] {
  const parts = sentence.split(/,?\s+and\s+(?=(?:always|never|don't|do not)\b)/i);
  if (parts.length < 2) return [sentence];
  const label = /^[^:]{3,40}:\s+/.exec(parts[0] ?? '')?.[0] ?? '';
  return parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1)).replace(label, '').trim());
}

function ruleOf(sentence: string): Rule | null {
  const words = sentence.split(/\s+/).length;
  if (words < 3 || sentence.length > 400 || sentence.endsWith('?') || isHedged(sentence)) return null;
  // "No worries", "no problem", "don't worry": politeness, not a correction.
  if (/^(?:no (?:worries|problem|thanks|need)|don't worry|never mind|nevermind)\b/i.test(sentence)) return null;
  return RULES.find((r) => r.re.test(sentence)) ?? null;
}

function draftOf(
  ctx: ForgeContext,
  event: Extract<ForgeContext['detail']['timeline'][number], { kind: 'prompt' }>,
  sentence: string,
  rule: Rule,
  lastAssistant: string | null,
): Draft {
  const text = relText(ctx, sentence);
  const title = toTitle(text);
  const context = lastAssistant ? truncate(relText(ctx, lastAssistant), 200) : null;
  const evidence = [`user${at(event.line)}: ${quote(text).slice(2)}`];
  if (context) evidence.push(`agent before it: ${quote(context).slice(2)}`);
  return {
    candidate: {
      title,
      type: rule.type,
      body: bodyOf({
        what: capitalise(text),
        why:
          rule.type === 'convention'
            ? 'Stated by the user as a rule for this project.'
            : 'The user corrected the agent; following it avoids the same correction next time.',
        how: `${title}.`,
        evidence,
      }),
      tags: detectTags([sentence]),
      scope: [],
      source: sourceOf(ctx, event),
      confidence: confidence(rule.weight),
      extractor: 'correction',
      evidence: [truncate(text, 300)],
    },
    keys: [`s:${normaliseKey(sentence)}`],
  };
}
