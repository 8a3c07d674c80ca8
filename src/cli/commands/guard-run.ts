import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluate } from '../../guard/evaluate.js';
import { loadPolicy } from '../../guard/load.js';
import { UserError } from '../../lib/errors.js';
import { parseJson } from '../../lib/json.js';
import { findWorkspace, writableAgentsDir } from '../../lib/workspace.js';
import { bold, err, out, outJson, yellow } from '../output.js';

export function runGuardCheck(args: { tool: string; input: string; cwd?: string; json?: boolean }): void {
  const input = parseJson(args.input);
  if (input === null) throw new UserError(`--input is not JSON: ${args.input.slice(0, 80)}`);
  const cwd = resolve(args.cwd ?? process.cwd());
  const ws = findWorkspace(cwd);
  const loaded = loadPolicy({ root: ws.root, aoHome: ws.userAgents, cacheDir: join(writableAgentsDir(ws), '.cache') });
  const verdict = evaluate({ tool: args.tool, input, cwd }, loaded.policy, {
    root: ws.root ?? cwd,
    home: homedir(),
    aoHome: ws.userAgents,
  });
  if (args.json) return outJson({ ...verdict, policy: loaded.sources, problems: loaded.problems });
  for (const p of loaded.problems) err(yellow(`warning: ${p}`));
  out(`${bold(verdict.decision)}  ${verdict.rule}`);
  out(verdict.reason);
}
