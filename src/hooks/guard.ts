import { homedir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../guard/evaluate.js';
import { loadPolicy } from '../guard/load.js';
import type { Verdict } from '../guard/types.js';
import type { HookContext } from './handle.js';
import type { ToolUse } from './types.js';

/**
 * The guard's verdict on one tool call, under the repository's policy over the user's and the
 * defaults, with the policy files' problems (a file with problems only narrows the envelope).
 */
export function guardCall(tool: ToolUse, cwd: string, ctx: HookContext): { verdict: Verdict; problems: string[] } {
  const root = ctx.ws.root ?? cwd;
  const { policy, problems } = loadPolicy({
    root: ctx.ws.root,
    aoHome: ctx.ws.userAgents,
    cacheDir: join(ctx.agentsDir, '.cache'),
  });
  const verdict = evaluate({ tool: tool.name, input: tool.input, cwd }, policy, {
    root,
    home: homedir(),
    aoHome: ctx.ws.userAgents,
  });
  return { verdict, problems };
}
