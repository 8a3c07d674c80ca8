import { LEARNING_TYPES, type LearningType } from '../types.js';
import { normalizeTag } from './text.js';

/**
 * The type of a learning nobody labelled. An unlabelled lesson is most often a non-obvious fact
 * that bit someone ("learned the hard way"); `gotcha` is also the weakest claim of our types: it
 * does not assert a team decision or an agreed convention that nobody made.
 */
export const DEFAULT_TYPE: LearningType = 'gotcha';

/**
 * Categories of foreign stores (the Go AgentOps CLI's `category`, `Category:` lines) → our types.
 * - what was chosen and why (architecture, design, tooling) → decision
 * - what went wrong (anti-pattern, failure, postmortem, incident, regression) → failure
 * - how a problem was solved (debugging, bug, troubleshooting, workaround) → fix
 * - how we work (process, workflow, style, testing, release, review, docs) → convention
 * - what surprises (environment, config, performance, security, compatibility) → gotcha
 * - what a person likes → preference; reusable approaches (technique, recipe) → pattern
 * Anything else (`learning`, `insight`, `general`...) says nothing about the type.
 */
const CATEGORY_TYPES: Readonly<Record<string, LearningType>> = {
  ...byName('decision', 'architecture architectural design decisions adr tradeoff trade-off tooling technology'),
  ...byName('failure', 'anti-pattern antipattern failures failure-mode postmortem post-mortem incident outage mistake'),
  ...byName('failure', 'mistakes regression'),
  ...byName('fix', 'debugging debug bug bugfix bug-fix fixes troubleshooting workaround solution'),
  ...byName('convention', 'process workflow conventions style code-style practice best-practice best-practices'),
  ...byName('convention', 'testing release review documentation docs naming rule rules'),
  ...byName('gotcha', 'gotchas pitfall caveat quirk environment config configuration performance security'),
  ...byName('gotcha', 'compatibility platform'),
  ...byName('preference', 'preferences user-preference'),
  ...byName('pattern', 'patterns technique recipe how-to howto'),
};

function byName(type: LearningType, names: string): Record<string, LearningType> {
  return Object.fromEntries(names.split(' ').map((n) => [n, type]));
}

/** Our type for a foreign type or category name (`Gotcha`, `architecture`, `post-mortem`). */
export function typeFromLabel(label: unknown): LearningType | undefined {
  if (typeof label !== 'string') return undefined;
  const name = normalizeTag(label);
  return (LEARNING_TYPES as readonly string[]).includes(name) ? (name as LearningType) : CATEGORY_TYPES[name];
}

/*
 * Wording rules, tried in this order on a title (inline code removed):
 * 1. something went wrong: anti-pattern, postmortem, broke, failed, lost, deadlock... → failure
 * 2. a choice: decided, chose, opted, decision → decision
 * 3. a remedy: fix, fixed, workaround, resolved → fix
 * 4. someone's taste: prefers, likes, wants (third person) → preference
 * 5. a warning: never, don't, avoid, beware, silently, unexpected... → gotcha
 * 6. an instruction: the first word is a positive imperative (use, keep, run, test...) → convention
 * 7. a norm: always, prefer, should, must, need(s), ensure → convention
 * Nothing matched → undefined (the caller falls back to DEFAULT_TYPE).
 */
const FAILURE =
  /\b(?:anti-?patterns?|post-?mortems?|incidents?|outages?|regress(?:ed|ions?)|broke|broken|crash(?:ed|es)?|fail(?:ed|s|ures?)?|destroy(?:s|ed)?|lost|loses|deadlock(?:s|ed)?|corrupt(?:s|ed)?)\b/;
const DECISION = /\b(?:decided|decision|chose|chosen|opted|settled on)\b/;
const FIX = /\b(?:fix(?:ed|es)?|workaround|work around|resolved?|solved)\b/;
const PREFERENCE = /\b(?:prefers|likes|dislikes|wants)\b/;
const WARNING =
  /\b(?:never|don't|dont|do not|doesn't|does not|can't|cannot|avoid|beware|careful|watch out|gotcha|pitfall|caveat|silently|surprising(?:ly)?|unexpected(?:ly)?|trap)\b/;
const NORM = /\b(?:always|prefer|should|must|needs?|required?|ensure|make sure|remember to|convention)\b/;
const IMPERATIVES = new Set(
  (
    'use keep run add test put write check make pass read pin load commit treat measure validate scrub bridge ' +
    'create define give start stop ask verify isolate separate skip prefer parse wrap bump'
  ).split(' '),
);

/** The type the wording of a title suggests, or undefined when it suggests none. */
export function inferType(title: string): LearningType | undefined {
  const text = title
    .replace(/`[^`]*`/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase();
  if (FAILURE.test(text)) return 'failure';
  if (DECISION.test(text)) return 'decision';
  if (FIX.test(text)) return 'fix';
  if (PREFERENCE.test(text)) return 'preference';
  if (WARNING.test(text)) return 'gotcha';
  // A short `Topic:` prefix ("Claude Code: keep ...") does not count as the first word.
  const first = /^(?:[^:]{1,30}:\s+)?\W*([a-z]+)/.exec(text)?.[1];
  if (first !== undefined && IMPERATIVES.has(first)) return 'convention';
  if (NORM.test(text)) return 'convention';
  return undefined;
}
