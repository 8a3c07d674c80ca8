import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ExitError, UserError } from '../../lib/errors.js';
import type { Workspace } from '../../lib/workspace.js';
import { evaluate, readEvalSet, type EvalReport } from '../../index/eval.js';
import { openIndex } from '../../index/open.js';
import { readAgentOpsStore } from '../../knowledge/import/agentops.js';
import { applyImport } from '../../knowledge/import/apply.js';
import { parseLearningsMarkdown } from '../../knowledge/import/learnings-md.js';
import { querySessions } from '../../sessions/query.js';
import { parseNumberArg, workspace } from '../knowledge.js';
import { dim, formatPercent, out, outJson, truncateText } from '../output.js';
import { forgeWorkspace } from './forge-run.js';
import { loadYaml } from '../../lib/yaml-doc.js';

type BuildStep = { kind: 'import-agentops' | 'import-learnings-md' | 'forge'; path: string };

export async function runEvalRetrieval(args: {
  set: string;
  here?: boolean;
  k?: string;
  'min-recall'?: string;
  json?: boolean;
}): Promise<void> {
  let doc: unknown;
  try {
    const text = readFileSync(args.set, 'utf8');
    doc = args.set.endsWith('.json') ? (JSON.parse(text) as unknown) : loadYaml().parse(text);
  } catch (error) {
    throw new UserError(`cannot read the set ${args.set}: ${(error as Error).message}`);
  }
  const { set, problems } = readEvalSet(doc);
  if (!set) throw new UserError(`invalid set ${args.set}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const k = parseNumberArg(args.k, 'k', 1, 100);
  if (k !== undefined) set.k = Math.floor(k);
  const minRecall = parseNumberArg(args['min-recall'], 'min-recall', 0, 1);
  const steps = buildSteps(doc, dirname(resolve(args.set)));
  let temp: string | null = null;
  let ws: Workspace;
  if (args.here || steps.length === 0) ws = workspace();
  else {
    temp = mkdtempSync(join(tmpdir(), 'ao-eval-'));
    ws = { root: temp, repoAgents: join(temp, '.agents'), userAgents: join(temp, 'user') };
    mkdirSync(ws.userAgents, { recursive: true });
  }
  let report: EvalReport;
  try {
    if (temp) await buildStore(ws, steps);
    const { db } = await openIndex(ws, 'full');
    try {
      report = evaluate(db, set);
    } finally {
      db.close();
    }
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
  const failed = minRecall !== undefined && report.recallAtK < minRecall;
  if (args.json)
    outJson({
      set: args.set,
      built: temp !== null,
      ...report,
      ...(minRecall !== undefined ? { minRecall, passed: !failed } : {}),
    });
  else print(report);
  if (failed) {
    if (!args.json) out(`recall@${report.k} ${report.recallAtK} is below --min-recall ${minRecall}`);
    throw new ExitError(1);
  }
}

function buildSteps(doc: unknown, base: string): BuildStep[] {
  const build = (doc as { build?: unknown }).build;
  if (build === undefined) return [];
  if (!Array.isArray(build))
    throw new UserError('build: expected a list of {import-agentops|import-learnings-md|forge: path}');
  return build.map((entry: unknown, i) => {
    const [kind, path] = Object.entries((entry ?? {}) as Record<string, unknown>)[0] ?? [];
    if (
      (kind !== 'import-agentops' && kind !== 'import-learnings-md' && kind !== 'forge') ||
      typeof path !== 'string'
    ) {
      throw new UserError(`build[${i}]: expected one of import-agentops, import-learnings-md, forge with a path`);
    }
    return { kind, path: resolve(base, path) };
  });
}

async function buildStore(ws: Workspace, steps: readonly BuildStep[]): Promise<void> {
  const agents = ws.repoAgents as string;
  for (const step of steps) {
    if (step.kind === 'import-agentops') applyImport(agents, (await readAgentOpsStore(step.path)).drafts);
    else if (step.kind === 'import-learnings-md')
      applyImport(agents, parseLearningsMarkdown(readFileSync(step.path, 'utf8'), step.path).drafts);
    else {
      const { sessions } = await querySessions({ source: step.path, noCache: true });
      await forgeWorkspace(ws, sessions, { agents });
    }
  }
}

function print(r: EvalReport): void {
  for (const q of r.results) {
    const mark = q.recall === 1 ? 'ok  ' : q.recall > 0 ? 'part' : 'miss';
    out(`${mark}  ${truncateText(q.prompt, 90)}`);
    for (const [i, t] of q.top.entries())
      out(dim(`        ${i + 1}. ${t.relevant ? '*' : ' '} ${t.id}  ${truncateText(t.title, 70)}`));
    if (q.unresolved.length) out(dim(`        labels matching no learning: ${q.unresolved.join(', ')}`));
  }
  out(`${r.queries} queries · recall@${r.k} ${formatPercent(r.recallAtK)} · MRR ${r.mrr} · nDCG@${r.k} ${r.ndcgAtK}`);
}
