/**
 * The agent's own explanation around a failure: the sentence that says why it failed (a cause)
 * and the one that says what to do about it (an action). Used by error → fix and anti-pattern
 * extraction to title and explain what a command's history shows.
 */

import { detectTags } from './tags.js';
import { isHedged, isNarration, namesSomething, splitSentences } from './text.js';

/** Cause cues by strength: the agent naming the cause beats it describing a symptom. */
const STRONG_CAUSE =
  /\b(?:root cause|the (?:real |actual |fundamental |underlying )?(?:issue|problem|bug|cause) (?:is|was)|that'?s (?:the (?:bug|issue|problem)|why)|because|due to|turns out|known (?:bug|issue|conflict|limitation))\b/i;
const CAUSE =
  /\b(?:since|isn't|is not|aren't|doesn't|does not|don't|can't|cannot|won't|wasn't|missing|needs?|requires?|expects?|must|wrong|instead|conflict|not (?:configured|defined|found|supported|tracked|available|exported|loaded)|gitignored|ignored|stale|unused|undefined|no upstream)\b/i;

const ACTION_LEAD =
  /^(?:i need to|i'll need to|i have to|i should|we need to|we should|need to|let me|i'll|i will)\s+(?:also\s+|just\s+|instead\s+)?/i;
/** Verbs that say what the remedy is; weak ones ("fix", "update") only after "need to"/"should". */
const ACTION_VERB =
  /^(?:use|add|import|switch|move|set|configure|rename|remove|replace|wrap|force|pass|install|require|alias|extract|restructure|rewrite|put|include|enable|disable|drop|skip|declare|suppress|register|export|await|guard|quote|escape|pin|downgrade|upgrade)\b/i;
const WEAK_VERB = /^(?:fix|change|update|make|run|call|keep|mark|stage|create)\b/i;
const OBLIGATION = /^(?:i need to|i'll need to|i have to|i should|we need to|we should|need to)\b/i;

export interface Diagnosis {
  /** Why it failed, in the agent's words (one sentence). */
  cause: string | null;
  /** What to do, as an imperative (one sentence). */
  action: string | null;
}

/**
 * Reads up to `maxTexts` assistant texts (the first sentences of each) for a cause and an action.
 * A strong cause ("the issue is", "because") anywhere in them wins over an earlier weak one.
 */
export function diagnose(texts: readonly string[], maxTexts = 4): Diagnosis {
  let strong: string | null = null;
  let weak: string | null = null;
  let action: string | null = null;
  for (const text of texts.slice(0, maxTexts)) {
    let causeHere = false;
    for (const sentence of splitSentences(text.slice(0, 3000)).slice(0, 8)) {
      if (sentence.endsWith('?') || sentence.length < 12 || sentence.length > 400 || isHedged(sentence)) continue;
      if (!namesSomething(sentence) && detectTags([sentence]).length === 0) {
        // "I need to use shared mode." right after a named cause is its remedy.
        if (causeHere && !action) action = actionOf(sentence);
        continue;
      }
      if (!action) action = actionOf(sentence);
      if (isNarration(sentence) || ACTION_LEAD.test(sentence) || /\b(?:I need|I have to|let me|I'll)\b/i.test(sentence))
        continue;
      if (/\bfalse positive\b/i.test(sentence)) continue;
      if (!strong && STRONG_CAUSE.test(sentence)) strong = sentence;
      else if (!weak && CAUSE.test(sentence)) weak = sentence;
      else continue;
      causeHere = true;
    }
    if (strong && action) break;
  }
  return { cause: strong ?? weak, action };
}

/** "I need to also import `X`." → "Import `X`"; null when the sentence is not an action. */
export function actionOf(sentence: string): string | null {
  // "The fix is to sum in integer cents": the remedy, stated outright.
  const stated = /^(?:the |a )?(?:fix|solution|workaround|remedy) (?:is|was) to\s+(.+)$/i.exec(sentence);
  if (stated?.[1]) return capitalised(stated[1].replace(/[.!:;,\s]+$/, ''));
  const lead = ACTION_LEAD.exec(sentence);
  const rest = lead ? sentence.slice(lead[0].length) : sentence;
  const weakOk = lead !== null && OBLIGATION.test(lead[0]) && namesSomething(rest);
  if (!ACTION_VERB.test(rest) && !(weakOk && WEAK_VERB.test(rest))) return null;
  if (!lead && !/^(?:use|add|import|run|pass|install|configure|set|switch)\b/i.test(rest)) return null;
  if (
    /^(?:check|look|read|see|verify|run the tests|fix (?:it|this|that|these|those|the (?:issue|error|test|problem)s?)\b)/i.test(
      rest,
    )
  ) {
    return null;
  }
  const clean = rest.replace(/[.!:;,\s]+$/, '');
  // "Add it.": the object is in another sentence; without it the action says nothing.
  if (/^\w+\s+(?:it|this|that|them|these|those|one)(?:\s+(?:now|first|too|again|here|back|properly))?$/i.test(clean)) {
    return null;
  }
  return capitalised(clean);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
