import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { planContextSync } from '../../context/sync.js';
import { POLICY_TEMPLATE } from '../../guard/template.js';
import { commandOnPath, detectAgents } from '../../hooks/install/detect.js';
import { planInstall } from '../../hooks/install/install.js';
import { proposeGates, renderGatesYaml, type Proposal } from '../../gates/propose.js';
import { CONFIG_TEMPLATE } from '../../hooks/install/templates.js';
import { AGENTS, type AgentName } from '../../hooks/types.js';
import { writeFileAtomic } from '../../lib/atomic.js';
import { loadConfig } from '../../lib/config.js';
import { UserError } from '../../lib/errors.js';
import { applyTracked, readManifest, writeManifest, type Change, type Manifest } from '../../lib/tracked.js';
import { ensureAgentsDir, findWorkspace } from '../../lib/workspace.js';
import { splitList } from '../knowledge.js';
import { dim, err, out, outJson, yellow } from '../output.js';
import { changesJson, showChanges } from './changes.js';

interface InitArgs {
  hooks?: boolean;
  agents?: string;
  command?: string;
  'dry-run'?: boolean;
  json?: boolean;
}

export async function runInit(args: InitArgs): Promise<void> {
  const cwd = process.cwd();
  const root = findWorkspace(cwd).root ?? resolve(cwd);
  const agentsDir = join(root, '.agents');
  const dryRun = Boolean(args['dry-run']);
  const prefix = (args.command ?? 'ao').trim();
  if (prefix === '') throw new UserError('--command is empty: say how the hooks should call ao (for example `ao`)');

  // .agents/ itself: the folders, git's rules, the commented templates, and gates proposed from
  // the repository's stack (package.json, Makefile, pyproject.toml, go.mod, Cargo.toml).
  const gates: Proposal | null = existsSync(join(agentsDir, 'gates.yaml')) ? null : proposeGates(root);
  const templates: [string, string][] = [
    ['config.yaml', CONFIG_TEMPLATE],
    ['policy.yaml', POLICY_TEMPLATE],
    ['gates.yaml', gates ? renderGatesYaml(gates) : ''],
  ];
  const setup: Change[] = templates
    .filter(([name]) => !existsSync(join(agentsDir, name)))
    .map(([name, text]) => ({
      path: `.agents/${name}`,
      before: null,
      after: text,
    }));
  if (!dryRun) {
    mkdirSync(agentsDir, { recursive: true });
    ensureAgentsDir(agentsDir);
    for (const c of setup) writeFileAtomic(join(root, c.path), c.after!);
  }

  let agents: AgentName[] = [];
  const detected = args.hooks === false ? [] : detectAgents(root);
  let changes: Change[] = [];
  let problems: string[] = [];
  if (args.hooks !== false) {
    agents = args.agents ? parseAgents(args.agents) : detected.map((d) => d.agent);
    const manifest: Manifest = readManifest(agentsDir) ?? { version: 1, command: prefix, agents: [], files: {} };
    const install = planInstall(root, agents, prefix);
    problems = install.problems;
    const config = loadConfig(root);
    const ws = findWorkspace(root);
    const allAgents = [...new Set([...manifest.agents, ...agents])].sort();
    const blocks = await planContextSync(ws, allAgents, config.knowledge);
    changes = [...install.changes, ...blocks];
    if (!dryRun) {
      manifest.command = prefix;
      manifest.agents = allAgents;
      applyTracked(root, manifest, changes);
      writeManifest(agentsDir, manifest);
    }
  }

  const onPath = commandOnPath(prefix);
  if (args.json) {
    return outJson({
      dryRun,
      root,
      created: setup.map((c) => c.path),
      gates: gates ? { stack: gates.stack, checks: gates.checks, stages: gates.stages } : null,
      agents: agents.map((a) => ({ agent: a, detected: detected.find((d) => d.agent === a)?.reason ?? null })),
      changes: changesJson(changes),
      problems,
      command: prefix,
      commandOnPath: onPath,
    });
  }
  showChanges([...setup, ...changes], dryRun);
  for (const p of problems) err(yellow(`warning: ${p}`));
  if (gates) showProposal(gates);
  if (args.hooks === false) {
    out(`${dryRun ? 'Would set up' : 'Set up'} ${agentsDir} (no hooks: --no-hooks).`);
    return;
  }
  if (agents.length === 0) {
    out('No agent found (no .claude, .codex, .gemini, .cursor or .opencode here or in your home, none on PATH).');
    out(dim('Name them with --agents claude,codex,gemini,cursor,opencode.'));
  }
  for (const a of agents) {
    const why = detected.find((d) => d.agent === a)?.reason;
    out(`${a.padEnd(9)}${why ? dim(`(${why})`) : dim('(asked for)')}`);
  }
  if (!onPath) {
    err(
      yellow(
        `warning: \`${prefix.split(/\s+/)[0]}\` is not on PATH, so the hooks cannot run it yet: install ao globally (npm install -g agentops) or pass --command.`,
      ),
    );
  }
  if (!dryRun) out(dim('`ao hooks status` shows what is installed; `ao hooks uninstall` takes it out again.'));
}

function showProposal(gates: Proposal): void {
  if (gates.checks.length === 0) {
    out(dim('gates.yaml: no stack recognised, so its checks are left for you to write (docs/gates.md).'));
    return;
  }
  out(
    `gates.yaml: ${gates.checks.length} check${gates.checks.length === 1 ? '' : 's'} proposed from ${gates.stack.join(', ')}:`,
  );
  for (const c of gates.checks) out(`  ${c.name.padEnd(12)}${c.command}  ${dim(c.why)}`);
  for (const [stage, names] of Object.entries(gates.stages)) out(dim(`  ${stage}: ${names.join(', ')}`));
  out(dim('Review it, then `ao gate install` adds the pre-commit hook and `ao gate ci` prints a CI job.'));
}

function parseAgents(value: string): AgentName[] {
  const names = splitList(value) ?? [];
  const bad = names.filter((n) => !(AGENTS as readonly string[]).includes(n));
  if (bad.length > 0) throw new UserError(`unknown agent ${bad.join(', ')}: choose from ${AGENTS.join(', ')}`);
  return [...new Set(names)] as AgentName[];
}
