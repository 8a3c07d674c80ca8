import { isTimeZone } from '../../lib/config.js';
import { UserError } from '../../lib/errors.js';
import { PRICE_TABLE_DATE } from '../../sessions/pricing.js';
import { querySessions } from '../../sessions/query.js';
import { type GroupBy, summarizeUsage } from '../../sessions/report.js';
import { type SessionArgValues, progressFor, queryOf, reportWarnings } from '../common.js';
import { dim, formatCost, formatInt, formatTokens, out, outJson, table } from '../output.js';

export async function runUsage(args: SessionArgValues & { by: string; tz?: string }): Promise<void> {
  const by = args.by as GroupBy;
  if (args.tz && !isTimeZone(args.tz))
    throw new UserError(`--tz "${args.tz}" is not a time zone: use an IANA name such as UTC or Europe/Berlin`);
  const progress = progressFor(args);
  const result = await querySessions(queryOf(args, progress));
  progress.done();
  const timeZone = args.tz ?? result.timeZone;
  const { totals, rows } = summarizeUsage(result.sessions, result.book, by, {
    since: result.since,
    until: result.until,
    timeZone,
  });
  if (args.json) {
    const { files, unreadablePaths, ...counts } = result.warnings;
    outJson({
      by,
      // Null: the machine's own zone (named by TZ when set).
      timeZone: timeZone ?? process.env.TZ ?? null,
      totals,
      rows,
      warnings: { ...counts, files, unreadablePaths },
      prices: { table: PRICE_TABLE_DATE },
    });
    return;
  }
  reportWarnings(result.warnings);
  if (rows.length === 0) {
    out(`No usage found${args.source ? ` in ${args.source}` : ''}.`);
    return;
  }
  const withModels = by !== 'model';
  const line = (key: string, r: (typeof rows)[number] | typeof totals): string[] => [
    key,
    formatTokens(r.inputTokens),
    formatTokens(r.outputTokens),
    formatTokens(r.cacheCreationTokens),
    formatTokens(r.cacheReadTokens),
    formatTokens(r.inputTokens + r.outputTokens + r.cacheCreationTokens + r.cacheReadTokens),
    formatCost(r.costUSD, r.pricedCostUSD),
    ...(withModels ? ['models' in r ? r.models.join(', ') : ''] : []),
  ];
  out(
    table(
      [
        by.toUpperCase(),
        'INPUT',
        'OUTPUT',
        'CACHE WRITE',
        'CACHE READ',
        'TOTAL',
        'COST',
        ...(withModels ? ['MODELS'] : []),
      ],
      [...rows.map((r) => line(r.key, r)), line('TOTAL', totals)],
      [false, true, true, true, true, true, true, false],
    ),
  );
  const notes = [
    `${formatInt(totals.sessions)} sessions, ${formatInt(totals.replies)} replies`,
    `prices as of ${PRICE_TABLE_DATE}`,
  ];
  if (totals.unpricedModels.length > 0)
    notes.push(`* no price for ${totals.unpricedModels.join(', ')}: costs shown are lower bounds`);
  out(dim(notes.join('; ')));
}
