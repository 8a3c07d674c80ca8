import type { IndexedLearning } from '../index/list.js';

/**
 * The always-on essentials in the managed blocks: how to cite learnings, and the established
 * learnings that apply to the whole repository (no scope), most useful first. Bounded, because
 * agents cut their instruction files (Codex at 32 KiB for the whole chain).
 */
export const ESSENTIALS_MAX = 15;
const LINE_MAX = 240;

export function essentialLearnings(learnings: readonly IndexedLearning[]): IndexedLearning[] {
  return learnings
    .filter((l) => l.store === 'repo' && l.stats.maturity === 'established' && l.stats.retiredBecause === null)
    .filter((l) => l.scope.length === 0 || l.scope.every((g) => g === '**' || g === '**/*'))
    .sort((a, b) => b.stats.utility - a.stats.utility || a.id.localeCompare(b.id))
    .slice(0, ESSENTIALS_MAX);
}

export function essentialsBody(learnings: readonly IndexedLearning[]): string {
  const lines = [
    '## AgentOps',
    '',
    'This repository keeps what earlier agent sessions learned in `.agents/learnings/` (AgentOps, `ao`).',
    '',
    '- Learnings that fit your task arrive in your context with ids like `[L-0123456789]`. When you apply one, cite its id in your reply: cited learnings rise, unused ones fade.',
    '- When a learning is wrong or outdated, say so with its id.',
    '- Look for more with `ao search "<words>"`; record a lesson with `ao learn add "<what, why, how to apply>"`.',
  ];
  const essentials = essentialLearnings(learnings);
  if (essentials.length > 0) {
    lines.push('', '### Established learnings for this repository', '');
    for (const l of essentials) lines.push(`- [${l.id}] ${oneLine(l.title, l.body)}`);
  }
  return lines.join('\n');
}

function oneLine(title: string, body: string): string {
  const first =
    body
      .split('\n')
      .find((line) => line.trim() !== '' && !line.startsWith('#'))
      ?.trim() ?? '';
  const text = first && first !== title ? `${title}: ${first}` : title;
  return text.length > LINE_MAX ? `${text.slice(0, LINE_MAX - 1)}…` : text;
}
