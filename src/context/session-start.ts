import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { KnowledgeConfig } from '../lib/config.js';
import type { Workspace } from '../lib/workspace.js';
import type { Packet } from './inject.js';
import { selectPacket } from './select.js';

/**
 * The packet a session starts with: where it is (repository, branch), the handoff a person or an
 * earlier session left for this branch, and the learnings that match the branch and the handoff.
 * Always-on learnings are not repeated here: they live in the managed block of AGENTS.md and
 * its siblings, which the agent reads on its own.
 */
export interface StartContext {
  text: string;
  packet: Packet | null;
  handoff: string | null;
}

/** Words that name no topic: a branch called `feature/main-fix` says nothing about what to retrieve. */
const GENERIC = new Set([
  'main',
  'master',
  'develop',
  'dev',
  'trunk',
  'feature',
  'feat',
  'fix',
  'bugfix',
  'hotfix',
  'chore',
  'release',
  'wip',
  'head',
]);
const HANDOFF_MAX_CHARS = 4000;

export function branchQuery(branch: string | null): string {
  if (!branch) return '';
  return branch
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length >= 3 && !GENERIC.has(w.toLowerCase()) && !/^\d+$/.test(w))
    .join(' ');
}

/** `.agents/handoff/<branch>.md` (slashes as `__`), else `.agents/handoff.md`. */
export function readHandoff(agentsDir: string, branch: string | null): string | null {
  const files = [
    ...(branch ? [join(agentsDir, 'handoff', `${branch.replace(/\//g, '__')}.md`)] : []),
    join(agentsDir, 'handoff.md'),
  ];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    if (text === '') continue;
    return text.length > HANDOFF_MAX_CHARS ? `${text.slice(0, HANDOFF_MAX_CHARS)}…` : text;
  }
  return null;
}

export async function sessionStartContext(
  ws: Workspace,
  options: { branch: string | null; knowledge: KnowledgeConfig; warn?: (message: string) => void },
): Promise<StartContext> {
  const handoff = ws.repoAgents ? readHandoff(ws.repoAgents, options.branch) : null;
  const query = [branchQuery(options.branch), handoff ?? ''].join(' ').trim();
  const packet =
    query === ''
      ? null
      : await selectPacket(ws, {
          query,
          knowledge: options.knowledge,
          ...(options.warn ? { warn: options.warn } : {}),
        });
  const learnings = packet && packet.learnings.length > 0 ? packet : null;
  if (!handoff && !learnings) return { text: '', packet: null, handoff: null };
  const where = ws.root ? `Repository ${basename(ws.root)}${options.branch ? `, branch ${options.branch}` : ''}.` : '';
  const parts = [`# AgentOps context\n\n${where}`.trimEnd()];
  if (handoff) parts.push(`## Handoff\n\n${handoff}`);
  if (learnings) parts.push(learnings.markdown.trimEnd());
  return { text: `${parts.join('\n\n')}\n`, packet: learnings, handoff };
}
