import { loadConfig } from '../../lib/config.js';
import { listIndexed } from '../../index/list.js';
import { openIndex } from '../../index/open.js';
import { flywheelReport } from '../../knowledge/flywheel.js';
import { readLedger, type LedgerEvent } from '../../knowledge/ledger.js';
import { decayPolicy, parseNumberArg, storesOf, workspace } from '../knowledge.js';
import { dim, formatPercent, out, outJson } from '../output.js';

export async function runFlywheel(args: { days?: string; 'unused-after'?: string; json?: boolean }): Promise<void> {
  const ws = workspace();
  const config = loadConfig();
  const windowDays = parseNumberArg(args.days, 'days', 1, 100_000) ?? 30;
  const unusedAfter = parseNumberArg(args['unused-after'], 'unused-after', 1, 1e9) ?? 3;
  const events: LedgerEvent[] = [];
  for (const s of storesOf(ws)) for (const e of readLedger(s.agents).events) events.push(e);
  const { db } = await openIndex(ws, 'full');
  let learnings;
  try {
    learnings = listIndexed(db, Date.now(), decayPolicy(config.knowledge)).map((l) => ({
      id: l.id,
      title: l.title,
      maturity: l.stats.maturity,
      created: l.created,
    }));
  } finally {
    db.close();
  }
  const r = flywheelReport({ events, learnings, windowDays, now: Date.now(), unusedAfter });
  if (args.json) return outJson(r);
  const rate = (n: number | null): string => (n === null ? 'n/a' : formatPercent(n));
  out(`Flywheel, last ${windowDays} days`);
  out(`  retrieval rate σ  ${rate(r.retrievalRate).padStart(6)}  ${dim(`${r.injections} injections`)}`);
  out(
    `  citation rate ρ   ${rate(r.citationRate).padStart(6)}  ${dim(`${r.citations.explicit} explicit, ${r.citations.implicit} implicit citations`)}`,
  );
  out(`  decay rate δ      ${rate(r.decayRate).padStart(6)}`);
  const verdict =
    r.healthy === null
      ? 'not enough data yet (inject and forge some sessions)'
      : r.healthy
        ? 'compounding (σ×ρ > δ)'
        : 'decaying faster than it is used (σ×ρ ≤ δ)';
  out(`  ${verdict}${r.margin !== null ? dim(` · margin ${r.margin}`) : ''}`);
  out(
    `Learnings: ${r.learnings.total} live · ${Object.entries(r.learnings.byMaturity)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
  );
  out(
    `Forge: ${r.forge.runs} sessions, ${r.forge.candidates} candidates, ${r.forge.accepted} accepted, ${r.forge.held} held, ${r.forge.merged} merged, ${r.forge.rejected} rejected`,
  );
  if (r.unused.length > 0) {
    out(`Injected ${unusedAfter}+ times, never used (candidates to retire or rewrite):`);
    for (const u of r.unused.slice(0, 20)) out(`  ${u.id}  ×${u.injected}  ${u.title}`);
  }
}
