import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Change } from '../lib/tracked.js';
import { readText } from '../lib/tracked.js';
import type { Workspace } from '../lib/workspace.js';
import { openIndex } from '../index/open.js';
import { listIndexed } from '../index/list.js';
import { decayPolicyOf } from '../knowledge/stats.js';
import type { KnowledgeConfig } from '../lib/config.js';
import { essentialsBody } from './essentials.js';
import { hasBlock, upsertBlock } from './managed-block.js';

/** Which instruction file each agent reads; AGENTS.md serves Codex, OpenCode and Cursor too. */
export const BLOCK_FILES: Record<string, string> = {
  agents: 'AGENTS.md',
  claude: 'CLAUDE.md',
  gemini: 'GEMINI.md',
  cursor: '.cursor/rules/agentops.mdc',
};

export const CURSOR_RULE_HEADER =
  '---\ndescription: AgentOps essentials (learnings and how to cite them)\nalwaysApply: true\n---\n\n';

/**
 * The managed blocks for the given agents, as changes: AGENTS.md always, CLAUDE.md, GEMINI.md and
 * the Cursor rule for the agents set up, and any other of them that already has a block.
 */
export async function planContextSync(
  ws: Workspace,
  agents: readonly string[],
  knowledge: KnowledgeConfig,
): Promise<Change[]> {
  if (!ws.root) return [];
  let body = essentialsBody([]);
  // Without a repository store there is nothing to list, and a dry run must not create an index.
  if (ws.repoAgents && existsSync(ws.repoAgents)) {
    const { db } = await openIndex(ws, 'full');
    try {
      body = essentialsBody(listIndexed(db, Date.now(), decayPolicyOf(knowledge)));
    } finally {
      db.close();
    }
  }
  const changes: Change[] = [];
  for (const [key, path] of Object.entries(BLOCK_FILES)) {
    const before = readText(join(ws.root, path));
    if (key !== 'agents' && !agents.includes(key) && !hasBlock(before)) continue;
    const base = before === null && key === 'cursor' ? CURSOR_RULE_HEADER : before;
    const after = upsertBlock(base, body);
    if (after !== before) changes.push({ path, before, after });
  }
  return changes;
}
