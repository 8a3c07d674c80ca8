import { presetNames } from './figures.js';
import {
  type Candidate,
  type Found,
  type Role,
  detectGo,
  detectMake,
  detectNode,
  detectPython,
  detectRust,
} from './propose-stacks.js';

/** A check `ao init` proposes for `.agents/gates.yaml`, with the reason it was proposed. */
export interface ProposedCheck {
  name: string;
  command: string;
  timeoutSeconds: number;
  /** A built-in figure set (see PRESETS), when the tool behind the command is known. */
  parse?: string;
  /** What it was found from: `package.json script "test" (vitest)`. */
  why: string;
}

export interface Proposal {
  /** What was recognised: `node (pnpm)`, `python (uv)`, `go`, `rust`, `make`. */
  stack: string[];
  checks: ProposedCheck[];
  /** pre-commit: the fast checks; stop: those and the tests; ci: everything. Empty stages are left out. */
  stages: Record<string, string[]>;
}

const ROLE_ORDER: readonly Role[] = ['format', 'lint', 'typecheck', 'test', 'check', 'build'];
const FAST: ReadonlySet<Role> = new Set<Role>(['format', 'lint', 'typecheck']);

/**
 * A target that runs other stacks' checks says so, and reads its output as their tool would
 * (`make test` running `npm test` with vitest), when they agree on one.
 */
function describeTarget(target: Candidate): void {
  const covered = target.covered ?? [];
  if (!target.parse) {
    const parses = new Set(covered.flatMap((c) => (c.parse ? [c.parse] : [])));
    if (parses.size === 1) target.parse = [...parses][0];
  }
  if (covered.length > 0) target.why += `, which runs ${covered.map((c) => c.command).join(' and ')}`;
  if (target.parse) target.why += ` (${target.parse})`;
}

// --- the proposal -------------------------------------------------------------------------------

/**
 * The checks a repository's own tooling suggests: package.json scripts, Makefile targets,
 * pyproject.toml tools, go.mod, Cargo.toml. A check a Makefile target already runs is left to the
 * target. Names stay unique across stacks (`test`, then `py-test`).
 */
export function proposeGates(root: string): Proposal {
  const found = [detectMake(root), detectNode(root), detectPython(root), detectGo(root), detectRust(root)].filter(
    (f): f is Found => f !== null,
  );
  const recipes = found.flatMap((f) => [...(f.recipes ?? new Map<Candidate, string>())]);
  const kept: Candidate[] = [];
  for (const f of found) {
    for (const c of f.candidates) {
      const by = f.recipes ? [] : recipes.filter(([, body]) => c.covers.some((re) => re.test(body)));
      for (const [target] of by) target.covered!.push(c);
      if (by.length === 0) kept.push(c);
    }
  }
  for (const [target] of recipes) describeTarget(target);
  const taken = new Set<string>();
  const named = kept.map((c) => {
    let name = taken.has(c.base) ? `${c.prefix}-${c.base}` : c.base;
    for (let i = 2; taken.has(name); i++) name = `${c.prefix}-${c.base}-${i}`;
    taken.add(name);
    return { c, name };
  });
  named.sort((a, b) => ROLE_ORDER.indexOf(a.c.role) - ROLE_ORDER.indexOf(b.c.role));
  const checks = named.map(({ c, name }): ProposedCheck => {
    const check: ProposedCheck = { name, command: c.command, timeoutSeconds: c.timeoutSeconds, why: c.why };
    if (c.parse) check.parse = c.parse;
    return check;
  });
  const names = (keep: (role: Role) => boolean): string[] => named.filter(({ c }) => keep(c.role)).map((n) => n.name);
  const stages: Record<string, string[]> = {};
  const entries: [string, string[]][] = [
    ['pre-commit', names((r) => FAST.has(r))],
    ['stop', names((r) => r !== 'build')],
    ['ci', names(() => true)],
  ];
  for (const [stage, list] of entries) if (list.length > 0) stages[stage] = list;
  return { stack: found.map((f) => f.stack), checks, stages };
}

// --- .agents/gates.yaml ---------------------------------------------------------------------------

/** A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON is valid YAML). */
function yamlScalar(s: string, inFlow = false): string {
  const plain =
    /^[A-Za-z0-9_./$(][\w ./=+,@%:$()'"*&!|<>~-]*$/.test(s) &&
    !(inFlow && s.includes(',')) &&
    !/: |:$| #|\s$|^\s/.test(s) &&
    !/^(?:true|false|yes|no|on|off|null|y|n|~)$/i.test(s) &&
    !/^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$|^0[xob]/i.test(s);
  return plain ? s : JSON.stringify(s);
}

function wrapComment(text: string, width = 98): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/)) {
    if (line.length + 1 + word.length > width && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

function header(): string[] {
  return [
    ...wrapComment(
      'The validation pipeline: named checks grouped in stages, run by `ao gate run --stage <stage>`. pre-commit runs in the git pre-commit hook, stop when an agent ends its turn (it is sent back to work while a check fails), ci in continuous integration.',
    ),
    '#',
    ...wrapComment(
      'A check: command (run by /bin/sh from the repository root; exit 0 passes) and timeout (seconds); optionally needs (checks that must pass first), parse (a built-in figure set) and figures (your own numbers, read from the output or a file). The ratchet keeps every figure from going backward.',
    ),
    '#',
    ...wrapComment(`Built-in figure sets (parse): ${presetNames().join(', ')}.`),
    '# Own figures, under a check:',
    '#     figures:',
    '#       coverage: { json: total.lines.pct, file: coverage/coverage-summary.json, better: higher }',
    "#       warnings: { count: 'warning', better: lower }",
  ];
}

const EXAMPLE = [
  '# checks:',
  '#   lint:',
  '#     command: npm run lint',
  '#     timeout: 300',
  '#     parse: eslint',
  '#   test:',
  '#     command: npm test',
  '#     timeout: 600',
  '#     parse: vitest',
  '# stages:',
  '#   pre-commit: [lint]',
  '#   stop: [lint, test]',
  '#   ci: [lint, test]',
  '# settings:',
  '#   parallel: 2',
];

/** The text of `.agents/gates.yaml` for a proposal; a commented template when it has no checks. */
export function renderGatesYaml(proposal: Proposal): string {
  const out = header();
  out.push('#');
  if (proposal.checks.length === 0) {
    const seen = proposal.stack.length > 0 ? `Found ${proposal.stack.join(', ')} but no check` : 'No check was found';
    out.push(
      ...wrapComment(
        `${seen} to propose (package.json scripts, Makefile targets, pyproject.toml tools, go.mod, Cargo.toml). Write yours here, for example:`,
      ),
      ...EXAMPLE,
    );
    return `${out.join('\n')}\n`;
  }
  out.push(...wrapComment(`Proposed by \`ao init\` from: ${proposal.stack.join(', ')}. Edit freely.`), '', 'checks:');
  for (const check of proposal.checks) {
    out.push(
      `  ${yamlScalar(check.name)}:`,
      `    # ${check.why.replace(/\s+/g, ' ')}`,
      `    command: ${yamlScalar(check.command)}`,
      `    timeout: ${check.timeoutSeconds}`,
    );
    if (check.parse) out.push(`    parse: ${yamlScalar(check.parse)}`);
  }
  // The settings hint sits before stages: after the last mapping, Prettier would pull it up.
  out.push('', '# settings:', '#   parallel: 2       # how many checks run at once', '', 'stages:');
  for (const [stage, names] of Object.entries(proposal.stages)) {
    out.push(`  ${yamlScalar(stage)}: [${names.map((n) => yamlScalar(n, true)).join(', ')}]`);
  }
  return `${out.join('\n')}\n`;
}
