import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { AgentName } from '../types.js';

/**
 * Which agents are installed or configured: their folders in the repository, their folders in
 * the user's home, or their command on PATH. Each agent found says why.
 */
export interface Detected {
  agent: AgentName;
  reason: string;
}

interface Signs {
  repo: string[];
  home: (env: NodeJS.ProcessEnv, home: string) => string[];
  bins: string[];
}

const SIGNS: Record<AgentName, Signs> = {
  claude: {
    repo: ['.claude', 'CLAUDE.md'],
    home: (env, home) => [env.CLAUDE_CONFIG_DIR ?? '', join(home, '.claude'), join(home, '.config', 'claude')],
    bins: ['claude'],
  },
  codex: { repo: ['.codex'], home: (env, home) => [env.CODEX_HOME ?? '', join(home, '.codex')], bins: ['codex'] },
  gemini: { repo: ['.gemini', 'GEMINI.md'], home: (_env, home) => [join(home, '.gemini')], bins: ['gemini'] },
  cursor: { repo: ['.cursor'], home: (_env, home) => [join(home, '.cursor')], bins: ['cursor-agent', 'cursor'] },
  opencode: {
    repo: ['.opencode', 'opencode.json', 'opencode.jsonc'],
    home: (env, home) => [join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'opencode')],
    bins: ['opencode'],
  },
};

export function detectAgents(root: string, env: NodeJS.ProcessEnv = process.env): Detected[] {
  const home = env.HOME ?? homedir();
  const path = (env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const found: Detected[] = [];
  for (const [agent, signs] of Object.entries(SIGNS) as [AgentName, Signs][]) {
    const inRepo = signs.repo.find((p) => existsSync(join(root, p)));
    const inHome = signs.home(env, home).find((p) => p !== '' && existsSync(p));
    const bin = signs.bins.find((b) => path.some((d) => existsSync(join(d, b))));
    const reason = inRepo
      ? `${inRepo} in the repository`
      : inHome
        ? `${inHome.replace(home, '~')}`
        : bin
          ? `\`${bin}\` on PATH`
          : null;
    if (reason) found.push({ agent, reason });
  }
  return found;
}

/** Whether `command`'s first word runs from PATH (or is a path that exists). */
export function commandOnPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const first = command.trim().split(/\s+/)[0] ?? '';
  if (first.includes('/')) return existsSync(first);
  return (env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, first)));
}
