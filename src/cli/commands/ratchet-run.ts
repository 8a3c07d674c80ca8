import { relative } from 'node:path';
import { betterOf, loadGates } from '../../gates/config.js';
import { gitState, gitUser } from '../../gates/git.js';
import { appendGateEvents } from '../../gates/ledger.js';
import { judgeFigures, measuredOf, ratchetState, readRatchet } from '../../gates/ratchet.js';
import type { Better, RatchetAllowEvent, RatchetEvent, VerdictEvent } from '../../gates/types.js';
import { readVerdicts } from '../../gates/verdict.js';
import { ExitError, UserError } from '../../lib/errors.js';
import { repoOrFail } from '../repo.js';
import { bold, dim, err, out, outJson, red, table } from '../output.js';

/** Which way a figure improves: the gates' spec, else what the ledger last said. */
function directions(
  root: string,
  ratchet: readonly RatchetEvent[],
): (check: string, figure: string) => Better | undefined {
  const { config } = loadGates(root);
  const recorded = new Map<string, Better>();
  for (const e of ratchet) if (e.kind === 'ratchet-lock') recorded.set(e.figure, e.better);
  return (check, figure) => betterOf(config, check, figure) ?? recorded.get(`${check}.${figure}`);
}

export function ratchetCheck(args: { stage?: string; json?: boolean }): void {
  const { root, agentsDir } = repoOrFail();
  const verdicts = readVerdicts(agentsDir).filter((v) => !args.stage || v.stage === args.stage);
  const latest = verdicts[verdicts.length - 1];
  if (!latest) {
    throw new UserError(
      `no verdict${args.stage ? ` of stage ${args.stage}` : ''} in the ledger yet: run ao gate run --stage <stage> first`,
    );
  }
  const ratchet = readRatchet(agentsDir);
  const measured = measuredOf(latest.checks, directions(root, ratchet));
  // The locks as they stood before this verdict; every allow recorded since counts.
  const events = ratchet.filter((e) => e.kind === 'ratchet-allow' || (e.ts <= latest.ts && e.verdict !== latest.id));
  const judgement = judgeFigures(measured, ratchetState(events));
  const head = gitState(root);
  const stale = latest.commit !== head.commit;
  const ok = judgement.regressions.length === 0;
  if (args.json) {
    outJson({
      ok,
      verdict: latest.id,
      stage: latest.stage,
      commit: latest.commit,
      stale,
      figures: measured,
      regressions: judgement.regressions,
      allowed: judgement.allowed.map((a) => ({
        figure: a.figure,
        locked: a.locked,
        value: a.value,
        reason: a.allow.reason,
        by: a.allow.by,
      })),
    });
  } else {
    out(
      `${bold('ratchet')} over verdict ${latest.id} (stage ${latest.stage}, ${latest.commit?.slice(0, 10) ?? 'no commit'}${latest.dirty ? ' + changes' : ''})`,
    );
    if (stale) err(dim('note: that verdict is for another commit than HEAD; run ao gate run for fresh figures'));
    if (measured.length === 0)
      out(dim('  no figures measured: give checks figures (parse: or figures:) in gates.yaml'));
    for (const r of judgement.regressions)
      out(`  ${red('✗')} ${r.figure}: ${r.locked} → ${r.value} (${r.better} is better)`);
    for (const a of judgement.allowed)
      out(`  ! ${a.figure}: ${a.locked} → ${a.value}, allowed by ${a.allow.by}: ${a.allow.reason}`);
    const held = measured.length - judgement.regressions.length - judgement.allowed.length;
    if (held > 0) out(`  ✓ ${held} figure${held === 1 ? '' : 's'} held or improved`);
    out(
      ok ? bold('PASS') : `${red(bold('FAIL'))}  ${dim('to let one through: ao ratchet allow <figure> --reason "…"')}`,
    );
  }
  if (!ok) throw new ExitError(1);
}

export function ratchetAllow(args: { figure: string; reason: string; json?: boolean }): void {
  const { root, agentsDir } = repoOrFail();
  const figure = resolveFigure(args.figure, root, agentsDir);
  const reason = args.reason.trim();
  if (reason.length < 3)
    throw new UserError('--reason must say why the figure may go back (it is recorded with your name)');
  const event: RatchetAllowEvent = {
    kind: 'ratchet-allow',
    ts: new Date().toISOString(),
    figure,
    reason,
    by: gitUser(root),
    commit: gitState(root).commit,
  };
  appendGateEvents(agentsDir, [event]);
  if (args.json) {
    outJson(event);
    return;
  }
  out(`${figure} may go back once: allowed by ${event.by} (${reason}).`);
  out(
    dim(
      `Recorded in ${relative(root, agentsDir)}/ledger/ratchet.jsonl; the next passing gate run locks the new value.`,
    ),
  );
}

/** A figure's full name: `<check>.<figure>`, or a bare figure name that only one check measures. */
function resolveFigure(name: string, root: string, agentsDir: string): string {
  const known = new Set<string>();
  for (const e of readRatchet(agentsDir)) if (e.kind === 'ratchet-lock') known.add(e.figure);
  const { config } = loadGates(root);
  for (const c of Object.values(config.checks)) for (const f of c.figures) known.add(`${c.name}.${f.name}`);
  if (known.has(name)) return name;
  const matches = [...known].filter((k) => k.endsWith(`.${name}`));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw new UserError(`"${name}" is measured by several checks: say which (${matches.join(', ')})`);
  throw new UserError(
    `unknown figure "${name}"${known.size > 0 ? ` (figures: ${[...known].sort().join(', ')})` : ': no check measures figures yet'}`,
  );
}

interface Point {
  ts: string;
  commit: string | null;
  stage: string;
  value: number | null;
  what: string;
}

export function ratchetHistory(args: { figure?: string; json?: boolean }): void {
  const { agentsDir } = repoOrFail();
  const series = new Map<string, Point[]>();
  const push = (figure: string, p: Point): void => void series.set(figure, [...(series.get(figure) ?? []), p]);
  const verdicts: VerdictEvent[] = readVerdicts(agentsDir);
  const locks = new Map<string, Set<string>>();
  for (const e of readRatchet(agentsDir)) {
    if (e.kind === 'ratchet-lock') locks.set(e.verdict, new Set([...(locks.get(e.verdict) ?? []), e.figure]));
    else
      push(e.figure, { ts: e.ts, commit: e.commit, stage: '', value: null, what: `allowed by ${e.by}: ${e.reason}` });
  }
  for (const v of verdicts) {
    for (const c of v.checks) {
      for (const [name, value] of Object.entries(c.figures)) {
        const figure = `${c.name}.${name}`;
        const regression = v.regressions.find((r) => r.figure === figure);
        const what = regression
          ? `regression blocked (locked ${regression.locked})`
          : locks.get(v.id)?.has(figure)
            ? 'locked'
            : v.verdict === 'pass'
              ? 'held'
              : 'verdict failed';
        push(figure, { ts: v.ts, commit: v.commit, stage: v.stage, value, what });
      }
    }
  }
  const figures = [...series.keys()]
    .filter((f) => !args.figure || f === args.figure || f.endsWith(`.${args.figure}`))
    .sort();
  if (args.figure && figures.length === 0) throw new UserError(`no history for "${args.figure}"`);
  for (const f of figures) series.get(f)!.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  if (args.json) {
    outJson(Object.fromEntries(figures.map((f) => [f, series.get(f)])));
    return;
  }
  if (figures.length === 0) {
    out(
      'No figures recorded yet: checks with figures (parse: or figures: in gates.yaml) record them at every ao gate run.',
    );
    return;
  }
  figures.forEach((f, i) => {
    if (i > 0) out('');
    out(bold(f));
    const rows = series
      .get(f)!
      .map((p) => [
        p.ts.slice(0, 16).replace('T', ' '),
        p.commit?.slice(0, 10) ?? '-',
        p.stage,
        p.value === null ? '' : String(p.value),
        p.what,
      ]);
    out(table(['when (UTC)', 'commit', 'stage', 'value', ''], rows, [false, false, false, true, false]));
  });
}
