import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../../lib/errors.js';
import { readAgentOpsStore } from '../../knowledge/import/agentops.js';
import { applyImport } from '../../knowledge/import/apply.js';
import type { ImportResult } from '../../knowledge/import/draft.js';
import { parseLearningsMarkdown } from '../../knowledge/import/learnings-md.js';
import { reportProblems, targetAgents, workspace } from '../knowledge.js';
import { dim, out, outJson } from '../output.js';

interface ImportArgs {
  global?: boolean;
  'dry-run'?: boolean;
  json?: boolean;
}

export function runImportMarkdown(args: ImportArgs & { file: string }): void {
  let text: string;
  let modified: string;
  try {
    text = readFileSync(args.file, 'utf8');
    modified = statSync(args.file).mtime.toISOString();
  } catch (error) {
    throw new UserError(`cannot read ${args.file}: ${(error as Error).message}`);
  }
  report(args, parseLearningsMarkdown(text, args.file, { created: modified }));
}

export async function runImportAgentOps(args: ImportArgs & { dir: string }): Promise<void> {
  report(args, await readAgentOpsStore(args.dir));
}

function report(args: ImportArgs, result: ImportResult): void {
  const agents = targetAgents(workspace(), args.global);
  const applied = applyImport(agents, result.drafts, { dryRun: args['dry-run'] });
  const added = applied.filter((a) => a.created);
  if (args.json) {
    return outJson({
      dryRun: Boolean(args['dry-run']),
      imported: added,
      alreadyKnown: applied.filter((a) => !a.created),
      problems: result.problems,
    });
  }
  reportProblems(result.problems);
  for (const a of applied)
    out(`${a.created ? (args['dry-run'] ? 'would add' : 'added') : 'known'}  ${a.id}  ${a.type.padEnd(10)} ${a.title}`);
  out(
    dim(
      `${added.length} ${args['dry-run'] ? 'to import' : 'imported'}, ${applied.length - added.length} already known, ${result.problems.length} skipped (into ${agents})`,
    ),
  );
}
